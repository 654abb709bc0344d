// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    How the asynchronous front end runs an operation: `dynantic::asio::run<T>(f, token)` starts
    the coroutine `f()` (an `asio::awaitable<T>`) for any completion token, with the completion
    signature `void(std::exception_ptr, T)`; `dynantic::asio::wait_for` waits on a timer. Used by
    every `async_` member; usable for your own compositions of dynantic calls. */

#include <dynantic/error.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>
#include <string>
#include <utility>

namespace dynantic::asio {

namespace detail {
/** `f()`, with Asio's `throw_if_cancelled` off for the whole coroutine stack: a cancellation
    reaches the call or timer awaited (which reports it as a dynantic::Error) instead of making
    the next `co_await` throw `boost::system::system_error`. */
template <class T, class F>
boost::asio::awaitable<T> cancellation_as_errors(F& f) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    co_return co_await f();
}
}  // namespace detail

/** Starts `f()`, a function returning `boost::asio::awaitable<T>`, as one asynchronous operation
    completing `token` with `(std::exception_ptr, T)` (`co_spawn`'s convention): on the
    handler's associated executor, else on the system executor. The handler's cancellation slot
    is connected to the coroutine: a cancellation reaches the call or timer it is waiting for.
    `f` is kept (moved) until the operation completes, so what it captures lives as long. */
template <class T, class CompletionToken, class F>
auto run(F f, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, T)>(
        [](auto handler, F body) {
            auto executor = boost::asio::get_associated_executor(handler, boost::asio::system_executor());
            boost::asio::co_spawn(
                executor, [body = std::move(body)]() mutable { return detail::cancellation_as_errors<T>(body); },
                std::move(handler));
        },
        token, std::move(f));
}

/** Waits `delay` on a timer of the coroutine's executor (never blocks a thread).
    @throws TransportError (errc::cancelled, `request_sent()` false: no request was in flight) in
            `context`, its message saying what was cancelled, when the wait was cancelled. */
inline boost::asio::awaitable<void> wait_for(std::chrono::milliseconds delay, ErrorInfo context) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) {
        context.message = "cancelled while waiting " + std::to_string(delay.count()) + " ms before the next request (" +
                          context.message + ")";
        throw TransportError(errc::cancelled, std::move(context), false);
    }
}

}  // namespace dynantic::asio
