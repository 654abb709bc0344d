#include <dynantic/codec/containers.hpp>

#include <dynantic/codec/item.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <deque>
#include <list>
#include <map>
#include <unordered_map>
#include <vector>

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

namespace containertest {
struct Point {
    int x = 0;
    int y = 0;
    bool operator==(const Point&) const = default;
};
BOOST_DESCRIBE_STRUCT(Point, (), (x, y))

struct Shape {
    std::string id;
    std::vector<Point> points;
    std::map<std::string, std::vector<int>> groups;
    std::unordered_map<std::string, std::optional<std::string>> labels;
};
BOOST_DESCRIBE_STRUCT(Shape, (), (id, points, groups, labels))
}  // namespace containertest

using containertest::Point;
using containertest::Shape;

TEST(Containers, ListsAreL) {
    EXPECT_EQ(encode(std::vector<int>{1, -2, 3}), R"({"L":[{"N":"1"},{"N":"-2"},{"N":"3"}]})");
    EXPECT_EQ(encode(std::list<std::string>{"a", "b"}), R"({"L":[{"S":"a"},{"S":"b"}]})");
    EXPECT_EQ(encode(std::deque<bool>{true}), R"({"L":[{"BOOL":true}]})");
    EXPECT_EQ(encode(std::vector<int>{}), R"({"L":[]})");
    EXPECT_EQ(encode(std::vector<std::vector<int>>{{1}, {}}), R"({"L":[{"L":[{"N":"1"}]},{"L":[]}]})");
    EXPECT_EQ(encode(std::vector<Point>{{1, 2}}), R"({"L":[{"M":{"x":{"N":"1"},"y":{"N":"2"}}}]})");
    EXPECT_EQ(encode(std::vector<bool>{true, false}), R"({"L":[{"BOOL":true},{"BOOL":false}]})");
}

TEST(Containers, ListsRoundTrip) {
    EXPECT_EQ(decode<std::vector<int>>(R"({"L":[{"N":"1"},{"N":"1E+2"}]})"), (std::vector<int>{1, 100}));
    EXPECT_EQ(decode<std::list<std::string>>(R"({"L":[{"S":"x"}]})"), (std::list<std::string>{"x"}));
    EXPECT_EQ(decode<std::deque<double>>(R"({"L":[]})"), std::deque<double>{});
    EXPECT_EQ(decode<std::vector<Point>>(R"({"L":[{"M":{"x":{"N":"1"},"y":{"N":"2"}}}]})"), (std::vector<Point>{{1, 2}}));
    EXPECT_EQ(decode<std::vector<bool>>(R"({"L":[{"BOOL":false}]})"), std::vector<bool>{false});
}

TEST(Containers, OptionalElementsAreNullSoPositionsSurvive) {
    const std::vector<std::optional<int>> v{1, std::nullopt, 3};
    EXPECT_EQ(encode(v), R"({"L":[{"N":"1"},{"NULL":true},{"N":"3"}]})");
    EXPECT_EQ(decode<std::vector<std::optional<int>>>(encode(v)), v);
    const std::map<std::string, std::optional<int>> m{{"a", std::nullopt}, {"b", 2}};
    EXPECT_EQ(encode(m), R"({"M":{"a":{"NULL":true},"b":{"N":"2"}}})");
    EXPECT_EQ((decode<std::map<std::string, std::optional<int>>>(encode(m))), m);
}

TEST(Containers, MapsAreM) {
    EXPECT_EQ(encode(std::map<std::string, int>{{"eur", 5}, {"usd", 6}}), R"({"M":{"eur":{"N":"5"},"usd":{"N":"6"}}})");
    EXPECT_EQ(encode(std::map<std::string, int>{}), R"({"M":{}})");
    EXPECT_EQ(encode(std::unordered_map<std::string, std::string>{{"k", "v"}}), R"({"M":{"k":{"S":"v"}}})");
    const auto m = decode<std::unordered_map<std::string, std::map<std::string, bool>>>(
        R"({"M":{"a":{"M":{"x":{"BOOL":true}}},"b":{"M":{}}}})");
    EXPECT_EQ(m.size(), 2u);
    EXPECT_TRUE(m.at("a").at("x"));
    EXPECT_TRUE(m.at("b").empty());
}

TEST(Containers, MapKeysMustBeNonEmptyUtf8) {
    json::value out;
    try {
        dy::to_attribute(std::map<std::string, int>{{"", 1}}, out);
        FAIL();
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_TRUE(e.on_write);
        EXPECT_EQ(e.path, R"([""])");
        EXPECT_EQ(e.message, "map keys must not be empty");
    }
    try {
        dy::to_attribute(std::map<std::string, int>{{"a\xff", 1}}, out);
        FAIL();
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_EQ(e.message, "string is not valid UTF-8 (byte 0xff at offset 1)");
    }
}

TEST(Containers, DecodeErrorsNameTheElement) {
    const auto item = json::parse(R"({"id":{"S":"s"},
        "points":{"L":[{"M":{"x":{"N":"1"},"y":{"N":"2"}}},{"M":{"x":{"N":"1"},"y":{"S":"2"}}}]},
        "groups":{"M":{}},"labels":{"M":{}}})").get_object();
    try {
        (void)dy::from_item<Shape>(item, {"GetItem", "shapes"});
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'points[1].y': expected N, found S");
    }
    const auto item2 = json::parse(R"({"id":{"S":"s"},"points":{"L":[]},
        "groups":{"M":{"eur \"main\"":{"L":[{"N":"1"},{"N":"2.5"}]}}},"labels":{"M":{}}})").get_object();
    try {
        (void)dy::from_item<Shape>(item2);
        FAIL();
    } catch (const dy::DecodeError& e) {
        // Neither the map key nor the number appears; their redacted forms do.
        EXPECT_EQ(e.message(), "attribute 'groups[" + dy::redacted("eur \"main\"") + "][1]': number " +
                                   dy::redacted("2.5") + " is not an integer that fits a signed 32-bit integer");
        EXPECT_EQ(e.message(), "attribute 'groups[<sha256:d3d93a8424b4>][1]': number <sha256:b8736b999909> is not an integer that fits a signed 32-bit integer");
        EXPECT_EQ(std::string(e.what()).find("eur"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).find("2.5"), std::string::npos);
    }
    const auto item3 = json::parse(R"({"id":{"S":"s"},"points":{"S":"no"},"groups":{"M":{}},"labels":{"M":{}}})").get_object();
    try {
        (void)dy::from_item<Shape>(item3);
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'points': expected L, found S");
    }
}

TEST(Containers, EncodeErrorsNameTheElement) {
    Shape s{"s", {}, {{"k", {1}}}, {{"bad", std::string("\xc0")}}};
    try {
        (void)dy::to_item(s);
        FAIL();
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(), "attribute 'labels[<sha256:2f05d4b689d2>]': string is not valid UTF-8 (byte 0xc0 at offset 0)");
    }
    const std::vector<std::vector<double>> nan{{1.0}, {2.0, std::numeric_limits<double>::quiet_NaN()}};
    json::value out;
    try {
        dy::to_attribute(nan, out);
        FAIL();
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_EQ(e.path, "[1][1]");
    }
}
