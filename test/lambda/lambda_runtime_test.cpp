#include "runtime.hpp"     // example/lambda/runtime.hpp
#include "users_api.hpp"   // example/lambda/users_api.hpp

#include "lambda/fake_runtime_api.hpp"
#include "support/loopback_server.hpp"
#include "support/scoped_env.hpp"

#include <dynantic/testkit/mock_transport.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;
namespace dyt = dynantic::testkit;
using dynantic::test::ScopedEnv;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Return;
using namespace std::chrono_literals;

using lambda_test::Event;
using lambda_test::FakeRuntimeApi;
using lambda_test::in_a_minute;

TEST(LambdaRuntime, AnswersAnEventReportsAnErrorThenStopsWhenNextFails) {
    const std::int64_t deadline = in_a_minute();
    FakeRuntimeApi api({{"req-1", R"({"n":1})", "Root=1-abc;Parent=def;Sampled=1", deadline},
                        {"req-2", R"({"n":2})", "", deadline}});
    ScopedEnv runtime_env("AWS_LAMBDA_RUNTIME_API", api.api());
    ScopedEnv trace_env("_X_AMZN_TRACE_ID", std::nullopt);

    lambda::RuntimeClient runtime;   // from AWS_LAMBDA_RUNTIME_API
    std::vector<std::string> traces;
    const lambda::RunResult result = lambda::run(runtime, [&](const lambda::Invocation& inv) -> std::string {
        const char* trace = std::getenv("_X_AMZN_TRACE_ID");
        traces.push_back(trace != nullptr ? trace : "<unset>");
        EXPECT_EQ(inv.function_arn, "arn:aws:lambda:us-east-1:123456789012:function:users");
        EXPECT_EQ(inv.deadline.time_since_epoch(), std::chrono::milliseconds(deadline));
        EXPECT_GT(inv.remaining_time(), 50s);
        if (inv.request_id == "req-2") throw std::invalid_argument("event 2 is bad");
        return R"({"echo":)" + inv.payload + "}";
    });

    EXPECT_EQ(result.invocations, 2u);
    EXPECT_EQ(result.errors, 1u);
    EXPECT_THAT(result.stopped_by, HasSubstr("HTTP 500"));
    EXPECT_EQ(api.next_calls(), 3);
    EXPECT_EQ(traces, (std::vector<std::string>{"Root=1-abc;Parent=def;Sampled=1", "<unset>"}));

    const auto posts = api.posts();
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_EQ(posts[0].target, "/2018-06-01/runtime/invocation/req-1/response");
    EXPECT_EQ(posts[0].body, R"({"echo":{"n":1}})");
    EXPECT_EQ(posts[1].target, "/2018-06-01/runtime/invocation/req-2/error");
    EXPECT_EQ(posts[1].header("Lambda-Runtime-Function-Error-Type"), "std::invalid_argument");
    const json::value error = json::parse(posts[1].body);
    EXPECT_EQ(error.at("errorType"), "std::invalid_argument");
    EXPECT_EQ(error.at("errorMessage"), "event 2 is bad");
    EXPECT_TRUE(error.at("stackTrace").is_array());
}

TEST(LambdaRuntime, StopsAfterMaxInvocations) {
    FakeRuntimeApi api({{"a", "{}", "", in_a_minute()}, {"b", "{}", "", in_a_minute()}});
    lambda::RuntimeClient runtime({.api = api.api()});
    const auto result = lambda::run(runtime, [](const lambda::Invocation&) { return std::string("null"); },
                                    {.max_invocations = 1});
    EXPECT_EQ(result.invocations, 1u);
    EXPECT_TRUE(result.stopped_by.empty());
    EXPECT_EQ(api.next_calls(), 1);
    ASSERT_EQ(api.posts().size(), 1u);
    EXPECT_EQ(api.posts()[0].target, "/2018-06-01/runtime/invocation/a/response");
}

TEST(LambdaRuntime, ReportsInitError) {
    FakeRuntimeApi api({});
    lambda::RuntimeClient runtime({.api = api.api()});
    runtime.init_error(lambda::error_report(std::make_exception_ptr(std::runtime_error("no table"))));
    const auto posts = api.posts();
    ASSERT_EQ(posts.size(), 1u);
    EXPECT_EQ(posts[0].target, "/2018-06-01/runtime/init/error");
    EXPECT_EQ(json::parse(posts[0].body).at("errorType"), "std::runtime_error");
    EXPECT_EQ(json::parse(posts[0].body).at("errorMessage"), "no table");
}

TEST(LambdaRuntime, ServePostsAFailedInitialisationAndServesNothing) {
    FakeRuntimeApi api({{"a", "{}", "", in_a_minute()}});
    ScopedEnv runtime_env("AWS_LAMBDA_RUNTIME_API", api.api());
    const int code = lambda::serve("test", []() -> lambda::Handler { throw std::runtime_error("no table"); });
    EXPECT_EQ(code, 1);
    EXPECT_EQ(api.next_calls(), 0);
    const auto posts = api.posts();
    ASSERT_EQ(posts.size(), 1u);
    EXPECT_EQ(posts[0].target, "/2018-06-01/runtime/init/error");
    EXPECT_EQ(json::parse(posts[0].body).at("errorMessage"), "no table");
}

TEST(LambdaRuntime, ServeBuildsTheHandlerOnceThenAnswersEvents) {
    FakeRuntimeApi api({{"a", R"({"n":1})", "", in_a_minute()}, {"b", R"({"n":2})", "", in_a_minute()}});
    ScopedEnv runtime_env("AWS_LAMBDA_RUNTIME_API", api.api());
    int built = 0;
    const int code = lambda::serve("test", [&] {
        ++built;
        return lambda::Handler([](const lambda::Invocation& inv) { return inv.payload; });
    });
    EXPECT_EQ(code, 1);   // the fake API ends with HTTP 500 once its events are served
    EXPECT_EQ(built, 1);
    const auto posts = api.posts();
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_EQ(posts[0].target, "/2018-06-01/runtime/invocation/a/response");
    EXPECT_EQ(posts[1].body, R"({"n":2})");
}

TEST(LambdaRuntime, NeedsTheRuntimeApiAddress) {
    ScopedEnv env("AWS_LAMBDA_RUNTIME_API", std::nullopt);
    EXPECT_THROW(lambda::RuntimeClient{}, lambda::RuntimeApiError);
}

TEST(LambdaRuntime, ErrorTypeOfDynanticErrors) {
    dynantic::ErrorInfo info;
    info.operation = "GetItem";
    info.table = "users";
    info.message = "Requested resource not found";
    const auto report = lambda::error_report(std::make_exception_ptr(dynantic::TableNotFoundError(info)));
    EXPECT_EQ(report.type, "dynantic::TableNotFoundError");
    EXPECT_THAT(report.message, HasSubstr("GetItem on table 'users'"));
}

// The bootstrap's handler behind the runtime: API Gateway events in, DynamoDB (mocked) calls out.
TEST(LambdaUsersApi, GetPutAndErrorsThroughTheRuntime) {
    const std::string get_event =
        R"({"httpMethod":"GET","path":"/users/u1","pathParameters":{"id":"u1"},"body":null})";
    const std::string put_event =
        R"({"version":"2.0","rawPath":"/users/u2","requestContext":{"http":{"method":"PUT"}},)"
        R"("body":"{\"name\":\"Bo\",\"email\":\"bo@example.org\",\"age\":7}","isBase64Encoded":false})";
    const std::string missing_event = R"({"httpMethod":"GET","path":"/users/nobody"})";
    FakeRuntimeApi api({{"get", get_event, "", in_a_minute()},
                        {"put", put_event, "", in_a_minute()},
                        {"missing", missing_event, "", in_a_minute()},
                        {"broken", "not json", "", in_a_minute()},
                        {"ddb-down", get_event, "", in_a_minute()}});

    auto ddb = std::make_shared<dyt::MockTransport>();
    std::string put_body;
    EXPECT_CALL(*ddb, send(_, dyt::IsOperation("GetItem")))
        .WillOnce(Return(dyt::ok_response(R"({"Item":{"id":{"S":"u1"},"name":{"S":"Ann"},"email":{"S":"a@b.c"}}})")))
        .WillOnce(Return(dyt::ok_response("{}")))
        .WillOnce(Return(dyt::error_response(400, "ResourceNotFoundException", "Requested resource not found")));
    EXPECT_CALL(*ddb, send(_, dyt::IsOperation("PutItem")))
        .WillOnce([&](const auto&, const dynantic::http::HttpRequest& r) {
            put_body = r.body;
            return dyt::ok_response("{}");
        });
    const dynantic::Table<users_api::User> users(dyt::mock_client(ddb));

    lambda::RuntimeClient runtime({.api = api.api()});
    const auto result = lambda::run(runtime, [&](const lambda::Invocation& inv) {
        return users_api::handle_event(users, inv.payload);
    });
    EXPECT_EQ(result.invocations, 5u);
    EXPECT_EQ(result.errors, 2u);

    const auto posts = api.posts();
    ASSERT_EQ(posts.size(), 5u);
    EXPECT_EQ(posts[0].target, "/2018-06-01/runtime/invocation/get/response");
    const json::value got = json::parse(posts[0].body);
    EXPECT_EQ(got.at("statusCode"), 200);
    EXPECT_EQ(json::parse(got.at("body").as_string()), json::parse(R"({"id":"u1","name":"Ann","email":"a@b.c"})"));

    EXPECT_EQ(posts[1].target, "/2018-06-01/runtime/invocation/put/response");
    EXPECT_EQ(json::parse(posts[1].body).at("statusCode"), 200);
    EXPECT_EQ(json::parse(put_body).at("Item"),
              json::parse(R"({"id":{"S":"u2"},"name":{"S":"Bo"},"email":{"S":"bo@example.org"},"age":{"N":"7"}})"));

    EXPECT_EQ(posts[2].target, "/2018-06-01/runtime/invocation/missing/response");
    EXPECT_EQ(json::parse(posts[2].body).at("statusCode"), 404);

    EXPECT_EQ(posts[3].target, "/2018-06-01/runtime/invocation/broken/error");
    EXPECT_EQ(json::parse(posts[3].body).at("errorType"), "std::invalid_argument");

    EXPECT_EQ(posts[4].target, "/2018-06-01/runtime/invocation/ddb-down/error");
    EXPECT_EQ(json::parse(posts[4].body).at("errorType"), "dynantic::TableNotFoundError");
}

TEST(LambdaUsersApi, RejectsBadRequestsWithoutCallingDynamoDB) {
    auto ddb = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*ddb, send(_, _)).Times(0);
    const dynantic::Table<users_api::User> users(dyt::mock_client(ddb));
    const auto status = [&](std::string_view event) {
        return json::parse(users_api::handle_event(users, event)).at("statusCode").as_int64();
    };
    EXPECT_EQ(status(R"({"httpMethod":"PUT","path":"/users/u1","body":"[1]"})"), 400);
    EXPECT_EQ(status(R"({"httpMethod":"PUT","path":"/users/u1","body":"{\"name\":\"x\"}"})"), 400);
    EXPECT_EQ(status(R"({"httpMethod":"PUT","path":"/users/u1"})"), 400);
    EXPECT_EQ(status(R"({"httpMethod":"DELETE","path":"/users/u1"})"), 405);
    EXPECT_EQ(status(R"({"httpMethod":"GET","path":"/orders/1"})"), 404);
}

}  // namespace
