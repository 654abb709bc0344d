#include <dynantic/codec/enum.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;

namespace enumtest {
enum class Status { active, inactive, banned };
BOOST_DESCRIBE_ENUM(Status, active, inactive, banned)
enum Plain { red = 3, green = 7 };
BOOST_DESCRIBE_ENUM(Plain, red, green)
enum class Undescribed { a };
}  // namespace enumtest

using enumtest::Status;

static_assert(dy::attribute_type<Status>);
static_assert(dy::attribute_type<enumtest::Plain>);
static_assert(!dy::attribute_type<enumtest::Undescribed>);
static_assert(dy::detail::wire_type_of<Status>() == dy::AttributeType::S);

TEST(Enum, SIsTheEnumeratorName) {
    json::value out;
    dy::to_attribute(Status::inactive, out);
    EXPECT_EQ(json::serialize(out), R"({"S":"inactive"})");
    EXPECT_EQ(dy::from_attribute<Status>(out), Status::inactive);
    dy::to_attribute(enumtest::green, out);
    EXPECT_EQ(json::serialize(out), R"({"S":"green"})");
    EXPECT_EQ(dy::from_attribute<enumtest::Plain>(json::parse(R"({"S":"red"})")), enumtest::red);
}

TEST(Enum, UnknownNameIsADecodeErrorListingTheEnumerators) {
    try {
        (void)dy::from_attribute<Status>(json::parse(R"({"S":"ACTIVE"})"));
        FAIL();
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_FALSE(e.on_write);
        EXPECT_EQ(e.message, "<sha256:630c2f1c0ee1> is not an enumerator of enumtest::Status (expected one of active, inactive, banned)");
    }
}

TEST(Enum, ValueThatIsNoEnumeratorIsRefusedOnWrite) {
    json::value out;
    try {
        dy::to_attribute(static_cast<Status>(9), out);
        FAIL();
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_TRUE(e.on_write);
        EXPECT_EQ(e.message, "value 9 is not an enumerator of enumtest::Status");
    }
}
