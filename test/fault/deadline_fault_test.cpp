// Deadlines against hostile servers: a real Client (BeastTransport, pool, retries) against a
// loopback server that drips bytes, floods interim responses or keeps the socket full with a
// header or body that never ends. Each case runs with a 300 ms request timeout (one attempt) and
// with a 1 s call timeout (retries allowed), and asserts that the call ends by its deadline plus
// a bounded margin, with the error class, code and a message stating the time actually waited.
//
// The library's goal is deadline + 50 ms; the assertions allow `margin` (150 ms) because this
// suite runs on loaded 2-core machines. Each test prints "deadline overrun: N ms" for the record.
#include <dynantic/client.hpp>

#include "support/loopback_server.hpp"

#include <dynantic/error.hpp>

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <regex>
#include <string>

namespace dy = dynantic;

namespace {

using dy::test::LoopbackServer;
using dy::test::ServerAction;
using dy::test::ServerRequest;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto margin = 150ms;
constexpr auto request_timeout = 300ms;
constexpr auto call_timeout = 1000ms;

/** How the client is limited in one run. */
enum class Bound {
    request_timeout,   ///< `http.request_timeout` 300 ms, one attempt
    call_timeout,      ///< `call_timeout` 1 s over up to 10 attempts of 300 ms each
};

std::string name_of(Bound b) { return b == Bound::request_timeout ? "request timeout 300 ms" : "call timeout 1 s"; }

std::chrono::milliseconds deadline_of(Bound b) { return b == Bound::request_timeout ? request_timeout : call_timeout; }

dy::ClientOptions options_for(const LoopbackServer& server, Bound bound) {
    dy::ClientOptions o;
    o.endpoint = server.endpoint().url();
    o.region = "us-east-1";
    o.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
        dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}});
    o.http.request_timeout = request_timeout;
    o.retry.base_delay = 1ms;
    if (bound == Bound::request_timeout) {
        o.retry.max_attempts = 1;
    } else {
        o.retry.max_attempts = 10;
        o.call_timeout = call_timeout;
    }
    return o;
}

/** What one call ended with. */
struct Outcome {
    std::optional<dy::TransportError> error;
    std::chrono::milliseconds elapsed{0};
};

Outcome get_item(const LoopbackServer& server, Bound bound) {
    const dy::Client client(options_for(server, bound));
    const auto request = boost::json::parse(R"({"TableName":"t","Key":{"id":{"S":"k"}}})").get_object();
    Outcome out;
    const auto start = Clock::now();
    try {
        client.call("GetItem", request);
        ADD_FAILURE() << "nothing was thrown";
    } catch (const dy::TransportError& e) {
        out.error = e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "unexpected exception: " << e.what();
    }
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return out;
}

/** The first "<number> ms" after `prefix` in `text`, or -1. */
long long ms_after(const std::string& text, const std::string& prefix) {
    const std::regex pattern(prefix + "([0-9]+) ms");
    std::smatch m;
    if (!std::regex_search(text, m, pattern)) return -1;
    return std::stoll(m[1].str());
}

/** Asserts the call ended by `deadline + margin` and records the overrun. */
void expect_bounded(const Outcome& out, std::chrono::milliseconds deadline, const std::string& what) {
    EXPECT_LE(out.elapsed, deadline + margin) << what;
    const long long overrun = (out.elapsed - deadline).count();
    std::printf("deadline overrun: %lld ms (%s, took %lld ms)\n", overrun, what.c_str(),
                static_cast<long long>(out.elapsed.count()));
}

/** Asserts a timeout that waited the whole deadline: errc::timeout, the request sent, and a
    message stating the measured wait (per attempt) and, for the call timeout, the call's time. */
void expect_timed_out(const Outcome& out, Bound bound, const std::string& what) {
    ASSERT_TRUE(out.error.has_value()) << what;
    const auto& e = *out.error;
    const std::string message = e.what();
    EXPECT_EQ(e.code(), dy::errc::timeout) << message;
    // A call may end a little before its deadline: no retry begins whose backoff would reach it.
    EXPECT_GE(out.elapsed, deadline_of(bound) - (bound == Bound::request_timeout ? 5ms : 50ms)) << message;
    expect_bounded(out, deadline_of(bound), what);
    if (bound == Bound::request_timeout) {
        EXPECT_TRUE(e.request_sent()) << message;
        EXPECT_THAT(message, HasSubstr("waiting for the response from 127.0.0.1:"));
        EXPECT_THAT(message, HasSubstr("(request timeout 300 ms)"));
        EXPECT_THAT(message, HasSubstr("the request had been sent"));
        // The waited time is measured: at least the timeout, at most what the caller saw.
        const long long waited = ms_after(message, "timed out after ");
        ASSERT_GE(waited, 0) << message;
        EXPECT_GE(waited, request_timeout.count()) << message;
        EXPECT_LE(waited, out.elapsed.count()) << message;
    } else {
        // The last attempt was cut by the call's deadline, ended by its own timeout too close to
        // the deadline for another, or (rarely) found the deadline passed before sending.
        EXPECT_THAT(message, ::testing::AnyOf(HasSubstr("(the call's deadline, "), HasSubstr("(request timeout 300 ms)"),
                                              HasSubstr("the call's deadline passed before the request")));
        EXPECT_THAT(message, ::testing::AnyOf(HasSubstr("the request had been sent"),
                                              HasSubstr("the request was not sent")));
        // The call's own measured time, as the caller saw it.
        const long long total = ms_after(message, "stopped by the call's timeout of 1000 ms after ");
        ASSERT_GE(total, 0) << message;
        EXPECT_GE(total, (call_timeout - 50ms).count()) << message;
        EXPECT_LE(total, out.elapsed.count()) << message;
    }
}

/** A 200 response announcing 100 000 body bytes, sent one byte every 5 ms. */
ServerAction drip(const ServerRequest&) {
    static const std::string response =
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 100000\r\n\r\n" +
        std::string(100000, ' ');
    return ServerAction::send_stream(
        [](std::size_t i) { return i < response.size() ? std::string(1, response[i]) : std::string(); }, 5ms);
}

/** 64 KiB pieces, each `unit` repeated, after `head`. Written as fast as the client reads. */
ServerAction flood(std::string head, const std::string& unit) {
    std::string piece;
    while (piece.size() < (64u << 10)) piece += unit;
    return ServerAction::send_stream(
        [head = std::move(head), piece](std::size_t i) { return i == 0 && !head.empty() ? head : piece; });
}

class DeadlineFault : public ::testing::TestWithParam<Bound> {};

INSTANTIATE_TEST_SUITE_P(Bounds, DeadlineFault, ::testing::Values(Bound::request_timeout, Bound::call_timeout),
                         [](const auto& info) {
                             return info.param == Bound::request_timeout ? std::string("RequestTimeout")
                                                                         : std::string("CallTimeout");
                         });

TEST_P(DeadlineFault, ADripFedResponseEndsAtTheDeadline) {
    LoopbackServer server(drip);
    const Outcome out = get_item(server, GetParam());
    expect_timed_out(out, GetParam(), "drip-feed, " + name_of(GetParam()));
    if (GetParam() == Bound::request_timeout) EXPECT_EQ(server.requests(), 1u);
    else EXPECT_GE(server.requests(), 3u);   // 300 ms attempts retried until the call's deadline
}

TEST_P(DeadlineFault, ABodyThatNeverEndsEndsAtTheDeadline) {
    // One-byte chunks: 6 bytes on the wire per body byte, so the 64 MiB body limit lies seconds
    // away and the socket is never empty when the client reads.
    LoopbackServer server([](const ServerRequest&) {
        return flood("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                     "1\r\n \r\n");
    });
    const Outcome out = get_item(server, GetParam());
    expect_timed_out(out, GetParam(), "endless body, " + name_of(GetParam()));
}

TEST_P(DeadlineFault, AnInterimResponseFloodIsCutOffAtTheCap) {
    std::atomic<std::size_t> pieces{0};
    LoopbackServer server([&](const ServerRequest&) {
        return ServerAction::send_stream([&](std::size_t) {
            ++pieces;
            return std::string("HTTP/1.1 100 Continue\r\n\r\n");
        });
    });
    const Outcome out = get_item(server, GetParam());
    ASSERT_TRUE(out.error.has_value());
    const std::string message = out.error->what();
    EXPECT_EQ(out.error->code(), dy::errc::invalid_response) << message;
    EXPECT_TRUE(out.error->request_sent());
    EXPECT_THAT(message, HasSubstr("sent more than 8 interim (1xx) responses; gave up after "));
    EXPECT_THAT(message, HasSubstr("the request had been sent"));
    const long long waited = ms_after(message, "gave up after ");
    ASSERT_GE(waited, 0) << message;
    EXPECT_LE(waited, out.elapsed.count());
    EXPECT_EQ(server.requests(), 1u);   // a protocol violation is not retried
    expect_bounded(out, deadline_of(GetParam()), "1xx flood, " + name_of(GetParam()));
}

TEST_P(DeadlineFault, SlowInterimResponsesEndAtTheDeadline) {
    // One 100 Continue every 60 ms: the cap (8) lies past the 300 ms attempt timeout.
    LoopbackServer server([](const ServerRequest&) {
        return ServerAction::send_stream([](std::size_t) { return std::string("HTTP/1.1 100 Continue\r\n\r\n"); },
                                         60ms);
    });
    const Outcome out = get_item(server, GetParam());
    expect_timed_out(out, GetParam(), "slow 1xx flood, " + name_of(GetParam()));
}

TEST_P(DeadlineFault, AHeaderThatNeverEndsIsCutOffAtTheHeaderLimit) {
    LoopbackServer server([](const ServerRequest&) {
        return flood("HTTP/1.1 200 OK\r\n", "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    });
    const Outcome out = get_item(server, GetParam());
    ASSERT_TRUE(out.error.has_value());
    const std::string message = out.error->what();
    // Whichever comes first ends an attempt: the 1 MiB header limit (tens of ms here) or, where
    // reading 1 MiB of short header lines takes longer than the attempt's 300 ms (a sanitizer
    // build), its timeout. Either way the call ends by its deadline.
    if (out.error->code() == dy::errc::timeout) {
        expect_timed_out(out, GetParam(), "endless header, " + name_of(GetParam()));
        return;
    }
    EXPECT_EQ(out.error->code(), dy::errc::invalid_response) << message;
    EXPECT_TRUE(out.error->request_sent());
    EXPECT_THAT(message, HasSubstr("sent a response header over 1 MiB; gave up after "));
    const long long waited = ms_after(message, "gave up after ");
    ASSERT_GE(waited, 0) << message;
    EXPECT_LE(waited, out.elapsed.count());
    // A protocol violation is not retried: the attempt that met it was the last one sent (earlier
    // attempts of a call_timeout may have timed out first; the message counts the attempts).
    const long long attempts = std::max(1LL, [&] {
        const std::regex pattern("\\(([0-9]+) attempts\\)");
        std::smatch m;
        return std::regex_search(message, m, pattern) ? std::stoll(m[1].str()) : 1LL;
    }());
    EXPECT_EQ(server.requests(), static_cast<std::size_t>(attempts)) << message;
    if (GetParam() == Bound::request_timeout) {
        EXPECT_EQ(server.requests(), 1u);
    }
    expect_bounded(out, deadline_of(GetParam()), "endless header, " + name_of(GetParam()));
}

TEST_P(DeadlineFault, AHeaderDrippedSlowlyEndsAtTheDeadline) {
    // Header lines that never end, 41 bytes every 2 ms: far below the header limit by the deadline.
    LoopbackServer server([](const ServerRequest&) {
        return ServerAction::send_stream(
            [](std::size_t i) {
                return i == 0 ? std::string("HTTP/1.1 200 OK\r\n") : std::string("X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
            },
            2ms);
    });
    const Outcome out = get_item(server, GetParam());
    expect_timed_out(out, GetParam(), "slow endless header, " + name_of(GetParam()));
}

TEST(DeadlineFaultRetry, NoAttemptStartsPastTheCallDeadline) {
    // Every attempt fails at once with a retryable 500; backoff delays of up to 400 ms. The call
    // ends by its 1 s deadline, and the server never sees a request after it.
    std::atomic<long long> last_request_ms{0};
    const auto start = Clock::now();
    LoopbackServer server([&](const ServerRequest&) {
        last_request_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
        return ServerAction::respond(500, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"})");
    });
    auto options = options_for(server, Bound::call_timeout);
    options.retry.max_attempts = 100;
    options.retry.base_delay = 400ms;
    options.retry.max_delay = 400ms;
    options.retry.retry_quota = 0;
    const dy::Client client(options);
    const auto request = boost::json::parse(R"({"TableName":"t","Key":{"id":{"S":"k"}}})").get_object();
    try {
        client.call("GetItem", request);
        ADD_FAILURE() << "nothing was thrown";
    } catch (const dy::TransportError& e) {
        // Only when the deadline passed between the last check and sending: then nothing was sent.
        EXPECT_EQ(e.code(), dy::errc::timeout) << e.what();
        EXPECT_FALSE(e.request_sent()) << e.what();
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::internal_server_error) << e.what();   // the last attempt's own error
    }
    const auto elapsed = Clock::now() - start;
    EXPECT_LE(elapsed, call_timeout + margin);
    // Read by the server's thread, which a loaded machine may run late: bounded by the margin.
    EXPECT_LT(last_request_ms.load(), (call_timeout + margin).count());
    EXPECT_GE(server.requests(), 2u);
}

}  // namespace
