// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The asynchronous front end on Boost.Asio: include it (and link the CMake target
    `dynantic::asio`) to use the `async_` members of `Table` (table_async.hpp), `UpdateBuilder`
    (`async_execute`), `Query` and `Scan` (`async_page`, `async_all`, `async_pager`), and
    `dynantic::asio::async_transact_write` / `async_transact_get` (asio/transaction.hpp) and
    `dynantic::asio::async_call` (one raw call). Every operation takes an Asio completion token —
    a callback, `asio::use_future`, `asio::deferred`, `asio::use_awaitable` — and completes with
    `void(std::exception_ptr, T)`, `T` being what the synchronous member returns; failures carry
    the same `dynantic::Error` classes. Nothing holds a thread while waiting: calls go through the
    client's asynchronous transport, retries and polls wait on timers.

    @code
    #include <dynantic/asio.hpp>
    namespace asio = boost::asio;

    asio::awaitable<void> run(dy::Table<User> users) {
        co_await users.async_save(User{"u1", "a@b.c", "Ann"}, asio::use_awaitable);
        std::optional<User> u = co_await users.async_get("u1", "a@b.c", asio::use_awaitable);
        auto pager = users.query("u1").async_pager();
        while (auto item = co_await pager.async_next(asio::use_awaitable)) use(*item);
    }
    @endcode
    This is the only header (with dynantic/asio/) that includes Asio; the rest of the library
    does not need it. */

#include <dynantic/asio/call.hpp>
#include <dynantic/asio/front_end.hpp>
#include <dynantic/asio/pager.hpp>
#include <dynantic/asio/run.hpp>
#include <dynantic/asio/transaction.hpp>
#include <dynantic/dynantic.hpp>
