#include <dynantic/batch.hpp>

#include "support/recording_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <stdexcept>
#include <tuple>

namespace dy = dynantic;
namespace json = boost::json;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace batchunit {
struct User {
    std::string id;
    std::string name;
    int age = 0;
    bool operator==(const User&) const = default;
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

struct Doc {
    std::string id;
    std::string status;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (id, status, version))
constexpr auto dynantic_schema(const Doc*) { return dy::table("docs").partition_key(&Doc::id).version(&Doc::version); }
}  // namespace batchunit

using batchunit::Doc;
using batchunit::Order;
using batchunit::User;

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

dy::http::HttpResponse ok(const json::object& body) { return dy::test::ok_response(json::serialize(body)); }
dy::http::HttpResponse ok(std::string_view body = "{}") { return dy::test::ok_response(std::string(body)); }

std::vector<User> make_users(std::size_t n) {
    std::vector<User> users;
    for (std::size_t i = 0; i < n; ++i) users.push_back({"u" + std::to_string(i), "name" + std::to_string(i), int(i)});
    return users;
}

const json::array& write_requests(const RecordedRequest& r, std::string_view table = "users") {
    return r.body.at("RequestItems").at(table).as_array();
}

/** The ids of the PutRequests of a BatchWriteItem body. */
std::vector<std::string> put_ids(const RecordedRequest& r) {
    std::vector<std::string> out;
    for (const auto& w : write_requests(r))
        out.emplace_back(w.at("PutRequest").at("Item").at("id").at("S").as_string());
    return out;
}

/** A BatchWriteItem response leaving these of the request's write requests unprocessed. */
dy::http::HttpResponse leave_unprocessed(const RecordedRequest& r, const std::vector<std::string>& ids) {
    json::array unprocessed;
    for (const auto& w : write_requests(r)) {
        const auto& id = w.at("PutRequest").at("Item").at("id").at("S").as_string();
        if (std::find(ids.begin(), ids.end(), std::string(id)) != ids.end()) unprocessed.push_back(w);
    }
    json::object body;
    if (!unprocessed.empty()) body["UnprocessedItems"].emplace_object()["users"] = std::move(unprocessed);
    return ok(body);
}

constexpr dy::BatchOptions fast{.max_attempts = 3, .base_delay = std::chrono::milliseconds(1),
                                .max_delay = std::chrono::milliseconds(2)};

}  // namespace

TEST(Batch, SaveRequestIsExact) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client(prefixed("dev-")));
    users.batch_save({User{"u1", "Ann", 41}, User{"u2", "Bob", 7}});
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].operation, "BatchWriteItem");
    EXPECT_EQ(json::serialize(server.requests()[0].body),
              R"({"RequestItems":{"dev-users":[)"
              R"({"PutRequest":{"Item":{"id":{"S":"u1"},"name":{"S":"Ann"},"age":{"N":"41"}}}},)"
              R"({"PutRequest":{"Item":{"id":{"S":"u2"},"name":{"S":"Bob"},"age":{"N":"7"}}}}]}})");
}

TEST(Batch, RemoveRequestIsExactForPairsAndTuples) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<Order> orders(server.client());
    orders.batch_remove({{"c1", "o1"}, {"c2", "o2"}});
    orders.batch_remove(std::vector<std::tuple<std::string, std::string>>{{"c3", "o3"}});
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(json::serialize(server.requests()[0].body),
              R"({"RequestItems":{"orders":[)"
              R"({"DeleteRequest":{"Key":{"customer_id":{"S":"c1"},"order_id":{"S":"o1"}}}},)"
              R"({"DeleteRequest":{"Key":{"customer_id":{"S":"c2"},"order_id":{"S":"o2"}}}}]}})");
    EXPECT_EQ(json::serialize(server.requests()[1].body),
              R"({"RequestItems":{"orders":[{"DeleteRequest":{"Key":{"customer_id":{"S":"c3"},"order_id":{"S":"o3"}}}}]}})");
}

TEST(Batch, SaveSendsChunksOfTwentyFive) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    users.batch_save(make_users(60));
    ASSERT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(write_requests(server.requests()[0]).size(), 25u);
    EXPECT_EQ(write_requests(server.requests()[1]).size(), 25u);
    EXPECT_EQ(write_requests(server.requests()[2]).size(), 10u);
    EXPECT_EQ(put_ids(server.requests()[2]).front(), "u50");
}

TEST(Batch, GetRequestIsExactDeduplicatedAndResultsFollowKeyOrder) {
    RecordingServer server([](auto&&, auto) {
        // In no particular order, and u2 does not exist.
        return ok(R"({"Responses":{"users":[{"id":{"S":"u1"},"name":{"S":"Ann"},"age":{"N":"1"}},
                                            {"id":{"S":"u3"},"name":{"S":"Cy"},"age":{"N":"3"}}]},
                     "UnprocessedKeys":{}})");
    });
    dy::Table<User> users(server.client());
    const std::vector<User> got = users.batch_get({"u3", "u1", "u2", "u1"}, {.consistent_read = true});
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].operation, "BatchGetItem");
    EXPECT_EQ(json::serialize(server.requests()[0].body),
              R"({"RequestItems":{"users":{"Keys":[{"id":{"S":"u3"}},{"id":{"S":"u1"}},{"id":{"S":"u2"}}],"ConsistentRead":true}}})");
    EXPECT_EQ(got, (std::vector<User>{{"u3", "Cy", 3}, {"u1", "Ann", 1}}));
}

TEST(Batch, GetSendsChunksOfHundred) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    std::vector<std::string> keys;
    for (int i = 0; i < 250; ++i) keys.push_back("k" + std::to_string(i));
    EXPECT_TRUE(users.batch_get(keys).empty());
    ASSERT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(server.requests()[0].body.at("RequestItems").at("users").at("Keys").as_array().size(), 100u);
    EXPECT_EQ(server.requests()[2].body.at("RequestItems").at("users").at("Keys").as_array().size(), 50u);
    EXPECT_FALSE(server.requests()[0].body.at("RequestItems").at("users").as_object().contains("ConsistentRead"));
}

TEST(Batch, UnprocessedItemsAreRetriedUntilDone) {
    RecordingServer server([](const RecordedRequest& r, std::size_t i) {
        if (i == 0) return leave_unprocessed(r, {"u1", "u2"});
        if (i == 1) return leave_unprocessed(r, {"u2"});
        return leave_unprocessed(r, {});
    });
    dy::Table<User> users(server.client());
    users.batch_save(make_users(3), fast);
    ASSERT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(put_ids(server.requests()[0]), (std::vector<std::string>{"u0", "u1", "u2"}));
    EXPECT_EQ(put_ids(server.requests()[1]), (std::vector<std::string>{"u1", "u2"}));
    EXPECT_EQ(put_ids(server.requests()[2]), (std::vector<std::string>{"u2"}));
}

TEST(Batch, NeverCompletingSaveThrowsBatchErrorWithExactlyTheRemainingItems) {
    // 30 items: the first chunk (25) always leaves u3 and u7 behind; the second is never sent.
    RecordingServer server([](const RecordedRequest& r, std::size_t) { return leave_unprocessed(r, {"u3", "u7"}); });
    dy::Table<User> users(server.client());
    const auto items = make_users(30);
    try {
        users.batch_save(items, fast);
        FAIL() << "no error";
    } catch (const dy::BatchError& e) {
        EXPECT_EQ(e.code(), dy::errc::batch_incomplete);
        EXPECT_EQ(e.operation(), "BatchWriteItem");
        EXPECT_EQ(e.table(), "users");
        EXPECT_FALSE(e.cause());
        EXPECT_STREQ(e.what(), "BatchWriteItem on table 'users': 7 of 30 write requests unprocessed after 3 attempts");
        std::vector<User> expected{items[3], items[7]};
        expected.insert(expected.end(), items.begin() + 25, items.end());
        EXPECT_EQ(e.unprocessed_items<User>(), expected);
        EXPECT_TRUE(e.unprocessed_keys<User>().empty());
        EXPECT_EQ(json::serialize(e.unprocessed()[0]),
                  R"({"PutRequest":{"Item":{"id":{"S":"u3"},"name":{"S":"name3"},"age":{"N":"3"}}}})");
    }
    ASSERT_EQ(server.requests().size(), 3u);  // max_attempts sends of the first chunk
    EXPECT_EQ(put_ids(server.requests()[2]), (std::vector<std::string>{"u3", "u7"}));
}

TEST(Batch, LargeItemsLentToEachBodyComeBackIntactAcrossRetriesThrottlingAndChunks) {
    // The requests live in one arena and are moved into each body and back: every resend, after
    // unprocessed items or after a throttling error, must carry them unchanged; a final error's
    // items are copies that outlive the batch.
    auto items = make_users(60);
    for (auto& u : items) u.name = std::string(50'000, char('a' + u.age % 26)) + u.id;
    RecordingServer server([](const RecordedRequest& r, std::size_t i) {
        if (i == 0) return leave_unprocessed(r, {"u1", "u2", "u24"});
        if (i == 1) return dy::test::error_response(400, "ProvisionedThroughputExceededException", "slow down");
        if (i == 2) return leave_unprocessed(r, {"u24"});
        if (i == 4) return leave_unprocessed(r, {"u30"});   // the second chunk, first send
        if (i >= 6) return leave_unprocessed(r, {"u59"});   // the third chunk never completes
        return leave_unprocessed(r, {});
    });
    dy::Table<User> users(server.client(no_client_retry()));
    std::vector<json::object> unprocessed;
    try {
        users.batch_save(items, dy::BatchOptions{.max_attempts = 4, .base_delay = std::chrono::milliseconds(1),
                                                 .max_delay = std::chrono::milliseconds(2)});
        FAIL() << "no error";
    } catch (const dy::BatchError& e) {
        unprocessed = e.unprocessed();
        EXPECT_EQ(e.unprocessed_items<User>(), std::vector<User>{items[59]});
    }
    ASSERT_EQ(unprocessed.size(), 1u);
    EXPECT_EQ(unprocessed[0].storage().get(), json::storage_ptr().get());
    const auto& requests = server.requests();
    ASSERT_EQ(requests.size(), 10u);
    const std::vector<std::vector<std::string>> expected_ids{
        put_ids(requests[0]), {"u1", "u2", "u24"}, {"u1", "u2", "u24"}, {"u24"}, put_ids(requests[4]), {"u30"},
        put_ids(requests[6]), {"u59"}, {"u59"}, {"u59"}};
    for (std::size_t i = 0; i < requests.size(); ++i) {
        EXPECT_EQ(put_ids(requests[i]), expected_ids[i]) << "request " << i;
        for (const auto& w : write_requests(requests[i])) {
            const auto& item = w.at("PutRequest").at("Item");
            const std::size_t n = std::stoul(std::string(item.at("id").at("S").as_string()).substr(1));
            EXPECT_EQ(item.as_object(), dy::to_item(items[n])) << "request " << i << ", item u" << n;
        }
    }
    EXPECT_EQ(put_ids(requests[0]).size(), 25u);
    EXPECT_EQ(put_ids(requests[4]).size(), 25u);
    EXPECT_EQ(put_ids(requests[6]).size(), 10u);
}

TEST(Batch, ThrottledRequestIsRetriedAsUnprocessed) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        if (i == 0) return dy::test::error_response(400, "ProvisionedThroughputExceededException", "slow down");
        return ok();
    });
    dy::Table<User> users(server.client(no_client_retry()));
    users.batch_save(make_users(2), fast);
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.requests()[0].body, server.requests()[1].body);
}

TEST(Batch, FirstRequestErrorIsThrownUnchangedAndLaterErrorsCarryTheRest) {
    RecordingServer first([](auto&&, auto) { return dy::test::error_response(400, "ResourceNotFoundException", "no table"); });
    dy::Table<User> users(first.client());
    EXPECT_THROW(users.batch_save(make_users(30), fast), dy::TableNotFoundError);

    RecordingServer later([](const RecordedRequest&, std::size_t i) {
        if (i == 0) return ok();
        return dy::test::error_response(400, "ValidationException", "Item size has exceeded the maximum allowed size");
    });
    dy::Table<User> users2(later.client());
    try {
        users2.batch_save(make_users(30), fast);
        FAIL() << "no error";
    } catch (const dy::BatchError& e) {
        EXPECT_EQ(e.unprocessed().size(), 5u);
        ASSERT_TRUE(e.cause());
        EXPECT_THROW(std::rethrow_exception(e.cause()), dy::ValidationError);
        EXPECT_NE(std::string(e.what()).find("5 of 30 write requests unprocessed, stopped by: BatchWriteItem"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Batch, UnprocessedKeysAreRetriedAndAGetThatGivesUpKeepsWhatItRead) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        json::object body;
        auto& responses = body["Responses"].emplace_object()["users"].emplace_array();
        json::array unprocessed;
        for (const auto& k : r.body.at("RequestItems").at("users").at("Keys").as_array()) {
            if (k.at("id").at("S") == "u1") responses.push_back(json::parse(R"({"id":{"S":"u1"},"name":{"S":"Ann"},"age":{"N":"1"}})"));
            else unprocessed.push_back(k);
        }
        body["UnprocessedKeys"].emplace_object()["users"].emplace_object()["Keys"] = std::move(unprocessed);
        return ok(body);
    });
    dy::Table<User> users(server.client());
    try {
        (void)users.batch_get({"u1", "u2", "u3"}, {}, fast);
        FAIL() << "no error";
    } catch (const dy::BatchError& e) {
        EXPECT_EQ(e.operation(), "BatchGetItem");
        EXPECT_EQ(e.unprocessed_keys<User>(), (std::vector<std::string>{"u2", "u3"}));
        EXPECT_EQ(e.retrieved_items<User>(), (std::vector<User>{{"u1", "Ann", 1}}));
    }
    ASSERT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(json::serialize(server.requests()[1].body), R"({"RequestItems":{"users":{"Keys":[{"id":{"S":"u2"}},{"id":{"S":"u3"}}]}}})");
}

TEST(Batch, DuplicateKeysAreRefusedBeforeSending) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    try {
        users.batch_save({User{"u1", "a", 1}, User{"u2", "b", 2}, User{"u1", "c", 3}});
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(), "items 0 and 2 have the same key <sha256:03ae5f930daf>: a batch writes each item once");
        // The key is shown as the logs show it (a hash prefix of its JSON), never as its value.
        EXPECT_EQ(std::string(e.what()).find("u1"), std::string::npos);
        EXPECT_NE(e.message().find(dy::redacted(R"({"id":{"S":"u1"}})")), std::string_view::npos);
        EXPECT_EQ(e.operation(), "BatchWriteItem");
    }
    dy::Table<Order> orders(server.client());
    EXPECT_THROW(orders.batch_remove({{"c1", "o1"}, {"c1", "o2"}, {"c1", "o1"}}), dy::ValidationError);
    EXPECT_TRUE(server.requests().empty());
}

TEST(Batch, EmptyBatchesSendNothing) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    users.batch_save(std::vector<User>{});
    users.batch_remove(std::vector<std::string>{});
    EXPECT_TRUE(users.batch_get(std::vector<std::string>{}).empty());
    EXPECT_TRUE(server.requests().empty());
}

TEST(Batch, VersionedSaveWritesNextVersionUncheckedAndBumpsWrittenItems) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        // d2 is never processed.
        json::array unprocessed;
        for (const auto& w : r.body.at("RequestItems").at("docs").as_array())
            if (w.at("PutRequest").at("Item").at("id").at("S") == "d2") unprocessed.push_back(w);
        json::object body;
        body["UnprocessedItems"].emplace_object()["docs"] = std::move(unprocessed);
        return ok(body);
    });
    dy::Table<Doc> docs(server.client());
    std::vector<Doc> items{{"d1", "new", 0}, {"d2", "x", 4}};
    EXPECT_THROW(docs.batch_save(items, fast), dy::BatchError);
    EXPECT_EQ(json::serialize(server.requests()[0].body),
              R"({"RequestItems":{"docs":[)"
              R"({"PutRequest":{"Item":{"id":{"S":"d1"},"status":{"S":"new"},"version":{"N":"1"}}}},)"
              R"({"PutRequest":{"Item":{"id":{"S":"d2"},"status":{"S":"x"},"version":{"N":"5"}}}}]}})");
    EXPECT_EQ(items[0].version, 1);  // written
    EXPECT_EQ(items[1].version, 4);  // not written: unchanged
}

TEST(BatchWriter, FlushesEveryTwentyFiveAndAtScopeEnd) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    {
        auto w = users.batch_writer();
        for (const auto& u : make_users(30)) w.save(u);
        EXPECT_EQ(server.requests().size(), 1u);
        EXPECT_EQ(w.pending(), 5u);
    }
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(write_requests(server.requests()[0]).size(), 25u);
    EXPECT_EQ(write_requests(server.requests()[1]).size(), 5u);
}

TEST(BatchWriter, MixesPutsAndDeletesAndFlushesExplicitly) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<Order> orders(server.client());
    auto w = orders.batch_writer();
    w.save({"c1", "o1", 5});
    w.remove("c2", "o2");
    w.remove(std::pair<std::string, std::string>{"c3", "o3"});
    w.remove_item({"c4", "o4", 0});
    w.flush();
    w.flush();  // nothing left: sends nothing
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(json::serialize(server.requests()[0].body),
              R"({"RequestItems":{"orders":[)"
              R"({"PutRequest":{"Item":{"customer_id":{"S":"c1"},"order_id":{"S":"o1"},"total_cents":{"N":"5"}}}},)"
              R"({"DeleteRequest":{"Key":{"customer_id":{"S":"c2"},"order_id":{"S":"o2"}}}},)"
              R"({"DeleteRequest":{"Key":{"customer_id":{"S":"c3"},"order_id":{"S":"o3"}}}},)"
              R"({"DeleteRequest":{"Key":{"customer_id":{"S":"c4"},"order_id":{"S":"o4"}}}}]}})");
}

TEST(BatchWriter, DoesNotFlushWhileAnExceptionPropagates) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    try {
        auto w = users.batch_writer();
        w.save({"u1", "Ann", 1});
        throw std::runtime_error("abandon");
    } catch (const std::runtime_error&) {
    }
    EXPECT_TRUE(server.requests().empty());
}

TEST(BatchWriter, SecondWriteToABufferedKeyFlushesFirst) {
    RecordingServer server([](auto&&, auto) { return ok(); });
    dy::Table<User> users(server.client());
    {
        auto w = users.batch_writer();
        w.save({"u1", "Ann", 1});
        w.save({"u2", "Bob", 2});
        w.remove("u1");
    }
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(put_ids(server.requests()[0]), (std::vector<std::string>{"u1", "u2"}));
    EXPECT_EQ(json::serialize(server.requests()[1].body), R"({"RequestItems":{"users":[{"DeleteRequest":{"Key":{"id":{"S":"u1"}}}}]}})");
}

TEST(BatchWriter, FailedFlushEmptiesTheBufferAndReportsTheItems) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) { return leave_unprocessed(r, {"u1"}); });
    dy::Table<User> users(server.client());
    auto w = users.batch_writer(fast);
    w.save({"u0", "a", 0});
    w.save({"u1", "b", 1});
    try {
        w.flush();
        FAIL() << "no error";
    } catch (const dy::BatchError& e) {
        EXPECT_EQ(e.unprocessed_items<User>(), (std::vector<User>{{"u1", "b", 1}}));
    }
    EXPECT_EQ(w.pending(), 0u);
}

TEST(Batch, BackoffIsFullJitterUnderAnExponentialCap) {
    using ms = std::chrono::milliseconds;
    for (unsigned retry = 1; retry <= 8; ++retry) {
        const ms cap = std::min(ms(100), ms(10 << (retry - 1)));
        ms largest{0};
        for (int i = 0; i < 200; ++i) {
            const ms d = dy::detail::backoff_delay(ms(10), ms(100), retry);
            EXPECT_GE(d.count(), 0);
            EXPECT_LE(d, cap);
            largest = std::max(largest, d);
        }
        EXPECT_GT(largest, cap / 2) << "retry " << retry;  // spread over the whole range
    }
}

// The key text by which batches tell keys apart and match UnprocessedItems to their requests: the
// serialized object of the key attributes, in partition-then-sort order, whatever else the item
// holds and in whatever order; names and values escaped as JSON.
TEST(BatchKeyText, IsTheSerializedKeyObject) {
    const json::object item = json::parse(R"({"note":{"S":"x"},"sk\"q":{"N":"7"},"pk\\":{"M":{"a":{"S":"é\n"}}}})")
                                  .as_object();
    const std::string text = dy::detail::key_text(item, {"pk\\", "sk\"q"});
    json::object expected;
    expected["pk\\"] = item.at("pk\\");
    expected["sk\"q"] = item.at("sk\"q");
    EXPECT_EQ(text, json::serialize(expected));
    EXPECT_EQ(json::parse(text), json::value(expected));
    EXPECT_EQ(dy::detail::key_text(item, {"pk\\", ""}), R"({"pk\\":{"M":{"a":{"S":"é\n"}}}})");
    EXPECT_EQ(dy::detail::key_text(item, {"pk\\", "missing"}), "");   // not a key of this item
}
