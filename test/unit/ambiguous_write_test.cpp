// Client::call on conditional writes whose earlier attempt may have been applied: the resend asks
// for the item (ALL_OLD), a failed condition on the item this call wrote is success, any other
// is WriteOutcomeUnknownError. Request shapes and error paths through a scripted transport; the
// same against DynamoDB Local behind a fault proxy is in test/fault/local/.
#include <dynantic/client.hpp>

#include "support/mock_transport.hpp"
#include "support/recording_transport.hpp"

#include <dynantic/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dy = dynantic;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

boost::json::object json(std::string_view text) { return boost::json::parse(text).as_object(); }

/** A ConditionalCheckFailedException, with the item when `item` is not empty. */
dy::http::HttpResponse condition_failed(std::string_view item = {}) {
    dy::http::HttpResponse r;
    r.status = 400;
    r.headers.emplace_back("x-amzn-RequestId", "REQ-CCF");
    std::string body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
                       R"("message":"The conditional request failed")";
    if (!item.empty()) body += R"(,"Item":)" + std::string(item);
    body += '}';
    r.body = std::move(body);
    return r;
}

dy::http::HttpResponse internal_error() { return dy::testkit::error_response(500, "InternalServerError", "Internal server error"); }

const boost::json::object put_request = json(R"j({"TableName":"notes","Item":{"id":{"S":"n1"},"text":{"S":"secret-text"},
    "price":{"N":"19.90"}},"ConditionExpression":"attribute_not_exists(#n0)","ExpressionAttributeNames":{"#n0":"id"}})j");

bool asks_for_item(const RecordedRequest& r) {
    const auto* v = r.body.if_contains("ReturnValuesOnConditionCheckFailure");
    return v != nullptr && v->is_string() && v->get_string() == "ALL_OLD";
}

TEST(ConditionalResend, PutWhoseItemIsTheOneWrittenSucceeds) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        // DynamoDB returns numbers normalized: 19.90 comes back as 19.9.
        return i == 0 ? internal_error() : condition_failed(R"({"price":{"N":"19.9"},"text":{"S":"secret-text"},"id":{"S":"n1"}})");
    });
    const auto response = server.client().call("PutItem", put_request);
    EXPECT_TRUE(response.empty());
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_FALSE(asks_for_item(server.requests()[0]));
    EXPECT_TRUE(asks_for_item(server.requests()[1]));
    // Nothing else changes in the resend.
    boost::json::object resent = server.requests()[1].body;
    resent.erase("ReturnValuesOnConditionCheckFailure");
    EXPECT_EQ(resent, server.requests()[0].body);
}

TEST(ConditionalResend, PutWhoseItemDiffersIsOutcomeUnknownWithTheItem) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        return i == 0 ? internal_error() : condition_failed(R"({"id":{"S":"n1"},"text":{"S":"other-secret"},"price":{"N":"19.9"}})");
    });
    try {
        server.client().call("PutItem", put_request);
        FAIL() << "no exception";
    } catch (const dy::WriteOutcomeUnknownError& e) {
        EXPECT_EQ(e.code(), dy::errc::outcome_unknown);
        EXPECT_FALSE(e.code() == dy::condition::client_error);
        EXPECT_FALSE(e.retryable());
        EXPECT_TRUE(e.request_sent());
        ASSERT_TRUE(e.item());
        EXPECT_EQ(e.item()->at("text").at("S"), "other-secret");
        EXPECT_EQ(e.operation(), "PutItem");
        EXPECT_EQ(e.table(), "notes");
        EXPECT_EQ(e.http_status(), 400u);
        const std::string what = e.what();
        EXPECT_THAT(what, HasSubstr("attempt 1 failed after the request was sent (InternalServerError (HTTP 500))"));
        EXPECT_THAT(what, HasSubstr("may or may not have been applied"));
        EXPECT_THAT(what, Not(HasSubstr("secret")));
        EXPECT_THAT(what, Not(HasSubstr("19.9")));
    }
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST(ConditionalResend, PutWithoutAnEarlierUnknownOutcomeIsConditionalCheckFailed) {
    RecordingServer server([](const RecordedRequest&, std::size_t) { return condition_failed(); });
    EXPECT_THROW(server.client().call("PutItem", put_request), dy::ConditionalCheckFailedError);
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_FALSE(asks_for_item(server.requests()[0]));
}

TEST(ConditionalResend, CorruptAnswerCountsAsUnknownOutcome) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        if (i == 0) {
            auto r = dy::testkit::ok_response("{}", false);
            r.headers.emplace_back("x-amz-crc32", "12345");
            return r;
        }
        return condition_failed(R"({"id":{"S":"n1"},"text":{"S":"secret-text"},"price":{"N":"19.90"}})");
    });
    EXPECT_NO_THROW(server.client().call("PutItem", put_request));
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_TRUE(asks_for_item(server.requests()[1]));
}

TEST(ConditionalResend, DeleteWhoseItemIsGoneSucceeds) {
    const auto request = json(R"({"TableName":"notes","Key":{"id":{"S":"n1"}},"ConditionExpression":"#n0 = :v0",
        "ExpressionAttributeNames":{"#n0":"text"},"ExpressionAttributeValues":{":v0":{"S":"a"}}})");
    RecordingServer gone([](const RecordedRequest&, std::size_t i) { return i == 0 ? internal_error() : condition_failed(); });
    EXPECT_NO_THROW(gone.client().call("DeleteItem", request));
    ASSERT_EQ(gone.requests().size(), 2u);
    EXPECT_TRUE(asks_for_item(gone.requests()[1]));

    RecordingServer back([](const RecordedRequest&, std::size_t i) {
        return i == 0 ? internal_error() : condition_failed(R"({"id":{"S":"n1"},"text":{"S":"z"}})");
    });
    EXPECT_THROW(back.client().call("DeleteItem", request), dy::WriteOutcomeUnknownError);
}

const boost::json::object update_request = json(R"({"TableName":"docs","Key":{"id":{"S":"d1"}},
    "UpdateExpression":"SET #n0 = :v0, #n1 = :v1","ConditionExpression":"#n1 = :v2",
    "ExpressionAttributeNames":{"#n0":"text","#n1":"version"},
    "ExpressionAttributeValues":{":v0":{"S":"b"},":v1":{"N":"2"},":v2":{"N":"1"}},"ReturnValues":"ALL_NEW"})");

TEST(ConditionalResend, UpdateIsRecognisedByTheCallersCheck) {
    constexpr std::string_view stored = R"({"id":{"S":"d1"},"text":{"S":"b"},"version":{"N":"2"}})";
    RecordingServer server([&](const RecordedRequest&, std::size_t i) { return i == 0 ? internal_error() : condition_failed(stored); });
    std::vector<boost::json::object> seen;
    dy::CallOptions options;
    options.recognizes_write = [&](const boost::json::object& item) {
        seen.push_back(item);
        return item.at("version").at("N") == "2";
    };
    const auto response = server.client().call("UpdateItem", update_request, std::move(options));
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], json(stored));
    // ReturnValues ALL_NEW: the item found is the new item.
    EXPECT_EQ(response.at("Attributes"), json(stored));
}

TEST(ConditionalResend, UpdateWithoutACheckIsOutcomeUnknown) {
    RecordingServer server([](const RecordedRequest&, std::size_t i) {
        return i == 0 ? internal_error() : condition_failed(R"({"id":{"S":"d1"},"text":{"S":"b"},"version":{"N":"2"}})");
    });
    EXPECT_THROW(server.client().call("UpdateItem", update_request), dy::WriteOutcomeUnknownError);
}

TEST(ConditionalResend, WritesAskingForOldValuesAreNotResent) {
    for (const char* values : {"ALL_OLD", "UPDATED_OLD"}) {
        boost::json::object request = update_request;
        request["ReturnValues"] = values;
        RecordingServer server([](const RecordedRequest&, std::size_t) { return internal_error(); });
        try {
            server.client().call("UpdateItem", request);
            ADD_FAILURE() << values;
        } catch (const dy::Error& e) {
            EXPECT_EQ(e.code(), dy::errc::internal_server_error) << values;
        }
        EXPECT_EQ(server.requests().size(), 1u) << values;
    }
    // Not after a failure that certainly did not apply it (throttling).
    boost::json::object request = put_request;
    request["ReturnValues"] = "ALL_OLD";
    RecordingServer throttled([](const RecordedRequest&, std::size_t i) {
        return i == 0 ? dy::testkit::error_response(400, "ThrottlingException", "slow down") : dy::testkit::ok_response("{}");
    });
    EXPECT_NO_THROW(throttled.client().call("PutItem", request));
    EXPECT_EQ(throttled.requests().size(), 2u);
}

TEST(ConditionalResend, ConditionalWritesAreNotReplayedByTheTransport) {
    auto transport = std::make_shared<::testing::NiceMock<dy::testkit::MockTransport>>();
    std::vector<bool> replayable;
    ON_CALL(*transport, send(_, _)).WillByDefault([&](const dy::http::Endpoint&, const dy::http::HttpRequest& r) {
        replayable.push_back(r.replayable);
        return dy::testkit::ok_response("{}");
    });
    const dy::Client client = dy::testkit::mock_client(transport);
    client.call("PutItem", put_request);
    boost::json::object plain = put_request;
    plain.erase("ConditionExpression");
    plain.erase("ExpressionAttributeNames");
    client.call("PutItem", plain);
    client.call("GetItem", json(R"({"TableName":"notes","Key":{"id":{"S":"n1"}}})"));
    // The typed overload follows the same rules as the operation's name.
    client.call(dy::Operation::PutItem, put_request);
    client.call(dy::Operation::PutItem, plain);
    // An operation the enum lacks, sent by name, is not known to be a conditional item write.
    client.call("PutItems", put_request);
    EXPECT_EQ(replayable, (std::vector<bool>{false, true, true, false, true, true}));
}

}  // namespace
