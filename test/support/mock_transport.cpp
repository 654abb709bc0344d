#include "support/mock_transport.hpp"

#include <boost/crc.hpp>
#include <boost/json/serialize.hpp>

namespace dynantic::test {

http::HttpResponse ok_response(std::string body, bool with_crc) {
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

http::HttpResponse error_response(unsigned status, std::string_view code, std::string_view message) {
    http::HttpResponse r;
    r.status = status;
    r.headers.emplace_back("x-amzn-RequestId", "REQ-ERR");
    boost::json::object body;
    body["__type"] = "com.amazonaws.dynamodb.v20120810#" + std::string(code);
    body["message"] = message;
    r.body = boost::json::serialize(body);
    return r;
}

Client mock_client(std::shared_ptr<http::Transport> transport, ClientOptions options) {
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

}  // namespace dynantic::test
