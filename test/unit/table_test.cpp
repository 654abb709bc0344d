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
using ::testing::Return;

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
    const auto req = orders.create_request({"c1", "o1", 0});
    EXPECT_EQ(req.body.at("ConditionExpression"), "attribute_not_exists(#n0)");
    EXPECT_EQ(req.body.at("ExpressionAttributeNames"), json::parse(R"({"#n0":"customer_id"})"));
    EXPECT_FALSE(req.body.contains("ExpressionAttributeValues"));  // never sent empty
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

TEST(Table, GetDecodesItemsLargerThanItsStackArena) {
    // get() parses the response into an arena that starts on the stack (4 KB) and grows on the
    // heap: a 100 KB response must decode as well, with every string intact.
    std::string big = R"({"Item":{"customer_id":{"S":"c1"},"order_id":{"S":")";
    big += std::string(1000, 'x');
    big += R"("},"total_cents":{"N":"7"},"ignored":{"L":[)";
    for (int i = 0; i < 5000; ++i) big += (i == 0 ? "" : ",") + std::string(R"({"S":"element"})");
    big += "]}}}";
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(dy::test::ok_response(big)));
    dy::Table<Order> orders(dy::test::mock_client(transport));
    const auto got = orders.get("c1", std::string(1000, 'x'));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->order_id, std::string(1000, 'x'));
    EXPECT_EQ(got->total_cents, 7);
}

TEST(Table, DefaultTableFollowsTheScopedClient) {
    dy::Table<Order> orders;  // no client bound
    auto guard = dy::use_client(offline_client("scoped-"));
    EXPECT_EQ(orders.name(), "scoped-orders");
}

namespace tableunit {
struct Doc {
    std::string id;
    std::string status;
    std::int64_t views = 0;
    std::optional<std::string> note;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (id, status, views, note, version))
constexpr auto dynantic_schema(const Doc*) { return dy::table("docs").partition_key(&Doc::id).version(&Doc::version); }
}  // namespace tableunit

using tableunit::Doc;

TEST(Table, ConditionalPutRendersConditionAndReturnValuesOnFailure) {
    dy::Table<Order> orders(offline_client());
    const auto req = orders.put_request({"c1", "o1", 5}, dy::field(&Order::total_cents) < 10,
                                        {.return_item_on_condition_failure = true});
    EXPECT_EQ(req.body.at("ConditionExpression"), "#n0 < :v0");
    EXPECT_EQ(req.body.at("ExpressionAttributeNames"), json::parse(R"({"#n0":"total_cents"})"));
    EXPECT_EQ(req.body.at("ExpressionAttributeValues"), json::parse(R"({":v0":{"N":"10"}})"));
    EXPECT_EQ(req.body.at("ReturnValuesOnConditionCheckFailure"), "ALL_OLD");
}

TEST(Table, VersionedPutOfNewItemRequiresAbsenceAndWritesVersionOne) {
    dy::Table<Doc> docs(offline_client());
    static_assert(dy::Table<Doc>::versioned);
    const auto req = docs.put_request({"d1", "new", 0, {}, 0});
    EXPECT_EQ(req.body.at("Item").at("version"), json::parse(R"({"N":"1"})"));
    EXPECT_EQ(req.body.at("ConditionExpression"), "attribute_not_exists(#n0)");
    EXPECT_EQ(req.body.at("ExpressionAttributeNames"), json::parse(R"({"#n0":"version"})"));
}

TEST(Table, VersionedPutOfExistingItemChecksCurrentVersion) {
    dy::Table<Doc> docs(offline_client());
    const auto req = docs.put_request({"d1", "x", 0, {}, 4}, dy::field(&Doc::status) == "x");
    EXPECT_EQ(req.body.at("Item").at("version"), json::parse(R"({"N":"5"})"));
    EXPECT_EQ(req.body.at("ConditionExpression"), "#n0 = :v0 AND #n1 = :v1");
    EXPECT_EQ(req.body.at("ExpressionAttributeValues"), json::parse(R"({":v0":{"S":"x"},":v1":{"N":"4"}})"));
    const auto unchecked = docs.put_request({"d1", "x", 0, {}, 4}, {.check_version = false});
    EXPECT_FALSE(unchecked.body.contains("ConditionExpression"));
    EXPECT_EQ(unchecked.body.at("Item").at("version"), json::parse(R"({"N":"5"})"));
}

TEST(Table, SaveSendsWhatPutRequestBuildsEvenBeyondItsStackArena) {
    // save() builds the request in an arena (4 KB on the stack, then the heap); the body sent
    // must equal put_request's (default storage), for a small item and one of 50 KB.
    for (const std::size_t note_size : {std::size_t{10}, std::size_t{50'000}}) {
        const Doc doc{"d1", "draft", 3, std::string(note_size, 'n'), 7};
        std::string sent;
        auto transport = std::make_shared<dy::test::MockTransport>();
        EXPECT_CALL(*transport, send(_, _)).WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) {
            sent = r.body;
            return dy::test::ok_response("{}");
        }));
        dy::Table<Doc> docs(dy::test::mock_client(transport));
        Doc copy = doc;
        docs.save(copy, dy::field(&Doc::status) == "draft");
        EXPECT_EQ(json::parse(sent), docs.put_request(doc, dy::field(&Doc::status) == "draft").body) << note_size;
        EXPECT_EQ(copy.version, 8);
    }
}

TEST(Table, VersionIsBumpedInMemoryOnlyAfterSuccess) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Invoke([](auto&&, auto&&) { return dy::test::ok_response("{}"); }))
        .WillOnce(Invoke([](auto&&, auto&&) {
            return dy::test::error_response(400, "ConditionalCheckFailedException", "The conditional request failed");
        }));
    dy::Table<Doc> docs(dy::test::mock_client(transport));
    Doc d{"d1", "x", 0, {}, 0};
    docs.save(d);
    EXPECT_EQ(d.version, 1);
    EXPECT_THROW(docs.save(d), dy::ConditionalCheckFailedError);
    EXPECT_EQ(d.version, 1);
}

TEST(Table, UpdateBuilderRendersEveryAction) {
    dy::Table<Doc> docs(offline_client());
    const auto req = docs.update("d1")
                         .set(&Doc::status, "open")
                         .set(dy::field(&Doc::views), dy::field(&Doc::views) + 1)
                         .remove(&Doc::note)
                         .when(dy::field(&Doc::status) != "closed")
                         .returning(dy::ReturnValues::all_new)
                         .to_request();
    EXPECT_EQ(req.operation, "UpdateItem");
    EXPECT_EQ(req.body.at("Key"), json::parse(R"({"id":{"S":"d1"}})"));
    // By key, a versioned model's version is incremented without a check.
    EXPECT_EQ(req.body.at("UpdateExpression"),
              "SET #n0 = :v0, #n1 = #n1 + :v1, #n2 = if_not_exists(#n2, :v2) + :v3 REMOVE #n3");
    EXPECT_EQ(req.body.at("ConditionExpression"), "#n0 <> :v4");
    EXPECT_EQ(req.body.at("ReturnValues"), "ALL_NEW");
    EXPECT_EQ(req.body.at("ExpressionAttributeNames"),
              json::parse(R"({"#n0":"status","#n1":"views","#n2":"version","#n3":"note"})"));
}

TEST(Table, UpdateOfItemChecksItsVersion) {
    dy::Table<Doc> docs(offline_client());
    Doc d{"d1", "x", 0, {}, 7};
    const auto req = docs.update_item(d).add(&Doc::views, 2).to_request();
    EXPECT_EQ(req.body.at("UpdateExpression"), "SET #n0 = :v0 ADD #n1 :v1");
    EXPECT_EQ(req.body.at("ConditionExpression"), "#n0 = :v2");
    EXPECT_EQ(req.body.at("ExpressionAttributeValues"),
              json::parse(R"({":v0":{"N":"8"},":v1":{"N":"2"},":v2":{"N":"7"}})"));
}

TEST(Table, UpdateRefusesKeysOverlapsAndEmptyUpdates) {
    dy::Table<Order> orders(offline_client());
    EXPECT_THROW(orders.update("c1", "o1").set(&Order::order_id, "o2"), dy::ValidationError);
    EXPECT_THROW(orders.update("c1", "o1").to_request(), dy::ValidationError);
    EXPECT_THROW(orders.update("c1", "o1").set(&Order::total_cents, 1).remove(&Order::total_cents).to_request(),
                 dy::ValidationError);
}

TEST(Table, RemoveItemOfVersionedModelChecksVersion) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    dy::http::HttpRequest seen;
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) {
        seen = r;
        return dy::test::ok_response("{}");
    }));
    dy::Table<Doc> docs(dy::test::mock_client(transport));
    docs.remove_item({"d1", "x", 0, {}, 3});
    const auto body = json::parse(seen.body).as_object();
    EXPECT_EQ(body.at("ConditionExpression"), "#n0 = :v0");
    EXPECT_EQ(body.at("ExpressionAttributeValues"), json::parse(R"({":v0":{"N":"3"}})"));
}
