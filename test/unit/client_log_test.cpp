// What `Client::call` logs about calls that fail (log.hpp: "info: calls that needed retries or
// failed"): one info line with the operation, table, error code, HTTP status, attempts and time,
// never DynamoDB's message, item values or secrets.
#include <dynantic/client.hpp>

#include "support/log_capture.hpp"
#include "support/mock_transport.hpp"

#include <dynantic/log.hpp>

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace dy = dynantic;
using ::testing::_;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::Not;
using ::testing::Return;
using dy::test::LogCapture;

namespace {

boost::json::object put_item_request() {
    return boost::json::parse(R"({"TableName":"users","Item":{"id":{"S":"secret-key-u1"},"card":{"S":"4111-1111"}}})")
        .get_object();
}

dy::Client client_for(std::shared_ptr<dy::test::MockTransport> transport) {
    dy::ClientOptions options;
    options.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
        dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SESSIONTOKENVALUE", {}});
    options.retry.base_delay = std::chrono::milliseconds(1);
    return dy::test::mock_client(std::move(transport), options);
}

/** Calls PutItem, expecting an exception of class E. */
template <class E>
void expect_failure(const dy::Client& client, dy::CallOptions options = {}) {
    try {
        client.call("PutItem", put_item_request(), options);
        ADD_FAILURE() << "nothing was thrown";
    } catch (const E&) {
    } catch (const std::exception& e) {
        ADD_FAILURE() << "unexpected exception: " << e.what();
    }
}

/** No line holds an item value, DynamoDB's message or a secret. */
void expect_clean(const LogCapture& capture) {
    for (const auto& [level, line] : capture.lines()) {
        EXPECT_THAT(line, Not(HasSubstr("secret-key-u1"))) << line;
        EXPECT_THAT(line, Not(HasSubstr("4111"))) << line;
        EXPECT_THAT(line, Not(HasSubstr("for this key"))) << line;   // DynamoDB's message
        EXPECT_THAT(line, Not(HasSubstr("wJalrXUtnFEMI"))) << line;
        EXPECT_THAT(line, Not(HasSubstr("SESSIONTOKENVALUE"))) << line;
    }
}

}  // namespace

TEST(ClientFailureLog, AConditionalCheckFailureIsLoggedAtInfo) {
    LogCapture capture(dy::LogLevel::info);
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(400, "ConditionalCheckFailedException",
                                                  "The conditional request failed for this key secret-key-u1")));
    expect_failure<dy::ConditionalCheckFailedError>(client_for(transport));
    const auto lines = capture.find(dy::LogLevel::info, "PutItem on table 'users': failed: ");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_THAT(lines[0], ContainsRegex("^PutItem on table 'users': failed: ConditionalCheckFailedException \\(HTTP 400\\) "
                                        "\\[conditional check failed\\], 1 attempt, [0-9]+ ms$"));
    expect_clean(capture);
}

TEST(ClientFailureLog, ResourceNotFoundAndValidationAreLogged) {
    for (const auto& [code, status] : {std::pair{"ResourceNotFoundException", 400u}, std::pair{"ValidationException", 400u},
                                       std::pair{"AccessDeniedException", 400u}}) {
        LogCapture capture(dy::LogLevel::info);
        auto transport = std::make_shared<dy::test::MockTransport>();
        EXPECT_CALL(*transport, send(_, _))
            .WillOnce(Return(dy::test::error_response(status, code, "refused for this key secret-key-u1")));
        expect_failure<dy::Error>(client_for(transport));
        const auto lines = capture.find(dy::LogLevel::info, std::string("PutItem on table 'users': failed: ") + code +
                                                                " (HTTP 400) [");
        EXPECT_EQ(lines.size(), 1u) << code;
        expect_clean(capture);
    }
}

TEST(ClientFailureLog, ATransportErrorIsLoggedWithWhyItWasNotRetried) {
    LogCapture capture(dy::LogLevel::info);
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _)).WillOnce(Invoke([](auto&&, auto&&) -> dy::http::HttpResponse {
        throw dy::TransportError(dy::errc::timeout,
                                 {{}, {}, {}, "timed out after 301 ms (request timeout 300 ms) waiting for the "
                                              "response from 127.0.0.1:8000; the request had been sent", 0, {}},
                                 true);
    }));
    expect_failure<dy::TransportError>(client_for(transport), {.idempotent = false});
    const auto lines = capture.find(dy::LogLevel::info, "PutItem on table 'users': failed: ");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_THAT(lines[0], HasSubstr("failed: timed out after 301 ms (request timeout 300 ms) waiting for the response "
                                    "from 127.0.0.1:8000; the request had been sent [timed out], 1 attempt, "));
    EXPECT_THAT(lines[0], HasSubstr("; not retried: the call is not idempotent and may have been applied"));
    expect_clean(capture);
}

TEST(ClientFailureLog, RetriesThatRunOutAreOneLineWithTheAttempts) {
    LogCapture capture(dy::LogLevel::info);
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .Times(3)
        .WillRepeatedly(Return(dy::test::error_response(503, "ServiceUnavailable", "slow down for this key secret-key-u1")));
    expect_failure<dy::Error>(client_for(transport));
    const auto lines = capture.find(dy::LogLevel::info, "PutItem on table 'users': ");
    ASSERT_EQ(lines.size(), 1u);   // the retries themselves are warnings
    EXPECT_THAT(lines[0], ContainsRegex("failed: ServiceUnavailable \\(HTTP 503\\) \\[.*\\], 3 attempts, [0-9]+ ms; "
                                        "not retried: no attempts left$"));
    EXPECT_EQ(capture.find(dy::LogLevel::warn, "retrying in").size(), 2u);
    expect_clean(capture);
}

TEST(ClientFailureLog, AtDebugAFailedCallIsStillOneLine) {
    LogCapture capture(dy::LogLevel::debug);
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(400, "ConditionalCheckFailedException", "failed for this key")));
    expect_failure<dy::ConditionalCheckFailedError>(client_for(transport));
    EXPECT_EQ(capture.find(dy::LogLevel::info, "PutItem on table 'users'").size(), 1u);
    EXPECT_TRUE(capture.find(dy::LogLevel::debug, "PutItem on table 'users'").empty());
}

TEST(ClientFailureLog, AboveInfoNothingIsLogged) {
    LogCapture capture(dy::LogLevel::warn);
    auto transport = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::test::error_response(400, "ConditionalCheckFailedException", "failed")));
    expect_failure<dy::ConditionalCheckFailedError>(client_for(transport));
    EXPECT_TRUE(capture.lines().empty());
}
