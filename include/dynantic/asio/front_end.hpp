// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The asynchronous front end's definition of `detail::AsyncFrontEnd` (detail/async_front.hpp):
    what the `async_` members of `Table`, `UpdateBuilder`, `Query`, `Scan` and `Transaction` run. Each member
    becomes one `dynantic::asio::run` of the coroutine in asio/items.hpp, asio/reads.hpp or
    asio/table_admin.hpp. Included by <dynantic/asio.hpp>. */

#include <dynantic/asio/batch.hpp>
#include <dynantic/asio/items.hpp>
#include <dynantic/asio/pager.hpp>
#include <dynantic/asio/reads.hpp>
#include <dynantic/asio/run.hpp>
#include <dynantic/asio/table_admin.hpp>
#include <dynantic/asio/transaction.hpp>
#include <dynantic/detail/async_front.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <ranges>
#include <type_traits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace dynantic::detail {

/** The asynchronous front end (see the file comment). Every operation resolves its client
    when it is started, on the caller's thread (`use_client` overrides are thread-local): the
    coroutine may run on another thread. */
template <>
struct AsyncFrontEnd<void> {
    /** A copy of `table` bound to the client it uses now, with its options. */
    template <class T>
    static T bound(const T& table) {
        if (const TableOptions* options = table.table_options()) return T(table.client(), *options);
        return T(table.client());
    }
    /** A copy of `builder` bound to the client it uses now, with its table's options. */
    template <class Model>
    static UpdateBuilder<Model> bound(const UpdateBuilder<Model>& builder) {
        UpdateBuilder<Model> b(builder.client(), builder.data());
        if (const TableOptions* options = builder.table_options()) b.table_options(std::make_shared<const TableOptions>(*options));
        return b;
    }

    /** A put of a copy of an item (kept by `keep`), built by `make(item)`. */
    template <class T, class Model, class Make, class Token>
    static auto put(const T& table, std::shared_ptr<const Model> keep, Make make, Token&& token) {
        return asio::run<typename T::write_result>(
            [table = bound(table), keep = std::move(keep), make = std::move(make)]() {
                return asio::detail::write(table, make(*keep), [] {});
            },
            std::forward<Token>(token));
    }
    /** A put of the caller's versioned or auto-UUID item: a nil UUID key is filled, the version
        set once applied. */
    template <class T, class Model, class Make, class Token>
    static auto put_mutating(const T& table, Model& item, Make make, Token&& token) {
        return asio::run<typename T::write_result>(
            [table = bound(table), item = &item, make = std::move(make)]() {
                T::prepare_item(*item);
                return asio::detail::write(table, make(*item), [item] { op::Put<Model>::applied(*item); });
            },
            std::forward<Token>(token));
    }
    /** An operation value given by the caller (PutItem, DeleteItem). */
    template <class T, class Op, class Token>
    static auto write(const T& table, const Op& op, Token&& token) {
        return asio::run<typename T::write_result>([table = bound(table), op]() { return asio::detail::write(table, op, [] {}); },
                                                   std::forward<Token>(token));
    }
    /** A GetItem value. */
    template <class T, class G, class Token>
    static auto get(const T& table, const G& get, Token&& token) {
        return asio::run<std::optional<typename G::value_type>>([table = bound(table), get]() { return asio::detail::get(table, get); },
                                                                 std::forward<Token>(token));
    }
    /** An UpdateItem builder. */
    template <class Model, class Token>
    static auto update(const UpdateBuilder<Model>& builder, Token&& token) {
        return asio::run<UpdateResult<Model>>([builder = bound(builder)]() { return asio::detail::update(builder); },
                                              std::forward<Token>(token));
    }
    /** One Query or Scan page value. */
    template <class T, class P, class Token>
    static auto page(const T& table, const P& page, Token&& token) {
        return asio::run<op::Page<typename P::value_type>>([table = bound(table), page]() { return asio::detail::page(table, page); },
                                                           std::forward<Token>(token));
    }
    /** `read.page(cursor)`. */
    template <class Read, class Token>
    static auto read_page(const Read& read, std::optional<std::string> cursor, Token&& token) {
        return asio::run<PageResult<typename Read::value_type>>(
            [read = read.bind(read.client()), cursor = std::move(cursor)]() { return asio::detail::read_page(read, cursor); },
            std::forward<Token>(token));
    }
    /** `read.all()`. */
    template <class Read, class Token>
    static auto read_all(const Read& read, Token&& token) {
        return asio::run<std::vector<typename Read::value_type>>([read = read.bind(read.client())]() { return asio::detail::read_all(read); },
                                                                 std::forward<Token>(token));
    }
    /** `read.first()`. */
    template <class Read, class Token>
    static auto read_first(const Read& read, Token&& token) {
        return asio::run<std::optional<typename Read::value_type>>(
            [read = read.bind(read.client())]() { return asio::detail::read_first(read); }, std::forward<Token>(token));
    }
    /** `read.count()`. */
    template <class Read, class Token>
    static auto read_count(const Read& read, Token&& token) {
        return asio::run<std::size_t>([read = read.bind(read.client())]() { return asio::detail::read_count(read); },
                                      std::forward<Token>(token));
    }
    /** The pager of `read`. */
    template <class Read>
    static asio::Pager<Read> pager(const Read& read) {
        return asio::Pager<Read>(read);
    }
    /** BatchGetItem of `keys` (copied), read as `View`. */
    template <class Model, class View, class Keys, class Token>
    static auto batch_get(ClientRef table, Keys keys, GetOptions options, BatchOptions batch, ProgressCallback progress,
                          Token&& token) {
        using Value = typename BatchGetPlan<Model, View>::value_type;
        return asio::run<std::vector<Value>>(
            [table = std::move(table), keys = std::move(keys), options, batch, progress = std::move(progress)]() {
                return asio::detail::batch_get(prepare_batch_get<Model, View>(table, keys, options, batch), progress);
            },
            std::forward<Token>(token));
    }
    /** BatchWriteItem of PutRequests of `items` (a copy of the items, or pointers to the
        caller's versioned or auto-UUID items). */
    template <class Model, class Items, class Token>
    static auto batch_save(ClientRef table, Items items, BatchOptions batch, ProgressCallback progress, Token&& token) {
        return asio::run<std::monostate>(
            [table = std::move(table), items = std::move(items), batch, progress = std::move(progress)]()
                -> boost::asio::awaitable<std::monostate> {
                if constexpr (std::is_pointer_v<typename Items::value_type>) {
                    auto each = items | std::views::transform([](auto* p) -> Model& { return *p; });
                    BatchWritePlan<Model> plan = prepare_batch_save<Model>(table, each);
                    co_await asio::detail::batch_write(std::move(plan), batch, progress);
                } else {
                    BatchWritePlan<Model> plan = prepare_batch_save<Model>(table, items);
                    co_await asio::detail::batch_write(std::move(plan), batch, progress);
                }
                co_return std::monostate{};
            },
            std::forward<Token>(token));
    }
    /** BatchWriteItem of DeleteRequests of `keys` (copied). */
    template <class Model, class Keys, class Token>
    static auto batch_remove(ClientRef table, Keys keys, BatchOptions batch, ProgressCallback progress, Token&& token) {
        return asio::run<std::monostate>(
            [table = std::move(table), keys = std::move(keys), batch, progress = std::move(progress)]()
                -> boost::asio::awaitable<std::monostate> {
                BatchWritePlan<Model> plan = prepare_batch_remove<Model>(table, keys);
                co_await asio::detail::batch_write(std::move(plan), batch, progress);
                co_return std::monostate{};
            },
            std::forward<Token>(token));
    }

    /** CreateTable, and the wait. */
    template <class T, class Token>
    static auto create_table(const T& table, CreateTableOptions options, Token&& token) {
        return asio::run<std::monostate>(
            [table = bound(table), options = std::move(options)]() -> boost::asio::awaitable<std::monostate> {
                co_await asio::detail::create_table(table, options);
                co_return std::monostate{};
            },
            std::forward<Token>(token));
    }
    /** DeleteTable, and the wait. */
    template <class T, class Token>
    static auto delete_table(const T& table, std::chrono::seconds timeout, Token&& token) {
        return asio::run<std::monostate>(
            [table = bound(table), timeout]() -> boost::asio::awaitable<std::monostate> {
                co_await asio::detail::delete_table(table, timeout);
                co_return std::monostate{};
            },
            std::forward<Token>(token));
    }
    /** DescribeTable. */
    template <class T, class Token>
    static auto describe_table(const T& table, Token&& token) {
        return asio::run<boost::json::object>([table = bound(table)]() { return asio::detail::describe_table(table); },
                                              std::forward<Token>(token));
    }
    /** DescribeTable: does the table exist. */
    template <class T, class Token>
    static auto table_exists(const T& table, Token&& token) {
        return asio::run<bool>([table = bound(table)]() { return asio::detail::table_exists(table); }, std::forward<Token>(token));
    }
    /** The wait for a table to be ACTIVE (`exists`) or gone. */
    template <class T, class Token>
    static auto wait_for_table(const T& table, bool exists, std::chrono::seconds timeout, Token&& token) {
        return asio::run<std::monostate>(
            [table = bound(table), exists, timeout]() -> boost::asio::awaitable<std::monostate> {
                const Client c = table.client();
                std::string name = table.name();
                co_await asio::detail::wait_for_table(c, std::move(name), exists, timeout);
                co_return std::monostate{};
            },
            std::forward<Token>(token));
    }
    /** `Transaction::commit` on timers: the transaction's own token, actions and options. */
    template <class Token>
    static auto commit(Transaction& transaction, Token&& token) {
        return asio::run<std::monostate>(
            [t = &transaction]() -> boost::asio::awaitable<std::monostate> {
                if (const std::string* request_token = t->begin_commit()) {
                    auto prepared = prepare_transact_write(t->client(), t->actions(), t->options(), *request_token);
                    co_await asio::detail::run_transaction(t->client(), std::move(prepared.request),
                                                           std::move(prepared.actions), t->options());
                    for (const auto& a : t->actions()) a.committed();
                }
                t->end_commit();
                co_return std::monostate{};
            },
            std::forward<Token>(token));
    }
};

}  // namespace dynantic::detail
