// Deadlines of the library's own retry loops: a batch whose items are never processed and a
// transaction that is always cancelled for a conflict, against a real Client (BeastTransport)
// and a loopback server that answers each request after 50 ms. With `max_attempts` far beyond
// the deadline, each call ends by its deadline plus `margin` (the suite runs on loaded 2-core
// machines), and no request is sent after the deadline.
#include <dynantic/batch.hpp>

#include <dynantic/transaction.hpp>

#include "support/loopback_server.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace dy = dynantic;

namespace batchdeadline {
struct Item {
    std::string id;
    int n = 0;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, n))
constexpr auto dynantic_schema(const Item*) { return dy::table("items").partition_key(&Item::id); }
}  // namespace batchdeadline

using batchdeadline::Item;

namespace {

using dy::test::LoopbackServer;
using dy::test::ServerAction;
using dy::test::ServerRequest;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto margin = 150ms;

dy::ClientOptions options_for(const LoopbackServer& server, std::chrono::milliseconds call_timeout) {
    dy::ClientOptions o;
    o.endpoint = server.endpoint().url();
    o.region = "us-east-1";
    o.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
        dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}});
    o.retry.base_delay = 1ms;
    o.call_timeout = call_timeout;
    return o;
}

long long ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

}  // namespace

TEST(BatchDeadlineFault, UnprocessedItemsAreRetriedOnlyUntilTheClientCallTimeout) {
    std::atomic<long long> last_request_ms{0};
    std::atomic<int> requests{0};
    const auto start = Clock::now();
    LoopbackServer server([&](const ServerRequest& r) {
        last_request_ms = ms_since(start);
        ++requests;
        // Everything left unprocessed, every time.
        const auto body = boost::json::parse(r.body).as_object();
        boost::json::object out;
        out["UnprocessedItems"] = body.at("RequestItems");
        return ServerAction::respond(200, boost::json::serialize(out)).after(50ms);
    });
    const dy::Table<Item> items(dy::Client(options_for(server, 600ms)));
    try {
        items.batch_save(std::vector<Item>{{"a", 1}, {"b", 2}},
                         {.max_attempts = 1000, .base_delay = 30ms, .max_delay = 30ms});
        ADD_FAILURE() << "nothing was thrown";
    } catch (const dy::BatchError& e) {
        EXPECT_EQ(e.unprocessed().size(), 2u) << e.what();
        EXPECT_NE(std::string(e.what()).find("timeout of 600 ms"), std::string::npos) << e.what();
    } catch (const dy::TransportError& e) {
        // The deadline cut an attempt in flight short; nothing had been written, so that
        // attempt's own error is thrown (as for a batch whose first request fails).
        EXPECT_EQ(e.code(), dy::errc::timeout) << e.what();
    }
    const auto elapsed = ms_since(start);
    std::printf("batch deadline overrun: %lld ms\n", elapsed - 600);
    EXPECT_LE(elapsed, (600ms + margin).count());
    EXPECT_LT(last_request_ms.load(), (600ms + margin).count());
    EXPECT_GE(requests.load(), 2);
}

TEST(BatchDeadlineFault, BatchOptionsTimeoutBoundsTheWholeBatch) {
    const auto start = Clock::now();
    LoopbackServer server([&](const ServerRequest& r) {
        const auto body = boost::json::parse(r.body).as_object();
        boost::json::object out;
        out["UnprocessedItems"] = body.at("RequestItems");
        return ServerAction::respond(200, boost::json::serialize(out)).after(50ms);
    });
    const dy::Table<Item> items(dy::Client(options_for(server, 0ms)));   // no client call timeout
    try {
        items.batch_save(std::vector<Item>{{"a", 1}}, {.max_attempts = 1000, .base_delay = 30ms, .max_delay = 30ms,
                                                       .timeout = 400ms});
        ADD_FAILURE() << "nothing was thrown";
    } catch (const dy::BatchError& e) {
        EXPECT_EQ(e.unprocessed().size(), 1u) << e.what();
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::timeout) << e.what();
    }
    const auto elapsed = ms_since(start);
    std::printf("batch timeout overrun: %lld ms\n", elapsed - 400);
    EXPECT_LE(elapsed, (400ms + margin).count());
}

TEST(BatchDeadlineFault, CancelledTransactionIsRetriedOnlyUntilTheDeadline) {
    std::atomic<long long> last_request_ms{0};
    const auto start = Clock::now();
    LoopbackServer server([&](const ServerRequest&) {
        last_request_ms = ms_since(start);
        return ServerAction::respond(
                   400, R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
                        R"("message":"Transaction cancelled","CancellationReasons":[{"Code":"TransactionConflict"}]})")
            .after(50ms);
    });
    const dy::Client client(options_for(server, 0ms));
    const Item it{"a", 1};
    try {
        dy::transact_write(client, {dy::put(it)},
                           {.max_attempts = 1000, .base_delay = 30ms, .max_delay = 30ms, .timeout = 500ms});
        ADD_FAILURE() << "nothing was thrown";
    } catch (const dy::TransactionCanceledError& e) {
        EXPECT_EQ(e.reasons().size(), 1u);
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::timeout) << e.what();   // the deadline cut the last attempt short
    }
    const auto elapsed = ms_since(start);
    std::printf("transaction deadline overrun: %lld ms\n", elapsed - 500);
    EXPECT_LE(elapsed, (500ms + margin).count());
    EXPECT_LT(last_request_ms.load(), (500ms + margin).count());
}
