#pragma once
// A GoogleMock Transport for unit tests of request shapes and error paths, and helpers to
// build DynamoDB-shaped responses.
#include <dynantic/client.hpp>
#include <dynantic/http/transport.hpp>

#include <gmock/gmock.h>

#include <memory>
#include <string>

namespace dynantic::test {

class MockTransport : public http::Transport {
public:
    MOCK_METHOD(http::HttpResponse, send, (const http::Endpoint&, const http::HttpRequest&), (override));
};

/** A 200 response with a JSON body (and a correct x-amz-crc32 when `with_crc`). */
http::HttpResponse ok_response(std::string body, bool with_crc = true);

/** A DynamoDB error response: `{"__type": "com.amazonaws.dynamodb.v20120810#<code>", "message": ...}`. */
http::HttpResponse error_response(unsigned status, std::string_view code, std::string_view message);

/** A client that sends through `transport`, with static credentials, region us-east-1 and
    endpoint http://127.0.0.1:1; retries with 1 ms delays (base and throttling base). */
Client mock_client(std::shared_ptr<http::Transport> transport, ClientOptions options = {});

}  // namespace dynantic::test
