// dynantic::asio::async_call with a user's synchronous transport (the GoogleMock one) and with
// credentials that must be fetched: neither blocks the caller's executor; the plan's rules
// (retries, errors, the metrics hook) are the synchronous call's.
#include <dynantic/asio/call.hpp>

#include "support/mock_transport.hpp"

#include <dynantic/aws/credentials.hpp>
#include <dynantic/error.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace dy = dynantic;
namespace net = boost::asio;

namespace {

using dy::test::MockTransport;
using dy::test::ok_response;
using ::testing::_;
using namespace std::chrono_literals;

boost::json::object get_request() { return {{"TableName", "t"}, {"Key", {{"id", {{"S", "a"}}}}}}; }

TEST(AsyncCallUnit, UserTransportRunsOffTheCallersThreadAndCompletesOnIt) {
    auto transport = std::make_shared<::testing::NiceMock<MockTransport>>();
    std::atomic<std::thread::id> sent_on{};
    std::atomic<int> sends{0};
    ON_CALL(*transport, send(_, _)).WillByDefault([&](const dy::http::Endpoint&, const dy::http::HttpRequest& r) {
        sent_on = std::this_thread::get_id();
        EXPECT_EQ(dy::http::find_header(r.headers, "X-Amz-Target"), "DynamoDB_20120810.GetItem");
        // The first attempt is throttled: the retry waits on a timer.
        if (++sends == 1)
            return dy::test::error_response(400, "ThrottlingException", "slow down");
        return ok_response(R"({"Item":{"id":{"S":"a"}}})");
    });
    std::atomic<int> hooked{0};
    const dy::Client client = dy::test::mock_client(transport, {.metrics = [&](const dy::CallMetrics& m) {
                                                                    EXPECT_EQ(m.attempts, 2u);
                                                                    EXPECT_EQ(m.operation, "GetItem");
                                                                    ++hooked;
                                                                }});
    net::io_context ioc;
    std::thread::id completed_on;
    boost::json::object response;
    std::exception_ptr error;
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {},
                         net::bind_executor(ioc, [&](std::exception_ptr e, boost::json::object r) {
                             completed_on = std::this_thread::get_id();
                             error = e;
                             response = std::move(r);
                         }));
    ioc.run();
    EXPECT_FALSE(error);
    EXPECT_EQ(response.at("Item").at("id").at("S"), "a");
    EXPECT_EQ(sends.load(), 2);
    EXPECT_EQ(hooked.load(), 1);
    EXPECT_EQ(completed_on, std::this_thread::get_id());
    EXPECT_NE(sent_on.load(), std::this_thread::get_id());
}

TEST(AsyncCallUnit, ErrorsAreTheSynchronousCallsOnes) {
    auto transport = std::make_shared<::testing::NiceMock<MockTransport>>();
    ON_CALL(*transport, send(_, _)).WillByDefault([](const dy::http::Endpoint&, const dy::http::HttpRequest&) {
        return dy::test::error_response(400, "ConditionalCheckFailedException", "The conditional request failed");
    });
    const dy::Client client = dy::test::mock_client(transport);
    net::io_context ioc;
    std::exception_ptr error;
    boost::json::object put{{"TableName", "t"},
                            {"Item", {{"id", {{"S", "a"}}}}},
                            {"ConditionExpression", "attribute_not_exists(id)"}};
    dy::asio::async_call(client, dy::Operation::PutItem, put, {},
                         net::bind_executor(ioc, [&](std::exception_ptr e, boost::json::object) { error = e; }));
    ioc.run();
    ASSERT_TRUE(error);
    try {
        std::rethrow_exception(error);
    } catch (const dy::ConditionalCheckFailedError& e) {
        EXPECT_EQ(e.operation(), "PutItem");
        EXPECT_EQ(e.table(), "t");
        EXPECT_EQ(e.http_status(), 400u);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "unexpected: " << e.what();
    }
}

/** Credentials that take a while to fetch (as a metadata service would). */
class SlowCredentials final : public dy::aws::RefreshingCredentialsProvider {
public:
    std::atomic<std::thread::id> fetched_on{};

private:
    dy::aws::Credentials fetch() override {
        fetched_on = std::this_thread::get_id();
        std::this_thread::sleep_for(200ms);
        return {"AKIDEXAMPLE", "secret", "", std::chrono::system_clock::now() + std::chrono::hours(1)};
    }
    std::string_view source() const noexcept override { return "test"; }
};

TEST(AsyncCallUnit, CredentialsAreFetchedOffTheExecutor) {
    auto transport = std::make_shared<::testing::NiceMock<MockTransport>>();
    ON_CALL(*transport, send(_, _)).WillByDefault([](const dy::http::Endpoint&, const dy::http::HttpRequest& r) {
        EXPECT_THAT(std::string(dy::http::find_header(r.headers, "Authorization")), ::testing::HasSubstr("AKIDEXAMPLE"));
        return ok_response("{}");
    });
    auto credentials = std::make_shared<SlowCredentials>();
    EXPECT_EQ(credentials->cached_credentials(), nullptr);   // nothing cached yet: must fetch
    const dy::Client client = dy::test::mock_client(transport, {.credentials = credentials});
    net::io_context ioc;
    bool done = false;
    dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {},
                         net::bind_executor(ioc, [&](std::exception_ptr e, boost::json::object) {
                             EXPECT_FALSE(e);
                             done = true;
                         }));
    // The io_context's thread stays free while the fetch runs: a short timer fires first.
    bool ticked_before = false;
    net::steady_timer tick(ioc, 20ms);
    tick.async_wait([&](boost::system::error_code) { ticked_before = !done; });
    ioc.run();
    EXPECT_TRUE(done);
    EXPECT_TRUE(ticked_before);
    EXPECT_NE(credentials->fetched_on.load(), std::this_thread::get_id());
    EXPECT_NE(credentials->cached_credentials(), nullptr);   // now cached: signed at once
    EXPECT_EQ(credentials->fetches(), 1u);
}

}  // namespace
