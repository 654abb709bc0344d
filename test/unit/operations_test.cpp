// Operation values (operations/*.hpp): built without a client, rendered by pure functions, run
// by a Table (`execute`) and handed to transactions; the same request bytes as the Table members.
#include <dynantic/operations/check.hpp>
#include <dynantic/operations/delete.hpp>
#include <dynantic/operations/get.hpp>
#include <dynantic/operations/put.hpp>
#include <dynantic/operations/update.hpp>
#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include "support/recording_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dy = dynantic;
namespace op = dynantic::op;
namespace json = boost::json;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace opunit {
struct Account {
    std::string id;
    std::int64_t balance = 0;
    std::string owner;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, balance, owner, version))
constexpr auto dynantic_schema(const Account*) {
    return dy::table("accounts").partition_key(&Account::id).version(&Account::version);
}
struct Line {
    std::string order;
    std::string sku;
    int quantity = 0;
};
BOOST_DESCRIBE_STRUCT(Line, (), (order, sku, quantity))
constexpr auto dynantic_schema(const Line*) { return dy::table("lines").partition_key(&Line::order).sort_key(&Line::sku); }
}  // namespace opunit

using opunit::Account;
using opunit::Line;

namespace {

dy::ClientOptions prefixed() {
    dy::ClientOptions o;
    o.table_prefix = "t-";
    return o;
}

TEST(Operations, ValuesRenderWithoutAClient) {
    const Account a{"a1", 5, "ann", 3};
    // PutItem: the version condition and version + 1, after the caller's condition.
    const auto put = op::Put<Account>(a).when(dy::field(&Account::owner) == "ann").render("x-accounts");
    EXPECT_EQ(put.operation, "PutItem");
    EXPECT_EQ(put.body, json::parse(R"({"TableName":"x-accounts",
        "Item":{"id":{"S":"a1"},"balance":{"N":"5"},"owner":{"S":"ann"},"version":{"N":"4"}},
        "ConditionExpression":"#n0 = :v0 AND #n1 = :v1","ExpressionAttributeNames":{"#n0":"owner","#n1":"version"},
        "ExpressionAttributeValues":{":v0":{"S":"ann"},":v1":{"N":"3"}}})"));
    EXPECT_EQ(a.version, 3);   // rendering changes nothing

    const auto del = op::Delete<Line>({"o1", "s1"}).render("lines");
    EXPECT_EQ(del.operation, "DeleteItem");
    EXPECT_EQ(del.body, json::parse(R"({"TableName":"lines","Key":{"order":{"S":"o1"},"sku":{"S":"s1"}}})"));

    const auto get = op::Get<Line>({"o1", "s1"}).consistent_read().render("lines");
    EXPECT_EQ(get.body, json::parse(R"({"TableName":"lines","Key":{"order":{"S":"o1"},"sku":{"S":"s1"}},"ConsistentRead":true})"));

    const auto check = op::ConditionCheck<Account>("a2", dy::field(&Account::balance) >= 10).render("accounts");
    EXPECT_EQ(check.body.at("ConditionExpression"), "#n0 >= :v0");

    // A key-only update of a versioned model increments the version unchecked.
    const auto update = op::Update<Account>("a1").add(&Account::balance, 10).returning(dy::ReturnValues::all_new).render("accounts");
    EXPECT_EQ(update.operation, "UpdateItem");
    EXPECT_EQ(update.body, json::parse(R"({"TableName":"accounts","Key":{"id":{"S":"a1"}},
        "UpdateExpression":"SET #n0 = if_not_exists(#n0, :v0) + :v1 ADD #n1 :v2",
        "ExpressionAttributeNames":{"#n0":"version","#n1":"balance"},
        "ExpressionAttributeValues":{":v0":{"N":"0"},":v1":{"N":"1"},":v2":{"N":"10"}},"ReturnValues":"ALL_NEW"})"));
}

TEST(Operations, ValuesRenderExactlyWhatTheTableSends) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        if (r.operation == "GetItem") return dy::test::ok_response(R"({"Item":{"order":{"S":"o1"},"sku":{"S":"s1"},"quantity":{"N":"2"}}})");
        return dy::test::ok_response("{}");
    });
    const dy::Table<Line> lines(server.client(prefixed()));
    const Line l{"o1", "s1", 2};
    lines.save(l, dy::field(&Line::quantity) < 5);
    lines.remove("o1", "s1");
    lines.update("o1", "s1").set(&Line::quantity, 3).execute();
    const auto got = lines.get("o1", "s1");
    ASSERT_EQ(server.requests().size(), 4u);
    EXPECT_EQ(server.requests()[0].body, op::Put<Line>(l).when(dy::field(&Line::quantity) < 5).render("t-lines").body);
    EXPECT_EQ(server.requests()[1].body, op::Delete<Line>({"o1", "s1"}).render("t-lines").body);
    EXPECT_EQ(server.requests()[2].body, op::Update<Line>({"o1", "s1"}).set(&Line::quantity, 3).render("t-lines").body);
    EXPECT_EQ(server.requests()[3].body, op::Get<Line>({"o1", "s1"}).render("t-lines").body);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->quantity, 2);
}

TEST(Operations, TableExecutesAValueBuiltElsewhere) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        if (r.operation == "UpdateItem") return dy::test::ok_response(R"({"Attributes":{"order":{"S":"o1"},"sku":{"S":"s1"},"quantity":{"N":"9"}}})");
        if (r.operation == "GetItem") return dy::test::ok_response("{}");
        return dy::test::ok_response("{}");
    });
    const dy::Table<Line> lines(server.client());
    op::Update<Line> bump({"o1", "s1"});
    bump.add(&Line::quantity, 1).returning(dy::ReturnValues::all_new);
    const op::Update<Line> kept = bump;   // a value: copied and kept
    const dy::UpdateResult<Line> result = lines.execute(kept);
    ASSERT_TRUE(result.item.has_value());
    EXPECT_EQ(result.item->quantity, 9);
    EXPECT_FALSE(lines.execute(op::Get<Line>({"o1", "nope"})).has_value());
    lines.execute(op::Delete<Line>({"o1", "s1"}).when(dy::field(&Line::quantity) == 9));
    ASSERT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(server.requests()[0].operation, "UpdateItem");
    EXPECT_EQ(server.requests()[0].body.at("UpdateExpression"), "ADD #n0 :v0");
    EXPECT_EQ(server.requests()[2].operation, "DeleteItem");
    EXPECT_EQ(server.requests()[2].body.at("ConditionExpression"), "#n0 = :v0");
}

TEST(Operations, UpdatesAreHandedToATransactionWithoutReplay) {
    RecordingServer server([](auto&&, auto) { return dy::test::ok_response("{}"); });
    const auto client = server.client(prefixed());
    const dy::Table<Line> lines(client);
    auto builder = lines.update("o1", "s1");
    builder.set(&Line::quantity, 4);
    const op::Update<Line> value = op::Update<Line>({"o2", "s2"}).add(&Line::quantity, 1);
    const auto req = dy::transact_write_request(client, {builder, value, op::Delete<Line>({"o3", "s3"})},
                                                {.client_request_token = "tok"});
    EXPECT_EQ(req.body, json::parse(R"json({"TransactItems":[
        {"Update":{"TableName":"t-lines","Key":{"order":{"S":"o1"},"sku":{"S":"s1"}},"UpdateExpression":"SET #n0 = :v0",
                   "ExpressionAttributeNames":{"#n0":"quantity"},"ExpressionAttributeValues":{":v0":{"N":"4"}}}},
        {"Update":{"TableName":"t-lines","Key":{"order":{"S":"o2"},"sku":{"S":"s2"}},"UpdateExpression":"ADD #n0 :v0",
                   "ExpressionAttributeNames":{"#n0":"quantity"},"ExpressionAttributeValues":{":v0":{"N":"1"}}}},
        {"Delete":{"TableName":"t-lines","Key":{"order":{"S":"o3"},"sku":{"S":"s3"}}}}],
        "ClientRequestToken":"tok"})json"));
    EXPECT_TRUE(server.requests().empty());
}

TEST(Operations, AVersionedUpdateItemInATransactionBumpsTheItemOnCommit) {
    RecordingServer server([](auto&&, auto) { return dy::test::ok_response("{}"); });
    const auto client = server.client();
    const dy::Table<Account> accounts(client);
    Account a{"a1", 5, "ann", 7};
    dy::transact_write(client, {accounts.update_item(a).add(&Account::balance, 1)});
    ASSERT_EQ(server.requests().size(), 1u);
    const auto& update = server.requests()[0].body.at("TransactItems").as_array()[0].as_object().at("Update").as_object();
    // The version condition on the item's version 7, and SET version = 8 (values are numbered
    // after the update expression's).
    EXPECT_EQ(update.at("ConditionExpression"), "#n0 = :v2");
    EXPECT_EQ(update.at("ExpressionAttributeValues").at(":v2"), json::parse(R"({"N":"7"})"));
    EXPECT_EQ(update.at("ExpressionAttributeValues").at(":v0"), json::parse(R"({"N":"8"})"));
    EXPECT_EQ(a.version, 8);
}

TEST(Operations, KeyErrorsNameTheOperationAndTable) {
    try {
        (void)op::Get<Line>({"", "s"}).render("t-lines");
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.info().operation, "GetItem");
        EXPECT_EQ(e.info().table, "t-lines");
    }
    EXPECT_THROW((void)op::Update<Line>({"o", "s"}).set(&Line::sku, "x"), dy::ValidationError);   // a key attribute
}

}  // namespace
