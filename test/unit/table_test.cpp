#include <dynantic/table.hpp>

#include "support/mock_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;
using ::testing::_;
using ::testing::Invoke;

namespace tableunit {
struct Order {
    std::string customer_id;
    std::string order_id;
    std::int64_t total_cents = 0;
};
BOOST_DESCRIBE_STRUCT(Order, (), (customer_id, order_id, total_cents))
constexpr auto dynantic_schema(const Order*) {
    return dy::table("orders").partition_key(&Order::customer_id).sort_key(&Order::order_id);
}

struct Counter {
    std::uint32_t id = 0;
    int hits = 0;
};
BOOST_DESCRIBE_STRUCT(Counter, (), (id, hits))
}  // namespace tableunit

// A schema declared by specialization instead of the ADL hook.
template <>
struct dy::schema<tableunit::Counter> {
    static constexpr auto value = dy::table("counters").partition_key(&tableunit::Counter::id);
};

using tableunit::Counter;
using tableunit::Order;

namespace {
dy::Client offline_client(std::string prefix = {}) {
    dy::ClientOptions options;
    options.table_prefix = std::move(prefix);
    return dy::test::mock_client(std::make_shared<dy::test::MockTransport>(), options);
}
}  // namespace

TEST(Table, SchemaNamesKeysFromDescribe) {
    static_assert(dy::Table<Order>::table_schema().partition_key_name() == "customer_id");
    static_assert(dy::Table<Order>::table_schema().sort_key_name() == "order_id");
    static_assert(dy::Table<Order>::has_sort_key);
    static_assert(!dy::Table<Counter>::has_sort_key);
    static_assert(dy::Table<Counter>::table_schema().name == "counters");
    SUCCEED();
}

TEST(Table, PutRequestIsExact) {
    dy::Table<Order> orders(offline_client("dev-"));
    const auto req = orders.put_request({"c1", "o1", 1250});
    EXPECT_EQ(req.operation, "PutItem");
    EXPECT_EQ(json::serialize(req.body),
              R"({"TableName":"dev-orders","Item":{"customer_id":{"S":"c1"},"order_id":{"S":"o1"},"total_cents":{"N":"1250"}}})");
}

TEST(Table, CreateRequestAddsAttributeNotExistsOnPartitionKey) {
    dy::Table<Order> orders(offline_client());
    const auto req = orders.put_request({"c1", "o1", 0}, true);
    EXPECT_EQ(req.body.at("ConditionExpression"), "attribute_not_exists(#pk)");
    EXPECT_EQ(req.body.at("ExpressionAttributeNames"), json::parse(R"({"#pk":"customer_id"})"));
}

TEST(Table, GetAndRemoveRequestsCarryTheKey) {
    dy::Table<Counter> counters(offline_client());
    const auto get = counters.get_request(counters.key(7), {.consistent_read = true});
    EXPECT_EQ(get.operation, "GetItem");
    EXPECT_EQ(json::serialize(get.body), R"({"TableName":"counters","Key":{"id":{"N":"7"}},"ConsistentRead":true})");
    const auto del = counters.remove_request(counters.key_of({9, 1}));
    EXPECT_EQ(json::serialize(del.body), R"({"TableName":"counters","Key":{"id":{"N":"9"}}})");
}

TEST(Table, CreateTableRequestFromSchema) {
    dy::Table<Order> orders(offline_client());
    EXPECT_EQ(orders.create_table_request().body,
              json::parse(R"({"TableName":"orders",
                  "AttributeDefinitions":[{"AttributeName":"customer_id","AttributeType":"S"},
                                          {"AttributeName":"order_id","AttributeType":"S"}],
                  "KeySchema":[{"AttributeName":"customer_id","KeyType":"HASH"},
                               {"AttributeName":"order_id","KeyType":"RANGE"}],
                  "BillingMode":"PAY_PER_REQUEST"})"));
    dy::Table<Counter> counters(offline_client());
    EXPECT_EQ(counters.create_table_request().body.at("AttributeDefinitions"),
              json::parse(R"([{"AttributeName":"id","AttributeType":"N"}])"));
}

TEST(Table, EmptyKeyValuesAreRefusedBeforeSending) {
    dy::Table<Order> orders(offline_client());
    EXPECT_THROW(orders.put_request({"", "o1", 0}), dy::ValidationError);
    EXPECT_THROW(orders.put_request({"c1", "", 0}), dy::ValidationError);
    try {
        (void)orders.key("c1", "");
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(), "key attribute 'order_id' must not be empty");
        EXPECT_EQ(e.table(), "orders");
    }
}

TEST(Table, GetDecodesTheItemOrNullopt) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Invoke([](auto&&, auto&&) {
            return dy::test::ok_response(R"({"Item":{"customer_id":{"S":"c1"},"order_id":{"S":"o1"},"total_cents":{"N":"5"}}})");
        }))
        .WillOnce(Invoke([](auto&&, auto&&) { return dy::test::ok_response("{}"); }));
    dy::Table<Order> orders(dy::test::mock_client(transport));
    const auto got = orders.get("c1", "o1");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->total_cents, 5);
    EXPECT_EQ(orders.get("c1", "o2"), std::nullopt);
}

TEST(Table, DefaultTableFollowsTheScopedClient) {
    dy::Table<Order> orders;  // no client bound
    auto guard = dy::use_client(offline_client("scoped-"));
    EXPECT_EQ(orders.name(), "scoped-orders");
}
