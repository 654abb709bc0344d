// Typed operation names (operation.hpp): the enum, its wire names, and where the library uses it
// (OperationRequest, Client::call, CallMetrics, Error).
#include <dynantic/operation.hpp>

#include <dynantic/client.hpp>
#include <dynantic/request.hpp>

#include "support/mock_transport.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace dy = dynantic;
using ::testing::_;
using ::testing::Invoke;

TEST(Operation, EveryNameRoundTripsAndPrintsAsDynamoDBSpellsIt) {
    EXPECT_EQ(dy::to_string(dy::Operation::PutItem), "PutItem");
    EXPECT_EQ(dy::to_string(dy::Operation::TransactWriteItems), "TransactWriteItems");
    EXPECT_EQ(dy::to_string(dy::Operation::GetRecords), "GetRecords");
    for (std::size_t i = 0; i <= static_cast<std::size_t>(dy::Operation::GetRecords); ++i) {
        const auto op = static_cast<dy::Operation>(i);
        EXPECT_EQ(dy::operation_from_string(dy::to_string(op)), op) << dy::to_string(op);
    }
    EXPECT_FALSE(dy::operation_from_string("PutItems").has_value());
    EXPECT_FALSE(dy::operation_from_string("").has_value());
    std::ostringstream out;
    out << dy::Operation::BatchWriteItem;
    EXPECT_EQ(out.str(), "BatchWriteItem");
    static_assert(dy::Operation::Query == "Query");   // a comparison with a name keeps compiling
}

TEST(Operation, ClientCallOfAnOperationSendsItsTargetAndNamesItInMetricsAndErrors) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    std::vector<std::string> targets;
    EXPECT_CALL(*transport, send(_, _)).WillRepeatedly(Invoke([&](auto&&, const dy::http::HttpRequest& r) {
        targets.emplace_back(dy::http::find_header(r.headers, "X-Amz-Target"));
        return targets.size() == 2 ? dy::test::error_response(400, "ValidationException", "bad")
                                   : dy::test::ok_response("{}");
    }));
    std::vector<std::optional<dy::Operation>> seen;
    dy::ClientOptions options;
    options.metrics = [&](const dy::CallMetrics& m) { seen.push_back(m.operation_id()); };
    const dy::Client client = dy::test::mock_client(transport, options);
    const auto body = boost::json::parse(R"({"TableName":"users","Key":{"id":{"S":"u1"}}})").as_object();
    const dy::OperationRequest request{dy::Operation::GetItem, body};
    client.call(request.operation, request.body);
    try {
        client.call(dy::Operation::DeleteItem, body, dy::CallOptions{.idempotent = false});
        ADD_FAILURE() << "no error";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.operation(), "DeleteItem");   // printed as before
        EXPECT_EQ(e.operation_id(), dy::Operation::DeleteItem);
    }
    client.call("DescribeLimits", boost::json::object{});   // the string escape hatch: no enum value
    ASSERT_EQ(targets.size(), 3u);
    EXPECT_EQ(targets[0], "DynamoDB_20120810.GetItem");
    EXPECT_EQ(targets[1], "DynamoDB_20120810.DeleteItem");
    EXPECT_EQ(targets[2], "DynamoDB_20120810.DescribeLimits");
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0], dy::Operation::GetItem);
    EXPECT_EQ(seen[1], dy::Operation::DeleteItem);
    EXPECT_FALSE(seen[2].has_value());
}
