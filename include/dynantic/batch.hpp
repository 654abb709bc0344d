// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Batch reads and writes of one model's table that never lose an item.

    @code
    std::vector<User> got = users.batch_get({"u1", "u2", "u3"});     // BatchGetItem, 100 a request
    users.batch_save(many);                                          // BatchWriteItem, 25 a request
    users.batch_remove(std::vector<std::string>{"u1", "u2"});
    {
        auto w = users.batch_writer();   // puts and deletes, sent 25 at a time
        w.save(x);
        w.remove("u9");
        w.flush();                       // optional: also at scope end
    }
    @endcode

    What DynamoDB leaves unprocessed (`UnprocessedItems`, `UnprocessedKeys`, or a throttling
    error for a whole request after the client's own retries) is sent again with exponential
    backoff and full jitter, bounded by `BatchOptions` (table.hpp). If work still remains, or a
    later request fails, a `BatchError` carries exactly the requests not known to be applied
    (and, for reads, the items already read), so the caller can retry them: batch puts and
    deletes are idempotent. If the very first request fails, nothing was done and its own error
    (ValidationError, TableNotFoundError, TransportError, ...) is thrown unchanged.

    DynamoDB cannot attach conditions to batch writes: versioned models are written without a
    version check (see `Table::batch_save`); use `transact_write` (transaction.hpp) or `save`
    when the check matters.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */

#include <dynantic/table.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dynantic {

/** A batch operation stopped with work remaining (errc::batch_incomplete). Nothing is lost:
    the error holds every request not known to be applied. `what()` reads
    "BatchWriteItem on table 'users': 3 of 1000 write requests unprocessed after 8 attempts" (or
    names the error that stopped the batch). */
class BatchError : public Error {
public:
    /** `unprocessed`: the requests not applied (WriteRequest or key objects, DynamoDB JSON); `retrieved`: items read before the stop; `cause`: the error that stopped the batch, if one did. */
    BatchError(ErrorInfo info, std::vector<boost::json::object> unprocessed,
               std::vector<boost::json::object> retrieved = {}, std::exception_ptr cause = nullptr)
        : Error(errc::batch_incomplete, std::move(info)),
          unprocessed_(std::move(unprocessed)),
          retrieved_(std::move(retrieved)),
          cause_(std::move(cause)) {}

    /** BatchWriteItem: the write requests not known to be applied, as they would be sent again
        (`{"PutRequest": {"Item": {...}}}` or `{"DeleteRequest": {"Key": {...}}}`), in the order
        given. BatchGetItem: the keys not read (`{"id": {"S": "u1"}}`). */
    const std::vector<boost::json::object>& unprocessed() const noexcept { return unprocessed_; }
    /** BatchGetItem: the items read before giving up, in the order of their keys. */
    const std::vector<boost::json::object>& retrieved() const noexcept { return retrieved_; }
    /** The error that stopped the batch (a TransportError, a ValidationError on a later chunk,
        ...), or null when retries of unprocessed work ran out. After a TransportError the
        chunk in flight may have been applied: it is among `unprocessed()` anyway. */
    const std::exception_ptr& cause() const noexcept { return cause_; }

    /** The items of the unprocessed PutRequests, decoded (a variant for a polymorphic base). */
    template <class Model>
    std::vector<typename detail::Entity<Model>::value_type> unprocessed_items() const;
    /** The keys of the unprocessed DeleteRequests (writes) or the unread keys (reads). */
    template <class Model>
    std::vector<typename Table<Model>::key_type> unprocessed_keys() const;
    /** `retrieved()`, decoded. */
    template <class Model>
    std::vector<typename detail::Entity<Model>::value_type> retrieved_items() const;

private:
    std::vector<boost::json::object> unprocessed_;
    std::vector<boost::json::object> retrieved_;
    std::exception_ptr cause_;
};

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
    using table_type = Table<Model>;

public:
    using key_type = typename table_type::key_type;   ///< the partition key, or a pair of partition and sort key
    using partition_key_type = typename table_type::partition_key_type;   ///< the partition key member's type
    using sort_key_type = typename table_type::sort_key_type;   ///< the sort key member's type (void without one)

    /** A writer for `table` whose sends retry as `options` says. */
    explicit BatchWriter(table_type table, BatchOptions options = {})
        : table_(std::move(table)), options_(options), uncaught_(std::uncaught_exceptions()) {}
    BatchWriter(const BatchWriter&) = delete;
    BatchWriter& operator=(const BatchWriter&) = delete;

    /** Flushes, unless the scope is being left by an exception. May throw (as `flush`). */
    ~BatchWriter() noexcept(false) {
        if (std::uncaught_exceptions() <= uncaught_ && !buffer_.empty()) flush();
    }

    /** Buffers a put of `item` (a PutRequest). */
    void save(const Model& item)
        requires(!table_type::mutating)
    {
        add_put(item, nullptr);
    }
    void save(Model& item)
        requires table_type::mutating
    {
        table_type::prepare_item(item);
        add_put(item, table_type::versioned ? &item : nullptr);
    }
    /** Buffers a delete by key (a DeleteRequest). */
    void remove(const partition_key_type& pk)
        requires(!table_type::has_sort_key)
    {
        add_delete(table_.key(pk));
    }
    void remove(const partition_key_type& pk, const sort_key_type& sk)
        requires table_type::has_sort_key
    {
        add_delete(table_.key(pk, sk));
    }
    void remove(const key_type& key)
        requires table_type::has_sort_key
    {
        add_delete(table_.key(key.first, key.second));
    }
    /** Buffers a delete of the item with `item`'s key (no version check). */
    void remove_item(const Model& item) { add_delete(table_.key_of(item)); }

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

    table_type table_;
    BatchOptions options_;
    int uncaught_;
    std::vector<boost::json::object> buffer_;
    std::vector<std::string> keys_;   // canonical key text of each buffered request
    std::vector<Model*> bumps_;       // versioned puts: the item to bump once written
};

namespace detail {

/** Attribute names of a table's key. */
struct KeyNames {
    std::string_view partition;
    std::string_view sort;  ///< empty without a sort key
};

/** The canonical text of the key of an item or key object: the key attributes serialized in
    (partition, sort) order. Empty if a key attribute is missing. */
std::string key_text(const boost::json::object& item, KeyNames names);

/** Full-jitter exponential backoff before retry `retry` (1 = the first retry). */
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, std::chrono::milliseconds max,
                                        unsigned retry);

/** The request body of one BatchWriteItem chunk, in the storage of the requests: the requests at
    `indices` are moved into it (pointer moves when they share that storage), leaving them empty
    until `take_back_batch_write_body` returns them. */
boost::json::object batch_write_body(const std::string& table, std::vector<boost::json::object>& requests,
                                     std::span<const std::size_t> indices);
/** Moves the requests lent to `body` by `batch_write_body` back to their places in `requests`. */
void take_back_batch_write_body(boost::json::object& body, const std::string& table,
                                std::vector<boost::json::object>& requests, std::span<const std::size_t> indices);
/** The request body of one BatchGetItem chunk: the keys at `indices`, each copied once, straight
    into the body. */
boost::json::object batch_get_body(const std::string& table, const std::vector<boost::json::object>& keys,
                                   std::span<const std::size_t> indices, bool consistent_read);

/** Sends write requests (PutRequest / DeleteRequest objects, distinct keys) for one table in
    chunks of 25, retrying unprocessed ones; sets `written[i]` once request i is known to be
    applied (`written` has one entry per request). Each chunk's requests are moved into its body
    and back, so `requests` is as given when this returns or throws; a `BatchError` holds copies
    in the default storage. Throws as described in batch.hpp. */
void run_batch_write(const Client& client, const std::string& table, std::vector<boost::json::object>& requests,
                     KeyNames names, const BatchOptions& options, std::vector<char>& written,
                     const ProgressCallback& progress = {});

/** Reads distinct keys in chunks of 100, retrying unprocessed ones. Returns one object per key,
    in the same order: the item, or an empty object when there is none. */
std::vector<boost::json::object> run_batch_get(const Client& client, const std::string& table,
                                               const std::vector<boost::json::object>& keys, KeyNames names,
                                               bool consistent_read, const BatchOptions& options,
                                               const ProgressCallback& progress = {});

/** "items 3 and 17 have the same key <sha256:...>" as a ValidationError; the key (its text, see
    key_text) is shown as `redacted(key)`. */
[[noreturn]] void throw_duplicate_key(ErrorInfo context, std::string_view what, std::size_t first, std::size_t second,
                                      const std::string& key);

template <class T>
concept pair_like = requires(const T& t) {
    typename std::tuple_size<T>::type;
    requires std::tuple_size<T>::value == 2;
    std::get<0>(t);
    std::get<1>(t);
};

/** The library's own access to `Table` internals (a friend of every Table). */
struct TableAccess {
    template <class Model>
    static ErrorInfo context(const Table<Model>& table, std::string_view operation) {
        return table.context(operation);
    }

    template <class Model>
    static constexpr KeyNames key_names() {
        const auto& s = Table<Model>::table_schema();
        return {s.partition_key_name(), s.sort_key_name()};
    }

    /** The key object of a key value: a partition key, or a pair/tuple (pk, sk). */
    template <class Model, class K>
    static boost::json::object encode_key(const Table<Model>& table, std::string_view operation, const K& key) {
        using T = Table<Model>;
        if constexpr (!T::has_sort_key) {
            static_assert(std::is_convertible_v<const K&, typename T::partition_key_type>,
                          "dynantic: a key of this table is a partition key value");
            return table.make_key(operation, key);
        } else {
            static_assert(pair_like<K>,
                          "dynantic: a key of a table with a sort key is a std::pair or std::tuple (pk, sk)");
            return table.make_key(operation, std::get<0>(key), std::get<1>(key));
        }
    }

    /** The item of a PutRequest: checked keys and limits, and version + 1 for a versioned model;
        allocated in `storage`. */
    template <class Model>
    static boost::json::object encode_put(const Table<Model>& table, const Model& item, const ErrorInfo& ctx,
                                          boost::json::storage_ptr storage = {}) {
        using T = Table<Model>;
        boost::json::object encoded = Entity<Model>::encode(item, ctx, std::move(storage));
        T::check_keys(encoded, ctx);
        if constexpr (T::versioned) {
            boost::json::value next(encoded.storage());
            dynantic::to_attribute(T::current_version(item) + 1, next);
            encoded[T::version_name()] = std::move(next);
        }
        detail::check_item_limits(encoded, ctx);  // 400 KB, 32 levels: before any request
        (void)table;
        return encoded;
    }

    template <class Model>
    static void bump_version(Model& item) {
        using T = Table<Model>;
        if constexpr (T::versioned) T::set_version(item, T::current_version(item) + 1);
    }

    /** The value of a key attribute object, decoded to `key_type`. */
    template <class Model>
    static typename Table<Model>::key_type decode_key(const boost::json::object& key, const ErrorInfo& ctx) {
        using T = Table<Model>;
        constexpr KeyNames names = key_names<Model>();
        try {
            auto part = [&](std::string_view name, auto tag) {
                using V = typename decltype(tag)::type;
                const auto* av = key.if_contains(name);
                if (av == nullptr) throw_attribute_error("key attribute '" + std::string(name) + "' is missing");
                try {
                    return dynantic::from_attribute<V>(*av);
                } catch (AttributeError& e) {
                    prepend_path(e, name);
                    throw;
                }
            };
            if constexpr (T::has_sort_key)
                return {part(names.partition, std::type_identity<typename T::partition_key_type>{}),
                        part(names.sort, std::type_identity<typename T::sort_key_type>{})};
            else
                return part(names.partition, std::type_identity<typename T::partition_key_type>{});
        } catch (const AttributeError& e) {
            throw_item_error(e, ctx);
        }
    }
};

}  // namespace detail

/// @cond DEFINITIONS (members declared and documented in table.hpp and above)
// ----- Table's batch members -----

template <class Model>
template <class Keys>
std::vector<typename Table<Model>::value_type> Table<Model>::batch_get(const Keys& keys, GetOptions options,
                                                                      BatchOptions batch, ProgressCallback progress) const {
    const ErrorInfo ctx = context("BatchGetItem");
    constexpr detail::KeyNames names = detail::TableAccess::key_names<Model>();
    std::vector<boost::json::object> encoded;
    std::unordered_map<std::string, std::size_t> seen;
    for (const auto& k : keys) {
        boost::json::object key = detail::TableAccess::encode_key(*this, "BatchGetItem", k);
        if (seen.emplace(detail::key_text(key, names), encoded.size()).second) encoded.push_back(std::move(key));
    }
    const std::vector<boost::json::object> items =
        detail::run_batch_get(client(), ctx.table, encoded, names, options.consistent_read, batch, progress);
    std::vector<value_type> out;
    out.reserve(items.size());
    for (const auto& item : items)
        if (auto v = item.empty() ? std::nullopt : Entity::decode_own(item, ctx)) out.push_back(std::move(*v));
    return out;
}

template <class Model>
template <class Items>
void Table<Model>::batch_save(Items&& items, BatchOptions batch, ProgressCallback progress) const {
    using reference = std::ranges::range_reference_t<Items>;
    static_assert(std::is_convertible_v<reference, const Model&>, "dynantic: batch_save takes a range of the model");
    static_assert(!mutating || !std::is_const_v<std::remove_reference_t<reference>>,
                  "dynantic: batch_save of a versioned or auto-UUID model sets versions or keys on the items: pass a "
                  "mutable range");
    const ErrorInfo ctx = context("BatchWriteItem");
    constexpr detail::KeyNames names = detail::TableAccess::key_names<Model>();
    // Every request in one arena, released at once after the batch: no allocation, free or walk
    // on destruction per JSON value (the storage is not shared), and the bodies take the requests
    // by pointer moves (run_batch_write). Declared before `requests`, so it outlives them.
    boost::json::monotonic_resource resource;
    const boost::json::storage_ptr arena(&resource);
    std::vector<boost::json::object> requests;
    std::vector<std::remove_reference_t<reference>*> pointers;
    std::unordered_map<std::string, std::size_t> seen;
    for (auto&& item : items) {
        if constexpr (mutating) prepare_item(item);
        boost::json::object encoded =
            detail::TableAccess::encode_put(*this, static_cast<const Model&>(item), ctx, arena);
        const auto [it, fresh] = seen.emplace(detail::key_text(encoded, names), requests.size());
        if (!fresh) detail::throw_duplicate_key(ctx, "items", it->second, requests.size(), it->first);
        boost::json::object request(arena);
        request["PutRequest"].emplace_object()["Item"] = std::move(encoded);
        requests.push_back(std::move(request));
        if constexpr (versioned) pointers.push_back(std::addressof(item));
    }
    std::vector<char> written(requests.size(), 0);
    auto bump = [&] {
        if constexpr (versioned) {
            for (std::size_t i = 0; i < pointers.size(); ++i)
                if (written[i]) detail::TableAccess::bump_version(*pointers[i]);
        }
    };
    try {
        detail::run_batch_write(client(), ctx.table, requests, names, batch, written, progress);
    } catch (...) {
        bump();
        throw;
    }
    bump();
}

template <class Model>
template <class Keys>
void Table<Model>::batch_remove(const Keys& keys, BatchOptions batch, ProgressCallback progress) const {
    const ErrorInfo ctx = context("BatchWriteItem");
    constexpr detail::KeyNames names = detail::TableAccess::key_names<Model>();
    std::vector<boost::json::object> requests;
    std::unordered_map<std::string, std::size_t> seen;
    for (const auto& k : keys) {
        boost::json::object key = detail::TableAccess::encode_key(*this, "BatchWriteItem", k);
        const auto [it, fresh] = seen.emplace(detail::key_text(key, names), requests.size());
        if (!fresh) detail::throw_duplicate_key(ctx, "keys", it->second, requests.size(), it->first);
        boost::json::object request;
        request["DeleteRequest"].emplace_object()["Key"] = std::move(key);
        requests.push_back(std::move(request));
    }
    std::vector<char> written(requests.size(), 0);
    detail::run_batch_write(client(), ctx.table, requests, names, batch, written, progress);
}

template <class Model>
BatchWriter<Model> Table<Model>::batch_writer(BatchOptions batch) const {
    return BatchWriter<Model>(*this, batch);
}

// ----- BatchWriter -----

template <class Model>
void BatchWriter<Model>::add_put(const Model& item, Model* bump) {
    const ErrorInfo ctx = detail::TableAccess::context(table_, "BatchWriteItem");
    boost::json::object encoded = detail::TableAccess::encode_put(table_, item, ctx);
    std::string key = detail::key_text(encoded, detail::TableAccess::key_names<Model>());
    boost::json::object request;
    request["PutRequest"].emplace_object()["Item"] = std::move(encoded);
    add(std::move(request), std::move(key), bump);
}

template <class Model>
void BatchWriter<Model>::add_delete(boost::json::object key) {
    std::string text = detail::key_text(key, detail::TableAccess::key_names<Model>());
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
    buffer_.clear();
    keys_.clear();
    bumps_.clear();
    std::vector<char> written(requests.size(), 0);
    auto bump = [&] {
        for (std::size_t i = 0; i < bumps.size(); ++i)
            if (written[i] && bumps[i] != nullptr) detail::TableAccess::bump_version(*bumps[i]);
    };
    try {
        detail::run_batch_write(table_.client(), table_.name(), requests, detail::TableAccess::key_names<Model>(),
                                options_, written);
    } catch (...) {
        bump();
        throw;
    }
    bump();
}

// ----- BatchError's typed accessors -----

template <class Model>
std::vector<typename detail::Entity<Model>::value_type> BatchError::unprocessed_items() const {
    std::vector<typename detail::Entity<Model>::value_type> out;
    for (const auto& r : unprocessed_) {
        const auto* put = r.if_contains("PutRequest");
        if (put == nullptr || !put->is_object()) continue;
        if (const auto* item = put->get_object().if_contains("Item"); item != nullptr && item->is_object())
            out.push_back(detail::Entity<Model>::decode(item->get_object(), info()));
    }
    return out;
}

template <class Model>
std::vector<typename Table<Model>::key_type> BatchError::unprocessed_keys() const {
    std::vector<typename Table<Model>::key_type> out;
    for (const auto& r : unprocessed_) {
        if (r.contains("PutRequest")) continue;
        const boost::json::object* key = &r;
        if (const auto* del = r.if_contains("DeleteRequest")) {
            const auto* k = del->is_object() ? del->get_object().if_contains("Key") : nullptr;
            if (k == nullptr || !k->is_object()) continue;
            key = &k->get_object();
        }
        out.push_back(detail::TableAccess::decode_key<Model>(*key, info()));
    }
    return out;
}

template <class Model>
std::vector<typename detail::Entity<Model>::value_type> BatchError::retrieved_items() const {
    std::vector<typename detail::Entity<Model>::value_type> out;
    out.reserve(retrieved_.size());
    for (const auto& item : retrieved_) out.push_back(detail::Entity<Model>::decode(item, info()));
    return out;
}

/// @endcond

}  // namespace dynantic
