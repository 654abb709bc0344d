// How to map your own types: the two tiers of `dynantic::attribute_traits<T>`, and
// `dynantic::as_member` for single-member wrappers. Each type below is complete and used in a
// model, including as a key.
#include <dynantic/codec/traits.hpp>

#include <dynantic/codec/item.hpp>
#include <dynantic/table.hpp>

#include "support/mock_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <stdexcept>

namespace dy = dynantic;
namespace json = boost::json;

namespace shop {

// Easy tier: convert to and from a type the library maps; the wire type follows (S here).
struct Sku {
    std::string code;
    auto operator<=>(const Sku&) const = default;
};

// Easy tier to a number: money in cents, stored as N.
struct Cents {
    std::int64_t value = 0;
    bool operator==(const Cents&) const = default;
};

// as_member: a wrapper stored as its one member (S), usable as a key.
struct UserId {
    std::string value;
    bool operator==(const UserId&) const = default;
};

// Raw tier: a type that maps to nothing the library knows; write the AttributeValue yourself.
struct Point {
    double x = 0;
    double y = 0;
    bool operator==(const Point&) const = default;
};

}  // namespace shop

template <>
struct dy::attribute_traits<shop::Sku> {
    static std::string to(const shop::Sku& s) { return s.code; }
    static shop::Sku from(std::string s) {
        if (s.size() != 8) throw std::invalid_argument("an SKU has 8 characters, not " + std::to_string(s.size()));
        return shop::Sku{std::move(s)};
    }
};

template <>
struct dy::attribute_traits<shop::Cents> {
    static std::int64_t to(const shop::Cents& c) { return c.value; }
    static shop::Cents from(std::int64_t v) { return shop::Cents{v}; }
};

template <>
struct dy::attribute_traits<shop::UserId> : dy::as_member<&shop::UserId::value> {};

// Stored as a list of two numbers: {"L": [{"N": "x"}, {"N": "y"}]}.
template <>
struct dy::attribute_traits<shop::Point> {
    static constexpr dy::AttributeType type = dy::AttributeType::L;  // optional: lets the schema check keys
    static void to_attribute(const shop::Point& p, json::value& out) {
        auto& list = out.emplace_object()["L"].emplace_array();
        list.resize(2);
        dy::to_attribute(p.x, list[0]);
        dy::to_attribute(p.y, list[1]);
    }
    static shop::Point from_attribute(const json::value& av) {
        const auto& list = dy::attribute_payload(av, type);  // "expected L, found S" otherwise
        if (!list.is_array() || list.get_array().size() != 2)
            throw std::invalid_argument("a Point is a list of two numbers");
        return {dy::from_attribute<double>(list.get_array()[0]), dy::from_attribute<double>(list.get_array()[1])};
    }
};

namespace shop {
struct Order {
    UserId customer;
    Sku sku;
    Cents total;
    std::optional<Point> pickup;
    std::vector<Sku> related;
};
BOOST_DESCRIBE_STRUCT(Order, (), (customer, sku, total, pickup, related))
constexpr auto dynantic_schema(const Order*) {
    return dy::table("orders").partition_key(&Order::customer).sort_key(&Order::sku);
}
}  // namespace shop

static_assert(dy::detail::wire_type_of<shop::Sku>() == dy::AttributeType::S);
static_assert(dy::detail::wire_type_of<shop::Cents>() == dy::AttributeType::N);
static_assert(dy::detail::wire_type_of<shop::UserId>() == dy::AttributeType::S);
static_assert(dy::detail::wire_type_of<shop::Point>() == dy::AttributeType::L);
static_assert(dy::detail::wire_type_of<std::set<shop::Sku>>() == dy::AttributeType::SS);

namespace {
const shop::Order sample{{"u-1"}, {"ABCD1234"}, {1999}, shop::Point{1.5, -2}, {{"ZZZZ0000"}}};
}

TEST(AttributeTraits, EasyAndRawTiersWriteTheirWireTypes) {
    EXPECT_EQ(json::serialize(dy::to_item(sample)),
              R"({"customer":{"S":"u-1"},"sku":{"S":"ABCD1234"},"total":{"N":"1999"},)"
              R"("pickup":{"L":[{"N":"1.5"},{"N":"-2"}]},"related":{"L":[{"S":"ZZZZ0000"}]}})");
}

TEST(AttributeTraits, TextWriterUsesUserTraits) {
    EXPECT_EQ(dy::to_item_json(sample), json::serialize(dy::to_item(sample)));
    json::value av;
    dy::to_attribute(std::set<shop::Sku>{{"ABCD1234"}, {"ZZZZ0000"}}, av);
    EXPECT_EQ(json::serialize(av), R"({"SS":["ABCD1234","ZZZZ0000"]})");
}

TEST(AttributeTraits, RoundTrip) {
    const shop::Order back = dy::from_item<shop::Order>(dy::to_item(sample));
    EXPECT_EQ(back.customer, sample.customer);
    EXPECT_EQ(back.sku, sample.sku);
    EXPECT_EQ(back.total, sample.total);
    EXPECT_EQ(back.pickup, sample.pickup);
    EXPECT_EQ(back.related, sample.related);
}

TEST(AttributeTraits, UserTypesAreKeys) {
    dy::Table<shop::Order> orders(dy::test::mock_client(std::make_shared<dy::test::MockTransport>(), {}));
    EXPECT_EQ(json::serialize(orders.key({"u-1"}, {"ABCD1234"})), R"({"customer":{"S":"u-1"},"sku":{"S":"ABCD1234"}})");
    EXPECT_EQ(orders.create_table_request().body.at("AttributeDefinitions"),
              json::parse(R"([{"AttributeName":"customer","AttributeType":"S"},{"AttributeName":"sku","AttributeType":"S"}])"));
}

TEST(AttributeTraits, ExceptionsFromUserCodeBecomeDecodeErrorsNamingTheAttribute) {
    auto item = dy::to_item(sample);
    item["related"] = json::parse(R"({"L":[{"S":"short"}]})");
    try {
        (void)dy::from_item<shop::Order>(item, {"GetItem", "orders"});
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'related[0]': an SKU has 8 characters, not 5");
    }
    item = dy::to_item(sample);
    item["pickup"] = json::parse(R"({"L":[{"N":"1"}]})");
    try {
        (void)dy::from_item<shop::Order>(item);
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'pickup': a Point is a list of two numbers");
    }
    item["pickup"] = json::parse(R"({"S":"1,2"})");
    try {
        (void)dy::from_item<shop::Order>(item);
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'pickup': expected L, found S");
    }
}
