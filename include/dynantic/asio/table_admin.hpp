// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Table management without holding a thread: the coroutines behind `Table::async_create_table`,
    `async_delete_table`, `async_describe_table`, `async_table_exists` and
    `async_wait_until_active`, and create-table-on-first-write for asynchronous writes. They send
    the requests the synchronous members send (detail/table_admin.hpp builds and reads them) and
    wait between DescribeTable polls on timers.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html */

#include <dynantic/asio/call.hpp>
#include <dynantic/asio/run.hpp>
#include <dynantic/client.hpp>
#include <dynantic/detail/create_on_write.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/table_admin.hpp>
#include <dynantic/error.hpp>
#include <dynantic/options.hpp>
#include <dynantic/progress.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace dynantic::asio::detail {

/** Polls DescribeTable until `table` exists and it and its global indexes are ACTIVE
    (`exists`), or until it is gone, waiting 20 ms to 1 s between polls on a timer, at most
    `timeout` in all; `progress` as `CreateTableOptions::progress`.
    @throws Error (errc::timeout) when the time ran out; the call's errors. */
inline boost::asio::awaitable<void> wait_for_table(Client client, std::string table, bool exists,
                                                   std::chrono::seconds timeout, ProgressCallback progress = {}) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const bool report = progress && exists;
    std::pair<std::size_t, std::size_t> parts{0, 1};
    for (std::size_t polls = 1;; ++polls) {
        std::optional<std::string> status;
        try {
            boost::json::object body = ::dynantic::detail::table_name_body(table);
            boost::json::object response = co_await async_call(client, Operation::DescribeTable, std::move(body),
                                                               CallOptions(), boost::asio::use_awaitable);
            status = ::dynantic::detail::table_status_of(response, table, report ? &parts : nullptr);
        } catch (const TableNotFoundError&) {
        }
        if (report) ::dynantic::detail::report_progress(progress, Progress{"CreateTable", parts.first, parts.second, polls, 0});
        if (exists ? (status && *status == "ACTIVE") : !status.has_value()) co_return;
        const auto delay = ::dynantic::detail::table_wait_delay(polls);
        if (std::chrono::steady_clock::now() + delay > deadline)
            throw ::dynantic::detail::table_wait_timeout(table, exists, timeout);
        ErrorInfo context{std::string(to_string(exists ? Operation::CreateTable : Operation::DeleteTable)), table, {}, "waiting for the table", 0, {}};
        co_await wait_for(delay, std::move(context));
    }
}

/** `Table::create_table(options)` without blocking: CreateTable from the schema, the wait, TTL. */
template <class T>
boost::asio::awaitable<void> create_table(T table, CreateTableOptions options) {
    using Entity = ::dynantic::detail::Entity<typename T::model_type>;
    const Client c = table.client();
    const std::string name = table.name();
    boost::json::object body = table.create_table_request().body;
    ::dynantic::detail::apply_create_options(body, options);
    co_await async_call(c, Operation::CreateTable, std::move(body), CallOptions(), boost::asio::use_awaitable);
    if (options.wait || (Entity::has_ttl && options.enable_ttl))
        co_await wait_for_table(c, name, true, options.timeout, options.progress);
    if constexpr (Entity::has_ttl)
        if (options.enable_ttl) {
            boost::json::object ttl = ::dynantic::detail::enable_ttl_body(name, Entity::ttl_name());
            co_await async_call(c, Operation::UpdateTimeToLive, std::move(ttl), CallOptions(), boost::asio::use_awaitable);
        }
}

/** `Table::delete_table(timeout)` without blocking: DeleteTable, then the wait until it is gone. */
template <class T>
boost::asio::awaitable<void> delete_table(T table, std::chrono::seconds timeout) {
    const Client c = table.client();
    const std::string name = table.name();
    boost::json::object body = ::dynantic::detail::table_name_body(name);
    co_await async_call(c, Operation::DeleteTable, std::move(body), CallOptions(), boost::asio::use_awaitable);
    co_await wait_for_table(c, name, false, timeout);
}

/** `Table::describe_table()` without blocking: DescribeTable's "Table", checked. */
template <class T>
boost::asio::awaitable<boost::json::object> describe_table(T table) {
    const std::string name = table.name();
    const Client c = table.client();
    boost::json::object body = ::dynantic::detail::table_name_body(name);
    boost::json::object response =
        co_await async_call(c, Operation::DescribeTable, std::move(body), CallOptions(), boost::asio::use_awaitable);
    co_return ::dynantic::detail::described_table(response, name);
}

/** `Table::table_exists()` without blocking. */
template <class T>
boost::asio::awaitable<bool> table_exists(T table) {
    const Client c = table.client();
    boost::json::object body = ::dynantic::detail::table_name_body(table.name());
    try {
        co_await async_call(c, Operation::DescribeTable, std::move(body), CallOptions(), boost::asio::use_awaitable);
    } catch (const TableNotFoundError&) {
        co_return false;
    }
    co_return true;
}

/** Create-table-on-first-write for an asynchronous write that found its table missing
    (`TableOptions::create_table_on_first_write`): creates it as the synchronous write does
    (`missing_table_options`: waiting until ACTIVE, bounded by the client's `call_timeout`); a
    table that exists or is being created already (ResourceInUseException) is waited for. Unlike
    the synchronous path, concurrent writers are not serialised by a process-wide registry: one
    creates, the others find it in use and wait. */
template <class T>
boost::asio::awaitable<void> create_missing_table(T table, const TableOptions& options) {
    const CreateTableOptions o = ::dynantic::detail::missing_table_options(table.client(), options);
    bool in_use = false;
    try {
        co_await create_table(table, o);
    } catch (const Error& e) {
        if (e.code() != errc::resource_in_use) throw;
        in_use = true;
    }
    if (in_use) {
        const Client c = table.client();
        std::string name = table.name();
        co_await wait_for_table(c, std::move(name), true, o.timeout);
    }
}

}  // namespace dynantic::asio::detail
