#include <dynantic/client.hpp>

#include "support/loopback_server.hpp"
#include "support/mock_transport.hpp"
#include "support/scoped_env.hpp"
#include "support/tls_identity.hpp"

#include <dynantic/log.hpp>
#include <dynantic/version.hpp>

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/utsname.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dy = dynantic;
using ::testing::_;
using ::testing::Invoke;
using ::testing::Return;

namespace {
boost::json::object get_item_request() {
    return boost::json::parse(R"({"TableName":"users","Key":{"id":{"S":"u1"}}})").get_object();
}
}  // namespace

// Users build options with designated initializers naming one or two members; under -Wextra
// every member needs a default member initializer, or this is a -Wmissing-field-initializers error.
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wmissing-field-initializers"
TEST(Client, OptionsTakeDesignatedInitializersOfSomeMembers) {
    const dynantic::ClientOptions options{.region = "eu-west-1", .table_prefix = "test-"};
    const dynantic::http::TransportOptions http{.tls = {.ca_file = "ca.pem"}};
    const dynantic::CallOptions call{.idempotent = false};
    EXPECT_EQ(options.region, "eu-west-1");
    EXPECT_EQ(options.table_prefix, "test-");
    EXPECT_TRUE(options.endpoint.empty());
    EXPECT_EQ(options.retry.max_attempts, 3u);
    EXPECT_EQ(http.tls.ca_file, "ca.pem");
    EXPECT_TRUE(http.tls.verify_peer);
    EXPECT_EQ(http.pool.max_connections, 64u);
    EXPECT_FALSE(call.idempotent);
}
#pragma GCC diagnostic pop

TEST(Client, SendsSignedJsonRequest) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    dy::http::HttpRequest seen;
    dy::http::Endpoint seen_endpoint;
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Invoke([&](const dy::http::Endpoint& ep, const dy::http::HttpRequest& r) {
        seen = r;
        seen_endpoint = ep;
        return dy::test::ok_response(R"({"Item":{"id":{"S":"u1"}}})");
    }));
    const auto client = dy::test::mock_client(transport);
    const auto response = client.call("GetItem", get_item_request());
    EXPECT_EQ(response.at("Item").at("id").at("S"), "u1");
    EXPECT_EQ(seen.method, "POST");
    EXPECT_EQ(seen.target, "/");
    EXPECT_EQ(seen_endpoint.host, "127.0.0.1");
    EXPECT_EQ(seen_endpoint.port, 1);
    EXPECT_EQ(dy::http::find_header(seen.headers, "content-type"), "application/x-amz-json-1.0");
    EXPECT_EQ(dy::http::find_header(seen.headers, "X-Amz-Target"), "DynamoDB_20120810.GetItem");
    EXPECT_EQ(boost::json::parse(seen.body), boost::json::value(get_item_request()));
    const auto auth = dy::http::find_header(seen.headers, "Authorization");
    EXPECT_TRUE(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")) << auth;
    EXPECT_NE(auth.find("/us-east-1/dynamodb/aws4_request"), std::string_view::npos);
    EXPECT_EQ(auth.find("wJalrXUtnFEMI"), std::string_view::npos);
    EXPECT_FALSE(dy::http::find_header(seen.headers, "X-Amz-Date").empty());
}

namespace {
dy::http::HttpRequest first_request_of(const dy::ClientOptions& options = {}) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    dy::http::HttpRequest seen;
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Invoke([&](const dy::http::Endpoint&, const dy::http::HttpRequest& r) {
        seen = r;
        return dy::test::ok_response("{}");
    }));
    dy::test::mock_client(transport, options).call("GetItem", get_item_request());
    return seen;
}
}  // namespace

TEST(Client, SendsTheSdkStyleUserAgentUnsigned) {
    const dy::test::ScopedEnv no_exec_env("AWS_EXECUTION_ENV", std::nullopt);
    const dy::test::ScopedEnv no_app_id("AWS_SDK_UA_APP_ID", std::nullopt);
    const auto seen = first_request_of();
    const std::string ua(dy::http::find_header(seen.headers, "User-Agent"));
    utsname u{};
    ASSERT_EQ(::uname(&u), 0);
    EXPECT_TRUE(ua.starts_with(std::string("dynantic/") + DYNANTIC_VERSION_STRING + " ua/2.1 os/linux#" + u.release +
                               " lang/cpp#c++2"))
        << ua;
    EXPECT_NE(ua.find(std::string(" md/arch#") + u.machine), std::string::npos) << ua;
    EXPECT_NE(ua.find(" md/compiler#"), std::string::npos) << ua;
    EXPECT_TRUE(ua.ends_with(" cfg/retry-mode#standard")) << ua;
    EXPECT_EQ(ua.find("exec-env/"), std::string::npos) << ua;
    // Sent, but not signed: proxies may rewrite it (the SDKs leave it out of SignedHeaders too).
    const auto auth = dy::http::find_header(seen.headers, "Authorization");
    EXPECT_NE(auth.find("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"), std::string_view::npos) << auth;
}

TEST(Client, UserAgentNamesTheExecutionEnvironmentAppIdAndRetryMode) {
    const dy::test::ScopedEnv exec_env("AWS_EXECUTION_ENV", "AWS_Lambda_provided.al2023");
    const dy::test::ScopedEnv app_id("AWS_SDK_UA_APP_ID", "billing service/2");
    dy::ClientOptions options;
    options.retry.mode = dy::RetryMode::adaptive;
    const std::string ua(dy::http::find_header(first_request_of(options).headers, "User-Agent"));
    EXPECT_NE(ua.find(" exec-env/AWS_Lambda_provided.al2023 cfg/retry-mode#adaptive app/billing-service-2"),
              std::string::npos)
        << ua;
    EXPECT_EQ(ua.find_first_of("\r\n\"(),/:;<=>?@[]{}", ua.find(" app/") + 5), std::string::npos) << ua;
}

TEST(Client, MapsServiceErrorWithContext) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(400, "ResourceNotFoundException", "Requested resource not found")));
    const auto client = dy::test::mock_client(transport);
    try {
        client.call("GetItem", get_item_request());
        FAIL() << "no error";
    } catch (const dy::TableNotFoundError& e) {
        EXPECT_EQ(e.table(), "users");
        EXPECT_EQ(e.operation(), "GetItem");
        EXPECT_EQ(e.aws_code(), "ResourceNotFoundException");
        EXPECT_EQ(e.message(), "Requested resource not found");
        EXPECT_EQ(e.request_id(), "REQ-ERR");
        EXPECT_EQ(e.http_status(), 400u);
    }
}

TEST(Client, ReadsCapitalisedMessageKey) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    dy::http::HttpResponse r;
    r.status = 400;
    r.body = R"({"__type":"com.amazon.coral.validate#ValidationException","Message":"bad key"})";
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(r));
    try {
        dy::test::mock_client(transport).call("GetItem", get_item_request());
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(), "bad key");
    }
}

TEST(Client, ConditionalCheckFailureCarriesItem) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    dy::http::HttpResponse r = dy::test::error_response(400, "ConditionalCheckFailedException", "failed");
    r.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"failed","Item":{"id":{"S":"u1"}}})";
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(r));
    try {
        dy::test::mock_client(transport).call("PutItem", get_item_request());
        FAIL() << "no error";
    } catch (const dy::ConditionalCheckFailedError& e) {
        ASSERT_TRUE(e.item().has_value());
        EXPECT_EQ(e.item()->at("id").at("S"), "u1");
    }
}

TEST(Client, RetriesThrottlingAndServerErrorsThenSucceeds) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(400, "ProvisionedThroughputExceededException", "slow down")))
        .WillOnce(Return(dy::test::error_response(500, "InternalServerError", "oops")))
        .WillOnce(Return(dy::test::ok_response("{}")));
    EXPECT_TRUE(dy::test::mock_client(transport).call("GetItem", get_item_request()).empty());
}

TEST(Client, GivesUpAfterMaxAttempts) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .Times(2)
        .WillRepeatedly(Return(dy::test::error_response(400, "ThrottlingException", "slow down")));
    dy::ClientOptions options;
    options.retry.max_attempts = 2;
    EXPECT_THROW(dy::test::mock_client(transport, options).call("GetItem", get_item_request()), dy::ThrottlingError);
}

TEST(Client, DoesNotRetryClientErrors) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .Times(1)
        .WillOnce(Return(dy::test::error_response(400, "ConditionalCheckFailedException", "no")));
    EXPECT_THROW(dy::test::mock_client(transport).call("PutItem", get_item_request()), dy::ConditionalCheckFailedError);
}

TEST(Client, RetriesCrcMismatchAndReportsIt) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    auto bad = dy::test::ok_response(R"({"Item":{}})");
    bad.body = R"({"Item":{"x":{}}})";  // corrupted after the checksum was computed
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(bad)).WillOnce(Return(dy::test::ok_response("{}")));
    EXPECT_NO_THROW(dy::test::mock_client(transport).call("GetItem", get_item_request()));

    auto transport2 = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport2, send(_, _)).Times(3).WillRepeatedly(Return(bad));
    try {
        dy::test::mock_client(transport2).call("GetItem", get_item_request());
        FAIL() << "no error";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::crc32_mismatch);
        EXPECT_EQ(e.code(), dy::condition::retryable);
    }
}

TEST(Client, VerifiesCrc32OfBodiesOfEveryLength) {
    // The library's CRC-32 against Boost.CRC (in ok_response), for every body length below 300
    // (which covers the block sizes of table- and SIMD-based implementations and every tail) and
    // one large page; one flipped bit fails.
    std::vector<std::string> bodies;
    for (std::size_t n = 0; n < 300; ++n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += char('a' + (i * 7 + n) % 26);
        bodies.push_back(R"({"s":")" + s + R"("})");
    }
    std::string big = R"({"Items":[)";
    for (int i = 0; i < 2000; ++i) big += (i == 0 ? "" : ",") + std::string(R"({"n":{"N":")") + std::to_string(i * 7919) + R"("}})";
    big += "]}";
    bodies.push_back(big);
    for (const auto& body : bodies) {
        auto transport = std::make_shared<dy::test::MockTransport>();
        EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(dy::test::ok_response(body)));
        EXPECT_NO_THROW(dy::test::mock_client(transport).call("GetItem", get_item_request())) << body.size();
    }
    auto flipped = dy::test::ok_response(big);
    flipped.body[flipped.body.size() / 2] ^= 0x01;
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).WillRepeatedly(Return(flipped));
    dy::ClientOptions options;
    options.retry.max_attempts = 1;
    try {
        dy::test::mock_client(transport, options).call("GetItem", get_item_request());
        FAIL() << "no error";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::crc32_mismatch);
    }
}

TEST(Client, TransportFailureOfNonIdempotentCallIsNotRetried) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).Times(1).WillOnce(Invoke([](auto&&, auto&&) -> dy::http::HttpResponse {
        throw dy::TransportError(dy::errc::network, {{}, {}, {}, "connection reset", 0, {}});
    }));
    try {
        dy::test::mock_client(transport).call("UpdateItem", get_item_request(), {.idempotent = false});
        FAIL() << "no error";
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::network);
        EXPECT_EQ(e.operation(), "UpdateItem");
        EXPECT_EQ(e.table(), "users");
    }
}

TEST(Client, InvalidJsonResponseIsAnError) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(dy::test::ok_response("<html>")));
    try {
        dy::test::mock_client(transport).call("GetItem", get_item_request());
        FAIL() << "no error";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::invalid_response);
    }
}

TEST(Client, TablePrefixAndScopedOverride) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    dy::ClientOptions options;
    options.table_prefix = "test-";
    const auto a = dy::test::mock_client(transport, options);
    const auto b = dy::test::mock_client(transport);
    EXPECT_EQ(a.table_name("users"), "test-users");
    {
        auto outer = dy::use_client(a);
        EXPECT_EQ(dy::current_client().table_name("t"), "test-t");
        {
            auto inner = dy::use_client(b);
            EXPECT_EQ(dy::current_client().table_name("t"), "t");
        }
        EXPECT_EQ(dy::current_client().table_name("t"), "test-t");
    }
}

// ---- retries --------------------------------------------------------------------------------------

namespace {

using namespace std::chrono_literals;
using dy::test::LoopbackServer;
using dy::test::ServerAction;
using dy::test::ServerRequest;
using ::testing::HasSubstr;
using ::testing::Not;

dy::http::HttpResponse throw_transport(dy::errc code, bool sent) {
    throw dy::TransportError(code, {{}, {}, {}, "simulated failure", 0, {}}, sent);
}

/** The error `f` throws, as `E`; fails the test if it throws something else or nothing. */
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

/** Collects log lines while alive. */
class LogCapture {
public:
    explicit LogCapture(dy::LogLevel level = dy::LogLevel::debug) {
        dy::set_log_sink([this](dy::LogLevel l, std::string_view line) {
            const std::lock_guard lock(mutex_);
            lines_.emplace_back(l, std::string(line));
        }, level);
    }
    ~LogCapture() { dy::set_log_sink(nullptr); }
    std::vector<std::pair<dy::LogLevel, std::string>> lines() const {
        const std::lock_guard lock(mutex_);
        return lines_;
    }
    bool contains(dy::LogLevel level, std::string_view text) const {
        for (const auto& [l, line] : lines())
            if (l == level && line.find(text) != std::string::npos) return true;
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<dy::LogLevel, std::string>> lines_;
};

}  // namespace

TEST(ClientRetry, AFailureBeforeSendingIsRetriedEvenWhenNotIdempotent) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Invoke([](auto&&, auto&&) { return throw_transport(dy::errc::network, false); }))
        .WillOnce(Return(dy::test::ok_response("{}")));
    EXPECT_NO_THROW(dy::test::mock_client(transport).call("UpdateItem", get_item_request(), {.idempotent = false}));
}

TEST(ClientRetry, AnUnknownOutcomeIsRetriedOnlyWhenIdempotent) {
    for (const bool idempotent : {true, false}) {
        auto transport = std::make_shared<dy::test::MockTransport>();
        auto& expectation = EXPECT_CALL(*transport, send(_, _))
                                .WillOnce(Invoke([](auto&&, auto&&) { return throw_transport(dy::errc::timeout, true); }));
        if (idempotent) expectation.WillOnce(Return(dy::test::ok_response("{}")));
        const auto client = dy::test::mock_client(transport);
        if (idempotent) {
            EXPECT_NO_THROW(client.call("PutItem", get_item_request(), {.idempotent = true}));
        } else {
            const auto e = error_of<dy::TransportError>(
                [&] { client.call("UpdateItem", get_item_request(), {.idempotent = false}); });
            ASSERT_TRUE(e.has_value());
            EXPECT_EQ(e->code(), dy::errc::timeout);
            EXPECT_TRUE(e->request_sent());
        }
    }
}

TEST(ClientRetry, ServerErrorsOfNonIdempotentCallsAreSurfaced) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).Times(1).WillOnce(Return(dy::test::error_response(500, "InternalServerError", "x")));
    const auto e = error_of<dy::Error>(
        [&] { dy::test::mock_client(transport).call("UpdateItem", get_item_request(), {.idempotent = false}); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::internal_server_error);
}

TEST(ClientRetry, ThrottlingAndConflictsAreRetriedEvenWhenNotIdempotent) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(400, "ThrottlingException", "slow down")))
        .WillOnce(Return(dy::test::error_response(400, "TransactionConflictException", "conflict")))
        .WillOnce(Return(dy::test::ok_response("{}")));
    EXPECT_NO_THROW(dy::test::mock_client(transport).call("UpdateItem", get_item_request(), {.idempotent = false}));
}

TEST(ClientRetry, TlsFailuresAreNotRetried) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).Times(1).WillOnce(Invoke([](auto&&, auto&&) {
        return throw_transport(dy::errc::tls, false);
    }));
    EXPECT_THROW(dy::test::mock_client(transport).call("GetItem", get_item_request()), dy::TransportError);
}

TEST(ClientRetry, TheRetryQuotaStopsRetryStorms) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    int sends = 0;
    EXPECT_CALL(*transport, send(_, _)).WillRepeatedly(Invoke([&](auto&&, auto&&) {
        ++sends;
        return dy::test::error_response(503, "ServiceUnavailable", "down");
    }));
    dy::ClientOptions options;
    options.retry.max_attempts = 10;
    options.retry.retry_quota = 10;   // two retries' worth
    const auto client = dy::test::mock_client(transport, options);
    EXPECT_THROW(client.call("GetItem", get_item_request()), dy::Error);
    EXPECT_EQ(sends, 3);
    EXPECT_THROW(client.call("GetItem", get_item_request()), dy::Error);
    EXPECT_EQ(sends, 4);   // the quota is empty: no retry at all
}

TEST(ClientRetry, ASuccessfulRetryGivesItsCostBack) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(500, "InternalServerError", "x")))
        .WillOnce(Return(dy::test::ok_response("{}")))
        .WillOnce(Return(dy::test::error_response(500, "InternalServerError", "x")))
        .WillOnce(Return(dy::test::ok_response("{}")));
    dy::ClientOptions options;
    options.retry.retry_quota = 5;   // exactly one retry
    const auto client = dy::test::mock_client(transport, options);
    EXPECT_NO_THROW(client.call("GetItem", get_item_request()));
    EXPECT_NO_THROW(client.call("GetItem", get_item_request()));   // possible only if refunded
}

TEST(ClientRetry, TheCallTimeoutBoundsAttemptsAndDelays) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    std::vector<std::chrono::steady_clock::time_point> deadlines;
    EXPECT_CALL(*transport, send(_, _)).WillRepeatedly(Invoke([&](auto&&, const dy::http::HttpRequest& r) {
        deadlines.push_back(r.deadline);
        return throw_transport(dy::errc::network, false);
    }));
    dy::ClientOptions options;
    options.retry.max_attempts = 50;
    options.call_timeout = 200ms;
    auto client = dy::test::mock_client(transport, options);
    const auto start = std::chrono::steady_clock::now();
    const auto e = error_of<dy::TransportError>([&] { client.call("GetItem", get_item_request()); });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(e.has_value());
    EXPECT_LT(elapsed, 400ms);
    ASSERT_FALSE(deadlines.empty());
    EXPECT_LT(deadlines.size(), 50u);
    for (const auto d : deadlines) EXPECT_EQ(d, deadlines.front());   // one deadline for the whole call
    EXPECT_GT(deadlines.front(), start);
    EXPECT_LE(deadlines.front(), start + 210ms);
    EXPECT_THAT(std::string(e->what()), HasSubstr("attempts"));
    EXPECT_THAT(std::string(e->what()), HasSubstr("call's timeout of 200 ms"));
}

TEST(ClientRetry, WithoutATimeoutNoDeadlineIsSent) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Invoke([](auto&&, const dy::http::HttpRequest& r) {
        EXPECT_EQ(r.deadline, std::chrono::steady_clock::time_point{});
        return dy::test::ok_response("{}");
    }));
    dy::test::mock_client(transport).call("GetItem", get_item_request());
}

TEST(ClientRetry, AdaptiveModeRetriesThrottlingAndKeepsWorking) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(400, "ProvisionedThroughputExceededException", "slow down")))
        .WillRepeatedly(Return(dy::test::ok_response("{}")));
    dy::ClientOptions options;
    options.retry.mode = dy::RetryMode::adaptive;
    const auto client = dy::test::mock_client(transport, options);
    for (int i = 0; i < 3; ++i) EXPECT_NO_THROW(client.call("GetItem", get_item_request()));
}

// ---- errors through a real transport ---------------------------------------------------------------

TEST(ClientErrors, ATimeoutNamesOperationTableWaitAndPeer) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::respond(200, "{}").after(2s); });
    dy::ClientOptions options;
    options.endpoint = server.endpoint().url();
    options.region = "us-east-1";
    options.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
        dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}});
    options.http.request_timeout = 200ms;
    options.retry.max_attempts = 1;
    const dy::Client client(options);
    const auto e = error_of<dy::TransportError>([&] {
        client.call("PutItem", boost::json::parse(R"({"TableName":"x","Item":{}})").get_object());
    });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::timeout);
    EXPECT_THAT(std::string(e->what()),
                ::testing::MatchesRegex("PutItem on table 'x': timed out after [23][0-9][0-9] ms \\(request timeout 200 ms\\) "
                                        "waiting for the response from 127\\.0\\.0\\.1:" + std::to_string(server.port()) +
                                        "; the request had been sent"));
    EXPECT_EQ(e->operation(), "PutItem");
    EXPECT_EQ(e->table(), "x");
}

class ClientTls : public ::testing::Test {
protected:
    static dy::ClientOptions options_for(const dy::http::Endpoint& ep) {
        dy::ClientOptions o;
        o.endpoint = ep.url();
        o.region = "us-east-1";
        o.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
            dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}});
        return o;
    }
    static dy::test::ServerAction ok(const ServerRequest&) { return ServerAction::respond(200, "{}"); }
};

TEST_F(ClientTls, AnUntrustedCertificateReachesTheCallerWithOperationAndTable) {
    const auto identity = dy::test::make_self_signed_identity({"localhost"}, {"127.0.0.1"});
    LoopbackServer server(ok, identity);
    auto options = options_for(server.endpoint());
    const auto other_ca = dy::test::make_certificate_authority();
    const dy::test::TempFile ca(other_ca.certificate_pem, ".pem");
    options.http.tls.ca_file = ca.path();
    const dy::Client client(options);
    const auto e = error_of<dy::TransportError>([&] { client.call("GetItem", get_item_request()); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::tls);
    EXPECT_THAT(std::string(e->what()),
                HasSubstr("GetItem on table 'users': TLS handshake with 127.0.0.1:" + std::to_string(server.port()) +
                          " failed: certificate verification failed"));
    EXPECT_EQ(server.requests(), 0u);
    EXPECT_EQ(server.accepted_connections(), 1u);   // not retried
}

TEST_F(ClientTls, AWrongHostNameReachesTheCaller) {
    const auto ca = dy::test::make_certificate_authority();
    const auto identity = dy::test::issue_server_certificate(ca, {"localhost"});   // no IP address
    const dy::test::TempFile ca_file(ca.certificate_pem, ".pem");
    LoopbackServer server(ok, identity);
    auto options = options_for(server.endpoint());   // https://127.0.0.1:port
    options.http.tls.ca_file = ca_file.path();
    const auto e = error_of<dy::TransportError>([&] { dy::Client(options).call("GetItem", get_item_request()); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), dy::errc::tls);
    EXPECT_THAT(std::string(e->what()), HasSubstr("GetItem on table 'users': TLS handshake"));
    EXPECT_THAT(std::string(e->what()), HasSubstr("mismatch"));

    auto by_name = server.endpoint();
    by_name.host = "localhost";
    options.endpoint = by_name.url();
    EXPECT_NO_THROW(dy::Client(options).call("GetItem", get_item_request()));
}

TEST_F(ClientTls, AwsCaBundleIsTrustedByTheDefaultTransport) {
    const auto ca = dy::test::make_certificate_authority();
    const auto identity = dy::test::issue_server_certificate(ca, {"localhost"}, {"127.0.0.1"});
    const dy::test::TempFile ca_file(ca.certificate_pem, ".pem");
    LoopbackServer server(ok, identity);
    {
        const dy::test::ScopedEnv bundle("AWS_CA_BUNDLE", ca_file.path());
        EXPECT_NO_THROW(dy::Client(options_for(server.endpoint())).call("GetItem", get_item_request()));
    }
    {
        const dy::test::ScopedEnv bundle("AWS_CA_BUNDLE", std::nullopt);   // the system store
        EXPECT_THROW(dy::Client(options_for(server.endpoint())).call("GetItem", get_item_request()),
                     dy::TransportError);
    }
}

// ---- connection counters ---------------------------------------------------------------------------

TEST(ClientStats, CountsOpenedAndReusedConnections) {
    LoopbackServer server([](const ServerRequest&) { return ServerAction::respond(200, "{}"); });
    dy::ClientOptions options;
    options.endpoint = server.endpoint().url();
    options.region = "us-east-1";
    options.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
        dy::aws::Credentials{"AKIDEXAMPLE", "secret", {}, {}});
    const dy::Client client(options);
    for (int i = 0; i < 3; ++i) client.call("GetItem", get_item_request());
    const auto stats = client.transport_stats();
    EXPECT_EQ(stats.connections_opened, 1u);
    EXPECT_EQ(stats.connections_reused, 2u);
    EXPECT_EQ(stats.idle_connections, 1u);

    const auto mock = dy::test::mock_client(std::make_shared<dy::test::MockTransport>());
    EXPECT_EQ(mock.transport_stats().connections_opened, 0u);
}

// ---- client selection ------------------------------------------------------------------------------

TEST(ClientSelection, OverridesNestAndStayOnTheirThread) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    dy::ClientOptions oa, ob, oc;
    oa.table_prefix = "a-";
    ob.table_prefix = "b-";
    oc.table_prefix = "c-";
    const auto a = dy::test::mock_client(transport, oa);
    const auto b = dy::test::mock_client(transport, ob);
    const auto c = dy::test::mock_client(transport, oc);
    const std::string default_name = dy::current_client().table_name("t");

    auto outer = dy::use_client(a);
    EXPECT_EQ(dy::current_client().table_name("t"), "a-t");
    std::string seen_by_other;
    std::string other_own;
    std::thread other([&] {
        seen_by_other = dy::current_client().table_name("t");   // not this thread's override
        auto mine = dy::use_client(c);
        other_own = dy::current_client().table_name("t");
    });
    {
        auto inner = dy::use_client(b);
        EXPECT_EQ(dy::current_client().table_name("t"), "b-t");
        {
            auto innermost = dy::use_client(c);
            EXPECT_EQ(dy::current_client().table_name("t"), "c-t");
        }
        EXPECT_EQ(dy::current_client().table_name("t"), "b-t");
    }
    other.join();
    EXPECT_EQ(seen_by_other, default_name);
    EXPECT_EQ(other_own, "c-t");
    EXPECT_EQ(dy::current_client().table_name("t"), "a-t");   // the other thread's guard did not leak
}

TEST(ClientSelection, TablesTakeAnExplicitClient) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    dy::ClientOptions options;
    options.table_prefix = "explicit-";
    const auto client = dy::test::mock_client(transport, options);
    EXPECT_EQ(client.table_name("users"), "explicit-users");
}

// ---- logging -----------------------------------------------------------------------------------------

TEST(ClientLogging, SummarisesCallsAndRetriesWithoutSecrets) {
    LogCapture capture;
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(400, "ThrottlingException", "Rate exceeded for key u1")))
        .WillOnce(Return(dy::test::ok_response(R"({"Item":{"id":{"S":"u1"}}})")))
        .WillOnce(Return(dy::test::ok_response("{}")));
    dy::ClientOptions options;
    options.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
        dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SESSIONTOKENVALUE", {}});
    const auto client = dy::test::mock_client(transport, options);
    client.call("GetItem", get_item_request());
    client.call("GetItem", get_item_request());
    EXPECT_TRUE(capture.contains(dy::LogLevel::warn, "GetItem on table 'users': attempt 1 of 3 failed: "
                                                     "ThrottlingException (HTTP 400) [throttling]; retrying in "));
    EXPECT_TRUE(capture.contains(dy::LogLevel::info, "GetItem on table 'users': HTTP 200, 2 attempts, "));
    EXPECT_TRUE(capture.contains(dy::LogLevel::debug, "GetItem on table 'users': HTTP 200, 1 attempt, "));
    for (const auto& [level, line] : capture.lines()) {
        EXPECT_THAT(line, Not(HasSubstr("wJalrXUtnFEMI"))) << line;
        EXPECT_THAT(line, Not(HasSubstr("SESSIONTOKENVALUE"))) << line;
        EXPECT_THAT(line, Not(HasSubstr("AWS4-HMAC-SHA256"))) << line;
        EXPECT_THAT(line, Not(HasSubstr("u1"))) << line;   // neither keys nor DynamoDB's message
    }
}

TEST(ClientLogging, BelowTheThresholdNothingIsFormatted) {
    LogCapture capture(dy::LogLevel::warn);
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Return(dy::test::ok_response("{}")));
    dy::test::mock_client(transport).call("GetItem", get_item_request());
    EXPECT_TRUE(capture.lines().empty());
    EXPECT_FALSE(dy::log_enabled(dy::LogLevel::info));
    EXPECT_TRUE(dy::log_enabled(dy::LogLevel::warn));
}
