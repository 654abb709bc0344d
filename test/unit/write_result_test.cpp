#include <dynantic/write_result.hpp>

#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include "support/recording_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace writeresult {
struct User {
    std::string id;
    std::string name;
    int age = 0;
    bool operator==(const User&) const = default;
};
BOOST_DESCRIBE_STRUCT(User, (), (id, name, age))
constexpr auto dynantic_schema(const User*) { return dy::table("users").partition_key(&User::id); }

struct Doc {
    std::string id;
    std::string status;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (id, status, version))
constexpr auto dynantic_schema(const Doc*) { return dy::table("docs").partition_key(&Doc::id).version(&Doc::version); }
}  // namespace writeresult

using writeresult::Doc;
using writeresult::User;

namespace {

dy::http::HttpResponse ok(const json::object& body) { return dy::test::ok_response(json::serialize(body)); }
dy::http::HttpResponse ok(std::string_view body = "{}") { return dy::test::ok_response(std::string(body)); }

/** A ConditionalCheckFailedException carrying `item` when not empty. */
dy::http::HttpResponse condition_failed(std::string_view item = {}) {
    dy::http::HttpResponse r;
    r.status = 400;
    std::string body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
                       R"("message":"The conditional request failed")";
    if (!item.empty()) body += R"(,"Item":)" + std::string(item);
    body += '}';
    r.body = std::move(body);
    return r;
}

constexpr std::string_view old_user = R"({"id":{"S":"u1"},"name":{"S":"old"},"age":{"N":"7"}})";

/** A ConsumedCapacity entry of `units` for `table`, INDEXES style. */
json::object capacity_entry(std::string_view table, double units, double gsi_units = 0) {
    json::object e;
    e["TableName"] = table;
    e["CapacityUnits"] = units;
    e["Table"].emplace_object()["CapacityUnits"] = units - gsi_units;
    if (gsi_units > 0) e["GlobalSecondaryIndexes"].emplace_object()["ByName"].emplace_object()["CapacityUnits"] = gsi_units;
    return e;
}

constexpr dy::BatchOptions fast{.max_attempts = 4, .base_delay = std::chrono::milliseconds(1),
                                .max_delay = std::chrono::milliseconds(2)};

}  // namespace

// ----- request shapes -----

TEST(WriteResult, SaveAsksForOldItemAndCapacityOnlyWhenAsked) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    users.save({"u1", "a", 1});
    users.save({"u1", "a", 1}, {.return_old_item = true, .return_consumed_capacity = dy::ReturnConsumedCapacity::indexes});
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_FALSE(server.requests()[0].body.contains("ReturnValues"));
    EXPECT_FALSE(server.requests()[0].body.contains("ReturnConsumedCapacity"));
    EXPECT_EQ(server.requests()[1].body.at("ReturnValues"), "ALL_OLD");
    EXPECT_EQ(server.requests()[1].body.at("ReturnConsumedCapacity"), "INDEXES");
}

TEST(WriteResult, RemoveAndOperationValuesRenderReturnValues) {
    dy::Table<User> users(dy::test::mock_client(std::make_shared<dy::test::MockTransport>()));
    const auto del = dy::op::Delete<User>("u1").return_old_item().return_consumed_capacity().render("users");
    EXPECT_EQ(del.body.at("ReturnValues"), "ALL_OLD");
    EXPECT_EQ(del.body.at("ReturnConsumedCapacity"), "TOTAL");
    const User u{"u1", "a", 1};
    const auto put = dy::op::Put<User>(u).return_old_item().render("users");
    EXPECT_EQ(put.body.at("ReturnValues"), "ALL_OLD");
    EXPECT_FALSE(put.body.contains("ReturnConsumedCapacity"));
    const auto get = dy::op::Get<User>("u1").return_consumed_capacity(dy::ReturnConsumedCapacity::indexes).render("users");
    EXPECT_EQ(get.body.at("ReturnConsumedCapacity"), "INDEXES");
    const auto upd = users.update("u1").set(&User::age, 3).return_consumed_capacity().to_request();
    EXPECT_EQ(upd.body.at("ReturnConsumedCapacity"), "TOTAL");
    const auto rm = users.remove_request(users.key("u1"), nullptr, {.return_old_item = true});
    EXPECT_EQ(rm.body.at("ReturnValues"), "ALL_OLD");
}

TEST(WriteResult, TryFormsAskForTheCurrentItemOnlyWhenAsked) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    (void)users.try_create({"u1", "a", 1});
    (void)users.try_create({"u1", "a", 1}, {.return_item_on_condition_failure = true});
    (void)users.try_remove("u1", dy::field(&User::age) == 1, {.return_item_on_condition_failure = true});
    ASSERT_EQ(server.requests().size(), 3u);
    EXPECT_FALSE(server.requests()[0].body.contains("ReturnValuesOnConditionCheckFailure"));
    EXPECT_EQ(server.requests()[1].body.at("ReturnValuesOnConditionCheckFailure"), "ALL_OLD");
    EXPECT_EQ(server.requests()[2].body.at("ReturnValuesOnConditionCheckFailure"), "ALL_OLD");
    EXPECT_EQ(server.requests()[2].operation, "DeleteItem");
}

TEST(WriteResult, TransactionsDropPerItemReturnValuesAndAskForTheirOwnCapacity) {
    const dy::Client client = dy::test::mock_client(std::make_shared<dy::test::MockTransport>());
    const User u{"u1", "a", 1};
    const auto r = dy::transact_write_request(
        client, {dy::WriteAction(dy::op::Put<User>(u).return_old_item().return_consumed_capacity())},
        {.return_consumed_capacity = dy::ReturnConsumedCapacity::total});
    EXPECT_EQ(r.body.at("ReturnConsumedCapacity"), "TOTAL");
    const auto& put = r.body.at("TransactItems").as_array().at(0).at("Put").as_object();
    EXPECT_FALSE(put.contains("ReturnValues"));
    EXPECT_FALSE(put.contains("ReturnConsumedCapacity"));
}

// ----- decoding -----

TEST(WriteResult, SaveDecodesTheOldItemAndThePerIndexCapacity) {
    RecordingServer server([](auto&&, auto) {
        json::object body;
        body["Attributes"] = json::parse(old_user);
        body["ConsumedCapacity"] = capacity_entry("users", 3, 1);
        return ok(body);
    });
    dy::Table<User> users(server.client());
    const dy::WriteResult<User> r =
        users.save({"u1", "new", 8}, {.return_old_item = true, .return_consumed_capacity = dy::ReturnConsumedCapacity::indexes});
    ASSERT_TRUE(r.old_item);
    EXPECT_EQ(*r.old_item, (User{"u1", "old", 7}));
    ASSERT_TRUE(r.capacity);
    EXPECT_DOUBLE_EQ(r.capacity->capacity_units, 3);
    const auto& t = r.capacity->tables.at("users");
    EXPECT_DOUBLE_EQ(t.capacity_units, 3);
    EXPECT_DOUBLE_EQ(t.table.capacity_units, 2);
    EXPECT_DOUBLE_EQ(t.global_secondary_indexes.at("ByName").capacity_units, 1);
}

TEST(WriteResult, NoOldItemAndNoCapacityWhenTheResponseHasNone) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    const auto r = users.remove("u1", {.return_old_item = true});
    EXPECT_FALSE(r.old_item);
    EXPECT_FALSE(r.capacity);
}

TEST(WriteResult, AnOldItemThatDoesNotFitSaysTheWriteWasApplied) {
    RecordingServer server([](auto&&, auto) { return ok(R"({"Attributes":{"id":{"S":"u1"},"age":{"S":"x"}}})"); });
    dy::Table<User> users(server.client());
    try {
        users.remove("u1", {.return_old_item = true});
        FAIL() << "expected DecodeError";
    } catch (const dy::DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find("the write was applied"), std::string::npos) << e.what();
    }
}

TEST(WriteResult, VersionedSaveBumpsTheVersionAndReturnsTheOldItem) {
    RecordingServer server([](auto&&, auto) { return ok(R"({"Attributes":{"id":{"S":"d1"},"status":{"S":"s"},"version":{"N":"1"}}})"); });
    dy::Table<Doc> docs(server.client());
    Doc d{"d1", "t", 1};
    const auto r = docs.save(d, {.return_old_item = true});
    EXPECT_EQ(d.version, 2);
    ASSERT_TRUE(r.old_item);
    EXPECT_EQ(r.old_item->status, "s");
}

TEST(WriteResult, MalformedCapacityIsSkippedNotThrown) {
    RecordingServer server([](auto&&, auto) {
        return ok(R"({"ConsumedCapacity":[{"TableName":"users","CapacityUnits":"x"},{"TableName":"users","CapacityUnits":1}]})");
    });
    dy::Table<User> users(server.client());
    const auto r = users.save({"u1", "a", 1}, {.return_consumed_capacity = dy::ReturnConsumedCapacity::total});
    ASSERT_TRUE(r.capacity);
    EXPECT_DOUBLE_EQ(r.capacity->capacity_units, 1);
}

// ----- non-throwing forms -----

TEST(WriteResult, TryCreateReportsBothOutcomes) {
    RecordingServer server([](auto&&, std::size_t i) { return i == 0 ? ok() : condition_failed(old_user); });
    dy::Table<User> users(server.client());
    const auto created = users.try_create({"u1", "a", 1});
    EXPECT_TRUE(created.applied);
    EXPECT_TRUE(static_cast<bool>(created));
    const auto exists = users.try_create({"u1", "a", 1}, {.return_item_on_condition_failure = true});
    EXPECT_FALSE(exists.applied);
    ASSERT_TRUE(exists.current_item);
    EXPECT_EQ(*exists.current_item, (User{"u1", "old", 7}));
}

TEST(WriteResult, TryRemoveWithoutTheItemAskedHasNoCurrentItem) {
    RecordingServer server([](auto&&, auto) { return condition_failed(); });
    dy::Table<User> users(server.client());
    const auto r = users.try_remove("u1", dy::field(&User::age) == 1);
    EXPECT_FALSE(r.applied);
    EXPECT_FALSE(r.current_item);
}

TEST(WriteResult, TrySaveOfAVersionedItemKeepsTheVersionWhenNotApplied) {
    RecordingServer server([](auto&&, std::size_t i) {
        return i == 0 ? condition_failed(R"({"id":{"S":"d1"},"status":{"S":"other"},"version":{"N":"5"}})") : ok();
    });
    dy::Table<Doc> docs(server.client());
    Doc d{"d1", "t", 1};
    const auto lost = docs.try_save(d, {.return_item_on_condition_failure = true});
    EXPECT_FALSE(lost);
    EXPECT_EQ(d.version, 1);
    ASSERT_TRUE(lost.current_item);
    EXPECT_EQ(lost.current_item->version, 5);
    const auto won = docs.try_save(d);
    EXPECT_TRUE(won);
    EXPECT_EQ(d.version, 2);
}

TEST(WriteResult, TryFormsStillThrowOtherFailures) {
    RecordingServer server([](auto&&, auto) { return dy::test::error_response(400, "ValidationException", "bad"); });
    dy::Table<User> users(server.client());
    EXPECT_THROW((void)users.try_create({"u1", "a", 1}), dy::ValidationError);
    EXPECT_THROW((void)users.update("u1").set(&User::age, 1).when(dy::field(&User::age) == 0).try_execute(),
                 dy::ValidationError);
}

TEST(WriteResult, UpdateTryExecuteReportsBothOutcomesAndCapacity) {
    RecordingServer server([](auto&&, std::size_t i) {
        if (i == 0) return condition_failed(old_user);
        json::object body;
        body["ConsumedCapacity"] = capacity_entry("users", 1);
        return ok(body);
    });
    dy::Table<User> users(server.client());
    const auto failed = users.update("u1").set(&User::age, 9).when(dy::field(&User::age) == 1)
                            .return_item_on_condition_failure().try_execute();
    EXPECT_FALSE(failed.applied);
    ASSERT_TRUE(failed.current_item);
    EXPECT_EQ(failed.current_item->name, "old");
    const auto done = users.update("u1").set(&User::age, 9).when(dy::field(&User::age) == 7)
                          .return_consumed_capacity().try_execute();
    EXPECT_TRUE(done.applied);
    ASSERT_TRUE(done.result.capacity);
    EXPECT_DOUBLE_EQ(done.result.capacity->capacity_units, 1);
}

// ----- summed capacity -----

TEST(WriteResult, BatchSaveSumsCapacityAcrossChunksAndRetries) {
    // 30 items: chunk 1 (25) leaves 2 unprocessed once; chunk 2 (5) is done at once: 3 requests.
    RecordingServer server([](const RecordedRequest& r, std::size_t i) {
        json::object body;
        const auto& list = r.body.at("RequestItems").at("users").as_array();
        if (i == 0) {
            json::array rest{list.at(0), list.at(1)};
            body["UnprocessedItems"].emplace_object()["users"] = std::move(rest);
        }
        body["ConsumedCapacity"] = json::array{capacity_entry("users", double(list.size()))};
        return ok(body);
    });
    dy::Table<User> users(server.client());
    std::vector<User> items;
    for (int i = 0; i < 30; ++i) items.push_back({"u" + std::to_string(i), "n", i});
    dy::ConsumedCapacity sum;
    dy::BatchOptions options = fast;
    options.return_consumed_capacity = dy::ReturnConsumedCapacity::indexes;
    options.consumed_capacity = &sum;
    users.batch_save(items, options);
    ASSERT_EQ(server.requests().size(), 3u);
    for (const auto& r : server.requests()) EXPECT_EQ(r.body.at("ReturnConsumedCapacity"), "INDEXES");
    EXPECT_DOUBLE_EQ(sum.capacity_units, 25 + 2 + 5);
    EXPECT_DOUBLE_EQ(sum.tables.at("users").table.capacity_units, 32);
}

TEST(WriteResult, BatchGetAndGetAddTheirCapacityToTheSink) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        json::object body;
        if (r.operation == "BatchGetItem") body["Responses"].emplace_object()["users"].emplace_array();
        body["ConsumedCapacity"] = r.operation == "GetItem" ? json::value(capacity_entry("users", 0.5))
                                                            : json::value(json::array{capacity_entry("users", 1)});
        return ok(body);
    });
    dy::Table<User> users(server.client());
    dy::ConsumedCapacity sum;
    (void)users.get("u1", {.return_consumed_capacity = dy::ReturnConsumedCapacity::total, .consumed_capacity = &sum});
    (void)users.batch_get(std::vector<std::string>{"u1", "u2"},
                          {.return_consumed_capacity = dy::ReturnConsumedCapacity::total, .consumed_capacity = &sum});
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.requests()[0].body.at("ReturnConsumedCapacity"), "TOTAL");
    EXPECT_EQ(server.requests()[1].body.at("ReturnConsumedCapacity"), "TOTAL");
    EXPECT_DOUBLE_EQ(sum.capacity_units, 1.5);
}

TEST(WriteResult, TransactionSumsCapacityOverItsRetries) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        if (i == 0) {
            dy::http::HttpResponse r;
            r.status = 400;
            r.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","message":"x",)"
                     R"("CancellationReasons":[{"Code":"TransactionConflict"}]})";
            return r;
        }
        json::object body;
        body["ConsumedCapacity"] = json::array{capacity_entry("users", 2)};
        return ok(body);
    });
    const dy::Client client = server.client();
    dy::ConsumedCapacity sum;
    const User u{"u1", "a", 1};
    dy::transact_write(client, {dy::put(u)},
                       {.base_delay = std::chrono::milliseconds(1), .max_delay = std::chrono::milliseconds(1),
                        .return_consumed_capacity = dy::ReturnConsumedCapacity::total, .consumed_capacity = &sum});
    EXPECT_EQ(server.requests().size(), 2u);
    EXPECT_DOUBLE_EQ(sum.capacity_units, 2);
}

// ----- metrics name the tables of batches and transactions -----

TEST(WriteResult, MetricsNameTheTableOfBatchesAndTransactions) {
    std::vector<std::string> tables;
    std::mutex mutex;
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::ClientOptions o;
    o.metrics = [&](const dy::CallMetrics& m) {
        const std::lock_guard lock(mutex);
        tables.emplace_back(m.table);
    };
    const dy::Client client = server.client(std::move(o));
    dy::Table<User> users(client);
    dy::Table<Doc> docs(client);
    users.batch_save(std::vector<User>{{"u1", "a", 1}});
    const User u{"u1", "a", 1};
    Doc d{"d1", "s", 0};
    dy::transact_write(client, {dy::put(u), dy::put(d), dy::WriteAction(dy::op::Delete<User>("u2"))});
    ASSERT_EQ(tables.size(), 2u);
    EXPECT_EQ(tables[0], "users");
    EXPECT_EQ(tables[1], "users,docs");
}

// ----- deadlines of batches -----

TEST(WriteResult, BatchRetriesStopAtTheBatchTimeoutWithTheRestInTheError) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        json::object body;
        body["UnprocessedItems"].emplace_object()["users"] = r.body.at("RequestItems").at("users");
        return ok(body);
    });
    dy::Table<User> users(server.client());
    const auto start = std::chrono::steady_clock::now();
    try {
        users.batch_save(std::vector<User>{{"u1", "a", 1}, {"u2", "b", 2}},
                         {.max_attempts = 50, .base_delay = std::chrono::milliseconds(40),
                          .max_delay = std::chrono::milliseconds(40), .timeout = std::chrono::milliseconds(100)});
        FAIL() << "expected BatchError";
    } catch (const dy::BatchError& e) {
        EXPECT_EQ(e.unprocessed().size(), 2u);
        EXPECT_NE(std::string(e.what()).find("timeout of 100 ms"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
    EXPECT_LT(server.requests().size(), 50u);
}

TEST(WriteResult, BatchRetriesStopAtTheClientCallTimeout) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        json::object body;
        body["UnprocessedItems"].emplace_object()["users"] = r.body.at("RequestItems").at("users");
        return ok(body);
    });
    dy::ClientOptions o;
    o.call_timeout = std::chrono::milliseconds(100);
    dy::Table<User> users(server.client(std::move(o)));
    try {
        users.batch_save(std::vector<User>{{"u1", "a", 1}},
                         {.max_attempts = 50, .base_delay = std::chrono::milliseconds(40),
                          .max_delay = std::chrono::milliseconds(40)});
        FAIL() << "expected BatchError";
    } catch (const dy::BatchError& e) {
        // Stopped by the client's call timeout, not by running out of attempts. (The backoff is
        // full jitter, 0-40 ms: how many requests fit in 100 ms varies, up to ten and more.)
        EXPECT_NE(std::string(e.what()).find("timeout of 100 ms"), std::string::npos) << e.what();
    }
    EXPECT_LT(server.requests().size(), 50u);
}

TEST(WriteResult, EachBatchChunkHasItsOwnClientCallTimeout) {
    // Two chunks, each answered "all unprocessed" once, then done; every answer takes 100 ms: a
    // chunk takes ~200 ms, within the 300 ms call timeout, the batch ~400 ms: it completes.
    RecordingServer server([](const RecordedRequest& r, std::size_t i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        json::object body;
        if (i % 2 == 0) body["UnprocessedItems"].emplace_object()["users"] = r.body.at("RequestItems").at("users");
        return ok(body);
    });
    dy::ClientOptions o;
    o.call_timeout = std::chrono::milliseconds(300);
    dy::Table<User> users(server.client(std::move(o)));
    std::vector<User> items;
    for (int i = 0; i < 30; ++i) items.push_back({"u" + std::to_string(i), "n", i});
    EXPECT_NO_THROW(users.batch_save(items, {.max_attempts = 5, .base_delay = std::chrono::milliseconds(1),
                                             .max_delay = std::chrono::milliseconds(1)}));
    EXPECT_EQ(server.requests().size(), 4u);
}

// ----- create the table on first write -----

TEST(WriteResult, CreateTableOnFirstWriteCreatesWaitsAndResendsOnce) {
    RecordingServer server([created = false](const RecordedRequest& r, std::size_t) mutable {
        if (r.operation == "CreateTable") {
            created = true;
            return ok(R"({"TableDescription":{"TableStatus":"CREATING"}})");
        }
        if (r.operation == "DescribeTable") return ok(R"({"Table":{"TableStatus":"ACTIVE"}})");
        if (!created) return dy::test::error_response(400, "ResourceNotFoundException", "Requested resource not found");
        return ok();
    });
    dy::ClientOptions o;
    o.table_prefix = "cotfw-unit-";   // a name no other test creates (once per process)
    dy::Table<User> users(server.client(std::move(o)), dy::TableOptions{.create_table_on_first_write = true});
    users.save({"u1", "a", 1});
    std::vector<std::string> ops;
    for (const auto& r : server.requests()) ops.push_back(r.operation);
    ASSERT_GE(ops.size(), 4u);
    EXPECT_EQ(ops.front(), "PutItem");
    EXPECT_EQ(ops[1], "CreateTable");
    EXPECT_EQ(ops.back(), "PutItem");
    EXPECT_EQ(server.requests()[1].body.at("TableName"), "cotfw-unit-users");

    // Once per process: a table missing again later is not created again; the write is resent
    // once, then its TableNotFoundError is thrown.
    RecordingServer gone([](auto&&, auto) {
        return dy::test::error_response(400, "ResourceNotFoundException", "Requested resource not found");
    });
    dy::ClientOptions o2;
    o2.table_prefix = "cotfw-unit-";
    dy::Table<User> again(gone.client(std::move(o2)), dy::TableOptions{.create_table_on_first_write = true});
    EXPECT_THROW(again.remove("u1"), dy::TableNotFoundError);
    ASSERT_EQ(gone.requests().size(), 2u);
    EXPECT_EQ(gone.requests()[0].operation, "DeleteItem");
    EXPECT_EQ(gone.requests()[1].operation, "DeleteItem");
}

TEST(WriteResult, WithoutTheOptionAMissingTableThrows) {
    RecordingServer server([](auto&&, auto) {
        return dy::test::error_response(400, "ResourceNotFoundException", "Requested resource not found");
    });
    dy::Table<User> users(server.client());
    EXPECT_THROW(users.save({"u1", "a", 1}), dy::TableNotFoundError);
    EXPECT_EQ(server.requests().size(), 1u);
}
