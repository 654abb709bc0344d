#include <dynantic/codec/python_datetime.hpp>

#include <dynantic/codec/item.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {
const dy::Timestamp noon = sys_days{2024y / January / 1} + 12h;

std::string written(const dy::PythonDatetime& v) {
    json::value av;
    dy::to_attribute(v, av);
    return json::serialize(av);
}
dy::PythonDatetime read(std::string_view text) {
    json::value av = json::object{{"S", text}};
    return dy::from_attribute<dy::PythonDatetime>(av);
}
}  // namespace

TEST(PythonDatetime, WritesWhatIsoformatGivesAsPythonDynanticStoresIt) {
    EXPECT_EQ(written(noon), R"({"S":"2024-01-01T12:00:00Z"})");
    EXPECT_EQ(written(noon + 789ms), R"({"S":"2024-01-01T12:00:00.789000Z"})");
    EXPECT_EQ(written(noon + 1us), R"({"S":"2024-01-01T12:00:00.000001Z"})");
    EXPECT_EQ(written(dy::PythonDatetime(noon + 500ms, 120min)), R"({"S":"2024-01-01T14:00:00.500000+02:00"})");
    EXPECT_EQ(written(dy::PythonDatetime(noon, -(5h + 30min))), R"({"S":"2024-01-01T06:30:00-05:30"})");
    EXPECT_EQ(written(dy::PythonDatetime::naive(noon)), R"({"S":"2024-01-01T12:00:00"})");
    EXPECT_EQ(written(dy::PythonDatetime::naive(noon + 250ms)), R"({"S":"2024-01-01T12:00:00.250000"})");
}

TEST(PythonDatetime, ReadsEachFormKeepingOffsetAndNaivety) {
    EXPECT_EQ(read("2024-01-01T12:00:00Z"), dy::PythonDatetime(noon));
    EXPECT_EQ(read("2024-01-01T12:00:00.789000Z"), dy::PythonDatetime(noon + 789ms));
    const auto offset = read("2024-01-01T14:00:00.500000+02:00");
    EXPECT_EQ(offset.time, noon + 500ms);
    EXPECT_EQ(offset.offset, 120min);
    EXPECT_EQ(offset.wall_time(), noon + 2h + 500ms);
    EXPECT_EQ(read("2024-01-01T06:30:00-05:30"), dy::PythonDatetime(noon, -330min));
    const auto naive = read("2024-01-01T12:00:00.250000");
    EXPECT_TRUE(naive.is_naive());
    EXPECT_EQ(naive.time, noon + 250ms);
    EXPECT_EQ(read("2024-01-01T12:00:00+00:00"), dy::PythonDatetime(noon));    // isoformat() of UTC
    EXPECT_EQ(read("2024-01-01T12:00:00.123456789Z").time, noon + 123456us);    // floored to microseconds
    EXPECT_EQ(read("2024-01-01T12:00").time, noon);                              // naive, no seconds
}

TEST(PythonDatetime, EachFormRoundTripsToTheSameText) {
    for (const std::string_view text : {"2024-01-01T12:00:00Z", "2024-01-01T12:00:00.789000Z",
                                        "2024-01-01T14:00:00.500000+02:00", "2023-12-31T23:59:59.000001-08:00",
                                        "2024-01-01T12:00:00", "2024-02-29T00:00:00.100000"}) {
        EXPECT_EQ(written(read(text)), R"({"S":")" + std::string(text) + R"("})") << text;
    }
}

TEST(PythonDatetime, RefusesWhatIsNoDatetime) {
    for (const std::string_view text : {"", "2024-01-01", "yesterday", "2024-13-01T00:00:00Z", "2024-01-01T12:00:00+2",
                                        "2024-01-01T12:00:00+02:00:30", "2024-01-01T12:00:00 Z"}) {
        EXPECT_THROW((void)read(text), dy::detail::AttributeError) << text;
    }
    EXPECT_THROW((void)written(dy::PythonDatetime(sys_days{year{10000} / January / 1})), dy::detail::AttributeError);
    EXPECT_THROW((void)written(dy::PythonDatetime(noon, 24h)), dy::detail::AttributeError);
}

namespace pydt {
struct Event {
    std::string id;
    dy::PythonDatetime at;
};
BOOST_DESCRIBE_STRUCT(Event, (), (id, at))
}  // namespace pydt

TEST(PythonDatetime, IsAMemberTypeOfItsOwn) {
    static_assert(dy::detail::wire_type_of<dy::PythonDatetime>() == dy::AttributeType::S);   // may be a key
    const pydt::Event e{"e1", dy::PythonDatetime(noon + 500ms, 120min)};
    const json::object item = dy::to_item(e);
    EXPECT_EQ(json::serialize(item), R"({"id":{"S":"e1"},"at":{"S":"2024-01-01T14:00:00.500000+02:00"}})");
    EXPECT_EQ(dy::from_item<pydt::Event>(item).at, e.at);
    try {
        (void)dy::from_item<pydt::Event>(json::parse(R"({"id":{"S":"e1"},"at":{"S":"noon"}})").as_object());
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_NE(e.message().find("attribute 'at': "), std::string::npos) << e.message();
        EXPECT_EQ(e.message().find("noon"), std::string::npos) << "values are redacted";
    }
}

TEST(PythonDatetime, VariableWidthDoesNotSortByTimeAsText) {
    // The documented caveat for sort keys shared with Python apps.
    json::value whole, half;
    dy::to_attribute(dy::PythonDatetime(noon), whole);
    dy::to_attribute(dy::PythonDatetime(noon + 500ms), half);
    EXPECT_GT(whole.at("S").as_string(), half.at("S").as_string());   // "...00Z" > "...00.500000Z"
    json::value fixed_whole, fixed_half;
    dy::to_attribute(noon, fixed_whole);
    dy::to_attribute(noon + 500ms, fixed_half);
    EXPECT_LT(fixed_whole.at("S").as_string(), fixed_half.at("S").as_string());
}
