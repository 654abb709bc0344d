#include "dynantic/http/transport.hpp"

#include "support/loopback_server.hpp"
#include "support/scoped_env.hpp"
#include "support/tls_identity.hpp"

#include <dynantic/error.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace dynantic::test {
namespace {

using namespace std::chrono_literals;
using http::BeastTransport;
using http::HttpRequest;
using http::HttpResponse;
using http::TransportOptions;
using ::testing::HasSubstr;

HttpRequest post(std::string body, std::string target = "/") {
    HttpRequest req;
    req.method = "POST";
    req.target = std::move(target);
    req.body = std::move(body);
    return req;
}

/** A handler answering 200 with the request body. */
ServerAction echo(const ServerRequest& req) { return ServerAction::respond(200, req.body); }

/** Runs `f`, which must throw TransportError; returns it. */
template <class F>
std::optional<TransportError> transport_error(F&& f) {
    try {
        f();
    } catch (const TransportError& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected TransportError, got: " << e.what();
        return std::nullopt;
    }
    ADD_FAILURE() << "expected TransportError, nothing was thrown";
    return std::nullopt;
}

TEST(BeastTransport, RoundTripsMethodTargetHeadersAndBody) {
    std::mutex mutex;
    std::optional<ServerRequest> seen;
    LoopbackServer server([&](const ServerRequest& req) {
        const std::lock_guard lock(mutex);
        seen = req;
        return ServerAction::respond(201, "pong", {{"X-Reply", "yes"}, {"Content-Type", "text/plain"}});
    });
    BeastTransport transport;
    HttpRequest req = post("ping", "/some/path?x=1&y=2");
    req.method = "PUT";
    req.headers = {{"X-Custom", "abc def"}, {"Content-Type", "application/x-amz-json-1.0"}};

    const HttpResponse res = transport.send(server.endpoint(), req);

    EXPECT_EQ(res.status, 201u);
    EXPECT_EQ(res.body, "pong");
    EXPECT_EQ(res.header("x-reply"), "yes");
    EXPECT_EQ(res.header("Content-Type"), "text/plain");
    EXPECT_EQ(res.header("Content-Length"), "4");
    const std::lock_guard lock(mutex);
    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->method, "PUT");
    EXPECT_EQ(seen->target, "/some/path?x=1&y=2");
    EXPECT_EQ(seen->body, "ping");
    EXPECT_EQ(seen->header("X-Custom"), "abc def");
    EXPECT_EQ(seen->header("Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(seen->header("Content-Length"), "4");
}

TEST(BeastTransport, SendsHostHeaderOfTheEndpoint) {
    std::mutex mutex;
    std::optional<ServerRequest> seen;
    LoopbackServer server([&](const ServerRequest& req) {
        const std::lock_guard lock(mutex);
        seen = req;
        return ServerAction::respond(200);
    });
    BeastTransport transport;
    HttpRequest req = post("{}");
    req.headers = {{"host", "wrong.example"}, {"Content-Length", "99"}};   // the transport's own
    EXPECT_EQ(transport.send(server.endpoint(), req).status, 200u);

    const std::lock_guard lock(mutex);
    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->header("Host"), "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(seen->header_count("Host"), 1u);
    EXPECT_EQ(seen->header_count("Content-Length"), 1u);
    EXPECT_EQ(seen->header("Content-Length"), "2");
}

TEST(BeastTransport, SendsEmptyBodyAndReadsEmptyResponse) {
    LoopbackServer server([](const ServerRequest& req) {
        return ServerAction::respond(req.body.empty() && req.header("Content-Length") == "0" ? 204 : 400);
    });
    BeastTransport transport;
    HttpRequest req;
    req.method = "GET";
    const HttpResponse res = transport.send(server.endpoint(), req);
    EXPECT_EQ(res.status, 204u);
    EXPECT_EQ(res.body, "");
}

TEST(BeastTransport, ErrorStatusIsAResponse) {
    LoopbackServer server([](const ServerRequest&) {
        return ServerAction::respond(400, R"({"__type":"x#ValidationException"})");
    });
    BeastTransport transport;
    const HttpResponse res = transport.send(server.endpoint(), post("{}"));
    EXPECT_EQ(res.status, 400u);
    EXPECT_THAT(res.body, HasSubstr("ValidationException"));
}

TEST(BeastTransport, CarriesLargeBodiesBothWays) {
    LoopbackServer server(echo);
    BeastTransport transport;
    std::string body(3u << 20, '\0');
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
    const HttpResponse res = transport.send(server.endpoint(), post(body));
    EXPECT_EQ(res.status, 200u);
    EXPECT_TRUE(res.body == body);
}

TEST(BeastTransport, ReusesKeepAliveConnection) {
    LoopbackServer server(echo);
    BeastTransport transport;
    for (int i = 0; i < 10; ++i) {
        const std::string body = "request " + std::to_string(i);
        EXPECT_EQ(transport.send(server.endpoint(), post(body)).body, body);
    }
    const auto stats = transport.stats();
    EXPECT_EQ(stats.connections_opened, 1u);
    EXPECT_EQ(stats.connections_reused, 9u);
    EXPECT_EQ(stats.idle_connections, 1u);
    EXPECT_EQ(server.accepted_connections(), 1u);
    EXPECT_EQ(server.requests(), 10u);
}

TEST(BeastTransport, ReplacesConnectionAfterConnectionClose) {
    LoopbackServer server([](const ServerRequest& req) { return ServerAction::respond(200, req.body).then_close(); });
    BeastTransport transport;
    EXPECT_EQ(transport.send(server.endpoint(), post("one")).body, "one");
    EXPECT_EQ(transport.stats().idle_connections, 0u);   // not pooled: the server said close
    EXPECT_EQ(transport.send(server.endpoint(), post("two")).body, "two");
    const auto stats = transport.stats();
    EXPECT_EQ(stats.connections_opened, 2u);
    EXPECT_EQ(stats.connections_reused, 0u);
    EXPECT_EQ(server.accepted_connections(), 2u);
}

TEST(BeastTransport, ReplacesIdleConnectionClosedByServerAfterResponse) {
    LoopbackServer server(
        [](const ServerRequest& req) { return ServerAction::respond(200, req.body).then_close_silently(); });
    BeastTransport transport;
    for (int i = 0; i < 3; ++i) {
        const std::string body = "request " + std::to_string(i);
        EXPECT_EQ(transport.send(server.endpoint(), post(body)).body, body);
    }
    // Each pooled connection was found closed and the request resent on a new one.
    EXPECT_EQ(server.requests(), 3u);
    EXPECT_EQ(transport.stats().connections_opened, 3u);
    EXPECT_EQ(server.accepted_connections(), 3u);
}

TEST(BeastTransport, ReplacesIdleConnectionClosedWhileIdle) {
    LoopbackServer server(echo);
    BeastTransport transport;
    EXPECT_EQ(transport.send(server.endpoint(), post("one")).body, "one");
    EXPECT_EQ(server.close_idle_connections(), 1u);
    std::this_thread::sleep_for(20ms);   // let the FIN arrive
    EXPECT_EQ(transport.send(server.endpoint(), post("two")).body, "two");
    EXPECT_EQ(transport.send(server.endpoint(), post("three")).body, "three");
    const auto stats = transport.stats();
    EXPECT_EQ(stats.connections_opened, 2u);
    EXPECT_EQ(stats.connections_reused, 1u);   // the replacement; the stale one is not counted
    // (a replayable request used a moment after the last skips the MSG_PEEK check: the stale
    // connection's end of stream sends it again on a new connection)
    EXPECT_EQ(server.requests(), 3u);
}

TEST(BeastTransport, ClosesIdleConnectionsOlderThanIdleTimeout) {
    LoopbackServer server(echo);
    TransportOptions options;
    options.pool.idle_timeout = 30ms;
    BeastTransport transport(options);
    transport.send(server.endpoint(), post("one"));
    transport.send(server.endpoint(), post("two"));
    std::this_thread::sleep_for(60ms);
    transport.send(server.endpoint(), post("three"));
    const auto stats = transport.stats();
    EXPECT_EQ(stats.connections_opened, 2u);
    EXPECT_EQ(stats.connections_reused, 1u);
    EXPECT_EQ(stats.idle_connections, 1u);
}

TEST(BeastTransport, RespectsPoolBoundUnderConcurrency) {
    LoopbackServer server(echo);
    TransportOptions options;
    options.pool.max_connections = 2;
    BeastTransport transport(options);
    constexpr int threads = 8;
    constexpr int per_thread = 50;
    std::atomic<int> correct{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const std::string body = "thread " + std::to_string(t) + " request " + std::to_string(i);
                try {
                    const HttpResponse res = transport.send(server.endpoint(), post(body));
                    if (res.status == 200 && res.body == body) ++correct;
                } catch (const std::exception& e) {
                    ADD_FAILURE() << e.what();
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    EXPECT_EQ(correct.load(), threads * per_thread);
    EXPECT_LE(server.accepted_connections(), 2u);
    EXPECT_LE(server.max_open_connections(), 2u);
    const auto stats = transport.stats();
    EXPECT_LE(stats.connections_opened, 2u);
    EXPECT_EQ(stats.connections_opened + stats.connections_reused, std::uint64_t{threads * per_thread});
    EXPECT_LE(stats.idle_connections, 2u);
}

TEST(BeastTransport, TimesOutWaitingForAPooledConnection) {
    LoopbackServer server([](const ServerRequest& req) {
        return req.body == "slow" ? ServerAction::respond(200).after(1s) : ServerAction::respond(200);
    });
    TransportOptions options;
    options.pool.max_connections = 1;
    options.connect_timeout = 150ms;
    BeastTransport transport(options);
    std::thread slow([&] {
        try {
            transport.send(server.endpoint(), post("slow"));
        } catch (const TransportError&) {   // the server stops before it answers
        }
    });
    while (server.requests() == 0) std::this_thread::sleep_for(1ms);

    const auto start = std::chrono::steady_clock::now();
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("fast")); });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    server.stop();   // cuts the slow response short
    slow.join();
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::timeout);
    EXPECT_THAT(std::string(error->message()), HasSubstr("max_connections"));
    EXPECT_GE(elapsed, 140ms);
    EXPECT_LT(elapsed, 600ms);
}

TEST(BeastTransport, SlowServerTimesOut) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::respond(200).after(5s); });
    TransportOptions options;
    options.request_timeout = 200ms;
    BeastTransport transport(options);
    const auto start = std::chrono::steady_clock::now();
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::timeout);
    EXPECT_TRUE(error->code() == condition::retryable);
    EXPECT_THAT(std::string(error->message()), HasSubstr("127.0.0.1:" + std::to_string(server.port())));
    EXPECT_GE(elapsed, 190ms);
    EXPECT_LT(elapsed, 350ms);
    EXPECT_EQ(transport.stats().idle_connections, 0u);   // the timed-out connection is gone
}

TEST(BeastTransport, RecoversAfterTimeout) {
    LoopbackServer server([](const ServerRequest& req) {
        return req.body == "slow" ? ServerAction::respond(200).after(2s) : ServerAction::respond(200, req.body);
    });
    TransportOptions options;
    options.request_timeout = 100ms;
    BeastTransport transport(options);
    EXPECT_TRUE(transport_error([&] { transport.send(server.endpoint(), post("slow")); }).has_value());
    EXPECT_EQ(transport.send(server.endpoint(), post("fast")).body, "fast");
    EXPECT_EQ(transport.stats().connections_opened, 2u);
}

TEST(BeastTransport, HandshakeWithSilentPeerTimesOut) {
    // A socket that listens but never accepts: the kernel completes the TCP connection, and the
    // TLS handshake never gets an answer.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
    ASSERT_EQ(::listen(listener, 8), 0);
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
    http::Endpoint endpoint;
    endpoint.tls = true;
    endpoint.host = "127.0.0.1";
    endpoint.port = ntohs(address.sin_port);

    TransportOptions options;
    options.connect_timeout = 200ms;
    BeastTransport transport(options);
    const auto start = std::chrono::steady_clock::now();
    const auto error = transport_error([&] { transport.send(endpoint, post("{}")); });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ::close(listener);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::timeout);
    EXPECT_THAT(std::string(error->message()), HasSubstr("TLS handshake"));
    EXPECT_GE(elapsed, 190ms);
    EXPECT_LT(elapsed, 350ms);
}

TEST(BeastTransport, ConnectionRefusedIsNetworkError) {
    http::Endpoint endpoint;
    {
        LoopbackServer server(echo);
        endpoint = server.endpoint();
    }   // nothing listens on that port any more
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(endpoint, post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::network);
    EXPECT_TRUE(error->code() == condition::transport);
    EXPECT_THAT(std::string(error->message()), HasSubstr("127.0.0.1:" + std::to_string(endpoint.port)));
    EXPECT_THAT(std::string(error->message()), HasSubstr("refused"));
}

TEST(BeastTransport, ResolvesHostNames) {
    LoopbackServer server(echo);
    http::Endpoint endpoint = server.endpoint();
    endpoint.host = "localhost";   // may resolve to ::1 first, where nothing listens
    BeastTransport transport;
    EXPECT_EQ(transport.send(endpoint, post("hello")).body, "hello");
}

TEST(BeastTransport, TruncatedResponseIsTransportError) {
    LoopbackServer server([](const ServerRequest&) {
        return ServerAction::respond(200, std::string(1000, 'x')).truncated_at(100);
    });
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::network);
    EXPECT_EQ(server.requests(), 1u);   // not resent: part of a response had arrived
}

TEST(BeastTransport, CloseWithoutResponseOnNewConnectionIsNetworkError) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::close_connection(); });
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::network);
    EXPECT_THAT(std::string(error->message()), HasSubstr("without responding"));
    EXPECT_EQ(server.requests(), 1u);   // a new connection is never resent on
}

TEST(BeastTransport, ResetIsNetworkError) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::reset_connection(); });
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::network);
}

TEST(BeastTransport, MalformedResponseIsNetworkError) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::send_raw("HTTP/1.1 2xx Nope\r\n\r\n"); });
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::network);
}

TEST(BeastTransport, SkipsInterimResponses) {
    LoopbackServer server([](const ServerRequest&) {
        return ServerAction::send_raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    BeastTransport transport;
    const HttpResponse res = transport.send(server.endpoint(), post("{}"));
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.body, "ok");
}

TEST(BeastTransport, AcceptsEightInterimResponsesAndRefusesANinth) {
    std::string interim;
    for (int i = 0; i < 8; ++i) interim += i % 2 == 0 ? "HTTP/1.1 100 Continue\r\n\r\n" : "HTTP/1.1 103 Early Hints\r\n\r\n";
    const std::string final_response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    {
        LoopbackServer server([&](const ServerRequest&) { return ServerAction::send_raw(interim + final_response); });
        BeastTransport transport;
        EXPECT_EQ(transport.send(server.endpoint(), post("{}")).body, "ok");
    }
    LoopbackServer server([&](const ServerRequest&) {
        return ServerAction::send_raw(interim + "HTTP/1.1 100 Continue\r\n\r\n" + final_response);
    });
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::invalid_response);
    EXPECT_TRUE(error->request_sent());
    EXPECT_THAT(std::string(error->message()),
                ::testing::MatchesRegex("127\\.0\\.0\\.1:[0-9]+ sent more than 8 interim \\(1xx\\) responses; gave up "
                                        "after [0-9]+ ms; the request had been sent"));
    EXPECT_EQ(transport.stats().idle_connections, 0u);   // not reused
}

TEST(BeastTransport, RefusesHeaderInjection) {
    LoopbackServer server(echo);
    BeastTransport transport;
    HttpRequest req = post("{}");
    req.headers = {{"X-Evil", "a\r\nX-Injected: 1"}};
    EXPECT_THROW(transport.send(server.endpoint(), req), ValidationError);
    req.headers = {{"Bad Name", "x"}};
    EXPECT_THROW(transport.send(server.endpoint(), req), ValidationError);
    EXPECT_EQ(server.requests(), 0u);
}

TEST(BeastTransport, ReplacesIdleConnectionResetWhileIdle) {
    LoopbackServer server(echo);
    BeastTransport transport;
    EXPECT_EQ(transport.send(server.endpoint(), post("one")).body, "one");
    EXPECT_EQ(server.reset_idle_connections(), 1u);
    while (server.open_connections() != 0) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(5ms);   // let the RST arrive
    HttpRequest req = post("two");
    req.replayable = false;   // noticed before anything is written: safe even so
    EXPECT_EQ(transport.send(server.endpoint(), req).body, "two");
    EXPECT_EQ(transport.stats().connections_opened, 2u);
    EXPECT_EQ(server.requests(), 2u);
}

TEST(BeastTransport, ANonReplayableRequestIsNotResentWhenAReusedConnectionDiesAfterIt) {
    std::atomic<int> n{0};
    LoopbackServer server([&](const ServerRequest& req) {
        // The second request is processed, then the connection is reset without an answer.
        return n.fetch_add(1) == 1 ? ServerAction::reset_connection() : ServerAction::respond(200, req.body);
    });
    BeastTransport transport;
    EXPECT_EQ(transport.send(server.endpoint(), post("one")).body, "one");
    HttpRequest req = post("two");
    req.replayable = false;
    const auto error = transport_error([&] { transport.send(server.endpoint(), req); });
    ASSERT_TRUE(error.has_value());
    EXPECT_TRUE(error->request_sent());
    EXPECT_EQ(server.requests(), 2u);   // not resent

    // A replayable one is resent on a new connection.
    n = 5;
    EXPECT_EQ(transport.send(server.endpoint(), post("three")).body, "three");   // pooled again
    n = 1;
    EXPECT_EQ(transport.send(server.endpoint(), post("four")).body, "four");     // reset, resent
    EXPECT_EQ(server.requests(), 5u);
}

// ---- whether the request was sent ----------------------------------------------------------------

TEST(BeastTransportRequestSent, FalseWhenTheConnectionIsRefused) {
    http::Endpoint endpoint;
    {
        LoopbackServer server(echo);
        endpoint = server.endpoint();
    }
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(endpoint, post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_FALSE(error->request_sent());
}

TEST(BeastTransportRequestSent, TrueWhenTheServerResetsAfterReadingTheRequest) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::reset_connection(); });
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_TRUE(error->request_sent());
    EXPECT_EQ(server.requests(), 1u);
}

TEST(BeastTransportRequestSent, TrueWhenTheResponseIsLate) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::respond(200).after(2s); });
    TransportOptions options;
    options.request_timeout = 100ms;
    BeastTransport transport(options);
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::timeout);
    EXPECT_TRUE(error->request_sent());
    // The time waited is measured (100 ms or a little more), then what bounded it.
    EXPECT_THAT(std::string(error->message()),
                ::testing::MatchesRegex("timed out after 1[0-9][0-9] ms \\(request timeout 100 ms\\) waiting for the "
                                        "response from 127\\.0\\.0\\.1:" + std::to_string(server.port()) +
                                        "; the request had been sent"));
}

TEST(BeastTransportRequestSent, TrueForATruncatedResponse) {
    LoopbackServer server([](const ServerRequest&) {
        return ServerAction::respond(200, std::string(1000, 'x')).truncated_at(10);
    });
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_TRUE(error->request_sent());
}

TEST(BeastTransportRequestSent, FalseWhenNoPooledConnectionBecameFree) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::respond(200).after(1s); });
    TransportOptions options;
    options.pool.max_connections = 1;
    options.connect_timeout = 100ms;
    BeastTransport transport(options);
    std::thread busy([&] {
        try {
            transport.send(server.endpoint(), post("slow"));
        } catch (const TransportError&) {
        }
    });
    while (server.requests() == 0) std::this_thread::sleep_for(1ms);
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    server.stop();
    busy.join();
    ASSERT_TRUE(error.has_value());
    EXPECT_FALSE(error->request_sent());
}

TEST(BeastTransport, TheRequestDeadlineShortensTheWait) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::respond(200).after(2s); });
    BeastTransport transport;   // 10 s request timeout
    HttpRequest req = post("{}");
    const auto start = std::chrono::steady_clock::now();
    req.deadline = start + 150ms;
    const auto error = transport_error([&] { transport.send(server.endpoint(), req); });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::timeout);
    EXPECT_GE(elapsed, 140ms);
    EXPECT_LT(elapsed, 500ms);
    EXPECT_THAT(std::string(error->message()), HasSubstr("waiting for the response"));
}

TEST(BeastTransport, APassedRequestDeadlineFailsBeforeSending) {
    LoopbackServer server(echo);
    BeastTransport transport;
    HttpRequest req = post("{}");
    req.deadline = std::chrono::steady_clock::now() - 1ms;
    const auto error = transport_error([&] { transport.send(server.endpoint(), req); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::timeout);
    EXPECT_FALSE(error->request_sent());
    EXPECT_EQ(server.requests(), 0u);
}

TEST(BeastTransport, StatsAreReachableThroughTheInterface) {
    LoopbackServer server(echo);
    std::shared_ptr<http::Transport> transport = std::make_shared<BeastTransport>();
    transport->send(server.endpoint(), post("a"));
    transport->send(server.endpoint(), post("b"));
    EXPECT_EQ(transport->stats().connections_opened, 1u);
    EXPECT_EQ(transport->stats().connections_reused, 1u);
}

class BeastTransportTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        identity_ = new TlsIdentity(make_self_signed_identity({"localhost"}, {"127.0.0.1"}));
        ca_file_ = new TempFile(identity_->certificate_pem, ".pem");
    }
    static void TearDownTestSuite() {
        delete ca_file_;
        delete identity_;
    }
    static TlsIdentity* identity_;
    static TempFile* ca_file_;
};

TlsIdentity* BeastTransportTls::identity_ = nullptr;
TempFile* BeastTransportTls::ca_file_ = nullptr;

TEST_F(BeastTransportTls, TrustsCertificateFromCaFile) {
    LoopbackServer server(echo, *identity_);
    TransportOptions options;
    options.tls.ca_file = ca_file_->path();
    BeastTransport transport(options);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(transport.send(server.endpoint(), post("secret")).body, "secret");
    EXPECT_EQ(transport.stats().connections_opened, 1u);
    EXPECT_EQ(server.accepted_connections(), 1u);
}

TEST_F(BeastTransportTls, VerifiesHostNameWithSni) {
    LoopbackServer server(echo, *identity_);
    http::Endpoint endpoint = server.endpoint();
    endpoint.host = "localhost";
    TransportOptions options;
    options.tls.ca_file = ca_file_->path();
    BeastTransport transport(options);
    EXPECT_EQ(transport.send(endpoint, post("hello")).body, "hello");
}

TEST_F(BeastTransportTls, UntrustedCertificateIsTlsError) {
    LoopbackServer server(echo, *identity_);
    BeastTransport transport;   // system store: does not know the self-signed certificate
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::tls);
    EXPECT_THAT(std::string(error->message()), HasSubstr("certificate verification failed"));
    EXPECT_THAT(std::string(error->message()), HasSubstr("self-signed"));
    EXPECT_EQ(server.requests(), 0u);
}

TEST_F(BeastTransportTls, HostNameMismatchIsTlsError) {
    const TlsIdentity other = make_self_signed_identity({"other.example"}, {});
    const TempFile other_ca(other.certificate_pem, ".pem");
    LoopbackServer server(echo, other);
    TransportOptions options;
    options.tls.ca_file = other_ca.path();
    BeastTransport transport(options);
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::tls);
    EXPECT_THAT(std::string(error->message()), HasSubstr("mismatch"));
}

TEST_F(BeastTransportTls, AFailedHandshakeMeansTheRequestWasNotSent) {
    LoopbackServer server(echo, *identity_);
    BeastTransport transport;
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_FALSE(error->request_sent());
}

TEST_F(BeastTransportTls, VerificationCanBeTurnedOff) {
    LoopbackServer server(echo, *identity_);
    TransportOptions options;
    options.tls.verify_peer = false;
    BeastTransport transport(options);
    EXPECT_EQ(transport.send(server.endpoint(), post("hello")).body, "hello");
}

TEST_F(BeastTransportTls, MissingCaFileIsTlsError) {
    LoopbackServer server(echo, *identity_);
    TransportOptions options;
    options.tls.ca_file = "/nonexistent/ca.pem";
    BeastTransport transport(options);
    const auto error = transport_error([&] { transport.send(server.endpoint(), post("{}")); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::tls);
    EXPECT_THAT(std::string(error->message()), HasSubstr("/nonexistent/ca.pem"));
}

// The system store (no ca_file): OpenSSL's certificate directory and bundle, steered here with
// SSL_CERT_DIR and SSL_CERT_FILE (std::nullopt: unset). The context is built with the first
// connection, so the variables are set before the transport connects.
void add_hashed(const TempDir& dir, const std::string& certificate_pem) {
    dir.write(hashed_certificate_name(certificate_pem), certificate_pem);
}

/** Sends `body` to an echo server presenting `identity`, trusting the system store. */
std::string echo_over_system_store(const TlsIdentity& identity, const std::string& cert_dir,
                                   const std::optional<std::string>& cert_file, const std::string& body) {
    const ScopedEnv dir_env("SSL_CERT_DIR", cert_dir);
    const ScopedEnv file_env("SSL_CERT_FILE", cert_file);
    LoopbackServer server(echo, identity);
    BeastTransport transport;
    return transport.send(server.endpoint(), post(body)).body;
}

TEST_F(BeastTransportTls, SystemStoreReadsAHashedCertificateDirectory) {
    const TempDir dir;
    add_hashed(dir, identity_->certificate_pem);
    EXPECT_EQ(echo_over_system_store(*identity_, dir.path().string(), "/nonexistent/bundle.pem", "hashed"), "hashed");
}

TEST_F(BeastTransportTls, SystemStoreFindsTheIssuingCaInAHashedDirectory) {
    const TlsIdentity ca = make_certificate_authority("dynantic hashed-directory CA");
    const TempDir dir;
    add_hashed(dir, ca.certificate_pem);
    const TlsIdentity server_identity = issue_server_certificate(ca, {"localhost"}, {"127.0.0.1"});
    EXPECT_EQ(echo_over_system_store(server_identity, dir.path().string(), std::nullopt, "issued"), "issued");
}

TEST_F(BeastTransportTls, SystemStoreSearchesEveryDirectoryOfTheList) {
    const TempDir empty, other, ours;
    add_hashed(other, make_self_signed_identity({"stranger.example"}, {}).certificate_pem);
    add_hashed(ours, identity_->certificate_pem);
    const std::string list = empty.path().string() + ":" + other.path().string() + ":" + ours.path().string();
    EXPECT_EQ(echo_over_system_store(*identity_, list, std::nullopt, "listed"), "listed");
}

TEST_F(BeastTransportTls, SystemStoreAlsoReadsTheBundleNamedBySslCertFile) {
    // The directory has hashed names, none of them ours; the certificate is in the bundle only.
    const TempDir dir;
    add_hashed(dir, make_self_signed_identity({"stranger.example"}, {}).certificate_pem);
    EXPECT_EQ(echo_over_system_store(*identity_, dir.path().string(), ca_file_->path(), "bundle"), "bundle");
}

TEST_F(BeastTransportTls, SystemStoreWithoutHashedNamesFallsBackToTheBundle) {
    const TempDir dir;
    dir.write("not-hashed.pem", identity_->certificate_pem);   // ignored by a hashed lookup
    EXPECT_EQ(echo_over_system_store(*identity_, dir.path().string(), ca_file_->path(), "fallback"), "fallback");
}

TEST_F(BeastTransportTls, SystemStoreWithoutTheCertificateIsTlsError) {
    const TempDir dir;
    add_hashed(dir, make_self_signed_identity({"stranger.example"}, {}).certificate_pem);
    dir.write("not-hashed.pem", identity_->certificate_pem);
    const auto error = transport_error([&] { echo_over_system_store(*identity_, dir.path().string(), std::nullopt, "{}"); });
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), errc::tls);
    EXPECT_THAT(std::string(error->message()), HasSubstr("certificate verification failed"));
}

TEST_F(BeastTransportTls, ReplacesIdleConnectionClosedByServer) {
    LoopbackServer server(echo, *identity_);
    TransportOptions options;
    options.tls.ca_file = ca_file_->path();
    BeastTransport transport(options);
    EXPECT_EQ(transport.send(server.endpoint(), post("one")).body, "one");
    EXPECT_EQ(server.close_idle_connections(), 1u);
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(transport.send(server.endpoint(), post("two")).body, "two");
    EXPECT_EQ(transport.stats().connections_opened, 2u);
}

}  // namespace
}  // namespace dynantic::test
