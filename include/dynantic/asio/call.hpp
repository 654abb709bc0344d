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
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/container/pmr/polymorphic_allocator.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>

#include <exception>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>

namespace dynantic::asio {

/** The completion signature of every asynchronous call. */
using call_signature = void(std::exception_ptr, boost::json::object);
/** A type-erased handler of `call_signature` (keeps its executor and cancellation slot). */
using call_handler = boost::asio::any_completion_handler<call_signature>;

namespace detail {
/** Compiled in the library: starts one call (retries included) and completes `handler` once, on
    its associated executor; the I/O runs on the client's own thread. */
void start_call(const Client& client, Operation operation, boost::json::object request, CallOptions options,
                call_handler handler);
/** The same, with the I/O on `io` (empty: the client's own thread). */
void start_call_on(const Client& client, Operation operation, boost::json::object request, CallOptions options,
                   call_handler handler, boost::asio::any_io_executor io);

/** The executor a handler's I/O runs on: its associated executor when it has one that can run
    sockets and timers (an `io_context`'s, a strand of one, `any_io_executor`), else empty. */
template <class Handler>
boost::asio::any_io_executor io_executor_of(const Handler& handler) {
    using executor = boost::asio::associated_executor_t<Handler, boost::asio::system_executor>;
    if constexpr (std::is_same_v<executor, boost::asio::system_executor> ||
                  !std::is_constructible_v<boost::asio::any_io_executor, executor>)
        return {};
    else
        return boost::asio::any_io_executor(boost::asio::get_associated_executor(handler, boost::asio::system_executor()));
}
/** Call options whose `storage` is a new monotonic arena for the request and the response, freed
    in one piece, as the synchronous get and writes use a stack arena. Shared (reference-counted)
    rather than in the coroutine frame: the call owns the request and the response until it
    completes, and a cancelled call completes before the client's thread may have let go of them. */
inline CallOptions arena_call_options() {
    CallOptions options;
    options.storage = boost::json::make_shared_resource<boost::json::monotonic_resource>(4096);
    return options;
}

/** A `State` (constructed from a non-owning pointer to `options.storage`, and allocated there)
    whose `read(body)` becomes `options.read_body`. Shared with the hook, which runs on the
    client's thread and may still hold it when a cancelled call completes. The caller keeps a copy
    of `options.storage` declared before the returned pointer, so that the arena outlives the
    state (as `CallOptions` holds `storage` before `read_body`). */
template <class State>
std::shared_ptr<State> read_body_state(CallOptions& options) {
    const auto state = std::allocate_shared<State>(boost::container::pmr::polymorphic_allocator<State>(options.storage.get()),
                                                   boost::json::storage_ptr(options.storage.get()));   // not owning: no cycle
    options.read_body = [state](std::string_view body) { return state->read(body); };
    return state;
}

}  // namespace detail

/** Sends one operation as `Client::call` does (same signing, retries, retry quota, timeouts,
    CRC32 check, write-outcome rules, metrics hook, log lines and errors) and completes `token`
    with `(std::exception_ptr, boost::json::object response)`.

    - Executors: the I/O (connect, TLS, write, read, backoff timers) runs on the handler's
      associated executor when it is an I/O executor (an `io_context`'s, a strand, the
      `any_io_executor` of a coroutine), else on the client's own thread (made on first use,
      e.g. for `asio::use_future` or a plain callback). The completion runs on the handler's
      associated executor. Credentials that need fetching (instance metadata, container
      endpoint, files) and a user's synchronous `ClientOptions::transport` (e.g. a mock) run on
      the client's own threads, never on the caller's executor.
    - Connections: the default transport's asynchronous twin, with the same `http` options
      (timeouts, TLS, `pool.max_connections` per endpoint, idle timeout); its pool is separate
      from the synchronous calls' one. Connections are kept per execution context; calls beyond
      `max_connections` wait in order of arrival for at most the connect timeout (or the call's
      deadline). Destroy an `io_context` only after its calls completed (as for any Asio
      object); its idle connections are closed as it shuts down.
    - Deadlines: `CallOptions::timeout` / `ClientOptions::call_timeout` bound all attempts and
      backoff waits, as for `Client::call`. `CallOptions::stop` is not used (cancel instead).
    - Cancellation: the handler's associated cancellation slot (terminal, partial or total
      cancellation, e.g. `asio::experimental::awaitable_operators`' `call || timer`, or
      `asio::bind_cancellation_slot`) ends the call at once: a backoff wait or a wait for a pooled
      connection ends, a connect, TLS handshake, write or read is aborted (its connection closed).
      The call then fails with `TransportError` (`errc::cancelled`) whose `request_sent()` says
      whether the request had gone out; a write (anything but a read or description) cancelled
      after its request was sent, or after an earlier attempt that may have been applied, fails
      with `WriteOutcomeUnknownError` instead. A response that arrived before the cancellation
      is processed as usual.
    @param token any Asio completion token: a callback, `asio::use_future`, `asio::deferred`,
           `asio::use_awaitable`.
    @see Client::call for the errors (passed as the `std::exception_ptr`). */
template <boost::asio::completion_token_for<call_signature> CompletionToken>
auto async_call(const Client& client, Operation operation, boost::json::object request, CallOptions options,
                CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, call_signature>(
        [](auto handler, const Client& c, Operation op, boost::json::object body, CallOptions opts) {
            boost::asio::any_io_executor io = detail::io_executor_of(handler);
            detail::start_call_on(c, op, std::move(body), std::move(opts), call_handler(std::move(handler)),
                                  std::move(io));
        },
        token, std::cref(client), operation, std::move(request), std::move(options));
}

}  // namespace dynantic::asio
