// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The asynchronous members of `Table<Model>` (`TableAsync`, a base of Table): every item
    operation and table management with an Asio completion token. They are declared here, without
    Asio; using one needs `#include <dynantic/asio.hpp>` (CMake target `dynantic::asio`), which
    defines how they run — a program that calls one without it does not compile, and the error
    says what to include.

    @code
    #include <dynantic/asio.hpp>
    boost::asio::awaitable<void> f(dy::Table<User> users) {
        std::optional<User> u = co_await users.async_get("u1", "a@b.c", boost::asio::use_awaitable);
        co_await users.async_save(User{"u2", "b@c.d"}, boost::asio::use_awaitable);
    }
    users.async_get("u1", "a@b.c", [](std::exception_ptr e, std::optional<User> u) { ... });   // a callback
    std::future<std::optional<User>> f = users.async_get("u1", "a@b.c", boost::asio::use_future);
    @endcode

    Each member takes a completion token last (a callback, `asio::use_future`, `asio::deferred`,
    `asio::use_awaitable`, ...) and completes with `void(std::exception_ptr, T)`, `T` being what
    the synchronous member returns (`std::optional<Model>`, `WriteResult`, ...; `std::monostate`
    for the members that return nothing). On failure the pointer holds the exception the
    synchronous member would throw (`ConditionalCheckFailedError`, `TableNotFoundError`, ...:
    always a `dynantic::Error`; a cancelled operation's error says whether its request was sent)
    and `T` is default-constructed. A member never throws itself: even a key refused before
    sending is reported through the completion. The completion runs on the handler's associated
    executor (for `use_awaitable`, the coroutine's), else on the system executor. Cancellation
    follows the handler's associated cancellation slot (`asio::bind_cancellation_slot`,
    `awaitable_operators`' `||`).

    Lifetimes: the table and the values given are copied; a versioned or auto-UUID item (saved
    from a mutable reference) and an `op::Put` given to `async_execute` refer to the caller's item,
    which must outlive the operation (its version is set once the write is applied). */

#include <dynantic/detail/async_front.hpp>
#include <dynantic/detail/client_ref.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/operations/delete.hpp>
#include <dynantic/operations/get.hpp>
#include <dynantic/operations/put.hpp>
#include <dynantic/operations/read_page.hpp>
#include <dynantic/operations/update.hpp>
#include <dynantic/options.hpp>
#include <dynantic/progress.hpp>
#include <dynantic/schema.hpp>

#include <chrono>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

/** The asynchronous members of `Table<Model>` (CRTP: `Derived` is the table). See the file
    comment for the completion signature, errors, executors and cancellation. */
template <class Derived, class Model>
class TableAsync {
    using Keys = detail::ModelKey<Model>;
    using partition_key_type = typename Keys::partition_key_type;
    using sort_key_type = typename Keys::sort_key_type;
    using key_type = typename Keys::key_type;
    static constexpr bool has_sort_key = Keys::has_sort_key;
    static constexpr bool mutating = detail::mutating_model<Model>;
    template <class Token>
    using front = detail::AsyncFrontEnd<detail::async_key<Token>>;

public:
    // ----- reads -----

    ///@{
    /** `get` (GetItem), asynchronously: completes with `std::optional<Model>` (or the view, or
        the variant of a polymorphic base), empty when no item has the key.
        @see Table::get for the errors (DecodeError, TableNotFoundError, ValidationError). */
    template <class View = Model, class CompletionToken>
    auto async_get(const partition_key_type& pk, CompletionToken&& token) const
        requires(!has_sort_key)
    {
        return async_execute(op::Get<Model, View>(key_type(pk)), std::forward<CompletionToken>(token));
    }
    /** As above, with read options (ConsistentRead, consumed capacity). */
    template <class View = Model, class CompletionToken>
    auto async_get(const partition_key_type& pk, GetOptions options, CompletionToken&& token) const
        requires(!has_sort_key)
    {
        return async_execute(op::Get<Model, View>(key_type(pk), options), std::forward<CompletionToken>(token));
    }
    /** As above, for a table with a sort key. */
    template <class View = Model, class CompletionToken>
    auto async_get(const partition_key_type& pk, const sort_key_type& sk, CompletionToken&& token) const
        requires has_sort_key
    {
        return async_execute(op::Get<Model, View>(key_type{pk, sk}), std::forward<CompletionToken>(token));
    }
    /** As above, with read options (ConsistentRead, consumed capacity). */
    template <class View = Model, class CompletionToken>
    auto async_get(const partition_key_type& pk, const sort_key_type& sk, GetOptions options,
                   CompletionToken&& token) const
        requires has_sort_key
    {
        return async_execute(op::Get<Model, View>(key_type{pk, sk}, options), std::forward<CompletionToken>(token));
    }
    ///@}

    // ----- writes -----

    ///@{
    /** `save` (PutItem), asynchronously: completes with the `WriteResult`. A versioned or
        auto-UUID item is saved from a mutable reference that must outlive the operation; its
        version is incremented once the write is applied.
        @see Table::save for the conditions, options and errors. */
    template <class CompletionToken>
    auto async_save(const Model& item, CompletionToken&& token) const
        requires(!mutating)
    {
        return async_save(item, WriteOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, with write options (old item, consumed capacity, ...). */
    template <class CompletionToken>
    auto async_save(const Model& item, WriteOptions options, CompletionToken&& token) const
        requires(!mutating)
    {
        return front<CompletionToken>::put(self(), std::make_shared<const Model>(item),
                                           [options](const Model& m) { return op::Put<Model>(m).options(options); },
                                           std::forward<CompletionToken>(token));
    }
    /** As above, only if `when` holds for the stored item. */
    template <class C, class CompletionToken>
        requires detail::any_condition<C>
    auto async_save(const Model& item, const C& when, CompletionToken&& token) const
        requires(!mutating)
    {
        return async_save(item, when, WriteOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, only if `when` holds, with write options. */
    template <class C, class CompletionToken>
        requires detail::any_condition<C>
    auto async_save(const Model& item, const C& when, WriteOptions options, CompletionToken&& token) const
        requires(!mutating)
    {
        return front<CompletionToken>::put(
            self(), std::make_shared<const Model>(item),
            [when, options](const Model& m) { return op::Put<Model>(m).when(when).options(options); },
            std::forward<CompletionToken>(token));
    }
    /** As above, for a versioned or auto-UUID model: `item` must outlive the operation. */
    template <class CompletionToken>
    auto async_save(Model& item, CompletionToken&& token) const
        requires mutating
    {
        return async_save(item, WriteOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, with write options (old item, consumed capacity, ...). */
    template <class CompletionToken>
    auto async_save(Model& item, WriteOptions options, CompletionToken&& token) const
        requires mutating
    {
        return front<CompletionToken>::put_mutating(
            self(), item, [options](const Model& m) { return op::Put<Model>(m).options(options); },
            std::forward<CompletionToken>(token));
    }
    /** As above, only if `when` holds for the stored item. */
    template <class C, class CompletionToken>
        requires detail::any_condition<C>
    auto async_save(Model& item, const C& when, CompletionToken&& token) const
        requires mutating
    {
        return async_save(item, when, WriteOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, only if `when` holds, with write options. */
    template <class C, class CompletionToken>
        requires detail::any_condition<C>
    auto async_save(Model& item, const C& when, WriteOptions options, CompletionToken&& token) const
        requires mutating
    {
        return front<CompletionToken>::put_mutating(
            self(), item, [when, options](const Model& m) { return op::Put<Model>(m).when(when).options(options); },
            std::forward<CompletionToken>(token));
    }
    ///@}

    ///@{
    /** `create` (PutItem if no item has the key), asynchronously: completes with the
        `WriteResult`, or ConditionalCheckFailedError when an item with the key exists.
        @see Table::create. */
    template <class CompletionToken>
    auto async_create(const Model& item, CompletionToken&& token) const
        requires(!mutating)
    {
        return async_create(item, WriteOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, with write options (old item, consumed capacity, ...). */
    template <class CompletionToken>
    auto async_create(const Model& item, WriteOptions options, CompletionToken&& token) const
        requires(!mutating)
    {
        return front<CompletionToken>::put(
            self(), std::make_shared<const Model>(item),
            [options](const Model& m) { return op::Put<Model>(m).if_absent().options(options); },
            std::forward<CompletionToken>(token));
    }
    /** As above, for a versioned or auto-UUID model: `item` must outlive the operation. */
    template <class CompletionToken>
    auto async_create(Model& item, CompletionToken&& token) const
        requires mutating
    {
        return async_create(item, WriteOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, with write options (old item, consumed capacity, ...). */
    template <class CompletionToken>
    auto async_create(Model& item, WriteOptions options, CompletionToken&& token) const
        requires mutating
    {
        return front<CompletionToken>::put_mutating(
            self(), item, [options](const Model& m) { return op::Put<Model>(m).if_absent().options(options); },
            std::forward<CompletionToken>(token));
    }
    ///@}

    ///@{
    /** `remove` (DeleteItem), asynchronously: completes with the `WriteResult`; with `when`,
        only if the condition holds. @see Table::remove. */
    template <class CompletionToken>
    auto async_remove(const partition_key_type& pk, CompletionToken&& token) const
        requires(!has_sort_key)
    {
        return async_execute(op::Delete<Model>(key_type(pk)), std::forward<CompletionToken>(token));
    }
    /** As above, with write options (old item, consumed capacity, ...). */
    template <class CompletionToken>
    auto async_remove(const partition_key_type& pk, WriteOptions options, CompletionToken&& token) const
        requires(!has_sort_key)
    {
        return async_execute(op::Delete<Model>(key_type(pk)).options(options), std::forward<CompletionToken>(token));
    }
    /** As above, only if `when` holds for the stored item. */
    template <class C, class CompletionToken>
        requires detail::any_condition<C>
    auto async_remove(const partition_key_type& pk, const C& when, CompletionToken&& token) const
        requires(!has_sort_key)
    {
        return async_execute(op::Delete<Model>(key_type(pk)).when(when), std::forward<CompletionToken>(token));
    }
    /** As above, only if `when` holds, with write options. */
    template <class C, class CompletionToken>
        requires detail::any_condition<C>
    auto async_remove(const partition_key_type& pk, const C& when, WriteOptions options, CompletionToken&& token) const
        requires(!has_sort_key)
    {
        return async_execute(op::Delete<Model>(key_type(pk)).when(when).options(options),
                             std::forward<CompletionToken>(token));
    }
    /** As above, for a table with a sort key. */
    template <class CompletionToken>
    auto async_remove(const partition_key_type& pk, const sort_key_type& sk, CompletionToken&& token) const
        requires has_sort_key
    {
        return async_execute(op::Delete<Model>(key_type{pk, sk}), std::forward<CompletionToken>(token));
    }
    /** As above, with write options (old item, consumed capacity, ...). */
    template <class CompletionToken>
    auto async_remove(const partition_key_type& pk, const sort_key_type& sk, WriteOptions options,
                      CompletionToken&& token) const
        requires has_sort_key
    {
        return async_execute(op::Delete<Model>(key_type{pk, sk}).options(options), std::forward<CompletionToken>(token));
    }
    /** As above, only if `when` holds for the stored item. */
    template <class C, class CompletionToken>
        requires detail::any_condition<C>
    auto async_remove(const partition_key_type& pk, const sort_key_type& sk, const C& when,
                      CompletionToken&& token) const
        requires has_sort_key
    {
        return async_execute(op::Delete<Model>(key_type{pk, sk}).when(when), std::forward<CompletionToken>(token));
    }
    /** As above, only if `when` holds, with write options. */
    template <class C, class CompletionToken>
        requires detail::any_condition<C>
    auto async_remove(const partition_key_type& pk, const sort_key_type& sk, const C& when, WriteOptions options,
                      CompletionToken&& token) const
        requires has_sort_key
    {
        return async_execute(op::Delete<Model>(key_type{pk, sk}).when(when).options(options),
                             std::forward<CompletionToken>(token));
    }
    ///@}

    ///@{
    /** `remove_item` (DeleteItem of the item's key; for a versioned model, only if the stored
        version is the item's), asynchronously. The item is copied. @see Table::remove_item. */
    template <class CompletionToken>
    auto async_remove_item(const Model& item, CompletionToken&& token) const {
        return async_execute(op::Delete<Model>::of_item(item), std::forward<CompletionToken>(token));
    }
    /** As above, with write options (old item, consumed capacity, ...). */
    template <class CompletionToken>
    auto async_remove_item(const Model& item, WriteOptions options, CompletionToken&& token) const {
        return async_execute(op::Delete<Model>::of_item(item).options(options), std::forward<CompletionToken>(token));
    }
    ///@}

    ///@{
    /** `execute(op)` asynchronously: runs an operation value on this table (GetItem, PutItem,
        DeleteItem, UpdateItem, one Query or Scan page), completing with what `execute` returns.
        An `op::Put` refers to its item, which must outlive the operation.
        @see Table::execute. */
    template <class View, class CompletionToken>
    auto async_execute(const op::Get<Model, View>& get, CompletionToken&& token) const {
        return front<CompletionToken>::get(self(), get, std::forward<CompletionToken>(token));
    }
    /** As above, for another kind of operation value. */
    template <class CompletionToken>
    auto async_execute(const op::Put<Model>& put, CompletionToken&& token) const {
        return front<CompletionToken>::write(self(), put, std::forward<CompletionToken>(token));
    }
    /** As above, for another kind of operation value. */
    template <class CompletionToken>
    auto async_execute(const op::Delete<Model>& del, CompletionToken&& token) const {
        return front<CompletionToken>::write(self(), del, std::forward<CompletionToken>(token));
    }
    /** As above, for another kind of operation value. */
    template <class CompletionToken>
    auto async_execute(const op::Update<Model>& update, CompletionToken&& token) const {
        return self().update_builder(update).async_execute(std::forward<CompletionToken>(token));
    }
    /** As above, for another kind of operation value. */
    template <class View, class CompletionToken>
    auto async_execute(const op::QueryPage<Model, View>& page, CompletionToken&& token) const {
        return front<CompletionToken>::page(self(), page, std::forward<CompletionToken>(token));
    }
    /** As above, for another kind of operation value. */
    template <class View, class CompletionToken>
    auto async_execute(const op::ScanPage<Model, View>& page, CompletionToken&& token) const {
        return front<CompletionToken>::page(self(), page, std::forward<CompletionToken>(token));
    }
    ///@}

    // ----- batches -----

    ///@{
    /** `batch_get` (BatchGetItem, 100 keys a request, UnprocessedKeys retried on timers),
        asynchronously: completes with `std::vector<Model>` (or the view), each item found once,
        in the order of `keys` (copied). @see Table::batch_get for the errors (BatchError, ...). */
    template <class View = Model, class Keys, class CompletionToken>
    auto async_batch_get(Keys keys, CompletionToken&& token) const {
        return async_batch_get<View>(std::move(keys), GetOptions{}, BatchOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, with read options (ConsistentRead, consumed capacity) and batch options
        (retries, deadline). */
    template <class View = Model, class Keys, class CompletionToken>
    auto async_batch_get(Keys keys, GetOptions options, BatchOptions batch, CompletionToken&& token) const {
        return front<CompletionToken>::template batch_get<Model, View>(ref(), std::move(keys), options, batch,
                                                                       ProgressCallback{},
                                                                       std::forward<CompletionToken>(token));
    }
    ///@}
    ///@{
    /** `batch_save` (BatchWriteItem, 25 a request, UnprocessedItems retried on timers),
        asynchronously: completes with `std::monostate`, or BatchError holding exactly the write
        requests not known to be applied. The items are copied; a versioned or auto-UUID model's
        items are the caller's (a mutable range that must outlive the operation: versions are
        set on the items written). @see Table::batch_save. */
    template <class Items, class CompletionToken>
    auto async_batch_save(Items&& items, CompletionToken&& token) const {
        return async_batch_save(std::forward<Items>(items), BatchOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, with batch options (retries, deadline, capacity). */
    template <class Items, class CompletionToken>
    auto async_batch_save(Items&& items, BatchOptions batch, CompletionToken&& token) const {
        if constexpr (mutating) {
            static_assert(std::is_lvalue_reference_v<Items> && !std::is_const_v<std::remove_reference_t<Items>>,
                          "dynantic: async_batch_save of a versioned or auto-UUID model sets versions or keys on the "
                          "items: pass a mutable range that outlives the operation");
            std::vector<Model*> pointers;
            for (auto& item : items) pointers.push_back(std::addressof(static_cast<Model&>(item)));
            return front<CompletionToken>::template batch_save<Model>(ref(), std::move(pointers), batch,
                                                                      ProgressCallback{},
                                                                      std::forward<CompletionToken>(token));
        } else {
            std::vector<Model> copies;
            for (auto&& item : items) copies.push_back(static_cast<const Model&>(item));
            return front<CompletionToken>::template batch_save<Model>(ref(), std::move(copies), batch,
                                                                      ProgressCallback{},
                                                                      std::forward<CompletionToken>(token));
        }
    }
    ///@}
    ///@{
    /** `batch_remove` (BatchWriteItem of DeleteRequests), asynchronously; errors as
        `async_batch_save`. `keys` is copied. */
    template <class Keys, class CompletionToken>
    auto async_batch_remove(Keys keys, CompletionToken&& token) const {
        return async_batch_remove(std::move(keys), BatchOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, with batch options (retries, deadline, capacity). */
    template <class Keys, class CompletionToken>
    auto async_batch_remove(Keys keys, BatchOptions batch, CompletionToken&& token) const {
        return front<CompletionToken>::template batch_remove<Model>(ref(), std::move(keys), batch, ProgressCallback{},
                                                                    std::forward<CompletionToken>(token));
    }
    ///@}

    // ----- table management -----

    ///@{
    /** `create_table` (CreateTable from the schema; by default waits until the table and its
        indexes are ACTIVE, polling DescribeTable on a timer, and enables TTL), asynchronously:
        completes with `std::monostate`. @see Table::create_table for the errors. */
    template <class CompletionToken>
    auto async_create_table(CompletionToken&& token) const {
        return async_create_table(CreateTableOptions{}, std::forward<CompletionToken>(token));
    }
    /** As above, with `options` (billing, stream, TTL, wait, progress). */
    template <class CompletionToken>
    auto async_create_table(CreateTableOptions options, CompletionToken&& token) const {
        return front<CompletionToken>::create_table(self(), std::move(options), std::forward<CompletionToken>(token));
    }
    ///@}
    /** `delete_table` (DeleteTable, then waits until it is gone, polling on a timer, at most
        `timeout`), asynchronously: completes with `std::monostate`. */
    template <class CompletionToken>
    auto async_delete_table(std::chrono::seconds timeout, CompletionToken&& token) const {
        return front<CompletionToken>::delete_table(self(), timeout, std::forward<CompletionToken>(token));
    }
    /** `describe_table` (DescribeTable's "Table" object), asynchronously. */
    template <class CompletionToken>
    auto async_describe_table(CompletionToken&& token) const {
        return front<CompletionToken>::describe_table(self(), std::forward<CompletionToken>(token));
    }
    /** `table_exists` (DescribeTable), asynchronously: completes with `bool`. */
    template <class CompletionToken>
    auto async_table_exists(CompletionToken&& token) const {
        return front<CompletionToken>::table_exists(self(), std::forward<CompletionToken>(token));
    }
    /** Waits until the table and its global indexes are ACTIVE, polling DescribeTable with
        growing delays (20 ms to 1 s) on a timer, at most `timeout`: completes with
        `std::monostate`, or Error (errc::timeout) when the time ran out. */
    template <class CompletionToken>
    auto async_wait_until_active(std::chrono::seconds timeout, CompletionToken&& token) const {
        return front<CompletionToken>::wait_for_table(self(), true, timeout, std::forward<CompletionToken>(token));
    }

private:
    const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
    /** The client resolved now (the bound one, else `current_client()` of this thread). */
    detail::ClientRef ref() const { return {self().client(), schema<Model>::value.name}; }
};

}  // namespace dynantic
