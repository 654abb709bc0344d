// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `Table<Model>`: typed CRUD and table management for one model's table.

    @code
    dynantic::Table<User> users;                 // the current client (see client.hpp)
    users.save(u);                               // PutItem
    users.create(u);                             // PutItem if no item has this key
    std::optional<User> got = users.get("u1", "a@b.c");
    users.remove("u1", "a@b.c");
    auto old = users.save(u, {.return_old_item = true}).old_item;   // the item replaced (write_result.hpp)
    if (!users.try_create(u)) return;            // it already existed (table_conditional.hpp)
    @endcode

    A `Table` builds operation values (operations/: `op::Put`, `op::Delete`, `op::Update`,
    `op::Get`), renders them for its client's table name and runs them through the client;
    `execute(op)` runs a value built elsewhere. Every operation is also available as a pure
    request builder (`*_request`, table_items.hpp, with the item and key codecs) that returns the
    exact operation name and JSON body without sending: a dry run for tests and tooling. Options: options.hpp; updates: update_builder.hpp;
    reads: table_reads.hpp, query.hpp; batches: batch_writer.hpp. */

#include <dynantic/batch_writer.hpp>
#include <dynantic/client.hpp>
#include <dynantic/detail/arena.hpp>
#include <dynantic/detail/client_ref.hpp>
#include <dynantic/detail/create_on_write.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/typed_response.hpp>
#include <dynantic/expressions/field.hpp>
#include <dynantic/operations/delete.hpp>
#include <dynantic/operations/get.hpp>
#include <dynantic/operations/put.hpp>
#include <dynantic/operations/update.hpp>
#include <dynantic/options.hpp>
#include <dynantic/progress.hpp>
#include <dynantic/query.hpp>
#include <dynantic/request.hpp>
#include <dynantic/schema.hpp>
#include <dynantic/table_admin.hpp>
#include <dynantic/table_async.hpp>
#include <dynantic/table_conditional.hpp>
#include <dynantic/table_items.hpp>
#include <dynantic/table_reads.hpp>
#include <dynantic/update_builder.hpp>
#include <dynantic/write_result.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

/** The typed front end of one model's table: writes (PutItem, DeleteItem, UpdateItem), reads
    (GetItem, Query, Scan), batches and table management, each checked against the model's
    schema at compile time. A cheap value: it holds a `Client` (or uses `current_client()` at
    each call); thread-safe to share.
    @code
    dynantic::Table<User> users{client};
    users.save(u);
    std::optional<User> got = users.get("u1", "a@b.c");
    @endcode */
template <class Model>
class Table : public TableItems<Table<Model>, Model>,
              public TableAdministration<Table<Model>, Model>,
              public TableBatches<Table<Model>, Model>,
              public TableReads<Table<Model>, Model>,
              public TableConditionalWrites<Table<Model>, Model>,
              public TableAsync<Table<Model>, Model> {
    static constexpr auto schema_ = schema<Model>::value;
    using Schema = std::remove_cvref_t<decltype(schema_)>;
    using Entity = detail::Entity<Model>;
    using KeyCodec = detail::ModelKey<Model>;

public:
    using model_type = Model;                                         ///< the model type
    using partition_key_type = typename Schema::partition_key_type;   ///< the partition key's C++ type
    using sort_key_type = typename Schema::sort_key_type;             ///< the sort key's C++ type
    /** True when the schema declares a sort key. */
    static constexpr bool has_sort_key = Schema::has_sort_key;
    /** One key as a value: the partition key, or `std::pair{partition, sort}`. */
    using key_type = typename KeyCodec::key_type;
    /** True when the schema declares a version attribute (optimistic locking). */
    static constexpr bool versioned = detail::Versioning<Model>::enabled;
    /** True when writes change the item in memory (version bump, generated UUID key): such
        models are saved from a mutable reference. */
    static constexpr bool mutating = detail::mutating_model<Model>;
    /** What reads return: `Model`, or for a polymorphic base (a schema with a discriminator and
        subtypes) `std::variant<Model, Subtypes...>`. */
    using value_type = typename Entity::value_type;

    /** What `save`, `create`, `remove`, `remove_item` and `execute(op::Put/Delete)` return: the
        old item when asked, the consumed capacity when asked (write_result.hpp). */
    using write_result = WriteResult<value_type>;

    /** A table that uses `current_client()` at each call. */
    Table() = default;
    /** A table bound to `client`. */
    explicit Table(Client client) : client_(std::move(client)) {}
    /** A table bound to `client`, with `options` (e.g. `create_table_on_first_write`). */
    Table(Client client, TableOptions options)
        : client_(std::move(client)), options_(std::make_shared<const TableOptions>(std::move(options))) {}
    /** A table that uses `current_client()` at each call, with `options`. */
    explicit Table(TableOptions options) : options_(std::make_shared<const TableOptions>(std::move(options))) {}

    /** The client used for the next call. */
    Client client() const { return client_ ? *client_ : current_client(); }
    /** The client given at construction; empty when the table uses `current_client()`. */
    const std::optional<Client>& bound_client() const noexcept { return client_; }
    /** The table name sent to DynamoDB, including the client's prefix. */
    std::string name() const { return client().table_name(schema_.name); }
    /** The schema declared for the model. */
    static constexpr const Schema& table_schema() { return schema_; }

    // ----- operation values -----

    using TableReads<Table<Model>, Model>::execute;   // queries, scans and their page values

    ///@{
    /** Runs an operation value built elsewhere (operations/) on this table: the PutItem,
        DeleteItem, UpdateItem or GetItem it describes, with the same retries, errors and result
        as `save`, `remove`, `update(...).execute()` and `get`. A put or update of a versioned
        item does not change the item (use `save`/`update_item` for that). A get asked for its
        consumed capacity adds it to the sink of its `GetOptions`.
        @throws as the corresponding member. */
    write_result execute(const op::Put<Model>& put) const { return run_write(put, [] {}); }
    write_result execute(const op::Delete<Model>& del) const { return run_write(del, [] {}); }
    UpdateResult<Model> execute(const op::Update<Model>& update) const { return update_builder(update).execute(); }
    template <class View>
    std::optional<typename op::Get<Model, View>::value_type> execute(const op::Get<Model, View>& get) const {
        const Client c = client();
        const std::string table = c.table_name(schema_.name);
        // The request and the response live only here: both in an arena (a request and an item
        // of up to ~2 KB of JSON need no heap allocation) that is released in one piece.
        detail::RequestArena arena;
        const OperationRequest request = get.render(table, op::Get<Model, View>::operation, arena.storage());
        if constexpr (detail::typed_get<Model, View>) {
            // The item is decoded straight from the response text; a response that pass does not
            // take is parsed and read as below (detail/typed_response.hpp).
            detail::TypedGet<Model> read(arena.storage());
            CallOptions options{.storage = arena.storage()};
            options.read_body = [r = &read](std::string_view text) { return r->read(text); };   // no allocation
            (void)c.call(request.operation, request.body, std::move(options));
            return read.result(get, table);
        } else {
            const boost::json::object response = c.call(request.operation, request.body, CallOptions{.storage = arena.storage()});
            detail::add_capacity(get.options().consumed_capacity, response, Operation::GetItem);
            return op::Get<Model, View>::decode(response, table);
        }
    }
    ///@}

    // ----- writes -----

    ///@{
    /** Writes `item`, replacing any item with the same key (PutItem); with `when`, only if the
        condition holds for the stored item. For a versioned model, `item` must be mutable:
        the write is conditional on its version, and its version is incremented on success.
        @throws ConditionalCheckFailedError when `when` (or the version check) fails;
                WriteOutcomeUnknownError when an attempt whose answer was lost may have been
                applied and the resend's condition failed on an item that is not this one (see
                README, "Errors"); ValidationError before sending, naming the attribute, for an empty or oversize
                key value, a value DynamoDB cannot store (NaN, > 38 digits, invalid UTF-8),
                nesting deeper than 32 levels or an item over 400 KB; TableNotFoundError;
                Error for other failures; DecodeError when the old item asked for does not fit
                the model (the write was applied, and the message says so).
        @return the replaced item when `options.return_old_item` (ReturnValues = ALL_OLD) and
                there was one; the consumed capacity when `options.return_consumed_capacity`.
                Ignoring it is fine: `users.save(u);`.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html */
    write_result save(const Model& item, WriteOptions options = {}) const
        requires(!mutating)
    {
        return execute(op::Put<Model>(item).options(options));
    }
    template <class C>
        requires detail::any_condition<C>
    write_result save(const Model& item, const C& when, WriteOptions options = {}) const
        requires(!mutating)
    {
        return execute(op::Put<Model>(item).when(when).options(options));
    }
    write_result save(Model& item, WriteOptions options = {}) const
        requires mutating
    {
        return put_mutating(item, op::Put<Model>(item).options(options));
    }
    template <class C>
        requires detail::any_condition<C>
    write_result save(Model& item, const C& when, WriteOptions options = {}) const
        requires mutating
    {
        return put_mutating(item, op::Put<Model>(item).when(when).options(options));
    }
    ///@}

    ///@{
    /** Writes `item` only if no item with its key exists (PutItem with
        `attribute_not_exists(<partition key>)`).
        @throws ConditionalCheckFailedError if an item with the same key exists; as `save`
                (an earlier attempt of this call that wrote the item is recognised: success). */
    write_result create(const Model& item, WriteOptions options = {}) const
        requires(!mutating)
    {
        return execute(op::Put<Model>(item).if_absent().options(options));
    }
    write_result create(Model& item, WriteOptions options = {}) const
        requires mutating
    {
        return put_mutating(item, op::Put<Model>(item).if_absent().options(options));
    }
    ///@}

    ///@{
    /** Deletes the item with this key (DeleteItem); deleting a missing item is not an error.
        With `when`, only if the condition holds.
        @throws ConditionalCheckFailedError when `when` fails; WriteOutcomeUnknownError when an
                attempt whose answer was lost may have deleted the item and the resend's
                condition failed on an item that exists again; DecodeError as `save`.
        @return the deleted item when `options.return_old_item` and there was one; the consumed
                capacity when asked.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html */
    write_result remove(const partition_key_type& pk, WriteOptions options = {}) const
        requires(!has_sort_key)
    {
        return execute(op::Delete<Model>(pk).options(options));
    }
    template <class C>
        requires detail::any_condition<C>
    write_result remove(const partition_key_type& pk, const C& when, WriteOptions options = {}) const
        requires(!has_sort_key)
    {
        return execute(op::Delete<Model>(pk).when(when).options(options));
    }
    write_result remove(const partition_key_type& pk, const sort_key_type& sk, WriteOptions options = {}) const
        requires has_sort_key
    {
        return execute(op::Delete<Model>(key_type{pk, sk}).options(options));
    }
    template <class C>
        requires detail::any_condition<C>
    write_result remove(const partition_key_type& pk, const sort_key_type& sk, const C& when,
                        WriteOptions options = {}) const
        requires has_sort_key
    {
        return execute(op::Delete<Model>(key_type{pk, sk}).when(when).options(options));
    }
    ///@}

    ///@{
    /** Deletes the item with the key of `item`; for a versioned model, only if the stored
        version equals the item's (unless `options.check_version` is false). */
    write_result remove_item(const Model& item, WriteOptions options = {}) const {
        return execute(op::Delete<Model>::of_item(item).options(options));
    }
    template <class C>
        requires detail::any_condition<C>
    write_result remove_item(const Model& item, const C& when, WriteOptions options = {}) const {
        return execute(op::Delete<Model>::of_item(item).when(when).options(options));
    }
    ///@}

    ///@{
    /** An UpdateItem builder for the item with this key (see update_builder.hpp).
        @throws ValidationError for an empty or oversize key value. */
    UpdateBuilder<Model> update(const partition_key_type& pk) const
        requires(!has_sort_key)
    {
        (void)KeyCodec::encode(context(Operation::UpdateItem), pk);   // refuse a bad key now, not at execute()
        return builder(UpdateBuilder<Model>(client_, pk, nullptr));
    }
    UpdateBuilder<Model> update(const partition_key_type& pk, const sort_key_type& sk) const
        requires has_sort_key
    {
        (void)KeyCodec::encode(context(Operation::UpdateItem), pk, sk);
        return builder(UpdateBuilder<Model>(client_, key_type{pk, sk}, nullptr));
    }
    ///@}
    /** An UpdateItem builder for the item's key. For a versioned model the update is
        conditional on `item`'s version, and `item`'s version is incremented on success. */
    UpdateBuilder<Model> update_item(Model& item) const {
        (void)KeyCodec::of_item(key_context(), item);
        return builder(UpdateBuilder<Model>(client_, KeyCodec::value_of(item), &item));
    }

    // ----- reads (query, query_index, scan, scan_index: TableReads, table_reads.hpp) -----

    ///@{
    /** The item with this key, or `std::nullopt` (GetItem); `get<View>(...)` reads only the
        attributes of `View`, a view of the model (view.hpp), with a ProjectionExpression. With
        `options.return_consumed_capacity`, the units are added to `*options.consumed_capacity`.
        @throws DecodeError naming the attribute when the stored item does not fit the model;
                TableNotFoundError; ValidationError for an empty key value; Error
                (errc::invalid_response) when the response's `Item` is not an object.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html */
    template <class View = Model>
    std::optional<typename op::Get<Model, View>::value_type> get(const partition_key_type& pk, GetOptions options = {}) const
        requires(!has_sort_key)
    {
        return execute(op::Get<Model, View>(pk, options));
    }
    template <class View = Model>
    std::optional<typename op::Get<Model, View>::value_type> get(const partition_key_type& pk, const sort_key_type& sk,
                                                                 GetOptions options = {}) const
        requires has_sort_key
    {
        return execute(op::Get<Model, View>(key_type{pk, sk}, options));
    }
    ///@}

    // ----- batch (batch_get, batch_save, batch_remove: TableBatches, batch_writer.hpp) -----

    /** A buffered writer of puts and deletes, sent 25 at a time and when it goes out of scope
        (see BatchWriter). */
    BatchWriter<Model> batch_writer(BatchOptions batch = {}) const { return BatchWriter<Model>(ref(), batch); }

    /// @cond INTERNAL
    /** The builder that runs `update` on this table (`execute`, `async_execute`). */
    UpdateBuilder<Model> update_builder(const op::Update<Model>& update) const {
        return builder(UpdateBuilder<Model>(client_, update.data()));
    }
    /** The options given at construction; null: the defaults. */
    const TableOptions* table_options() const noexcept { return options_.get(); }

private:
    detail::ClientRef ref() const { return {client_, schema_.name}; }

    ErrorInfo context(Operation operation) const { return detail::operation_context(operation, name()); }
    /** The context of a key checked outside any operation. */
    ErrorInfo key_context() const { return ErrorInfo{"key", name(), {}, {}, 0, {}}; }

    /** A put of a versioned or auto-UUID item: fills a nil UUID key, sends, bumps the version
        (before decoding what the put returned: a failed decode does not undo the write). */
    write_result put_mutating(Model& item, const op::Put<Model>& put) const {
        Entity::prepare(item);
        return run_write(put, [&] { op::Put<Model>::applied(item); });
    }

    /** Sends a put or delete value, runs `applied` once DynamoDB applied it, decodes what it
        returned; creates a missing table first when the options ask (detail/create_on_write.hpp). */
    template <class Op, class Applied>
    write_result run_write(const Op& op, Applied applied) const {
        return detail::write_creating_table(options_.get(), [&] {
            const Client c = client();
            const std::string table = c.table_name(schema_.name);
            detail::RequestArena arena;   // the request and the response, released in one piece
            // Initialised, not assigned: a move assignment into a request on the default storage
            // would copy the arena-rendered body element by element.
            const OperationRequest request = detail::render_in(op, table, arena.storage());
            const boost::json::object response =
                c.call(request.operation, request.body, CallOptions{.storage = arena.storage()});
            applied();
            return Op::decode(response, table);
        }, [this] { detail::create_missing_table(*this, *options_); });
    }

    /** An update builder that creates a missing table as `run_write` does. */
    UpdateBuilder<Model> builder(UpdateBuilder<Model> b) const {
        if (options_ && options_->create_table_on_first_write) {
            b.on_missing_table([t = *this] { detail::create_missing_table(t, *t.options_); });
            b.table_options(options_);
        }
        return b;
    }

    std::optional<Client> client_;
    std::shared_ptr<const TableOptions> options_;   ///< null: defaults
    /// @endcond
};

}  // namespace dynantic
