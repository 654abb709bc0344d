// Items as other SDKs and DynamoDB itself write them (test/data/sdk_item_*.json): all ten wire
// types, numbers in every spelling ("1E+2", "-0.000", 38 digits, the range's extremes in plain
// notation), times with offsets, uppercase UUIDs, an attribute the model does not know.
#include <dynantic/codec/item.hpp>

#include "support/test_env.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/uuid/string_generator.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace sdkitems {

enum class Status { placed, paid, shipped };
BOOST_DESCRIBE_ENUM(Status, placed, paid, shipped)

struct Geo {
    double lat = 0;
    double lon = 0;
};
BOOST_DESCRIBE_STRUCT(Geo, (), (lat, lon))

struct Address {
    std::string city;
    std::string zip;
    Geo geo;
};
BOOST_DESCRIBE_STRUCT(Address, (), (city, zip, geo))

struct Line {
    std::string sku;
    int qty = 0;
};
BOOST_DESCRIBE_STRUCT(Line, (), (sku, qty))

struct Order {
    std::string pk;                              // S
    dy::Timestamp sk;                            // S, ISO 8601
    std::int64_t count = 0;                      // N
    dy::Decimal zero;                            // N
    dy::Decimal big;                             // N, 38 digits
    dy::Decimal price;                           // N
    dy::Decimal tiny;                            // N, 1E-130
    dy::Decimal huge;                            // N, -9.99...E+125
    double ratio = 0;                            // N
    dy::Bytes data;                              // B
    bool active = false;                         // BOOL
    std::optional<std::string> note;             // NULL
    Status status{};                             // S, enumerator
    boost::uuids::uuid customer_id{};            // S, UUID
    sys_time<milliseconds> created;              // S, with an offset
    year_month_day due;                          // S, date
    Address address;                             // M, nested struct
    std::map<std::string, dy::Decimal> prices;   // M, map
    std::vector<Line> lines;                     // L of M
    std::list<std::string> history;              // L of S
    std::set<std::string> tags;                  // SS
    std::set<dy::Decimal> amounts;               // NS
    std::set<dy::Bytes> blobs;                   // BS
};
BOOST_DESCRIBE_STRUCT(Order, (),
                      (pk, sk, count, zero, big, price, tiny, huge, ratio, data, active, note, status, customer_id,
                       created, due, address, prices, lines, history, tags, amounts, blobs))

}  // namespace sdkitems

using sdkitems::Order;

namespace {

json::object item_of(std::string_view file) {
    json::value v = json::parse(dy::test::read_data_file(file));
    auto& obj = v.as_object();
    if (auto* inner = obj.if_contains("Item")) return inner->as_object();  // a GetItem response
    return obj;
}

void expect_order(const Order& o) {
    EXPECT_EQ(o.pk, "order#0001");
    EXPECT_EQ(o.sk, dy::Timestamp{sys_days{2024y / May / 1} + 12h + 34min + 56s + 123456us});
    EXPECT_EQ(o.count, 100);
    EXPECT_EQ(o.zero, dy::Decimal(0));
    EXPECT_EQ(o.big, dy::Decimal("12345678901234567890123456789012345678"));
    EXPECT_EQ(o.price, dy::Decimal("10000.00"));
    EXPECT_EQ(o.tiny, dy::Decimal("1E-130"));
    EXPECT_EQ(o.huge, dy::Decimal("-9.9999999999999999999999999999999999999E+125"));
    EXPECT_EQ(o.ratio, 0.125);
    EXPECT_EQ(o.data, (dy::Bytes{std::byte{0xde}, std::byte{0xad}, std::byte{0xbe}, std::byte{0xef}}));
    EXPECT_TRUE(o.active);
    EXPECT_EQ(o.note, std::nullopt);
    EXPECT_EQ(o.status, sdkitems::Status::shipped);
    EXPECT_EQ(o.customer_id, boost::uuids::string_generator{}("123e4567-e89b-12d3-a456-426614174000"));
    EXPECT_EQ(o.created, sys_time<milliseconds>{sys_days{2024y / May / 1} + 12h + 34min + 56s + 123ms});
    EXPECT_EQ(o.due, 2024y / June / 30);
    EXPECT_EQ(o.address.city, "Oslo");
    EXPECT_EQ(o.address.zip, "0150");
    EXPECT_EQ(o.address.geo.lat, 59.91);
    EXPECT_EQ(o.address.geo.lon, 10.75);
    EXPECT_EQ(o.prices, (std::map<std::string, dy::Decimal>{{"eur", dy::Decimal("9.99")}, {"nok", dy::Decimal(119)}}));
    ASSERT_EQ(o.lines.size(), 2u);
    EXPECT_EQ(o.lines[0].sku, "A-1");
    EXPECT_EQ(o.lines[0].qty, 2);
    EXPECT_EQ(o.lines[1].sku, "B-2");
    EXPECT_EQ(o.lines[1].qty, 10);
    EXPECT_EQ(o.history, (std::list<std::string>{"created", "paid"}));
    EXPECT_EQ(o.tags, (std::set<std::string>{"express", "gift"}));
    EXPECT_EQ(o.amounts, (std::set<dy::Decimal>{dy::Decimal("1.5"), dy::Decimal(2), dy::Decimal(1000)}));
    EXPECT_EQ(o.blobs, (std::set<dy::Bytes>{dy::Bytes{std::byte{1}}, dy::Bytes{std::byte{2}, std::byte{3}}}));
}

}  // namespace

TEST(SdkItems, Boto3) { expect_order(dy::from_item<Order>(item_of("sdk_item_boto3.json"))); }

TEST(SdkItems, AsDynamoDBLocalReturnsThem) { expect_order(dy::from_item<Order>(item_of("sdk_item_dynamodb_local.json"))); }

TEST(SdkItems, JavaScriptSdk) { expect_order(dy::from_item<Order>(item_of("sdk_item_javascript.json"))); }

TEST(SdkItems, FromJsonText) {
    const std::string text = json::serialize(item_of("sdk_item_boto3.json"));
    expect_order(dy::from_item_json<Order>(text));
}

TEST(SdkItems, RoundTripThroughOurOwnEncoding) {
    const Order o = dy::from_item<Order>(item_of("sdk_item_boto3.json"));
    expect_order(dy::from_item<Order>(dy::to_item(o)));
    expect_order(dy::from_item_json<Order>(dy::to_item_json(o)));
}

TEST(SdkItems, TextWriterEqualsSerializedDom) {
    Order o = dy::from_item<Order>(item_of("sdk_item_boto3.json"));
    EXPECT_EQ(dy::to_item_json(o), json::serialize(dy::to_item(o)));
    // Every character JSON escapes, in strings, map keys and set elements.
    std::string nasty = "quote\" backslash\\ slash/ del\x7f é ✓";
    for (char c = 1; c < 0x20; ++c) nasty += c;
    o.pk = nasty;
    o.history = {nasty, ""};
    o.prices[nasty] = dy::Decimal("-0.5");
    o.tags.insert(nasty);
    o.note = "";
    o.address.zip.clear();
    EXPECT_EQ(dy::to_item_json(o), json::serialize(dy::to_item(o)));
}
