#pragma once
// A scripted fake DynamoDB on top of the GoogleMock transport: records every request (operation
// and parsed JSON body) and answers through a handler, for tests of multi-request operations
// (batches, transactions, retries).
#include "support/mock_transport.hpp"

#include <boost/json/parse.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dynantic::test {

struct RecordedRequest {
    std::string operation;      ///< "BatchWriteItem", from X-Amz-Target
    boost::json::object body;   ///< the parsed request body
};

class RecordingServer {
public:
    using Handler = std::function<http::HttpResponse(const RecordedRequest& request, std::size_t index)>;

    /** A server that answers every request with `handler` (index = 0 for the first request). */
    explicit RecordingServer(Handler handler) : transport_(std::make_shared<::testing::NiceMock<MockTransport>>()) {
        ON_CALL(*transport_, send(::testing::_, ::testing::_))
            .WillByDefault([this, handler = std::move(handler)](const http::Endpoint&, const http::HttpRequest& r) {
                RecordedRequest recorded;
                const std::string_view target = http::find_header(r.headers, "X-Amz-Target");
                recorded.operation = std::string(target.substr(target.find('.') + 1));
                recorded.body = boost::json::parse(r.body).as_object();
                requests_.push_back(recorded);
                return handler(requests_.back(), requests_.size() - 1);
            });
    }

    /** A client over this server (1 ms client retry delays); `options` as `mock_client`. */
    Client client(ClientOptions options = {}) const { return mock_client(transport_, std::move(options)); }

    const std::vector<RecordedRequest>& requests() const noexcept { return requests_; }

private:
    std::shared_ptr<::testing::NiceMock<MockTransport>> transport_;
    std::vector<RecordedRequest> requests_;
};

}  // namespace dynantic::test
