#include <dynantic/client.hpp>

#include "support/mock_transport.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string>
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
    // The library's CRC-32 (slicing-by-8) against Boost.CRC (in ok_response), for bodies whose
    // lengths cover the 8-byte blocks and every tail, and one large page; one flipped bit fails.
    std::vector<std::string> bodies;
    for (std::size_t n = 0; n < 40; ++n) bodies.push_back(R"({"s":")" + std::string(n, 'a' + char(n % 26)) + R"("})");
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
