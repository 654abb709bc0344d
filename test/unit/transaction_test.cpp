#include <dynantic/transaction.hpp>

#include "support/recording_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <stdexcept>

namespace dy = dynantic;
namespace json = boost::json;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace txunit {
struct User {
    std::string id;
    std::string name;
    int age = 0;
};
BOOST_DESCRIBE_STRUCT(User, (), (id, name, age))
constexpr auto dynantic_schema(const User*) { return dy::table("users").partition_key(&User::id); }

struct Order {
    std::string customer_id;
    std::string order_id;
    std::int64_t total_cents = 0;
};
BOOST_DESCRIBE_STRUCT(Order, (), (customer_id, order_id, total_cents))
constexpr auto dynantic_schema(const Order*) {
    return dy::table("orders").partition_key(&Order::customer_id).sort_key(&Order::order_id);
}

struct Account {
    std::string id;
    std::int64_t balance = 0;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, balance, version))
constexpr auto dynantic_schema(const Account*) {
    return dy::table("accounts").partition_key(&Account::id).version(&Account::version);
}
}  // namespace txunit

using txunit::Account;
using txunit::Order;
using txunit::User;

namespace {

dy::ClientOptions prefixed(std::string prefix) {
    dy::ClientOptions o;
    o.table_prefix = std::move(prefix);
    return o;
}
[[maybe_unused]] dy::ClientOptions no_client_retry() {
    dy::ClientOptions o;
    o.retry.max_attempts = 1;
    return o;
}

dy::http::HttpResponse ok(std::string_view body = "{}") { return dy::test::ok_response(std::string(body)); }

/** A TransactionCanceledException response with these reasons (JSON array text). */
dy::http::HttpResponse canceled(std::string_view reasons) {
    dy::http::HttpResponse r = dy::test::error_response(400, "TransactionCanceledException", "");
    r.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
             R"("message":"Transaction cancelled, please refer cancellation reasons for specific reasons",)"
             R"("CancellationReasons":)" +
             std::string(reasons) + "}";
    return r;
}

std::string token_of(const RecordedRequest& r) { return std::string(r.body.at("ClientRequestToken").as_string()); }

constexpr dy::TransactOptions fast{.max_attempts = 3, .base_delay = std::chrono::milliseconds(1),
                                   .max_delay = std::chrono::milliseconds(2)};

// Typed conditions stay checked per model through the free functions. A condition on another
// model is refused by a static assertion that states the fix (not by overload resolution), so
// that case is a compile-fail test: test/compile_fail/transaction_*_on_other_model.cpp.
template <class M>
concept checkable_with_user_age = requires { dy::check<M>("k", dy::field(&User::age) > 1); };
template <class M>
concept puttable_with_user_age = requires(const M& m) { dy::put(m).when(dy::field(&User::age) > 1); };
static_assert(checkable_with_user_age<User>);
static_assert(puttable_with_user_age<User>);

}  // namespace

TEST(Transaction, WriteRequestIsExact) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    const auto client = server.client(prefixed("t-"));
    const User alice{"u1", "Alice", 30};
    const auto req = dy::transact_write_request(
        client,
        {dy::put(alice).when(dy::field(&User::age) > 18),
         dy::remove<Order>("c1", "o1"),
         dy::check<User>("u2", dy::attr("name").exists()).return_item_on_condition_failure(),
         dy::update<User>("u3").add(&User::age, 1).when(dy::field(&User::name) == "Cy")},
        {.client_request_token = "token-1"});
    EXPECT_EQ(req.operation, "TransactWriteItems");
    EXPECT_EQ(req.body, json::parse(R"json({"TransactItems":[
        {"Put":{"TableName":"t-users","Item":{"id":{"S":"u1"},"name":{"S":"Alice"},"age":{"N":"30"}},
                "ConditionExpression":"#n0 > :v0","ExpressionAttributeNames":{"#n0":"age"},
                "ExpressionAttributeValues":{":v0":{"N":"18"}}}},
        {"Delete":{"TableName":"t-orders","Key":{"customer_id":{"S":"c1"},"order_id":{"S":"o1"}}}},
        {"ConditionCheck":{"TableName":"t-users","Key":{"id":{"S":"u2"}},"ConditionExpression":"attribute_exists(#n0)",
                           "ExpressionAttributeNames":{"#n0":"name"},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
        {"Update":{"TableName":"t-users","Key":{"id":{"S":"u3"}},"UpdateExpression":"ADD #n0 :v0",
                   "ConditionExpression":"#n1 = :v1","ExpressionAttributeNames":{"#n0":"age","#n1":"name"},
                   "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"S":"Cy"}}}}],
        "ClientRequestToken":"token-1"})json"));
    EXPECT_TRUE(server.requests().empty());  // a dry run
}

TEST(Transaction, GetRequestIsExactAndResultIsATypedTupleInOrder) {
    RecordingServer server([](auto&&, auto) {
        return ok(R"({"Responses":[{"Item":{"id":{"S":"u1"},"name":{"S":"Ann"},"age":{"N":"4"}}},{}]})");
    });
    const auto [user, order] = dy::transact_get(server.client(), dy::get<User>("u1"), dy::get<Order>("c1", "o9"));
    static_assert(std::is_same_v<decltype(user), const std::optional<User>>);
    static_assert(std::is_same_v<decltype(order), const std::optional<Order>>);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->name, "Ann");
    EXPECT_FALSE(order);
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].operation, "TransactGetItems");
    EXPECT_EQ(json::serialize(server.requests()[0].body),
              R"({"TransactItems":[{"Get":{"TableName":"users","Key":{"id":{"S":"u1"}}}},)"
              R"({"Get":{"TableName":"orders","Key":{"customer_id":{"S":"c1"},"order_id":{"S":"o9"}}}}]})");
}

TEST(Transaction, CancellationReasonsAreParsedAndNameTheFailingAction) {
    RecordingServer server([](auto&&, auto) {
        return canceled(R"([{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed",
                            "Item":{"id":{"S":"u2"},"name":{"S":"Bo"},"age":{"N":"3"}}}])");
    });
    try {
        dy::transact_write(server.client(), {dy::put(User{"u1", "A", 1}),
                                             dy::check<User>("u2", dy::field(&User::age) > 10).return_item_on_condition_failure()});
        FAIL() << "no error";
    } catch (const dy::TransactionCanceledError& e) {
        EXPECT_EQ(e.code(), dy::errc::transaction_canceled);
        ASSERT_EQ(e.reasons().size(), 2u);
        EXPECT_EQ(e.reasons()[0].code, "None");
        EXPECT_FALSE(e.reasons()[0].failed());
        EXPECT_EQ(e.reasons()[1].code, "ConditionalCheckFailed");
        EXPECT_EQ(e.reasons()[1].message, "The conditional request failed");
        EXPECT_EQ(e.reasons()[1].operation, "ConditionCheck");
        EXPECT_EQ(e.reasons()[1].table, "users");
        ASSERT_TRUE(e.reasons()[1].item);
        EXPECT_EQ(dy::from_item<User>(*e.reasons()[1].item).name, "Bo");
        EXPECT_EQ(e.failed_actions(), std::vector<std::size_t>{1});
        EXPECT_STREQ(e.what(),
                     "TransactWriteItems: TransactionCanceledException: action 1 (ConditionCheck on table 'users') "
                     "failed: ConditionalCheckFailed: The conditional request failed (HTTP 400, request id REQ-ERR)");
    }
    EXPECT_EQ(server.requests().size(), 1u);  // a failed condition is never retried
}

TEST(Transaction, ClientMapsCancellationWithoutKnowingTheActions) {
    RecordingServer server([](auto&&, auto) { return canceled(R"([{"Code":"ValidationError","Message":"bad"}])"); });
    try {
        server.client().call("TransactWriteItems", json::object{});
        FAIL() << "no error";
    } catch (const dy::TransactionCanceledError& e) {
        ASSERT_EQ(e.reasons().size(), 1u);
        EXPECT_EQ(e.reasons()[0].code, "ValidationError");
        EXPECT_TRUE(e.reasons()[0].operation.empty());
    }
}

TEST(Transaction, ConflictIsRetriedWithTheSameToken) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        if (i == 0) return canceled(R"([{"Code":"TransactionConflict","Message":"conflict"},{"Code":"None"}])");
        if (i == 1) return canceled(R"([{"Code":"ThrottlingError"},{"Code":"ProvisionedThroughputExceeded"}])");
        return ok();
    });
    dy::transact_write(server.client(), {dy::put(User{"u1", "A", 1}), dy::remove<User>("u2")}, fast);
    ASSERT_EQ(server.requests().size(), 3u);
    const std::string token = token_of(server.requests()[0]);
    EXPECT_EQ(token.size(), 36u);  // a UUID
    EXPECT_EQ(token_of(server.requests()[1]), token);
    EXPECT_EQ(token_of(server.requests()[2]), token);
    EXPECT_EQ(server.requests()[0].body, server.requests()[2].body);
}

TEST(Transaction, ClientRetriesResendTheSameToken) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        if (i == 0) return dy::test::error_response(500, "InternalServerError", "oops");
        return ok();
    });
    dy::transact_write(server.client(), {dy::remove<User>("u1")});
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(token_of(server.requests()[0]), token_of(server.requests()[1]));
}

TEST(Transaction, EachCallHasItsOwnToken) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    const auto client = server.client();
    dy::transact_write(client, {dy::remove<User>("u1")});
    dy::transact_write(client, {dy::remove<User>("u1")});
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_NE(token_of(server.requests()[0]), token_of(server.requests()[1]));
}

TEST(Transaction, OnlyThrottlingAndConflictCancellationsAreRetried) {
    // One reason per action, as DynamoDB sends them (another count is an invalid response).
    for (const char* reasons : {R"([{"Code":"ConditionalCheckFailed"}])", R"([{"Code":"ValidationError"}])",
                                R"([{"Code":"TransactionConflict"},{"Code":"ConditionalCheckFailed"}])",
                                R"([{"Code":"None"},{"Code":"None"}])"}) {
        RecordingServer server([&](auto&&, auto) { return canceled(reasons); });
        const bool two = std::string_view(reasons).find("},{") != std::string_view::npos;
        std::vector<dy::WriteAction> actions{dy::remove<User>("u1")};
        if (two) actions.push_back(dy::remove<User>("u2"));
        EXPECT_THROW(dy::transact_write(server.client(), actions, fast), dy::TransactionCanceledError);
        EXPECT_EQ(server.requests().size(), 1u) << reasons;
    }
    EXPECT_TRUE(dy::detail::retryable_cancellation({{"None"}, {"TransactionConflict"}, {"ThrottlingError"}}));
    EXPECT_FALSE(dy::detail::retryable_cancellation({{"None"}, {"ItemCollectionSizeLimitExceeded"}}));
}

TEST(Transaction, RetryableCancellationGivesUpAfterMaxAttempts) {
    RecordingServer server([](auto&&, auto) { return canceled(R"([{"Code":"TransactionConflict","Message":"busy"}])"); });
    try {
        dy::transact_write(server.client(), {dy::remove<User>("u1")}, fast);
        FAIL() << "no error";
    } catch (const dy::TransactionCanceledError& e) {
        EXPECT_NE(std::string(e.what()).find("action 0 (Delete on table 'users') failed: TransactionConflict: busy"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(server.requests().size(), 3u);
}

TEST(Transaction, TwoActionsOnOneItemAreRefusedBeforeSending) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    try {
        dy::transact_write(server.client(), {dy::put(User{"u1", "A", 1}), dy::remove<Order>("c1", "o1"),
                                             dy::update<User>("u1").add(&User::age, 1)});
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(),
                  R"(action 0 (Put on table 'users') and action 2 (Update on table 'users') target the same item )"
                  "<sha256:03ae5f930daf>: a transaction may act on an item once");
        // The key is shown as the logs show it (a hash prefix of its JSON), never as its value.
        EXPECT_EQ(std::string(e.what()).find("u1"), std::string::npos);
        EXPECT_NE(e.message().find(dy::redacted(R"({"id":{"S":"u1"}})")), std::string_view::npos);
    }
    // Same key in two tables is fine.
    dy::transact_write(server.client(), {dy::remove<User>("k"), dy::remove<Account>("k")});
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST(Transaction, HundredAndOneActionsAreRefusedBeforeSending) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    std::vector<dy::WriteAction> actions;
    for (int i = 0; i < 100; ++i) actions.emplace_back(dy::remove<User>("u" + std::to_string(i)));
    dy::transact_write(server.client(), actions);
    EXPECT_EQ(server.requests().size(), 1u);
    actions.emplace_back(dy::remove<User>("u100"));
    try {
        dy::transact_write(server.client(), actions);
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(), "a transaction holds at most 100 actions, not 101");
    }
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST(Transaction, RequestsOverFourMegabytesAreRefused) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    std::vector<dy::WriteAction> actions;
    for (int i = 0; i < 11; ++i) actions.emplace_back(dy::put(User{"u" + std::to_string(i), std::string(390'000, 'x'), 0}));
    EXPECT_THROW(dy::transact_write(server.client(), actions), dy::ValidationError);
    EXPECT_TRUE(server.requests().empty());
}

TEST(Transaction, VersionedPutChecksTheVersionAndBumpsItAfterCommit) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        if (i == 0) return ok();
        return canceled(R"([{"Code":"ConditionalCheckFailed"}])");
    });
    Account a{"a1", 10, 3};
    dy::transact_write(server.client(), {dy::put(a)});
    EXPECT_EQ(a.version, 4);
    const auto& put = server.requests()[0].body.at("TransactItems").at(0).at("Put");
    EXPECT_EQ(put.at("Item").at("version"), json::parse(R"({"N":"4"})"));
    EXPECT_EQ(put.at("ConditionExpression"), "#n0 = :v0");
    EXPECT_EQ(put.at("ExpressionAttributeValues"), json::parse(R"({":v0":{"N":"3"}})"));
    EXPECT_THROW(dy::transact_write(server.client(), {dy::put(a)}), dy::TransactionCanceledError);
    EXPECT_EQ(a.version, 4);  // unchanged by a cancelled transaction
}

TEST(Transaction, TransactSavePutsEveryItem) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    Account a{"a1", 10, 0};
    const User u{"u1", "A", 1};
    dy::transact_save(server.client(), a, u);
    ASSERT_EQ(server.requests().size(), 1u);
    const auto& items = server.requests()[0].body.at("TransactItems").as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("Put").at("TableName"), "accounts");
    EXPECT_EQ(items[1].at("Put").at("TableName"), "users");
    EXPECT_EQ(a.version, 1);
}

TEST(Transaction, DefaultClientOverloadsUseTheCurrentClient) {
    RecordingServer server([](auto&&, auto) { return ok(R"({"Responses":[{}]})"); });
    auto guard = dy::use_client(server.client(prefixed("cur-")));
    dy::transact_write({dy::remove<User>("u1")});
    const auto [u] = dy::transact_get(dy::get<User>("u1"));
    EXPECT_FALSE(u);
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.requests()[0].body.at("TransactItems").at(0).at("Delete").at("TableName"), "cur-users");
}

TEST(ScopedTransaction, CommitsOnceWhenAsked) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    {
        auto tx = dy::transaction(server.client());
        tx.put(User{"u1", "A", 1});
        tx.remove<Order>("c1", "o1");
        tx.check<User>("u2", dy::field(&User::age) >= 18);
        tx.add(dy::update<User>("u3").set(&User::name, "C"));
        EXPECT_EQ(tx.size(), 4u);
        EXPECT_TRUE(server.requests().empty());
        tx.commit();
        EXPECT_TRUE(tx.committed());
        EXPECT_THROW(tx.commit(), dy::ValidationError);
        EXPECT_THROW(tx.put(User{"u4", "D", 1}), dy::ValidationError);
    }
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].body.at("TransactItems").as_array().size(), 4u);
}

TEST(ScopedTransaction, NothingIsCommittedWhenTheScopeExitsByException) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    try {
        auto tx = dy::transaction(server.client());
        tx.put(User{"u1", "A", 1});
        throw std::runtime_error("abandon");
        tx.commit();
    } catch (const std::runtime_error&) {
    }
    {
        auto tx = dy::transaction(server.client());
        tx.put(User{"u1", "A", 1});
        // left without commit(): discarded, as documented
    }
    EXPECT_TRUE(server.requests().empty());
}

TEST(ScopedTransaction, CommitAgainAfterAFailureReusesTheToken) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        if (i < 3) return dy::test::error_response(503, "ServiceUnavailable", "down");  // the client tries 3 times
        return ok();
    });
    auto tx = dy::transaction(server.client());
    tx.add(dy::update<User>("u1").add(&User::age, 1));
    EXPECT_THROW(tx.commit(), dy::Error);
    tx.commit();
    ASSERT_EQ(server.requests().size(), 4u);
    EXPECT_EQ(token_of(server.requests()[0]), token_of(server.requests()[3]));
}
