// Fault injection: a real Client (BeastTransport, pool, retries) against a loopback server that
// plays a tiny DynamoDB and misbehaves on cue. Each test shows what is retried, what reaches the
// caller, and that a write is never lost silently nor applied twice.
#include <dynantic/table.hpp>

#include "support/loopback_server.hpp"

#include <dynantic/client.hpp>
#include <dynantic/error.hpp>

#include <boost/crc.hpp>
#include <boost/describe.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace dy = dynantic;

namespace faulttest {
struct Counter {
    std::string id;
    std::int64_t hits = 0;
};
BOOST_DESCRIBE_STRUCT(Counter, (), (id, hits))
constexpr auto dynantic_schema(const Counter*) { return dy::table("counters").partition_key(&Counter::id); }
}  // namespace faulttest

namespace {

using faulttest::Counter;
using dy::test::LoopbackServer;
using dy::test::ServerAction;
using dy::test::ServerRequest;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

/** What the server does with one request. "Applied" faults change the stored item first, as a
    server that did the work and then lost the answer would. */
enum class Fault {
    none,
    reset_after_apply,   ///< apply, then RST instead of a response (the answer is lost)
    reset_unapplied,     ///< RST without doing anything
    internal_error,      ///< HTTP 500 InternalServerError, not applied
    unavailable,         ///< HTTP 503 ServiceUnavailable, not applied
    throttle,            ///< HTTP 400 ProvisionedThroughputExceededException, not applied
    slow,                ///< apply, answer after 1 s (longer than the client's 300 ms timeout)
    truncate,            ///< apply, send half of the body and close
    bad_crc,             ///< apply, answer with a wrong x-amz-crc32
};

std::string crc32_of(std::string_view body) {
    boost::crc_32_type crc;
    crc.process_bytes(body.data(), body.size());
    return std::to_string(crc.checksum());
}

ServerAction error_action(unsigned status, std::string_view code, std::string_view message) {
    std::string body = R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + std::string(code) + R"(","message":")" +
                       std::string(message) + "\"}";
    return ServerAction::respond(status, std::move(body), {{"Content-Type", "application/x-amz-json-1.0"}});
}

/** A DynamoDB stand-in for one item: GetItem, PutItem, UpdateItem (ADD hits 1). Faults are taken
    from a script, one per request, in arrival order; when it runs out, requests succeed (or
    meet `then`). */
class FakeDynamo {
public:
    explicit FakeDynamo(std::deque<Fault> script = {}, Fault then = Fault::none)
        : script_(std::move(script)), then_(then), server_([this](const ServerRequest& r) { return handle(r); }) {}

    std::string url() const { return server_.endpoint().url(); }
    std::uint16_t port() const { return server_.port(); }
    LoopbackServer& server() { return server_; }

    /** Requests received for `operation`. */
    int requests(const std::string& operation) const {
        const std::lock_guard lock(mutex_);
        const auto it = requests_.find(operation);
        return it == requests_.end() ? 0 : it->second;
    }
    /** UpdateItem ADDs applied to the stored item. */
    int applied_updates() const {
        const std::lock_guard lock(mutex_);
        return applied_updates_;
    }
    std::int64_t hits() const {
        const std::lock_guard lock(mutex_);
        return hits_;
    }

private:
    ServerAction handle(const ServerRequest& r) {
        const std::lock_guard lock(mutex_);
        const std::string_view target = r.header("X-Amz-Target");
        const std::string operation(target.substr(target.find('.') + 1));
        ++requests_[operation];
        Fault fault = then_;
        if (!script_.empty()) {
            fault = script_.front();
            script_.pop_front();
        }
        const bool apply = fault == Fault::none || fault == Fault::reset_after_apply || fault == Fault::slow ||
                           fault == Fault::truncate || fault == Fault::bad_crc;
        std::string body = "{}";
        if (operation == "UpdateItem" && apply) {
            ++applied_updates_;
            ++hits_;
        } else if (operation == "PutItem" && apply) {
            hits_ = 0;
        } else if (operation == "GetItem") {
            body = R"({"Item":{"id":{"S":"c1"},"hits":{"N":")" + std::to_string(hits_) + "\"}}}";
        }
        dy::http::Headers headers{{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "REQ"}};
        switch (fault) {
        case Fault::none:
            headers.emplace_back("x-amz-crc32", crc32_of(body));
            return ServerAction::respond(200, body, headers);
        case Fault::reset_after_apply:
        case Fault::reset_unapplied: return ServerAction::reset_connection();
        case Fault::internal_error: return error_action(500, "InternalServerError", "Internal server error");
        case Fault::unavailable: return error_action(503, "ServiceUnavailable", "Service unavailable");
        case Fault::throttle:
            return error_action(400, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded");
        case Fault::slow:
            headers.emplace_back("x-amz-crc32", crc32_of(body));
            return ServerAction::respond(200, body, headers).after(1s);
        case Fault::truncate:
            body.append(64, ' ');
            return ServerAction::respond(200, body, headers).truncated_at(body.size() / 2);
        case Fault::bad_crc:
            headers.emplace_back("x-amz-crc32", "12345");
            return ServerAction::respond(200, body, headers);
        }
        return ServerAction::respond(500);
    }

    mutable std::mutex mutex_;
    std::deque<Fault> script_;
    Fault then_;
    std::map<std::string, int> requests_;
    int applied_updates_ = 0;
    std::int64_t hits_ = 0;
    LoopbackServer server_;   // last: stops before the state above goes
};

dy::ClientOptions options_for(const FakeDynamo& server) {
    dy::ClientOptions o;
    o.endpoint = server.url();
    o.region = "us-east-1";
    o.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
        dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}});
    o.http.request_timeout = 300ms;
    o.retry.base_delay = 1ms;
    o.retry.throttling_base_delay = 1ms;
    return o;
}

/** `counters.update("c1").add(&Counter::hits, 1)`: not idempotent, so never resent after an
    unknown outcome. */
void add_hit(const dy::Table<Counter>& counters) { counters.update("c1").add(&Counter::hits, 1).execute(); }

template <class E, class F>
std::optional<E> error_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "unexpected exception: " << e.what();
        return std::nullopt;
    }
    ADD_FAILURE() << "nothing was thrown";
    return std::nullopt;
}

// ---- connection reset before the request is sent ----------------------------------------------------

TEST(FaultResetBeforeSend, AKeepAliveConnectionResetWhileIdleIsReplacedAndTheWriteAppliedOnce) {
    FakeDynamo server;
    const dy::Client client(options_for(server));
    const dy::Table<Counter> counters(client);
    ASSERT_TRUE(counters.get("c1").has_value());   // leaves a pooled connection
    ASSERT_EQ(server.server().reset_idle_connections(), 1u);
    while (server.server().open_connections() != 0) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(5ms);   // the RST reaches the client's socket

    add_hit(counters);
    EXPECT_EQ(server.requests("UpdateItem"), 1);
    EXPECT_EQ(server.applied_updates(), 1);
    EXPECT_EQ(client.transport_stats().connections_opened, 2u);
}

// A request that may be resent skips the MSG_PEEK check on a connection used a moment ago: a
// connection the server closed (FIN) or reset (RST) while it was pooled is found by the write or
// the read, and the request goes again on a new connection, once.
TEST(FaultResetBeforeSend, AReadOnAConnectionClosedWhileIdleIsResentOnANewOne) {
    for (const bool reset : {false, true}) {
        FakeDynamo server;
        const dy::Client client(options_for(server));
        const dy::Table<Counter> counters(client);
        ASSERT_TRUE(counters.get("c1").has_value());
        ASSERT_EQ(reset ? server.server().reset_idle_connections() : server.server().close_idle_connections(), 1u);
        while (server.server().open_connections() != 0) std::this_thread::sleep_for(1ms);
        std::this_thread::sleep_for(5ms);
        EXPECT_TRUE(counters.get("c1").has_value()) << (reset ? "RST" : "FIN");
        EXPECT_EQ(server.requests("GetItem"), 2) << (reset ? "RST" : "FIN");
        EXPECT_EQ(client.transport_stats().connections_opened, 2u) << (reset ? "RST" : "FIN");
        // An idempotent put too, and the connection it leaves is reused.
        EXPECT_NO_THROW(counters.save({"c2", 0}));
        EXPECT_EQ(server.requests("PutItem"), 1);
        EXPECT_EQ(client.transport_stats().connections_opened, 2u);
    }
}

TEST(FaultResetBeforeSend, AWriteOnAConnectionClosedWhileIdleIsNotLostAndAppliedOnce) {
    // A non-idempotent write always checks first: closed with a FIN, it goes on a new connection.
    FakeDynamo server;
    const dy::Client client(options_for(server));
    const dy::Table<Counter> counters(client);
    ASSERT_TRUE(counters.get("c1").has_value());
    ASSERT_EQ(server.server().close_idle_connections(), 1u);
    while (server.server().open_connections() != 0) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(5ms);
    add_hit(counters);
    EXPECT_EQ(server.requests("UpdateItem"), 1);
    EXPECT_EQ(server.applied_updates(), 1);
    EXPECT_EQ(client.transport_stats().connections_opened, 2u);
}

/** Sends its first request to a port where nothing listens (a real "connection refused" from the
    Beast transport, before anything is sent), then everything to the real endpoint. */
class FirstConnectionRefused : public dy::http::Transport {
public:
    explicit FirstConnectionRefused(dy::http::Endpoint dead) : dead_(std::move(dead)) {}
    dy::http::HttpResponse send(const dy::http::Endpoint& ep, const dy::http::HttpRequest& r) override {
        if (calls_.fetch_add(1) == 0) return inner_.send(dead_, r);
        return inner_.send(ep, r);
    }
    dy::http::TransportStats stats() const override { return inner_.stats(); }

private:
    dy::http::Endpoint dead_;
    dy::http::BeastTransport inner_;
    std::atomic<int> calls_{0};
};

TEST(FaultResetBeforeSend, ARefusedConnectionIsRetriedEvenForAWrite) {
    dy::http::Endpoint dead;
    {
        LoopbackServer gone([](const ServerRequest&) { return ServerAction::respond(200); });
        dead = gone.endpoint();
    }
    FakeDynamo server;
    auto options = options_for(server);
    options.transport = std::make_shared<FirstConnectionRefused>(dead);
    const dy::Table<Counter> counters{dy::Client(options)};
    add_hit(counters);
    EXPECT_EQ(server.requests("UpdateItem"), 1);
    EXPECT_EQ(server.applied_updates(), 1);
}

// ---- connection reset after the request is sent -----------------------------------------------------

TEST(FaultResetAfterSend, AWriteWhoseAnswerIsLostIsSurfacedNotRepeated) {
    FakeDynamo server({Fault::reset_after_apply});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    const auto e = error_of<dy::TransportError>([&] { add_hit(counters); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::network);
    EXPECT_TRUE(e->request_sent());
    EXPECT_EQ(e->operation(), "UpdateItem");
    EXPECT_EQ(e->table(), "counters");
    EXPECT_EQ(server.requests("UpdateItem"), 1);   // exactly once
    EXPECT_EQ(server.applied_updates(), 1);
    EXPECT_EQ(counters.get("c1")->hits, 1);
}

TEST(FaultResetAfterSend, OnAReusedConnectionTheWriteIsStillNotRepeated) {
    FakeDynamo server({Fault::none, Fault::reset_after_apply});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    ASSERT_TRUE(counters.get("c1").has_value());   // the connection is pooled
    const auto e = error_of<dy::TransportError>([&] { add_hit(counters); });
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE(e->request_sent());
    EXPECT_EQ(server.requests("UpdateItem"), 1);
    EXPECT_EQ(server.applied_updates(), 1);
}

TEST(FaultResetAfterSend, AReadIsRetried) {
    FakeDynamo server({Fault::reset_unapplied});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    EXPECT_TRUE(counters.get("c1").has_value());
    EXPECT_EQ(server.requests("GetItem"), 2);
}

TEST(FaultResetAfterSend, AnIdempotentPutIsRetried) {
    FakeDynamo server({Fault::reset_after_apply});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    EXPECT_NO_THROW(counters.save({"c1", 0}));
    EXPECT_EQ(server.requests("PutItem"), 2);
}

// ---- 500 and 503 ------------------------------------------------------------------------------------

TEST(FaultServerError, A500IsRetriedForAReadAndSurfacedForAWrite) {
    FakeDynamo server({Fault::internal_error, Fault::none, Fault::internal_error});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    EXPECT_TRUE(counters.get("c1").has_value());
    EXPECT_EQ(server.requests("GetItem"), 2);

    const auto e = error_of<dy::Error>([&] { add_hit(counters); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::internal_server_error);
    EXPECT_EQ(e->http_status(), 500u);
    EXPECT_EQ(server.requests("UpdateItem"), 1);
    EXPECT_EQ(server.applied_updates(), 0);   // surfaced: the caller knows it may retry
}

TEST(FaultServerError, A503IsRetriedUpToMaxAttempts) {
    FakeDynamo server({}, Fault::unavailable);
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    const auto e = error_of<dy::Error>([&] { counters.get("c1"); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::service_unavailable);
    EXPECT_EQ(e->code(), dy::condition::server_error);
    EXPECT_EQ(server.requests("GetItem"), 3);   // the default 3 attempts
}

TEST(FaultServerError, TheRetryQuotaPreventsARetryStorm) {
    // Every request fails. 500 tokens pay for 100 retries (5 each): the first 50 calls make 3
    // attempts, every later one a single attempt.
    FakeDynamo server({}, Fault::unavailable);
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    for (int i = 0; i < 150; ++i) EXPECT_THROW(counters.get("c1"), dy::Error);
    EXPECT_EQ(server.requests("GetItem"), 150 + 100);
}

// ---- throttling -------------------------------------------------------------------------------------

TEST(FaultThrottling, AThrottledWriteIsRetriedAndAppliedOnce) {
    FakeDynamo server({Fault::throttle, Fault::throttle});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    add_hit(counters);
    EXPECT_EQ(server.requests("UpdateItem"), 3);
    EXPECT_EQ(server.applied_updates(), 1);
}

TEST(FaultThrottling, PersistentThrottlingIsSurfacedAfterMaxAttempts) {
    FakeDynamo server({}, Fault::throttle);
    auto options = options_for(server);
    options.retry.max_attempts = 5;
    const dy::Table<Counter> counters{dy::Client(options)};
    const auto e = error_of<dy::ProvisionedThroughputExceededError>([&] { add_hit(counters); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::condition::throttling);
    EXPECT_EQ(server.requests("UpdateItem"), 5);
    EXPECT_EQ(server.applied_updates(), 0);
}

TEST(FaultThrottling, AdaptiveModeSlowsTheClientDown) {
    // After a throttling response the adaptive limiter paces requests at the rate the client
    // had measured itself sending (cut by 30%): 4 calls that would take a few milliseconds take
    // seconds, and all succeed. (In standard mode the same run takes milliseconds.)
    FakeDynamo server({Fault::throttle});
    auto options = options_for(server);
    options.retry.mode = dy::RetryMode::adaptive;
    const dy::Table<Counter> counters{dy::Client(options)};
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(counters.get("c1").has_value());
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GT(elapsed, 1s);
    EXPECT_LT(elapsed, 20s);
    EXPECT_EQ(server.requests("GetItem"), 5);
}

// ---- a response slower than the timeout -------------------------------------------------------------

TEST(FaultSlowResponse, AReadIsRetriedAfterTheTimeout) {
    FakeDynamo server({Fault::slow});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(counters.get("c1").has_value());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 290ms);
    EXPECT_EQ(server.requests("GetItem"), 2);
}

TEST(FaultSlowResponse, AWriteTimesOutOnceWithAClearMessage) {
    FakeDynamo server({Fault::slow});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    const auto e = error_of<dy::TransportError>([&] { add_hit(counters); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::timeout);
    EXPECT_THAT(std::string(e->what()),
                ::testing::MatchesRegex("UpdateItem on table 'counters': timed out after [34][0-9][0-9] ms \\(request "
                                        "timeout 300 ms\\) waiting for the response from 127\\.0\\.0\\.1:" +
                                        std::to_string(server.port()) + "; the request had been sent"));
    EXPECT_EQ(server.requests("UpdateItem"), 1);
    EXPECT_EQ(server.applied_updates(), 1);
}

TEST(FaultSlowResponse, TheCallTimeoutBoundsEveryAttemptTogether) {
    FakeDynamo server({}, Fault::slow);
    auto options = options_for(server);
    options.call_timeout = 500ms;
    options.retry.max_attempts = 10;
    const dy::Table<Counter> counters{dy::Client(options)};
    const auto start = std::chrono::steady_clock::now();
    const auto e = error_of<dy::TransportError>([&] { counters.get("c1"); });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::timeout);
    EXPECT_GE(elapsed, 490ms);
    EXPECT_LT(elapsed, 800ms);
    EXPECT_THAT(std::string(e->what()), HasSubstr("stopped by the call's timeout of 500 ms"));
    EXPECT_LE(server.requests("GetItem"), 2);
}

// ---- a truncated body -------------------------------------------------------------------------------

TEST(FaultTruncatedBody, AReadIsRetried) {
    FakeDynamo server({Fault::truncate});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    EXPECT_TRUE(counters.get("c1").has_value());
    EXPECT_EQ(server.requests("GetItem"), 2);
}

TEST(FaultTruncatedBody, AWriteIsSurfaced) {
    FakeDynamo server({Fault::truncate});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    const auto e = error_of<dy::TransportError>([&] { add_hit(counters); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::network);
    EXPECT_TRUE(e->request_sent());
    EXPECT_EQ(server.requests("UpdateItem"), 1);
    EXPECT_EQ(server.applied_updates(), 1);
}

// ---- a wrong x-amz-crc32 ----------------------------------------------------------------------------

TEST(FaultCrc32, AReadIsRetried) {
    FakeDynamo server({Fault::bad_crc});
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    EXPECT_TRUE(counters.get("c1").has_value());
    EXPECT_EQ(server.requests("GetItem"), 2);
}

TEST(FaultCrc32, AWriteIsSurfacedAsACrcMismatch) {
    FakeDynamo server({}, Fault::bad_crc);
    const dy::Table<Counter> counters{dy::Client(options_for(server))};
    const auto e = error_of<dy::Error>([&] { add_hit(counters); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::crc32_mismatch);
    EXPECT_EQ(server.requests("UpdateItem"), 1);
    EXPECT_EQ(server.applied_updates(), 1);

    const auto r = error_of<dy::Error>([&] { counters.get("c1"); });   // persistent: surfaced too
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->code(), dy::errc::crc32_mismatch);
    EXPECT_EQ(server.requests("GetItem"), 3);
}

}  // namespace
