#pragma once
/** @file
    A GoogleMock `Transport` and helpers that build DynamoDB-shaped responses, for unit tests
    without sockets:

    @code
    auto transport = std::make_shared<dynantic::testkit::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dynantic::testkit::ok_response(R"({"Item":{"id":{"S":"u1"}}})")));
    dynantic::Table<User> users{dynantic::testkit::mock_client(transport)};
    @endcode

    Header-only; link the CMake target `dynantic::testing` (which brings GoogleMock). */

#include <dynantic/aws/credentials.hpp>
#include <dynantic/client.hpp>
#include <dynantic/http/transport.hpp>

#include <boost/crc.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic::testkit {

/** A `http::Transport` whose `send` is a GoogleMock method. */
class MockTransport : public http::Transport {
public:
    /** `http::HttpResponse send(const http::Endpoint&, const http::HttpRequest&)`, mocked: set
        its answers with `EXPECT_CALL(*transport, send(_, _))`. */
    MOCK_METHOD(http::HttpResponse, send, (const http::Endpoint&, const http::HttpRequest&), (override));
};

/** A 200 response with a JSON body, an `x-amzn-RequestId` of "REQ-OK" and, when `with_crc`,
    a correct `x-amz-crc32` (as real DynamoDB sends). */
inline http::HttpResponse ok_response(std::string body, bool with_crc = true) {
    http::HttpResponse r;
    r.status = 200;
    r.headers.emplace_back("x-amzn-RequestId", "REQ-OK");
    if (with_crc) {
        boost::crc_32_type crc;
        crc.process_bytes(body.data(), body.size());
        r.headers.emplace_back("x-amz-crc32", std::to_string(crc.checksum()));
    }
    r.body = std::move(body);
    return r;
}

/** A DynamoDB error response with `x-amzn-RequestId` "REQ-ERR" and the body
    `{"__type": "com.amazonaws.dynamodb.v20120810#<code>", "message": <message>}`. */
inline http::HttpResponse error_response(unsigned status, std::string_view code, std::string_view message) {
    http::HttpResponse r;
    r.status = status;
    r.headers.emplace_back("x-amzn-RequestId", "REQ-ERR");
    boost::json::object body;
    body["__type"] = "com.amazonaws.dynamodb.v20120810#" + std::string(code);
    body["message"] = message;
    r.body = boost::json::serialize(body);
    return r;
}

/** A client that sends through `transport`. Unset options get test values: static credentials
    (AWS's documentation example key), region us-east-1, endpoint http://127.0.0.1:1; retries
    wait at most 1 ms. */
inline Client mock_client(std::shared_ptr<http::Transport> transport, ClientOptions options = {}) {
    options.transport = std::move(transport);
    if (options.region.empty()) options.region = "us-east-1";
    if (options.endpoint.empty()) options.endpoint = "http://127.0.0.1:1";
    if (!options.credentials)
        options.credentials = std::make_shared<aws::StaticCredentialsProvider>(
            aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}});
    options.retry.base_delay = std::chrono::milliseconds(1);
    options.retry.throttling_base_delay = std::chrono::milliseconds(1);
    return Client(std::move(options));
}

/** The DynamoDB operation of a request the client sent: the `X-Amz-Target` suffix ("PutItem"). */
inline std::string_view operation_of(const http::HttpRequest& request) {
    std::string_view target = http::find_header(request.headers, "X-Amz-Target");
    const auto dot = target.rfind('.');
    return dot == std::string_view::npos ? target : target.substr(dot + 1);
}

/** The JSON body of a request the client sent (an empty object if it is not one). */
inline boost::json::object body_of(const http::HttpRequest& request) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(request.body, ec);
    if (ec || !v.is_object()) return {};
    return std::move(v.get_object());
}

/** Matches a sent request whose operation is `operation`:
    `EXPECT_CALL(*transport, send(_, dynantic::testkit::IsOperation("GetItem")))`. */
MATCHER_P(IsOperation, operation, "is a DynamoDB " + std::string(operation) + " request") {
    return ::dynantic::testkit::operation_of(arg) == std::string_view(operation);
}

}  // namespace dynantic::testkit
