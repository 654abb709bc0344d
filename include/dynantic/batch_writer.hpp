// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `BatchWriter<Model>` and the batch operations behind `Table::batch_get`, `batch_save` and
    `batch_remove`, built on the operation values (`op::Put` renders each PutRequest's item,
    `detail::ModelKey` each key). See batch.hpp for the guarantees. */

#include <dynantic/batch_error.hpp>
#include <dynantic/client.hpp>
#include <dynantic/detail/batch_engine.hpp>
#include <dynantic/detail/client_ref.hpp>
#include <dynantic/detail/create_on_write.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/projection.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/operations/put.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/operations/version.hpp>
#include <dynantic/options.hpp>
#include <dynantic/progress.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dynantic {

/** Buffers puts and deletes for one table and sends them with BatchWriteItem: whenever 25 are
    buffered, on `flush()`, and when the writer goes out of scope — but not while an exception
    is propagating (the buffered writes are then dropped, so a failed scope writes no more than
    it had flushed). Writes are applied in the order given: a write to a key already buffered
    first flushes the buffer (DynamoDB refuses two writes to one key in a request).

    Not thread-safe; not copyable or movable (`auto w = table.batch_writer();` is fine).
    For a versioned model, `save(item)` writes version + 1 without checking and sets it on
    `item` once written: `item` must outlive the next flush.
    @throws from `save`/`remove`/`flush`/the destructor: as `Table::batch_save`. A `BatchError`
            leaves the buffer empty (the error holds what was not written). */
template <class Model>
class BatchWriter {
    using Keys = detail::ModelKey<Model>;
    static constexpr bool has_sort_key = Keys::has_sort_key;
    static constexpr bool mutating = detail::mutating_model<Model>;

public:
    using key_type = typename Keys::key_type;   ///< the partition key, or a pair of partition and sort key
    using partition_key_type = typename Keys::partition_key_type;   ///< the partition key member's type
    using sort_key_type = typename Keys::sort_key_type;   ///< the sort key member's type (void without one)

    /** A writer for `table` (a `Table<Model>`) whose sends retry as `options` says. */
    template <class T>
        requires std::is_same_v<typename T::model_type, Model> && requires(const T& t) { t.client(); }
    explicit BatchWriter(const T& table, BatchOptions options = {})
        : BatchWriter(detail::ClientRef{table.client(), schema<Model>::value.name}, options) {}
    /** A writer for `Model`'s table on `table.client` (made by `Table::batch_writer`). */
    explicit BatchWriter(detail::ClientRef table, BatchOptions options = {})
        : table_(std::move(table)), options_(options), uncaught_(std::uncaught_exceptions()) {}
    BatchWriter(const BatchWriter&) = delete;
    BatchWriter& operator=(const BatchWriter&) = delete;

    /** Flushes, unless the scope is being left by an exception. May throw (as `flush`). */
    ~BatchWriter() noexcept(false) {
        if (std::uncaught_exceptions() <= uncaught_ && !buffer_.empty()) flush();
    }

    /** Buffers a put of `item` (a PutRequest). */
    void save(const Model& item)
        requires(!mutating)
    {
        add_put(item, nullptr);
    }
    /** Buffers a put of a versioned or auto-UUID `item` (a nil UUID key is filled now; the
        version is set on `item` once written). */
    void save(Model& item)
        requires mutating
    {
        detail::Entity<Model>::prepare(item);
        add_put(item, detail::Versioning<Model>::enabled ? &item : nullptr);
    }
    /** Buffers a delete by key (a DeleteRequest). */
    void remove(const partition_key_type& pk)
        requires(!has_sort_key)
    {
        add_delete(Keys::encode(table_.context(Operation::BatchWriteItem), pk));
    }
    /** Buffers a delete by partition and sort key. */
    void remove(const partition_key_type& pk, const sort_key_type& sk)
        requires has_sort_key
    {
        add_delete(Keys::encode(table_.context(Operation::BatchWriteItem), pk, sk));
    }
    /** Buffers a delete by a (partition, sort) key pair. */
    void remove(const key_type& key)
        requires has_sort_key
    {
        add_delete(Keys::encode(table_.context(Operation::BatchWriteItem), key.first, key.second));
    }
    /** Buffers a delete of the item with `item`'s key (no version check). */
    void remove_item(const Model& item) { add_delete(Keys::of_item(table_.context(Operation::BatchWriteItem), item)); }

    /** Sends everything buffered (BatchWriteItem, 25 a request, retrying unprocessed items).
        @throws BatchError with the requests not written; the first request's error when
                nothing was written (the buffer is empty afterwards either way). */
    void flush();

    /** Writes buffered and not yet sent. */
    std::size_t pending() const noexcept { return buffer_.size(); }

private:
    void add_put(const Model& item, Model* bump);
    void add_delete(boost::json::object key);
    void add(boost::json::object request, std::string key, Model* bump);

    detail::ClientRef table_;
    BatchOptions options_;
    int uncaught_;
    std::vector<boost::json::object> buffer_;
    std::vector<std::string> keys_;   // canonical key text of each buffered request
    std::vector<Model*> bumps_;       // versioned puts: the item to bump once written
};

namespace detail {

/** A BatchGetItem of `Model` items read as `View`, ready to run (`prepare_batch_get`): the
    distinct keys encoded, the view's projection, the options. Shared by `Table::batch_get` and
    the asynchronous front end. */
template <class Model, class View = Model>
struct BatchGetPlan {
    using value_type = typename ReadAs<Model, View>::value_type;   ///< an item read
    Client client;                            ///< the client it runs on
    ErrorInfo context;                        ///< BatchGetItem and the table name sent
    std::vector<boost::json::object> keys;    ///< the distinct keys, encoded, in order
    /** A view's ProjectionExpression and names, with the keys that match answers to keys. */
    boost::json::object projection;
    bool consistent_read = false;             ///< ConsistentRead
    BatchOptions batch;                       ///< retries, deadline and capacity (of either options)

    /** The projection members for `run_batch_get` (null: whole items). */
    const boost::json::object* projection_members() const noexcept { return projection.empty() ? nullptr : &projection; }
    /** The items `run_batch_get` returned, decoded: each found once, in the keys' order. */
    std::vector<value_type> decode(const std::vector<boost::json::object>& items) const {
        std::vector<value_type> out;
        out.reserve(items.size());
        for (const auto& item : items)
            if (auto v = item.empty() ? std::nullopt : ReadAs<Model, View>::decode_own(item, context)) out.push_back(std::move(*v));
        return out;
    }
};

/** Encodes `keys` (duplicates read once) and the options of a BatchGetItem on `table`.
    @throws ValidationError for an empty key value. */
template <class Model, class View = Model, class Keys>
BatchGetPlan<Model, View> prepare_batch_get(const ClientRef& table, const Keys& keys, GetOptions options,
                                            const BatchOptions& batch) {
    using Read = ReadAs<Model, View>;
    BatchGetPlan<Model, View> plan{table.client(), {}, {}, {}, options.consistent_read, batch};
    plan.context = operation_context(Operation::BatchGetItem, plan.client.table_name(table.table));
    constexpr KeyNames names = ModelKey<Model>::names();
    std::unordered_map<std::string, std::size_t> seen;
    for (const auto& k : keys) {
        boost::json::object key = ModelKey<Model>::encode_any(plan.context, k);
        if (seen.emplace(key_text(key, names), plan.keys.size()).second) plan.keys.push_back(std::move(key));
    }
    if constexpr (!Read::whole) {
        ExpressionContext placeholders;
        Read::project(plan.projection, placeholders, {names.partition, names.sort}, true);
        placeholders.apply(plan.projection);
    }
    // The capacity may be asked for in either options (GetOptions as for `get`).
    if (plan.batch.return_consumed_capacity == ReturnConsumedCapacity::none)
        plan.batch.return_consumed_capacity = options.return_consumed_capacity;
    if (plan.batch.consumed_capacity == nullptr) plan.batch.consumed_capacity = options.consumed_capacity;
    return plan;
}

/** BatchGetItem of `Model` items by key, read as `View` (see `Table::batch_get`). */
template <class Model, class View = Model, class Keys>
std::vector<typename ReadAs<Model, View>::value_type> batch_get(const ClientRef& table, const Keys& keys, GetOptions options,
                                                                const BatchOptions& batch, const ProgressCallback& progress) {
    const BatchGetPlan<Model, View> plan = prepare_batch_get<Model, View>(table, keys, options, batch);
    return plan.decode(run_batch_get(plan.client, plan.context.table, plan.keys, ModelKey<Model>::names(),
                                     plan.consistent_read, plan.batch, progress, plan.projection_members()));
}

/** A BatchWriteItem of one table's write requests, ready to run (`prepare_batch_save`,
    `prepare_batch_remove`): the requests, which are written, and the versioned items to bump
    once written. Shared by `Table::batch_save`/`batch_remove` and the asynchronous front end. */
template <class Model>
struct BatchWritePlan {
    Client client;                                ///< the client it runs on
    ErrorInfo context;                            ///< BatchWriteItem and the table name sent
    /** The arena of the requests (released at once after the batch); first, so it outlives them. */
    std::unique_ptr<boost::json::monotonic_resource> resource;
    std::vector<boost::json::object> requests;    ///< PutRequest / DeleteRequest objects, distinct keys
    std::vector<Model*> bumps;                    ///< versioned puts: the item of each request
    std::vector<char> written;                    ///< one per request: known to be applied
    std::vector<std::string> key_texts;           ///< one per request: its key's `key_text`

    /** Sets the new version on each versioned item whose put was written. */
    void applied() const {
        for (std::size_t i = 0; i < bumps.size(); ++i)
            if (written[i]) op::Put<Model>::applied(*bumps[i]);
    }
};

/** The PutRequests of `items`, each rendered by `op::Put` (a nil auto-UUID key filled first).
    @throws ValidationError for two items with one key, or an item DynamoDB cannot store. */
template <class Model, class Items>
BatchWritePlan<Model> prepare_batch_save(const ClientRef& table, Items&& items) {
    using reference = decltype(*std::begin(std::declval<Items&>()));
    static_assert(std::is_convertible_v<reference, const Model&>, "dynantic: batch_save takes a range of the model");
    static_assert(!mutating_model<Model> || !std::is_const_v<std::remove_reference_t<reference>>,
                  "dynantic: batch_save of a versioned or auto-UUID model sets versions or keys on the items: pass a "
                  "mutable range");
    constexpr bool versioned = Versioning<Model>::enabled;
    BatchWritePlan<Model> plan{table.client(), {}, std::make_unique<boost::json::monotonic_resource>(), {}, {}, {}, {}};
    plan.context = operation_context(Operation::BatchWriteItem, plan.client.table_name(table.table));
    constexpr KeyNames names = ModelKey<Model>::names();
    // Every request in one arena, released at once after the batch: no allocation, free or walk
    // on destruction per JSON value (the storage is not shared), and the bodies take the requests
    // by pointer moves (run_batch_write).
    const boost::json::storage_ptr arena(plan.resource.get());
    KeyTexts seen;
    for (auto&& item : items) {
        if constexpr (mutating_model<Model>) Entity<Model>::prepare(item);
        boost::json::object encoded = op::Put<Model>(static_cast<const Model&>(item)).encode(plan.context, arena);
        if (const std::size_t first = seen.add(key_text(encoded, names)); first != KeyTexts::npos)
            throw_duplicate_key(plan.context, "items", first, plan.requests.size(), seen[first]);
        boost::json::object request(arena);
        request["PutRequest"].emplace_object()["Item"] = std::move(encoded);
        plan.requests.push_back(std::move(request));
        if constexpr (versioned) plan.bumps.push_back(static_cast<Model*>(std::addressof(item)));
    }
    plan.written.assign(plan.requests.size(), 0);
    plan.key_texts = seen.take();
    return plan;
}

/** The DeleteRequests of `keys`. @throws ValidationError for a key given twice or an empty one. */
template <class Model, class Keys>
BatchWritePlan<Model> prepare_batch_remove(const ClientRef& table, const Keys& keys) {
    BatchWritePlan<Model> plan{table.client(), {}, nullptr, {}, {}, {}, {}};
    plan.context = operation_context(Operation::BatchWriteItem, plan.client.table_name(table.table));
    constexpr KeyNames names = ModelKey<Model>::names();
    KeyTexts seen;
    for (const auto& k : keys) {
        boost::json::object key = ModelKey<Model>::encode_any(plan.context, k);
        if (const std::size_t first = seen.add(key_text(key, names)); first != KeyTexts::npos)
            throw_duplicate_key(plan.context, "keys", first, plan.requests.size(), seen[first]);
        boost::json::object request;
        request["DeleteRequest"].emplace_object()["Key"] = std::move(key);
        plan.requests.push_back(std::move(request));
    }
    plan.written.assign(plan.requests.size(), 0);
    plan.key_texts = seen.take();
    return plan;
}

/** Runs a prepared BatchWriteItem synchronously, bumping the versions written (also on failure). */
template <class Model>
void run_batch_write_plan(BatchWritePlan<Model>& plan, const BatchOptions& batch, const ProgressCallback& progress) {
    try {
        run_batch_write(plan.client, plan.context.table, plan.requests, ModelKey<Model>::names(), batch, plan.written,
                        progress, std::move(plan.key_texts));
    } catch (...) {
        plan.applied();
        throw;
    }
    plan.applied();
}

}  // namespace detail

/** The batch members of `Table<Model>` (CRTP: `Derived` provides `client()`). */
template <class Derived, class Model>
class TableBatches {
    using key_type = typename detail::ModelKey<Model>::key_type;
    using value_type = typename detail::Entity<Model>::value_type;

public:
    /** The items with these keys (BatchGetItem, 100 keys a request, `UnprocessedKeys` retried
        per `batch`). `keys` is any range of `key_type` (or, with a sort key, of pair- or
        tuple-like (pk, sk)); duplicates are read once. The result holds each item found once,
        in the order its key first appears in `keys`; keys without an item are left out.
        @throws BatchError with the unread keys and the items read when work remains after
                `batch.max_attempts`, or when a later request fails; ValidationError for an empty
                key value; DecodeError; the first request's own error when nothing was read.
        `progress` (progress.hpp), when set, is called after each request: keys answered of all.
        `batch_get<View>(keys)` reads only the attributes of `View`, a view of the model
        (view.hpp), with a ProjectionExpression that also names the table's keys.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
    template <class View = Model, class Keys = std::vector<key_type>>
    std::vector<typename detail::ReadAs<Model, View>::value_type> batch_get(const Keys& keys, GetOptions options = {},
                                                                          BatchOptions batch = {},
                                                                          ProgressCallback progress = {}) const {
        return detail::batch_get<Model, View>(ref(), keys, options, batch, progress);
    }

    /** Writes every item, replacing items with the same keys (BatchWriteItem, 25 a request,
        `UnprocessedItems` retried per `batch`). No conditions: for a versioned model the
        version is not checked, but the item's version + 1 is written and, once written, set on
        the item (as `save(item, {.check_version = false})`); pass a mutable range then.
        @throws ValidationError before sending, naming both positions and the key, when two
                items have the same key, or for an item DynamoDB cannot store; BatchError with
                exactly the write requests not known to be applied; the first request's own
                error when nothing was written.
        `progress` (progress.hpp), when set, is called after each request: writes applied of all.
        With `TableOptions::create_table_on_first_write`, a missing table (the first request's
        ResourceNotFoundException: nothing written) is created from the schema and the batch
        sent once more.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html */
    template <class Items = std::vector<Model>>
    void batch_save(Items&& items, BatchOptions batch = {}, ProgressCallback progress = {}) const {
        detail::BatchWritePlan<Model> plan = detail::prepare_batch_save<Model>(ref(), std::forward<Items>(items));
        run_creating_table(plan, batch, progress);
    }

    /** Deletes the items with these keys (BatchWriteItem); errors and a missing table as `batch_save`. */
    template <class Keys = std::vector<key_type>>
    void batch_remove(const Keys& keys, BatchOptions batch = {}, ProgressCallback progress = {}) const {
        detail::BatchWritePlan<Model> plan = detail::prepare_batch_remove<Model>(ref(), keys);
        run_creating_table(plan, batch, progress);
    }

private:
    /** Runs `plan`; creates a missing table first when the table's options ask (create_on_write.hpp). */
    void run_creating_table(detail::BatchWritePlan<Model>& plan, const BatchOptions& batch,
                            const ProgressCallback& progress) const {
        const Derived& table = static_cast<const Derived&>(*this);
        detail::write_creating_table(
            table.table_options(), [&] { detail::run_batch_write_plan(plan, batch, progress); },
            [&] { detail::create_missing_table(table, *table.table_options()); });
    }

    detail::ClientRef ref() const {
        return {static_cast<const Derived&>(*this).client(), schema<Model>::value.name};
    }
};

/// @cond DEFINITIONS (members declared and documented above)
// ----- BatchWriter -----

template <class Model>
void BatchWriter<Model>::add_put(const Model& item, Model* bump) {
    const ErrorInfo ctx = table_.context(Operation::BatchWriteItem);
    boost::json::object encoded = op::Put<Model>(item).encode(ctx);
    std::string key = detail::key_text(encoded, Keys::names());
    boost::json::object request;
    request["PutRequest"].emplace_object()["Item"] = std::move(encoded);
    add(std::move(request), std::move(key), bump);
}

template <class Model>
void BatchWriter<Model>::add_delete(boost::json::object key) {
    std::string text = detail::key_text(key, Keys::names());
    boost::json::object request;
    request["DeleteRequest"].emplace_object()["Key"] = std::move(key);
    add(std::move(request), std::move(text), nullptr);
}

template <class Model>
void BatchWriter<Model>::add(boost::json::object request, std::string key, Model* bump) {
    if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) flush();
    buffer_.push_back(std::move(request));
    keys_.push_back(std::move(key));
    bumps_.push_back(bump);
    if (buffer_.size() >= 25) flush();
}

template <class Model>
void BatchWriter<Model>::flush() {
    if (buffer_.empty()) return;
    std::vector<boost::json::object> requests = std::move(buffer_);
    std::vector<Model*> bumps = std::move(bumps_);
    std::vector<std::string> texts = std::move(keys_);
    buffer_.clear();
    keys_.clear();
    bumps_.clear();
    std::vector<char> written(requests.size(), 0);
    auto bump = [&] {
        for (std::size_t i = 0; i < bumps.size(); ++i)
            if (written[i] && bumps[i] != nullptr) op::Put<Model>::applied(*bumps[i]);
    };
    try {
        const Client client = table_.client();
        detail::run_batch_write(client, client.table_name(table_.table), requests, Keys::names(), options_, written,
                                {}, std::move(texts));
    } catch (...) {
        bump();
        throw;
    }
    bump();
}

/// @endcond

}  // namespace dynantic
