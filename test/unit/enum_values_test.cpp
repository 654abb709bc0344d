#include <dynantic/codec/enum_values.hpp>

#include <dynantic/codec/item.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <array>
#include <utility>

namespace dy = dynantic;
namespace json = boost::json;

namespace enumvalues {
enum class Status { active, on_hold };
BOOST_DESCRIBE_ENUM(Status, active, on_hold)
constexpr auto dynantic_enum_values(const Status*) {
    return std::to_array<std::pair<Status, std::string_view>>({{Status::active, "ACTIVE"}, {Status::on_hold, "on hold"}});
}
enum class Priority { low, high };
BOOST_DESCRIBE_ENUM(Priority, low, high)
constexpr auto dynantic_enum_values(const Priority*) {
    return std::to_array<std::pair<Priority, std::int64_t>>({{Priority::low, 0}, {Priority::high, 10}});
}
enum class Plain { red, green };   // no hook: the enumerator's name
BOOST_DESCRIBE_ENUM(Plain, red, green)

struct Order {
    std::string id;
    Status status{};
    Priority priority{};
    Plain color{};
    std::vector<Priority> history;
};
BOOST_DESCRIBE_STRUCT(Order, (), (id, status, priority, color, history))
}  // namespace enumvalues

using enumvalues::Priority;
using enumvalues::Status;

TEST(EnumValues, WritesEachEnumeratorsValue) {
    static_assert(dy::detail::wire_type_of<Status>() == dy::AttributeType::S);
    static_assert(dy::detail::wire_type_of<Priority>() == dy::AttributeType::N);
    const enumvalues::Order o{"o1", Status::on_hold, Priority::high, enumvalues::Plain::green, {Priority::low, Priority::high}};
    const json::object item = dy::to_item(o);
    EXPECT_EQ(json::serialize(item),
              R"({"id":{"S":"o1"},"status":{"S":"on hold"},"priority":{"N":"10"},"color":{"S":"green"},)"
              R"("history":{"L":[{"N":"0"},{"N":"10"}]}})");
    const auto back = dy::from_item<enumvalues::Order>(item);
    EXPECT_EQ(back.status, Status::on_hold);
    EXPECT_EQ(back.priority, Priority::high);
    EXPECT_EQ(back.color, enumvalues::Plain::green);
    EXPECT_EQ(back.history, (std::vector<Priority>{Priority::low, Priority::high}));
}

TEST(EnumValues, ReadsNumbersInAnyFormDynamoDBReturns) {
    EXPECT_EQ(dy::from_attribute<Priority>(json::parse(R"({"N":"10"})")), Priority::high);
    EXPECT_EQ(dy::from_attribute<Priority>(json::parse(R"({"N":"0"})")), Priority::low);
}

TEST(EnumValues, UnknownValuesAndWrongTypesAreErrors) {
    try {
        (void)dy::from_item<enumvalues::Order>(json::parse(R"({"id":{"S":"o"},"status":{"S":"active"}})").as_object(),
                                        {"GetItem", "orders", {}, {}, 0, {}});
        FAIL();
    } catch (const dy::DecodeError& e) {
        const std::string m(e.message());
        EXPECT_NE(m.find("attribute 'status': "), std::string::npos) << m;
        EXPECT_NE(m.find("(expected one of ACTIVE, on hold)"), std::string::npos) << m;
    }
    EXPECT_THROW((void)dy::from_item<enumvalues::Order>(json::parse(R"({"priority":{"N":"3"}})").as_object()), dy::DecodeError);
    EXPECT_THROW((void)dy::from_item<enumvalues::Order>(json::parse(R"({"priority":{"S":"10"}})").as_object()), dy::DecodeError);
    enumvalues::Order bad{"o", static_cast<Status>(7), {}, {}, {}};
    EXPECT_THROW((void)dy::to_item(bad), dy::ValidationError);
}
