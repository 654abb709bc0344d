// Fault injection for the asynchronous call (dynantic::asio::async_call) and for the synchronous
// call's stop token: a real Client (the asynchronous Beast transport, its pool, retries on
// timers) against a loopback server that is slow, resets, throttles or fails on cue; callbacks,
// futures and coroutines; cancellation before and after the request was sent; many calls in
// flight from one thread over a bounded pool, N threads running one io_context, and HTTPS.
#include <dynantic/asio/call.hpp>

#include "support/loopback_server.hpp"
#include "support/tls_identity.hpp"

#include <dynantic/client.hpp>
#include <dynantic/error.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace dy = dynantic;
namespace net = boost::asio;

namespace {

using dy::test::LoopbackServer;
using dy::test::ServerAction;
using dy::test::ServerRequest;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr std::string_view item_body = R"({"Item":{"id":{"S":"a"},"n":{"N":"1"}}})";

ServerAction ok() {
    return ServerAction::respond(200, std::string(item_body), {{"Content-Type", "application/x-amz-json-1.0"}});
}

ServerAction error_action(unsigned status, std::string_view code) {
    return ServerAction::respond(status,
                                 R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + std::string(code) +
                                     R"(","message":"no"})",
                                 {{"Content-Type", "application/x-amz-json-1.0"}});
}

dy::ClientOptions options_for(const LoopbackServer& server) {
    dy::ClientOptions o;
    o.endpoint = server.endpoint().url();
    o.region = "us-east-1";
    o.credentials = dy::aws::static_credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    o.http.request_timeout = 2000ms;
    o.retry.base_delay = 1ms;
    o.retry.throttling_base_delay = 1ms;
    return o;
}

boost::json::object get_request() { return {{"TableName", "t"}, {"Key", {{"id", {{"S", "a"}}}}}}; }
boost::json::object put_request() {
    return {{"TableName", "t"}, {"Item", {{"id", {{"S", "a"}}}, {"n", {{"N", "1"}}}}}};
}

/** The outcome of one asynchronous call. */
struct Outcome {
    std::exception_ptr error;
    boost::json::object response;
    bool done = false;
    std::thread::id thread;
};

auto recorder(Outcome& out) {
    return [&out](std::exception_ptr e, boost::json::object r) {
        out.error = std::move(e);
        out.response = std::move(r);
        out.done = true;
        out.thread = std::this_thread::get_id();
    };
}

/** The error `p` holds if it is an `E` (and its what() into `what`). */
template <class E>
std::optional<E> error_as(const std::exception_ptr& p, std::string* what = nullptr) {
    if (!p) return std::nullopt;
    try {
        std::rethrow_exception(p);
    } catch (const E& e) {
        if (what != nullptr) *what = e.what();
        return e;
    } catch (const std::exception& e) {
        if (what != nullptr) *what = e.what();
        return std::nullopt;
    }
}

long long ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

TEST(AsyncCall, CallbackCompletesOnTheCallersExecutor) {
    LoopbackServer server([](const ServerRequest& r) {
        EXPECT_EQ(r.header("X-Amz-Target"), "DynamoDB_20120810.GetItem");
        EXPECT_THAT(std::string(r.header("Authorization")), HasSubstr("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
        return ok();
    });
    const dy::Client client(options_for(server));
    net::io_context ioc;
    Outcome first, second;
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::bind_executor(ioc, recorder(first)));
    EXPECT_FALSE(first.done);   // never completes inside the initiating call
    ioc.run();
    ASSERT_TRUE(first.done);
    EXPECT_FALSE(first.error);
    EXPECT_EQ(first.response.at("Item").at("id").at("S"), "a");
    EXPECT_EQ(first.thread, std::this_thread::get_id());
    // The connection went back to the pool and carries the next call.
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::bind_executor(ioc, recorder(second)));
    ioc.restart();
    ioc.run();
    ASSERT_TRUE(second.done);
    EXPECT_FALSE(second.error);
    EXPECT_EQ(server.accepted_connections(), 1u);
}

TEST(AsyncCall, FutureWithoutExecutorRunsOnTheClientsThread) {
    LoopbackServer server([](const ServerRequest&) { return ok(); });
    const dy::Client client(options_for(server));
    auto f = dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::use_future);
    ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(f.get().at("Item").at("n").at("N"), "1");
}

TEST(AsyncCall, CoroutineAndServiceErrors) {
    LoopbackServer server([](const ServerRequest&) { return error_action(400, "ResourceNotFoundException"); });
    const dy::Client client(options_for(server));
    net::io_context ioc;
    bool caught = false;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            try {
                co_await dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::use_awaitable);
            } catch (const dy::TableNotFoundError& e) {
                caught = true;
                EXPECT_EQ(e.operation(), "GetItem");
                EXPECT_EQ(e.table(), "t");
                EXPECT_EQ(e.http_status(), 400u);
            }
        },
        net::detached);
    ioc.run();
    EXPECT_TRUE(caught);
}

TEST(AsyncCall, ThrottlingIsRetriedOnTimersWithoutBlockingTheThread) {
    std::atomic<int> requests{0};
    LoopbackServer server([&](const ServerRequest&) {
        return ++requests <= 2 ? error_action(400, "ThrottlingException") : ok();
    });
    auto options = options_for(server);
    options.retry.throttling_base_delay = 200ms;
    options.retry.max_delay = 200ms;
    const dy::Client client(options);
    net::io_context ioc;
    Outcome out;
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::bind_executor(ioc, recorder(out)));
    // A timer on the same thread ticks while the call waits out its backoff.
    int ticks = 0;
    net::steady_timer tick(ioc);
    std::function<void()> again = [&] {
        tick.expires_after(10ms);
        tick.async_wait([&](boost::system::error_code ec) {
            if (ec || out.done) return;
            ++ticks;
            again();
        });
    };
    again();
    ioc.run();
    ASSERT_TRUE(out.done);
    EXPECT_FALSE(out.error);
    EXPECT_EQ(requests.load(), 3);
    EXPECT_GT(ticks, 0);
}

TEST(AsyncCall, TimeoutAndCallTimeout) {
    LoopbackServer server([](const ServerRequest&) { return ok().after(3000ms); });
    auto options = options_for(server);
    options.http.request_timeout = 200ms;
    options.retry.max_attempts = 1;
    const dy::Client client(options);
    net::io_context ioc;
    Outcome out;
    const auto start = std::chrono::steady_clock::now();
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::bind_executor(ioc, recorder(out)));
    ioc.run();
    std::string what;
    const auto e = error_as<dy::TransportError>(out.error, &what);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::timeout);
    EXPECT_TRUE(e->request_sent());
    EXPECT_THAT(what, HasSubstr("waiting for the response from"));
    EXPECT_LT(ms_since(start), 2000);

    // The call's own timeout ends every attempt and the retries.
    options.retry.max_attempts = 10;
    options.http.request_timeout = 5000ms;
    options.call_timeout = 300ms;
    const dy::Client bounded(options);
    Outcome late;
    const auto begun = std::chrono::steady_clock::now();
    dy::asio::async_call(bounded, dy::Operation::GetItem, get_request(), {}, net::bind_executor(ioc, recorder(late)));
    ioc.restart();
    ioc.run();
    const auto t = error_as<dy::TransportError>(late.error, &what);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->code(), dy::errc::timeout);
    EXPECT_THAT(what, HasSubstr("the call's deadline"));
    EXPECT_LT(ms_since(begun), 2000);
}

TEST(AsyncCall, ResetIsRetriedForReadsAndSurfacedForNonIdempotentWrites) {
    std::atomic<int> requests{0};
    LoopbackServer server([&](const ServerRequest&) {
        return ++requests % 2 == 1 ? ServerAction::reset_connection() : ok();
    });
    const dy::Client client(options_for(server));
    net::io_context ioc;
    Outcome read;
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::bind_executor(ioc, recorder(read)));
    ioc.run();
    EXPECT_FALSE(read.error);
    EXPECT_EQ(requests.load(), 2);

    Outcome write;
    dy::asio::async_call(client, dy::Operation::PutItem, put_request(), {.idempotent = false},
                         net::bind_executor(ioc, recorder(write)));
    ioc.restart();
    ioc.run();
    const auto e = error_as<dy::TransportError>(write.error);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::network);
    EXPECT_TRUE(e->request_sent());
    EXPECT_EQ(requests.load(), 3);   // not resent
}

TEST(AsyncCall, CancelledAfterTheRequestWasSent) {
    std::atomic<int> requests{0};
    LoopbackServer server([&](const ServerRequest&) {
        ++requests;
        return ok().after(3000ms);
    });
    const dy::Client client(options_for(server));
    net::io_context ioc;
    net::cancellation_signal signal;
    Outcome read;
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {},
                         net::bind_cancellation_slot(signal.slot(), net::bind_executor(ioc, recorder(read))));
    net::steady_timer timer(ioc, 200ms);
    timer.async_wait([&](boost::system::error_code) { signal.emit(net::cancellation_type::terminal); });
    const auto start = std::chrono::steady_clock::now();
    ioc.run();
    std::string what;
    const auto e = error_as<dy::TransportError>(read.error, &what);
    ASSERT_TRUE(e.has_value()) << what;
    EXPECT_EQ(e->code(), dy::errc::cancelled);
    EXPECT_TRUE(e->request_sent());
    EXPECT_THAT(what, HasSubstr("cancelled"));
    EXPECT_LT(ms_since(start), 2000);
    EXPECT_EQ(requests.load(), 1);

    // A write cancelled once its request went out may have been applied.
    Outcome write;
    net::cancellation_signal signal2;
    dy::asio::async_call(client, dy::Operation::PutItem, put_request(), {},
                         net::bind_cancellation_slot(signal2.slot(), net::bind_executor(ioc, recorder(write))));
    timer.expires_after(200ms);
    timer.async_wait([&](boost::system::error_code) { signal2.emit(net::cancellation_type::terminal); });
    ioc.restart();
    ioc.run();
    const auto w = error_as<dy::WriteOutcomeUnknownError>(write.error, &what);
    ASSERT_TRUE(w.has_value()) << what;
    EXPECT_THAT(what, HasSubstr("may or may not have been applied"));
}

TEST(AsyncCall, CancelledBeforeTheRequestWasSent) {
    // One connection: the second call waits for it in the pool and is cancelled there.
    LoopbackServer server([](const ServerRequest&) { return ok().after(500ms); });
    auto options = options_for(server);
    options.http.pool.max_connections = 1;
    const dy::Client client(options);
    net::io_context ioc;
    Outcome first, second;
    net::cancellation_signal signal;
    dy::asio::async_call(client, dy::Operation::PutItem, put_request(), {}, net::bind_executor(ioc, recorder(first)));
    dy::asio::async_call(client, dy::Operation::PutItem, put_request(), {},
                         net::bind_cancellation_slot(signal.slot(), net::bind_executor(ioc, recorder(second))));
    net::steady_timer timer(ioc, 100ms);
    timer.async_wait([&](boost::system::error_code) { signal.emit(net::cancellation_type::terminal); });
    ioc.run();
    EXPECT_FALSE(first.error);
    std::string what;
    const auto e = error_as<dy::TransportError>(second.error, &what);
    ASSERT_TRUE(e.has_value()) << what;
    EXPECT_EQ(e->code(), dy::errc::cancelled);
    EXPECT_FALSE(e->request_sent());   // a write that never went out: not "outcome unknown"
    EXPECT_EQ(server.requests(), 1u);

    // Cancelled during a backoff wait: no further attempt.
    std::atomic<int> throttled{0};
    LoopbackServer throttling([&](const ServerRequest&) {
        ++throttled;
        return error_action(400, "ThrottlingException");
    });
    auto slow = options_for(throttling);
    slow.retry.throttling_base_delay = 5000ms;
    slow.retry.max_delay = 5000ms;
    const dy::Client backing_off(slow);
    Outcome waiting;
    net::cancellation_signal signal2;
    // Full jitter may draw a short delay; a few attempts are allowed, but never one after the cancel.
    dy::asio::async_call(backing_off, dy::Operation::GetItem, get_request(), {},
                         net::bind_cancellation_slot(signal2.slot(), net::bind_executor(ioc, recorder(waiting))));
    timer.expires_after(300ms);
    int at_cancel = 0;
    timer.async_wait([&](boost::system::error_code) {
        at_cancel = throttled.load();
        signal2.emit(net::cancellation_type::terminal);
    });
    const auto start = std::chrono::steady_clock::now();
    ioc.restart();
    ioc.run();
    const auto c = error_as<dy::TransportError>(waiting.error, &what);
    ASSERT_TRUE(c.has_value()) << what;
    EXPECT_EQ(c->code(), dy::errc::cancelled);
    EXPECT_EQ(throttled.load(), at_cancel);
    EXPECT_LT(ms_since(start), 3000);
}

TEST(AsyncCall, AwaitableOperatorsCallOrTimer) {
    LoopbackServer server([](const ServerRequest&) { return ok().after(3000ms); });
    const dy::Client client(options_for(server));
    net::io_context ioc;
    std::size_t winner = 99;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            using namespace net::experimental::awaitable_operators;
            net::steady_timer timer(co_await net::this_coro::executor, 150ms);
            auto result = co_await (dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {},
                                                         net::use_awaitable) ||
                                    timer.async_wait(net::use_awaitable));
            winner = result.index();
        },
        net::detached);
    const auto start = std::chrono::steady_clock::now();
    ioc.run();
    EXPECT_EQ(winner, 1u);
    EXPECT_LT(ms_since(start), 2000);
}

TEST(AsyncCall, ThousandsInFlightFromOneThreadOverABoundedPool) {
    LoopbackServer server([](const ServerRequest&) { return ok(); });
    auto options = options_for(server);
    options.http.pool.max_connections = 8;
    options.http.connect_timeout = 30'000ms;   // also the longest wait for a pooled connection
    const dy::Client client(options);
    net::io_context ioc;
    constexpr int calls = 2000;
    int succeeded = 0, failed = 0;
    for (int i = 0; i < calls; ++i)
        dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {},
                             net::bind_executor(ioc, [&](std::exception_ptr e, boost::json::object) { ++(e ? failed : succeeded); }));
    ioc.run();
    EXPECT_EQ(succeeded, calls);
    EXPECT_EQ(failed, 0);
    EXPECT_LE(server.max_open_connections(), 8u);
    EXPECT_EQ(server.requests(), static_cast<std::size_t>(calls));
}

TEST(AsyncCall, ManyThreadsRunningOneIoContext) {
    LoopbackServer server([](const ServerRequest&) { return ok(); });
    auto options = options_for(server);
    options.http.pool.max_connections = 6;
    options.http.connect_timeout = 30'000ms;
    const dy::Client client(options);
    net::io_context ioc;
    constexpr int calls = 2000;
    std::atomic<int> succeeded{0}, failed{0};
    for (int i = 0; i < calls; ++i)
        dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {},
                             net::bind_executor(ioc, [&](std::exception_ptr e, boost::json::object) { ++(e ? failed : succeeded); }));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back([&] { ioc.run(); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(succeeded.load(), calls);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_LE(server.max_open_connections(), 6u);
}

TEST(AsyncCall, HttpsWithVerificationAndAnUntrustedCertificate) {
    const auto identity = dy::test::make_self_signed_identity({"localhost"}, {"127.0.0.1"});
    LoopbackServer server([](const ServerRequest&) { return ok(); }, identity);
    const dy::test::TempFile ca(identity.certificate_pem, ".pem");
    auto options = options_for(server);
    options.http.tls.ca_file = ca.path();
    const dy::Client client(options);
    net::io_context ioc;
    Outcome first, second;
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::bind_executor(ioc, recorder(first)));
    ioc.run();
    ASSERT_TRUE(first.done);
    EXPECT_FALSE(first.error);
    EXPECT_EQ(first.response.at("Item").at("id").at("S"), "a");
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {}, net::bind_executor(ioc, recorder(second)));
    ioc.restart();
    ioc.run();
    EXPECT_FALSE(second.error);
    EXPECT_EQ(server.accepted_connections(), 1u);   // the TLS connection was kept and reused

    // A CA file without the server's certificate: a TLS error, the request not sent.
    const auto other = dy::test::make_self_signed_identity({"localhost"}, {"127.0.0.1"});
    const dy::test::TempFile wrong(other.certificate_pem, ".pem");
    options.http.tls.ca_file = wrong.path();
    const dy::Client untrusting(options);
    Outcome refused;
    dy::asio::async_call(untrusting, dy::Operation::GetItem, get_request(), {},
                         net::bind_executor(ioc, recorder(refused)));
    ioc.restart();
    ioc.run();
    std::string what;
    const auto e = error_as<dy::TransportError>(refused.error, &what);
    ASSERT_TRUE(e.has_value()) << what;
    EXPECT_EQ(e->code(), dy::errc::tls) << what;
    EXPECT_FALSE(e->request_sent());
    EXPECT_THAT(what, HasSubstr("TLS handshake with 127.0.0.1:"));
}

// ---- the synchronous call's stop token ----------------------------------------------------------

TEST(SyncStopToken, StopsAReadInFlight) {
    LoopbackServer server([](const ServerRequest&) { return ok().after(5000ms); });
    auto options = options_for(server);
    options.http.request_timeout = 10'000ms;
    const dy::Client client(options);
    std::stop_source source;
    std::jthread stopper([&] {
        std::this_thread::sleep_for(150ms);
        source.request_stop();
    });
    const auto start = std::chrono::steady_clock::now();
    try {
        client.call(dy::Operation::GetItem, get_request(), {.stop = source.get_token()});
        ADD_FAILURE() << "nothing was thrown";
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::cancelled) << e.what();
        EXPECT_TRUE(e.request_sent());
        EXPECT_THAT(e.what(), HasSubstr("GetItem on table 't'"));
    }
    EXPECT_LT(ms_since(start), 2000);
    EXPECT_EQ(server.requests(), 1u);
}

TEST(SyncStopToken, StopsABackoffWaitAndAWriteSaysItsOutcomeIsUnknown) {
    std::atomic<int> requests{0};
    LoopbackServer server([&](const ServerRequest&) {
        ++requests;
        return error_action(400, "ThrottlingException");
    });
    auto options = options_for(server);
    options.retry.throttling_base_delay = 5000ms;
    options.retry.max_delay = 5000ms;
    // Full jitter draws each wait from [0, 5 s]: with one retry, a wait under 150 ms (3%) would end
    // the call with the throttling error before the stop; many retries cannot all be that short.
    options.retry.max_attempts = 50;
    const dy::Client client(options);
    std::stop_source source;
    std::jthread stopper([&] {
        std::this_thread::sleep_for(150ms);
        source.request_stop();
    });
    const auto start = std::chrono::steady_clock::now();
    try {
        client.call(dy::Operation::GetItem, get_request(), {.stop = source.get_token()});
        ADD_FAILURE() << "nothing was thrown";
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::cancelled) << e.what();
    }
    EXPECT_LT(ms_since(start), 4000);

    // Already stopped: nothing is sent.
    requests = 0;
    std::stop_source stopped;
    stopped.request_stop();
    try {
        client.call(dy::Operation::PutItem, put_request(), {.stop = stopped.get_token()});
        ADD_FAILURE() << "nothing was thrown";
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::cancelled);
        EXPECT_FALSE(e.request_sent());
    }
    EXPECT_EQ(requests.load(), 0);

    // A write stopped after its request went out: its outcome is unknown.
    LoopbackServer slow([](const ServerRequest&) { return ok().after(5000ms); });
    const dy::Client slow_client(options_for(slow));
    std::stop_source later;
    std::jthread stop_later([&] {
        std::this_thread::sleep_for(150ms);
        later.request_stop();
    });
    EXPECT_THROW(slow_client.call(dy::Operation::PutItem, put_request(), {.stop = later.get_token()}),
                 dy::WriteOutcomeUnknownError);
}

}  // namespace
