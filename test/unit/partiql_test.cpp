// PartiQL request shapes and error paths (mock transport): parameters of every wire type, the
// quoted and prefixed table name, NextToken paging, batch limits and answers that drop a
// statement, idempotency of writes, and the transaction's token and cancellation reasons.
// test/integration/partiql_test.cpp runs the statements against DynamoDB Local.
#include <dynantic/partiql.hpp>

#include <dynantic/codec/bytes.hpp>
#include <dynantic/codec/containers.hpp>
#include <dynantic/codec/decimal.hpp>
#include <dynantic/codec/sets.hpp>
#include <dynantic/testkit/mock_transport.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace dy = dynantic;
namespace dyt = dynantic::testkit;
namespace json = boost::json;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Return;

namespace pql {
struct Item {
    std::string id;
    std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, n))
constexpr auto dynantic_schema(const Item*) { return dy::table("items").partition_key(&Item::id); }
}  // namespace pql
using pql::Item;

TEST(PartiQL, ParametersOfEveryWireType) {
    const dy::Bytes bytes{std::byte{1}, std::byte{2}};
    const dy::Statement s = dy::statement(
        "SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ? AND e = ? AND f = ? AND g = ? AND h = ? AND i = ? "
        "AND j = ? AND k = ? AND l = ?",
        "text", std::int64_t{42}, 2.5, true, bytes, std::vector<std::int64_t>{1, 2},
        std::map<std::string, std::string>{{"k", "v"}}, std::set<std::string>{"x", "y"}, std::set<std::int64_t>{3},
        std::set<dy::Bytes>{bytes}, std::optional<int>{}, nullptr);
    EXPECT_EQ(json::value(s.parameters), json::parse(R"([
        {"S":"text"},{"N":"42"},{"N":"2.5"},{"BOOL":true},{"B":"AQI="},{"L":[{"N":"1"},{"N":"2"}]},
        {"M":{"k":{"S":"v"}}},{"SS":["x","y"]},{"NS":["3"]},{"BS":["AQI="]},{"NULL":true},{"NULL":true}])"));
}

TEST(PartiQL, UnstorableParametersAreRefusedBeforeSending) {
    try {
        (void)dy::statement("SELECT * FROM t WHERE a = ? AND b = ?", 1, std::nan(""));
        FAIL();
    } catch (const dy::ValidationError& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("parameter 2"));
    }
    EXPECT_THROW((void)dy::statement("SELECT * FROM t WHERE a = ?", std::set<std::string>{}), dy::ValidationError);
}

TEST(PartiQL, TableNameIsPrefixedAndQuoted) {
    auto transport = std::make_shared<dyt::MockTransport>();
    dy::ClientOptions options;
    options.table_prefix = "test-";
    const auto client = dyt::mock_client(transport, options);
    EXPECT_EQ(dy::partiql_table<Item>(client), "\"test-items\"");
    EXPECT_EQ(dy::detail::quote_identifier("a\"b"), "\"a\"\"b\"");
}

TEST(PartiQL, ExecuteStatementFollowsNextTokenLazily) {
    auto transport = std::make_shared<dyt::MockTransport>();
    std::vector<json::object> bodies;
    EXPECT_CALL(*transport, send(_, dyt::IsOperation("ExecuteStatement")))
        .WillOnce([&](const auto&, const auto& r) {
            bodies.push_back(dyt::body_of(r));
            return dyt::ok_response(R"({"Items":[{"id":{"S":"a"},"n":{"N":"1"}}],"NextToken":"t1"})");
        })
        .WillOnce([&](const auto&, const auto& r) {
            bodies.push_back(dyt::body_of(r));
            return dyt::ok_response(R"({"Items":[],"NextToken":"t2"})");   // an empty page, then more
        })
        .WillOnce([&](const auto&, const auto& r) {
            bodies.push_back(dyt::body_of(r));
            return dyt::ok_response(R"({"Items":[{"id":{"S":"b"},"n":{"N":"2"}}]})");
        });
    const auto client = dyt::mock_client(transport);
    auto q = dy::execute_statement<Item>(client, "SELECT * FROM \"items\" WHERE id IN [?, ?]", "a", "b").page_size(1).consistent_read();
    EXPECT_TRUE(bodies.empty());   // lazy
    std::vector<std::string> ids;
    for (const Item& i : q) ids.push_back(i.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(bodies.size(), 3u);
    EXPECT_EQ(bodies[0], json::parse(R"({"Statement":"SELECT * FROM \"items\" WHERE id IN [?, ?]",
        "Parameters":[{"S":"a"},{"S":"b"}],"ConsistentRead":true,"Limit":1})").as_object());
    EXPECT_EQ(bodies[1].at("NextToken"), "t1");
    EXPECT_EQ(bodies[2].at("NextToken"), "t2");
}

TEST(PartiQL, PageReturnsTheNextToken) {
    auto transport = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dyt::ok_response(R"({"Items":[{"id":{"S":"a"},"n":{"N":"1"}}],"NextToken":"t1"})")));
    const auto client = dyt::mock_client(transport);
    const auto page = dy::execute_statement<Item>(client, "SELECT * FROM \"items\"").page();
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.next_cursor, "t1");
}

TEST(PartiQL, RepeatedNextTokenIsAnError) {
    auto transport = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dyt::ok_response(R"({"Items":[],"NextToken":"same"})")))
        .WillOnce(Return(dyt::ok_response(R"({"Items":[],"NextToken":"same"})")));
    const auto client = dyt::mock_client(transport);
    try {
        (void)dy::execute_statement<Item>(client, "SELECT * FROM \"items\"").all();
        FAIL();
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::invalid_response);
        EXPECT_EQ(e.table(), "items");
        EXPECT_THAT(std::string(e.what()), HasSubstr("NextToken repeated"));
    }
}

TEST(PartiQL, WritesAreNotResentAfterAnUnknownOutcome) {
    auto transport = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(dyt::error_response(500, "InternalServerError", "boom")));
    const auto client = dyt::mock_client(transport);
    try {
        (void)dy::execute_statement<Item>(client, "UPDATE \"items\" SET n = n + 1 WHERE id = ?", "a").execute();
        FAIL();
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.operation(), "ExecuteStatement");
        EXPECT_EQ(e.table(), "items");   // named although the request has no TableName
        EXPECT_EQ(e.http_status(), 500u);
    }
    EXPECT_TRUE(dy::detail::is_select("  select * from t"));
    EXPECT_FALSE(dy::detail::is_select("SELECTED"));
    EXPECT_FALSE(dy::detail::is_select("UPDATE t SET a = 1"));
}

TEST(PartiQL, ConditionFailureKeepsItsClass) {
    auto transport = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dyt::error_response(400, "ConditionalCheckFailedException", "The conditional request failed")));
    const auto client = dyt::mock_client(transport);
    EXPECT_THROW((void)dy::execute_statement<Item>(client, "DELETE FROM \"items\" WHERE id = ? AND n = 3", "a").execute(),
                 dy::ConditionalCheckFailedError);
}

TEST(PartiQL, BatchReportsEveryStatementAndRefusesMoreThan25) {
    std::vector<dy::Statement> many(26, dy::statement("SELECT * FROM \"items\" WHERE id = ?", "a"));
    auto transport = std::make_shared<dyt::MockTransport>();
    const auto client = dyt::mock_client(transport);
    EXPECT_CALL(*transport, send(_, _)).Times(0);
    EXPECT_THROW((void)dy::batch_execute_statement<Item>(client, many), dy::ValidationError);
    EXPECT_TRUE(dy::batch_execute_statement<Item>(client, {}).empty());
}

TEST(PartiQL, BatchAnswerThatDropsAStatementIsAnError) {
    auto transport = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(dyt::ok_response(R"({"Responses":[{"TableName":"items"}]})")));
    const auto client = dyt::mock_client(transport);
    try {
        (void)dy::batch_execute_statement<Item>(client, {dy::statement("DELETE FROM \"items\" WHERE id = ?", "a"),
                                                         dy::statement("DELETE FROM \"items\" WHERE id = ?", "b")});
        FAIL();
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::invalid_response);
        EXPECT_THAT(std::string(e.what()), HasSubstr("1 responses for 2 statements"));
    }
}

TEST(PartiQL, BatchItemsErrorsAndUndecodableItems) {
    auto transport = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*transport, send(_, dyt::IsOperation("BatchExecuteStatement")))
        .WillOnce(Return(dyt::ok_response(R"({"Responses":[
            {"TableName":"items","Item":{"id":{"S":"a"},"n":{"N":"1"}}},
            {"TableName":"items","Error":{"Code":"ValidationError","Message":"bad statement"}},
            {"TableName":"items","Item":{"id":{"S":"c"},"n":{"S":"not a number"}}},
            {"TableName":"items"}]})")));
    const auto client = dyt::mock_client(transport);
    std::vector<dy::Statement> statements(4, dy::statement("SELECT * FROM \"items\" WHERE id = ?", "x"));
    const auto results = dy::batch_execute_statement<Item>(client, statements);
    ASSERT_EQ(results.size(), 4u);
    ASSERT_TRUE(results[0].item);
    EXPECT_EQ(results[0].item->n, 1);
    ASSERT_TRUE(results[1].failed());
    EXPECT_EQ(results[1].error->code, "ValidationError");
    EXPECT_EQ(results[1].error->message, "bad statement");
    ASSERT_TRUE(results[2].failed());
    EXPECT_EQ(results[2].error->code, "DecodeError");
    EXPECT_THAT(results[2].error->message, HasSubstr("attribute 'n'"));
    EXPECT_THAT(results[2].error->message, ::testing::Not(HasSubstr("not a number")));
    EXPECT_FALSE(results[3].failed());
    EXPECT_FALSE(results[3].item);
}

TEST(PartiQL, TransactionSendsATokenAndNamesTheFailingStatement) {
    auto transport = std::make_shared<dyt::MockTransport>();
    std::vector<json::object> bodies;
    EXPECT_CALL(*transport, send(_, dyt::IsOperation("ExecuteTransaction")))
        .WillOnce([&](const auto&, const auto& r) {
            bodies.push_back(dyt::body_of(r));
            dy::http::HttpResponse response;
            response.status = 400;
            response.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                "Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},
                {"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]})";
            return response;
        });
    const auto client = dyt::mock_client(transport);
    try {
        dy::execute_transaction(client, {dy::statement("INSERT INTO \"items\" VALUE {'id': ?, 'n': ?}", "a", 1),
                                         dy::statement("update \"items\" SET n = 2 WHERE id = ? AND n = 1", "b")},
                                {.client_request_token = "token-1"});
        FAIL();
    } catch (const dy::TransactionCanceledError& e) {
        EXPECT_EQ(e.failed_actions(), (std::vector<std::size_t>{1}));
        EXPECT_EQ(e.reasons()[1].operation, "UPDATE");
        EXPECT_THAT(std::string(e.what()), HasSubstr("action 1 (UPDATE) failed: ConditionalCheckFailed"));
    }
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(bodies[0].at("ClientRequestToken"), "token-1");
    EXPECT_EQ(bodies[0].at("TransactStatements").as_array().size(), 2u);
    EXPECT_EQ(bodies[0].at("TransactStatements").at(1).at("Parameters"), json::parse(R"([{"S":"b"}])"));
}
