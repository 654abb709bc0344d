#include <dynantic/codec/sets.hpp>

#include <dynantic/codec/item.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/uuid/string_generator.hpp>
#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

namespace dy = dynantic;
namespace json = boost::json;

namespace {
template <class T>
std::string encode(const T& v) {
    json::value out;
    dy::to_attribute(v, out);
    return json::serialize(out);
}
template <class T>
T decode(std::string_view text) {
    return dy::from_attribute<T>(json::parse(text));
}
}  // namespace

namespace settest {
enum class Color { red, green };
BOOST_DESCRIBE_ENUM(Color, red, green)

struct Tagged {
    std::string id;
    std::set<std::string> tags;
    std::unordered_set<std::int64_t> numbers;
    std::set<dy::Decimal> prices;
    std::set<dy::Bytes> blobs;
};
BOOST_DESCRIBE_STRUCT(Tagged, (), (id, tags, numbers, prices, blobs))
}  // namespace settest

using settest::Color;
using settest::Tagged;

static_assert(dy::detail::wire_type_of<std::set<std::string>>() == dy::AttributeType::SS);
static_assert(dy::detail::wire_type_of<std::set<Color>>() == dy::AttributeType::SS);
static_assert(dy::detail::wire_type_of<std::set<boost::uuids::uuid>>() == dy::AttributeType::SS);
static_assert(dy::detail::wire_type_of<std::set<dy::Timestamp>>() == dy::AttributeType::SS);
static_assert(dy::detail::wire_type_of<std::unordered_set<int>>() == dy::AttributeType::NS);
static_assert(dy::detail::wire_type_of<std::set<double>>() == dy::AttributeType::NS);
static_assert(dy::detail::wire_type_of<std::set<dy::Decimal>>() == dy::AttributeType::NS);
static_assert(dy::detail::wire_type_of<std::set<dy::Bytes>>() == dy::AttributeType::BS);

TEST(Sets, SsNsBsWireText) {
    EXPECT_EQ(encode(std::set<std::string>{"b", "a"}), R"({"SS":["a","b"]})");
    EXPECT_EQ(encode(std::set<int>{3, -1}), R"({"NS":["-1","3"]})");
    EXPECT_EQ(encode(std::set<dy::Decimal>{dy::Decimal("1.50"), dy::Decimal("1E+2")}), R"({"NS":["1.50","1E+2"]})");
    EXPECT_EQ(encode(std::set<dy::Bytes>{dy::to_bytes("fo"), dy::to_bytes("f")}), R"({"BS":["Zg==","Zm8="]})");
    EXPECT_EQ(encode(std::set<Color>{Color::green, Color::red}), R"({"SS":["red","green"]})");
    EXPECT_EQ(encode(std::set<double>{0.5}), R"({"NS":["0.5"]})");
    EXPECT_EQ(encode(std::set<boost::uuids::uuid>{boost::uuids::string_generator{}("123E4567-E89B-12D3-A456-426614174000")}),
              R"({"SS":["123e4567-e89b-12d3-a456-426614174000"]})");
}

TEST(Sets, ReadBack) {
    EXPECT_EQ(decode<std::set<std::string>>(R"({"SS":["x","y"]})"), (std::set<std::string>{"x", "y"}));
    EXPECT_EQ(decode<std::unordered_set<long>>(R"({"NS":["1E+2","-7"]})"), (std::unordered_set<long>{100, -7}));
    EXPECT_EQ(decode<std::set<dy::Decimal>>(R"({"NS":["0.10","2"]})"),
              (std::set<dy::Decimal>{dy::Decimal("0.1"), dy::Decimal(2)}));
    EXPECT_EQ(decode<std::set<dy::Bytes>>(R"({"BS":["Zg=="]})"), (std::set<dy::Bytes>{dy::to_bytes("f")}));
    EXPECT_EQ(decode<std::set<Color>>(R"({"SS":["green"]})"), (std::set<Color>{Color::green}));
    EXPECT_EQ(decode<std::set<float>>(R"({"NS":["0.25"]})"), (std::set<float>{0.25f}));
    EXPECT_TRUE(decode<std::set<std::string>>(R"({"NULL":true})").empty());
}

TEST(Sets, EmptySetsAreOmittedAndMissingSetsReadEmpty) {
    const Tagged t{"t1", {}, {}, {}, {}};
    EXPECT_EQ(json::serialize(dy::to_item(t)), R"({"id":{"S":"t1"}})");
    const Tagged back = dy::from_item<Tagged>(json::parse(R"({"id":{"S":"t1"},"tags":{"NULL":true}})").get_object());
    EXPECT_TRUE(back.tags.empty());
    EXPECT_TRUE(back.numbers.empty());
    // Inside a list an empty set becomes NULL, and reads back empty.
    EXPECT_EQ(encode(std::vector<std::set<std::string>>{{}, {"a"}}), R"({"L":[{"NULL":true},{"SS":["a"]}]})");
    EXPECT_EQ((decode<std::vector<std::set<std::string>>>(R"({"L":[{"NULL":true},{"SS":["a"]}]})")),
              (std::vector<std::set<std::string>>{{}, {"a"}}));
}

TEST(Sets, DecodeErrorsNameTheElement) {
    try {
        (void)dy::from_item<Tagged>(json::parse(R"({"id":{"S":"t"},"numbers":{"NS":["1","x2"]}})").get_object());
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'numbers[1]': number <sha256:844ecc08164e> is not an integer that fits a signed 64-bit integer");
    }
    try {
        (void)dy::from_item<Tagged>(json::parse(R"({"id":{"S":"t"},"tags":{"L":[]}})").get_object());
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'tags': expected SS, found L");
    }
    try {
        (void)dy::from_item<Tagged>(json::parse(R"({"id":{"S":"t"},"prices":{"NS":["1", "1.2.3"]}})").get_object());
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'prices[1]': " + dy::redacted("1.2.3") + " is not a number");
    }
    try {
        (void)decode<std::set<Color>>(R"({"SS":["red","blue"]})");
        FAIL();
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_EQ(e.path, "[1]");
    }
}

TEST(Sets, EncodeErrorsNameTheElement) {
    Tagged t{"t", {"a", "bad\xff"}, {}, {}, {}};
    try {
        (void)dy::to_item(t);
        FAIL();
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(), "attribute 'tags[1]': string is not valid UTF-8 (byte 0xff at offset 3)");
    }
}
