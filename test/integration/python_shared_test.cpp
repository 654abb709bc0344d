// A table shared with a Python Dynantic app, against DynamoDB Local: items written in Python
// Dynantic's forms (test/data/python_dynantic_items.json: datetime.isoformat() with `Z` for UTC,
// the fraction only when not zero, other offsets and naive datetimes as isoformat() gives them,
// enums by their `.value`) are read into a model declaring those formats, written back, and come
// back byte for byte; the sort key of such datetimes orders as the README says.
#include <dynantic/table.hpp>

#include "support/dynamodb_fixture.hpp"
#include "support/test_env.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <chrono>
#include <string>
#include <utility>

namespace dy = dynantic;
namespace json = boost::json;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace py {
enum class Status { active, on_hold };   // class Status(str, Enum): ACTIVE = "ACTIVE"; ON_HOLD = "on hold"
BOOST_DESCRIBE_ENUM(Status, active, on_hold)
constexpr auto dynantic_enum_values(const Status*) {
    return std::to_array<std::pair<Status, std::string_view>>({{Status::active, "ACTIVE"}, {Status::on_hold, "on hold"}});
}
enum class Priority { low, high };       // class Priority(IntEnum): LOW = 0; HIGH = 10
BOOST_DESCRIBE_ENUM(Priority, low, high)
constexpr auto dynantic_enum_values(const Priority*) {
    return std::to_array<std::pair<Priority, int>>({{Priority::low, 0}, {Priority::high, 10}});
}

struct Event {
    std::string stream;
    dy::PythonDatetime at;          // sort key
    Status status{};
    Priority priority{};
    std::optional<dy::PythonDatetime> seen_at;
    std::string note;
};
BOOST_DESCRIBE_STRUCT(Event, (), (stream, at, status, priority, seen_at, note))
constexpr auto dynantic_schema(const Event*) { return dy::table("events").partition_key(&Event::stream).sort_key(&Event::at); }
}  // namespace py

class PythonSharedIT : public dy::test::DynamoDBTest {};

namespace {
const dy::Timestamp noon = sys_days{2024y / January / 1} + 12h;
}

TEST_F(PythonSharedIT, ItemsInPythonFormsAreReadAndWrittenBackUnchanged) {
    dy::test::ScopedTable<py::Event> events(client());
    const json::array items = json::parse(dy::test::read_data_file("python_dynantic_items.json")).at("items").as_array();
    ASSERT_EQ(items.size(), 4u);
    for (const auto& item : items)
        client().call("PutItem", json::object{{"TableName", events.name()}, {"Item", item}});

    const auto all = events->query("s1").all();
    ASSERT_EQ(all.size(), 4u);
    // DynamoDB orders the sort key as text: '.' (0x2E) < 'Z' (0x5A), so 12:00:00.5 comes before 12:00:00.
    EXPECT_EQ(all[0].at, dy::PythonDatetime(noon - 1h));
    EXPECT_EQ(all[1].at, dy::PythonDatetime(noon + 500ms));
    EXPECT_EQ(all[2].at, dy::PythonDatetime(noon + 789ms));
    EXPECT_EQ(all[3].at, dy::PythonDatetime(noon));
    EXPECT_EQ(all[3].status, py::Status::active);
    EXPECT_EQ(all[3].priority, py::Priority::high);
    EXPECT_EQ(all[1].status, py::Status::on_hold);
    EXPECT_EQ(all[1].priority, py::Priority::low);
    ASSERT_TRUE(all[3].seen_at.has_value());
    EXPECT_EQ(all[3].seen_at->time, noon + 500ms);            // 14:00:00.500000+02:00
    EXPECT_EQ(all[3].seen_at->offset, 120min);
    ASSERT_TRUE(all[2].seen_at.has_value());
    EXPECT_TRUE(all[2].seen_at->is_naive());                  // 2024-01-01T09:30:00
    EXPECT_EQ(all[2].seen_at->wall_time(), noon - 2h - 30min);
    EXPECT_EQ(all[0].seen_at, std::nullopt);

    // Written back by this library into a second table, each item is the Python app's item.
    dy::ClientOptions copy_options;
    copy_options.table_prefix = client().table_name("") + "copy-";
    dy::test::ScopedTable<py::Event> copy(dy::test::integration_client(copy_options));
    for (const auto& e : all) copy->save(e);
    for (const auto& item : items) {
        json::object key{{"stream", item.at("stream")}, {"at", item.at("at")}};
        const auto raw = client().call("GetItem", json::object{{"TableName", copy.name()}, {"Key", key}});
        ASSERT_TRUE(raw.contains("Item")) << json::serialize(key);
        EXPECT_EQ(raw.at("Item"), item) << json::serialize(raw.at("Item"));
    }
}

TEST_F(PythonSharedIT, KeyConditionsUseThePythonForm) {
    dy::test::ScopedTable<py::Event> events(client());
    events->save({"s2", noon, py::Status::active, py::Priority::low, std::nullopt, "whole"});
    events->save({"s2", noon + 789ms, py::Status::active, py::Priority::low, std::nullopt, "fraction"});
    const auto raw = client().call("GetItem", json::parse(R"({"TableName":")" + events.name() +
                                                          R"(","Key":{"stream":{"S":"s2"},"at":{"S":"2024-01-01T12:00:00Z"}}})")
                                                  .as_object());
    ASSERT_TRUE(raw.contains("Item"));
    EXPECT_EQ(raw.at("Item").at("status"), json::parse(R"({"S":"ACTIVE"})"));
    EXPECT_EQ(raw.at("Item").at("priority"), json::parse(R"({"N":"0"})"));
    EXPECT_EQ(events->get("s2", dy::PythonDatetime(noon + 789ms))->note, "fraction");
    // The variable-width form: "...12:00:00Z" is after "...12:00:00.789000Z" as text.
    const auto after = events->query("s2").gt(dy::PythonDatetime(noon + 789ms)).all();
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].note, "whole");
}
