// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The coroutines behind the asynchronous item operations of `Table<Model>` and
    `UpdateBuilder<Model>`: each renders its operation value for the table's name, sends it
    with `dynantic::asio::async_call` and decodes the response with the value's own pure
    functions — the very steps of the synchronous members, with the same version bump, capacity
    report and create-table-on-first-write.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html */

#include <dynantic/asio/call.hpp>
#include <dynantic/asio/table_admin.hpp>
#include <dynantic/detail/batch_engine.hpp>
#include <dynantic/operations/read_page.hpp>
#include <dynantic/table.hpp>
#include <dynantic/update_builder.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic::asio::detail {

/** True when `options` ask a write that finds its table missing to create it. */
inline bool creates_missing_table(const TableOptions* options) noexcept {
    return options != nullptr && options->create_table_on_first_write;
}

/** A PutItem or DeleteItem value run on `table` (as `Table::execute(op)`): `applied()` runs once
    DynamoDB applied it (the version bump), before the decoding. */
template <class T, class Op, class Applied>
boost::asio::awaitable<typename T::write_result> write(T table, Op op, Applied applied) {
    for (int round = 0;; ++round) {
        const Client c = table.client();
        const std::string name = table.name();
        try {
            CallOptions options = arena_call_options();
            OperationRequest request = ::dynantic::detail::render_in(op, name, options.storage);
            const boost::json::object response = co_await async_call(c, request.operation, std::move(request.body),
                                                                     std::move(options), boost::asio::use_awaitable);
            applied();
            co_return Op::decode(response, name);
        } catch (const TableNotFoundError&) {   // nothing was written
            if (round > 0 || !creates_missing_table(table.table_options())) throw;
        }
        co_await create_missing_table(table, *table.table_options());
    }
}

/** A GetItem value run on `table` (as `Table::execute(op::Get)`). */
template <class T, class G>
boost::asio::awaitable<std::optional<typename G::value_type>> get(T table, G get) {
    const Client c = table.client();
    const std::string name = table.name();
    if constexpr (::dynantic::detail::typed_get<typename G::model_type, typename G::view_type>) {
        // As the synchronous get: the item from the text.
        CallOptions options = arena_call_options();
        const boost::json::storage_ptr keep = options.storage;   // declared first: outlives `read`
        const auto read = read_body_state<::dynantic::detail::TypedGet<typename G::model_type>>(options);
        OperationRequest request = get.render(name, G::operation, options.storage);
        (void)co_await async_call(c, request.operation, std::move(request.body), std::move(options),
                                  boost::asio::use_awaitable);
        co_return read->result(get, name);
    } else {
        CallOptions options = arena_call_options();
        OperationRequest request = get.render(name, G::operation, options.storage);
        const boost::json::object response =
            co_await async_call(c, request.operation, std::move(request.body), std::move(options), boost::asio::use_awaitable);
        ::dynantic::detail::add_capacity(get.options().consumed_capacity, response, Operation::GetItem);
        co_return G::decode(response, name);
    }
}

/** An UpdateItem builder's `execute()`. */
template <class Model>
boost::asio::awaitable<UpdateResult<Model>> update(UpdateBuilder<Model> builder) {
    for (int round = 0;; ++round) {
        const Client c = builder.client();
        const std::string name = c.table_name(schema<Model>::value.name);
        try {
            auto prepared = builder.prepare(name);
            const boost::json::object response =
                co_await async_call(c, prepared.request.operation, std::move(prepared.request.body),
                                    std::move(prepared.call), boost::asio::use_awaitable);
            builder.applied();
            co_return builder.decode(response, name);
        } catch (const TableNotFoundError&) {   // nothing was written
            if (round > 0 || !creates_missing_table(builder.table_options())) throw;
        }
        const Table<Model> table(c);
        co_await create_missing_table(table, *builder.table_options());
    }
}

/** One Query or Scan page value run on `table` (as `Table::execute(page)`). */
template <class T, class P>
boost::asio::awaitable<op::Page<typename P::value_type>> page(T table, P page) {
    const Client c = table.client();
    const std::string name = table.name();
    OperationRequest request = page.render(name);
    const boost::json::object response =
        co_await async_call(c, request.operation, std::move(request.body), CallOptions(), boost::asio::use_awaitable);
    co_return page.decode(response, name);
}

}  // namespace dynantic::asio::detail
