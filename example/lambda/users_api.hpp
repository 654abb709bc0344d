#pragma once
// The Lambda function's logic: a tiny users API behind API Gateway, stored with dynantic.
//
//   GET /users/{id}                          200 {"id", "name", "email", "age"?} | 404
//   PUT /users/{id}  {"name", "email", "age"?}  200 with the stored user       | 400
//
// Events are API Gateway proxy events, REST API (payload 1.0: httpMethod, path, pathParameters)
// or HTTP API (payload 2.0: requestContext.http.method, rawPath); the result is the proxy
// response `{"statusCode": ..., "headers": {...}, "body": "<json>"}`. DynamoDB failures are
// thrown, and the runtime reports them to Lambda as invocation errors.

#include <dynantic/dynantic.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace users_api {

struct User {
    std::string id;
    std::string name;
    std::string email;
    std::optional<std::int64_t> age;
};
BOOST_DESCRIBE_STRUCT(User, (), (id, name, email, age))

constexpr auto dynantic_schema(const User*) { return dynantic::table("users").partition_key(&User::id); }

/** Handles one API Gateway proxy event (JSON text) and returns the proxy response (JSON text).
    @throws std::invalid_argument when `event` is not a JSON object;
            dynantic::Error when DynamoDB fails. */
std::string handle_event(const dynantic::Table<User>& users, std::string_view event);

}  // namespace users_api
