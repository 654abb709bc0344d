// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `dynantic::asio::async_call`: one DynamoDB JSON 1.0 call without holding a thread — the
    asynchronous twin of `Client::call` that the asynchronous front end (`dynantic/asio.hpp`)
    runs every operation through. Needs Boost.Asio; link `dynantic::asio`.

    The completion signature is `void(std::exception_ptr, boost::json::object)`, Asio's
    convention for operations that fail with exceptions (as `co_spawn`): on failure the pointer
    holds the same `dynantic::Error` (or subclass) `Client::call` would throw, and the object is
    empty. The completion runs on the handler's associated executor; the I/O runs there too, or
    on the client's own threads when the handler has none. Per-operation cancellation follows
    the handler's associated cancellation slot. */

#include <dynantic/client.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/json/object.hpp>

#include <exception>
#include <utility>

namespace dynantic::asio {

/** The completion signature of every asynchronous call. */
using call_signature = void(std::exception_ptr, boost::json::object);
/** A type-erased handler of `call_signature` (keeps its executor and cancellation slot). */
using call_handler = boost::asio::any_completion_handler<call_signature>;

namespace detail {
/** Compiled in the library: starts one call (retries included) and completes `handler` once. */
void start_call(const Client& client, Operation operation, boost::json::object request, CallOptions options,
                call_handler handler);
}  // namespace detail

/** Sends one operation as `Client::call` does (same retries, timeouts, errors) and completes
    `token` with `(std::exception_ptr, boost::json::object response)`.
    @param token any Asio completion token: a callback, `asio::use_future`, `asio::deferred`,
           `asio::use_awaitable`. */
template <boost::asio::completion_token_for<call_signature> CompletionToken>
auto async_call(const Client& client, Operation operation, boost::json::object request, CallOptions options,
                CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, call_signature>(
        [](call_handler handler, const Client& c, Operation op, boost::json::object body, CallOptions opts) {
            detail::start_call(c, op, std::move(body), std::move(opts), std::move(handler));
        },
        token, std::cref(client), operation, std::move(request), std::move(options));
}

}  // namespace dynantic::asio
