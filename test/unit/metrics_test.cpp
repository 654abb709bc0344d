// The metrics hook (ClientOptions::metrics): one record per Client::call with its attempts,
// retry reasons, status, bytes and capacity; an exception from the hook never reaches the caller.
#include <dynantic/metrics.hpp>

#include <dynantic/client.hpp>
#include <dynantic/error.hpp>
#include <dynantic/log.hpp>
#include <dynantic/table.hpp>

#include "support/recording_transport.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace dy = dynantic;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace {

/** What the hook saw, copied (the record's string views live only during the call). */
struct Seen {
    std::string operation, table, aws_code;
    unsigned attempts = 0, http_status = 0;
    std::vector<dy::aws::RetryReason> reasons;
    std::size_t bytes_sent = 0, bytes_received = 0;
    std::optional<double> capacity;
    std::error_code error;
    bool ok = false;
    long long latency_ns = -1;
};

dy::ClientOptions recording_into(std::vector<Seen>& seen) {
    dy::ClientOptions options;
    options.metrics = [&seen](const dy::CallMetrics& m) {
        seen.push_back({std::string(m.operation), std::string(m.table), std::string(m.aws_code), m.attempts,
                        m.http_status, m.retry_reasons, m.bytes_sent, m.bytes_received, m.consumed_capacity, m.error,
                        m.ok(), static_cast<long long>(m.latency.count())});
    };
    return options;
}

boost::json::object get_item_request() {
    return {{"TableName", "users"}, {"Key", {{"id", {{"S", "u1"}}}}}, {"ReturnConsumedCapacity", "TOTAL"}};
}

}  // namespace

TEST(Metrics, OneRecordPerCallWithRetriesStatusBytesAndCapacity) {
    const std::string ok_body = R"({"Item":{"id":{"S":"u1"}},"ConsumedCapacity":{"TableName":"users","CapacityUnits":0.5}})";
    RecordingServer server([&](const RecordedRequest&, std::size_t i) {
        if (i == 0) return dy::test::error_response(400, "ThrottlingException", "slow down");
        if (i == 1) return dy::test::error_response(500, "InternalServerError", "oops");
        return dy::test::ok_response(ok_body);
    });
    std::vector<Seen> seen;
    const dy::Client client = server.client(recording_into(seen));
    const auto request = get_item_request();
    client.call("GetItem", request);

    ASSERT_EQ(seen.size(), 1u);   // once per call, not per attempt
    const Seen& m = seen[0];
    EXPECT_EQ(m.operation, "GetItem");
    EXPECT_EQ(m.table, "users");
    EXPECT_EQ(m.attempts, 3u);
    EXPECT_EQ(m.reasons, (std::vector{dy::aws::RetryReason::throttling, dy::aws::RetryReason::transient}));
    EXPECT_EQ(dy::retry_reason_name(m.reasons[0]), "throttling");
    EXPECT_EQ(m.http_status, 200u);
    EXPECT_EQ(m.bytes_sent, 3 * boost::json::serialize(request).size());
    const std::size_t error_bodies = dy::test::error_response(400, "ThrottlingException", "slow down").body.size() +
                                     dy::test::error_response(500, "InternalServerError", "oops").body.size();
    EXPECT_EQ(m.bytes_received, error_bodies + ok_body.size());
    ASSERT_TRUE(m.capacity);
    EXPECT_DOUBLE_EQ(*m.capacity, 0.5);
    EXPECT_TRUE(m.ok);
    EXPECT_GE(m.latency_ns, 0);
}

TEST(Metrics, AFailedCallIsRecordedWithItsErrorAndCode) {
    RecordingServer server([](const RecordedRequest&, std::size_t) {
        return dy::test::error_response(400, "ConditionalCheckFailedException", "The conditional request failed");
    });
    std::vector<Seen> seen;
    const dy::Client client = server.client(recording_into(seen));
    EXPECT_THROW(client.call("PutItem", {{"TableName", "users"}, {"Item", boost::json::object{}}}),
                 dy::ConditionalCheckFailedError);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_FALSE(seen[0].ok);
    EXPECT_EQ(seen[0].error, dy::errc::conditional_check_failed);
    EXPECT_EQ(seen[0].aws_code, "ConditionalCheckFailedException");
    EXPECT_EQ(seen[0].http_status, 400u);
    EXPECT_EQ(seen[0].attempts, 1u);
    EXPECT_TRUE(seen[0].reasons.empty());
    EXPECT_FALSE(seen[0].capacity);
}

TEST(Metrics, CapacityOfBatchCallsIsSummedOverTables) {
    RecordingServer server([](const RecordedRequest&, std::size_t) {
        return dy::test::ok_response(
            R"({"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"a","CapacityUnits":2},{"TableName":"b","CapacityUnits":1.5}]})");
    });
    std::vector<Seen> seen;
    server.client(recording_into(seen)).call("BatchWriteItem", {{"RequestItems", boost::json::object{}}});
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].table, "");   // RequestItems names no table here
    ASSERT_TRUE(seen[0].capacity);
    EXPECT_DOUBLE_EQ(*seen[0].capacity, 3.5);
}

TEST(Metrics, AnExceptionFromTheHookIsLoggedNotThrown) {
    RecordingServer server([](const RecordedRequest&, std::size_t) { return dy::test::ok_response("{}"); });
    dy::ClientOptions options;
    int calls = 0;
    options.metrics = [&](const dy::CallMetrics&) {
        ++calls;
        throw std::runtime_error("exporter is down");
    };
    std::vector<std::string> lines;
    dy::set_log_sink([&](dy::LogLevel, std::string_view line) { lines.emplace_back(line); }, dy::LogLevel::warn);
    const dy::Client client = server.client(std::move(options));
    EXPECT_NO_THROW(client.call("GetItem", get_item_request()));
    EXPECT_NO_THROW(client.call("GetItem", get_item_request()));
    dy::set_log_sink(nullptr);
    EXPECT_EQ(calls, 2);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "the metrics hook threw; ignored: exporter is down");
}

TEST(Metrics, NoHookNoRecord) {
    // Without a hook the call takes the plain path; this only checks nothing breaks.
    RecordingServer server([](const RecordedRequest&, std::size_t) { return dy::test::ok_response(R"({"Item":{}})"); });
    EXPECT_EQ(server.client().call("GetItem", get_item_request()).size(), 1u);
}

TEST(StaticCredentials, ShortFormGivesTheKeys) {
    const auto provider = dy::aws::static_credentials("AKID", "secret");
    const dy::aws::Credentials c = provider->credentials();
    EXPECT_EQ(c.access_key_id, "AKID");
    EXPECT_EQ(c.secret_access_key, "secret");
    EXPECT_EQ(c.session_token, "");
    EXPECT_EQ(dy::aws::static_credentials("A", "B", "token")->credentials().session_token, "token");
    dy::ClientOptions options;
    options.credentials = dy::aws::static_credentials("AKID", "secret");
    std::string authorization;
    auto transport = std::make_shared<::testing::NiceMock<dy::test::MockTransport>>();
    ON_CALL(*transport, send(::testing::_, ::testing::_))
        .WillByDefault([&](const dy::http::Endpoint&, const dy::http::HttpRequest& r) {
            authorization = std::string(dy::http::find_header(r.headers, "Authorization"));
            return dy::test::ok_response("{}");
        });
    dy::test::mock_client(transport, std::move(options)).call("ListTables", {});
    EXPECT_EQ(authorization.rfind("AWS4-HMAC-SHA256 Credential=AKID/", 0), 0u) << authorization;
}
