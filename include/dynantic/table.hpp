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
    @endcode

    Every operation is also available as a pure request builder (`*_request`) that returns the
    exact operation name and JSON body without sending: a dry run for tests and tooling. */

#include <dynantic/client.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/response.hpp>
#include <dynantic/codec/item.hpp>
#include <dynantic/codec/limits.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/field.hpp>
#include <dynantic/progress.hpp>
#include <dynantic/query.hpp>
#include <dynantic/request.hpp>
#include <dynantic/schema.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

/** Options of `Table::get`. */
struct GetOptions {
    bool consistent_read = false;  ///< strongly consistent read (ConsistentRead)
};

/** Options of conditional writes (`save`, `create`, `remove`). */
struct WriteOptions {
    /** On a failed condition, return the item's current attributes in
        `ConditionalCheckFailedError::item()` (ReturnValuesOnConditionCheckFailure = ALL_OLD). */
    bool return_item_on_condition_failure = false;
    /** For models with a version attribute: add the version condition (default). The version
        is incremented either way. */
    bool check_version = true;
};

/** Which attributes an UpdateItem returns (ReturnValues). */
enum class ReturnValues { none, all_old, updated_old, all_new, updated_new };

/** The wire name of a `ReturnValues`: "NONE", "ALL_OLD", ... */
constexpr std::string_view to_string(ReturnValues r) noexcept {
    constexpr std::string_view names[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"};
    return names[static_cast<int>(r)];
}

/** Capacity mode of a new table (BillingMode). */
struct ProvisionedThroughput {
    std::int64_t read_capacity_units = 5;   ///< ReadCapacityUnits, per table and per index
    std::int64_t write_capacity_units = 5;  ///< WriteCapacityUnits, per table and per index
};

/** What a table's stream records (StreamSpecification.StreamViewType). */
enum class StreamView { none, keys_only, new_image, old_image, new_and_old_images };

/** Options of `Table::create_table`. */
struct CreateTableOptions {
    bool wait = true;                          ///< block until the table and its indexes are ACTIVE
    std::chrono::seconds timeout{300};         ///< give up waiting after this long
    /** Provisioned capacity; empty: on-demand (PAY_PER_REQUEST). */
    std::optional<ProvisionedThroughput> provisioned;
    StreamView stream = StreamView::none;      ///< a DynamoDB stream, when not `none`
    /** Enable TTL on the schema's TTL attribute after creating the table (UpdateTimeToLive). */
    bool enable_ttl = true;
    /** Called after each DescribeTable while waiting: the table and its global indexes ACTIVE so
        far, of all; empty = none. See progress.hpp. */
    ProgressCallback progress{};
};

/** A table's time-to-live setting (DescribeTimeToLive). */
struct TimeToLive {
    std::string status;          ///< "ENABLED", "DISABLED", "ENABLING", "DISABLING"
    std::string attribute_name;  ///< empty when disabled
};

/** How a batch operation retries the work DynamoDB leaves unprocessed (`UnprocessedItems`,
    `UnprocessedKeys`, or a throttling error for a whole request after the client's own retries):
    exponential backoff with full jitter, each delay random in
    [0, min(max_delay, base_delay * 2^(retry - 1))]. With the defaults, a chunk is given up on
    after at most about 6.4 s of waiting. See batch.hpp. */
struct BatchOptions {
    unsigned max_attempts = 8;                   ///< sends of one chunk's work in all, first included; 0 = 1
    std::chrono::milliseconds base_delay{50};    ///< cap of the first retry's delay
    std::chrono::milliseconds max_delay{5'000};  ///< cap on any one delay
};

template <class Model>
class BatchWriter;

namespace detail {

/** Scratch memory for the JSON of one request or response that is only sent or only decoded: a
    monotonic arena that starts in a 4 KB buffer on the stack, continues on the heap, and is
    released in one piece (no allocation, and no free, per JSON value). */
class RequestArena {
public:
    RequestArena() = default;
    RequestArena(const RequestArena&) = delete;
    RequestArena& operator=(const RequestArena&) = delete;
    boost::json::storage_ptr storage() noexcept { return &resource_; }

private:
    unsigned char buffer_[4096];
    boost::json::monotonic_resource resource_{buffer_, sizeof buffer_};
};

struct TableAccess;  // batch.hpp, transaction.hpp: the library's own access to a table's internals

/** A secondary index, as CreateTable needs it. */
struct IndexDefinition {
    std::string_view name;
    bool global = true;
    std::string_view partition_key;
    AttributeType partition_key_type = AttributeType::S;
    std::string_view sort_key;  ///< empty if none
    AttributeType sort_key_type = AttributeType::S;
    Projection projection = Projection::all;
};

/** CreateTable body: keys, attribute definitions (each once), indexes, on-demand billing. */
boost::json::object create_table_body(std::string_view table, std::string_view pk, AttributeType pk_type,
                                      std::string_view sk, AttributeType sk_type,
                                      const std::vector<IndexDefinition>& indexes = {});
/** Adds billing and stream settings to a CreateTable body. */
void apply_create_options(boost::json::object& body, const CreateTableOptions& options);
/** Every difference between what CreateTable would declare (`expected`, a CreateTable body) and
    the table DynamoDB describes (`described`, DescribeTable's "Table"), plus the TTL attribute. */
std::vector<std::string> table_drift(const boost::json::object& expected, const boost::json::object& described,
                                     std::string_view expected_ttl, const TimeToLive& ttl);
TimeToLive describe_ttl(const Client& client, const std::string& table);
void enable_ttl(const Client& client, const std::string& table, std::string_view attribute);
boost::json::object describe_table(const Client& client, const std::string& table);

/** Position of the index named `name` in the schema's declarations; `npos` if none. */
template <fixed_string Name, class Schema>
constexpr std::size_t index_position(const Schema& s) {
    std::size_t pos = static_cast<std::size_t>(-1);
    std::size_t i = 0;
    std::apply([&](const auto&... d) {
        ((void)([&] {
             if constexpr (is_instance_of<std::remove_cvref_t<decltype(d)>, IndexDecl>::value)
                 if (pos == static_cast<std::size_t>(-1) && d.name == std::string_view(Name)) pos = i;
             ++i;
         }()),
         ...);
    }, s.decls);
    return pos;
}
void wait_for_table(const Client& client, const std::string& table, bool exists, std::chrono::seconds timeout,
                    const ProgressCallback* progress = nullptr);
bool table_exists(const Client& client, const std::string& table);

}  // namespace detail

template <class Model>
class UpdateBuilder;

/** What an UpdateItem returned. */
template <class Model>
struct UpdateResult {
    /** The whole item, for `ReturnValues::all_old` / `all_new` (when it existed). */
    std::optional<typename detail::Entity<Model>::value_type> item;
    /** The returned attributes as DynamoDB sent them (for `updated_old` / `updated_new`). */
    boost::json::object attributes;
};

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
class Table {
    template <class D, class M>
    friend class ReadBuilder;
    static constexpr auto schema_ = schema<Model>::value;
    using Schema = std::remove_cvref_t<decltype(schema_)>;
    using Entity = detail::Entity<Model>;
    friend class UpdateBuilder<Model>;
    friend struct detail::TableAccess;
    template <fixed_string Name>
    struct index_lookup {
        static constexpr std::size_t position = detail::index_position<Name>(schema_);
        static_assert(position != static_cast<std::size_t>(-1),
                      "dynantic: no index with this name is declared in the model's schema");
        using type = std::remove_cvref_t<decltype(std::get<position>(schema_.decls))>;
    };
    template <fixed_string Name>
    using index_t = typename index_lookup<Name>::type;

public:
    using model_type = Model;                                         ///< the model type
    using partition_key_type = typename Schema::partition_key_type;   ///< the partition key's C++ type
    using sort_key_type = typename Schema::sort_key_type;             ///< the sort key's C++ type
    /** True when the schema declares a sort key. */
    static constexpr bool has_sort_key = Schema::has_sort_key;
    /** One key as a value: the partition key, or `std::pair{partition, sort}`. */
    using key_type = std::conditional_t<has_sort_key, std::pair<partition_key_type, sort_key_type>, partition_key_type>;
    /** True when the schema declares a version attribute (optimistic locking). */
    static constexpr bool versioned = Schema::template has<detail::VersionDecl>;
    /** True when writes change the item in memory (version bump, generated UUID key): such
        models are saved from a mutable reference. */
    static constexpr bool mutating = versioned || Entity::has_auto_uuid;
    /** What reads return: `Model`, or for a polymorphic base (a schema with a discriminator and
        subtypes) `std::variant<Model, Subtypes...>`. */
    using value_type = typename Entity::value_type;

    /** A table that uses `current_client()` at each call. */
    Table() = default;
    /** A table bound to `client`. */
    explicit Table(Client client) : client_(std::move(client)) {}

    /** The client used for the next call. */
    Client client() const { return client_ ? *client_ : current_client(); }
    /** The table name sent to DynamoDB, including the client's prefix. */
    std::string name() const { return client().table_name(schema_.name); }
    /** The schema declared for the model. */
    static constexpr const Schema& table_schema() { return schema_; }

    // ----- items -----

    /** The item stored for `item`: its attributes, the discriminator of a subtype, the TTL as
        epoch seconds. Batch and transaction writes use it too.
        @throws ValidationError naming the attribute for a value DynamoDB cannot store. */
    boost::json::object encode_item(const Model& item, std::string_view operation = "PutItem") const {
        return Entity::encode(item, context(operation));
    }
    /** The model (or variant, for a polymorphic base) an item read from DynamoDB decodes to.
        @throws DecodeError naming the attribute. */
    value_type decode_item(const boost::json::object& item, std::string_view operation = "GetItem") const {
        return Entity::decode(item, context(operation));
    }
    /** Fills a nil auto-UUID key of `item` with a random UUID (every mutating write does it). */
    static void prepare_item(Model& item) { Entity::prepare(item); }

    // ----- keys -----

    ///@{
    /** The key (`{"pk": {...}[, "sk": {...}]}`) of a partition key (and sort key) value.
        @throws ValidationError for an empty key value. */
    boost::json::object key(const partition_key_type& pk) const
        requires(!has_sort_key)
    {
        return make_key("key", pk);
    }
    boost::json::object key(const partition_key_type& pk, const sort_key_type& sk) const
        requires has_sort_key
    {
        return make_key("key", pk, sk);
    }
    ///@}
    /** The key of an item. */
    boost::json::object key_of(const Model& item) const {
        if constexpr (has_sort_key)
            return make_key("key", item.*schema_.partition_key_member, item.*schema_.sort_key_member);
        else
            return make_key("key", item.*schema_.partition_key_member);
    }

    // ----- requests (pure: build, do not send) -----

    ///@{
    /** The PutItem request `save(item[, when], options)` sends (without bumping a version). */
    OperationRequest put_request(const Model& item, WriteOptions options = {}) const {
        return build_put(item, nullptr, options, false);
    }
    template <class C>
        requires detail::condition_for<C, Model>
    OperationRequest put_request(const Model& item, const C& when, WriteOptions options = {}) const {
        return build_put(item, &when, options, false);
    }
    ///@}
    /** The PutItem request `create(item)` sends. */
    OperationRequest create_request(const Model& item, WriteOptions options = {}) const {
        return build_put(item, nullptr, options, true);
    }
    /** GetItem request for a key. */
    OperationRequest get_request(const boost::json::object& key, GetOptions options = {}) const {
        boost::json::object body;
        body["TableName"] = name();
        body["Key"] = key;
        if (options.consistent_read) body["ConsistentRead"] = true;
        return {"GetItem", std::move(body)};
    }
    /** DeleteItem request for a key, with an optional condition. */
    OperationRequest remove_request(const boost::json::object& key, const Condition* when = nullptr,
                                    WriteOptions options = {}) const {
        boost::json::object body;
        body["TableName"] = name();
        body["Key"] = key;
        if (when != nullptr) add_condition(body, *when, options);
        return {"DeleteItem", std::move(body)};
    }
    /** CreateTable request from the schema: key schema, attribute definitions, on-demand
        billing (PAY_PER_REQUEST). */
    OperationRequest create_table_request() const {
        std::vector<detail::IndexDefinition> indexes;
        schema_.for_each_index([&](const auto& index) {
            using I = std::remove_cvref_t<decltype(index)>;
            AttributeType sk_type = AttributeType::S;
            if constexpr (I::has_sort_key) sk_type = detail::wire_type_of<typename I::sort_key_type>();
            indexes.push_back({index.name, index.global, index.partition_key_name(),
                               detail::wire_type_of<typename I::partition_key_type>(), index.sort_key_name(), sk_type,
                               index.projection});
        });
        return {"CreateTable",
                detail::create_table_body(name(), schema_.partition_key_name(), detail::wire_type_of<partition_key_type>(),
                                          schema_.sort_key_name(), sort_key_wire_type(), indexes)};
    }

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
                Error for other failures.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html */
    void save(const Model& item, WriteOptions options = {}) const
        requires(!mutating)
    {
        detail::RequestArena arena;
        send(build_put(item, nullptr, options, false, arena.storage()));
    }
    template <class C>
        requires detail::condition_for<C, Model>
    void save(const Model& item, const C& when, WriteOptions options = {}) const
        requires(!mutating)
    {
        detail::RequestArena arena;
        send(build_put(item, &when, options, false, arena.storage()));
    }
    void save(Model& item, WriteOptions options = {}) const
        requires mutating
    {
        put_mutating(item, nullptr, options, false);
    }
    template <class C>
        requires detail::condition_for<C, Model>
    void save(Model& item, const C& when, WriteOptions options = {}) const
        requires mutating
    {
        put_mutating(item, &when, options, false);
    }
    ///@}

    ///@{
    /** Writes `item` only if no item with its key exists (PutItem with
        `attribute_not_exists(<partition key>)`).
        @throws ConditionalCheckFailedError if an item with the same key exists; as `save`
                (an earlier attempt of this call that wrote the item is recognised: success). */
    void create(const Model& item, WriteOptions options = {}) const
        requires(!mutating)
    {
        detail::RequestArena arena;
        send(build_put(item, nullptr, options, true, arena.storage()));
    }
    void create(Model& item, WriteOptions options = {}) const
        requires mutating
    {
        put_mutating(item, nullptr, options, true);
    }
    ///@}

    ///@{
    /** Deletes the item with this key (DeleteItem); deleting a missing item is not an error.
        With `when`, only if the condition holds.
        @throws ConditionalCheckFailedError when `when` fails; WriteOutcomeUnknownError when an
                attempt whose answer was lost may have deleted the item and the resend's
                condition failed on an item that exists again.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html */
    void remove(const partition_key_type& pk) const
        requires(!has_sort_key)
    {
        send(remove_request(make_key("DeleteItem", pk)));
    }
    template <class C>
        requires detail::condition_for<C, Model>
    void remove(const partition_key_type& pk, const C& when, WriteOptions options = {}) const
        requires(!has_sort_key)
    {
        send(remove_request(make_key("DeleteItem", pk), &when, options));
    }
    void remove(const partition_key_type& pk, const sort_key_type& sk) const
        requires has_sort_key
    {
        send(remove_request(make_key("DeleteItem", pk, sk)));
    }
    template <class C>
        requires detail::condition_for<C, Model>
    void remove(const partition_key_type& pk, const sort_key_type& sk, const C& when, WriteOptions options = {}) const
        requires has_sort_key
    {
        send(remove_request(make_key("DeleteItem", pk, sk), &when, options));
    }
    ///@}

    ///@{
    /** Deletes the item with the key of `item`; for a versioned model, only if the stored
        version equals the item's (unless `options.check_version` is false). */
    void remove_item(const Model& item, WriteOptions options = {}) const {
        remove_item_impl(item, nullptr, options);
    }
    template <class C>
        requires detail::condition_for<C, Model>
    void remove_item(const Model& item, const C& when, WriteOptions options = {}) const {
        remove_item_impl(item, &when, options);
    }
    ///@}

    ///@{
    /** An UpdateItem builder for the item with this key (see UpdateBuilder). */
    UpdateBuilder<Model> update(const partition_key_type& pk) const
        requires(!has_sort_key)
    {
        return UpdateBuilder<Model>(*this, make_key("UpdateItem", pk), nullptr);
    }
    UpdateBuilder<Model> update(const partition_key_type& pk, const sort_key_type& sk) const
        requires has_sort_key
    {
        return UpdateBuilder<Model>(*this, make_key("UpdateItem", pk, sk), nullptr);
    }
    ///@}
    /** An UpdateItem builder for the item's key. For a versioned model the update is
        conditional on `item`'s version, and `item`'s version is incremented on success. */
    UpdateBuilder<Model> update_item(Model& item) const { return UpdateBuilder<Model>(*this, key_of(item), &item); }

    // ----- reads -----

    /** A Query of one partition of the table (see query.hpp). */
    Query<Model, partition_key_type, sort_key_type, IndexKind::table> query(const partition_key_type& pk) const {
        return {*this, table_target(), pk};
    }

    /** A Query of one partition of the secondary index `Name` declared in the schema; sort-key
        conditions take the index's sort key type. An undeclared name does not compile. */
    template <fixed_string Name>
    auto query_index(const typename index_t<Name>::partition_key_type& pk) const {
        using I = index_t<Name>;
        constexpr const I& index = std::get<detail::index_position<Name>(schema_)>(schema_.decls);
        return Query<Model, typename I::partition_key_type, typename I::sort_key_type,
                     index.global ? IndexKind::global : IndexKind::local>(*this, index_target(index), pk);
    }

    /** A Scan of the whole table. */
    Scan<Model, IndexKind::table> scan() const { return {*this, table_target()}; }

    /** A Scan of the secondary index `Name`. */
    template <fixed_string Name>
    auto scan_index() const {
        constexpr const auto& index = std::get<detail::index_position<Name>(schema_)>(schema_.decls);
        return Scan<Model, index.global ? IndexKind::global : IndexKind::local>(*this, index_target(index));
    }

    ///@{
    /** The item with this key, or `std::nullopt` (GetItem).
        @throws DecodeError naming the attribute when the stored item does not fit the model;
                TableNotFoundError; ValidationError for an empty key value; Error
                (errc::invalid_response) when the response's `Item` is not an object.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html */
    std::optional<value_type> get(const partition_key_type& pk, GetOptions options = {}) const
        requires(!has_sort_key)
    {
        return get_by_key(make_key("GetItem", pk), options);
    }
    std::optional<value_type> get(const partition_key_type& pk, const sort_key_type& sk, GetOptions options = {}) const
        requires has_sort_key
    {
        return get_by_key(make_key("GetItem", pk, sk), options);
    }
    ///@}

    // ----- batch (defined in batch.hpp) -----

    /** The items with these keys (BatchGetItem, 100 keys a request, `UnprocessedKeys` retried
        per `batch`). `keys` is any range of `key_type` (or, with a sort key, of pair- or
        tuple-like (pk, sk)); duplicates are read once. The result holds each item found once,
        in the order its key first appears in `keys`; keys without an item are left out.
        @throws BatchError with the unread keys and the items read when work remains after
                `batch.max_attempts`, or when a later request fails; ValidationError for an empty
                key value; DecodeError; the first request's own error when nothing was read.
        `progress` (progress.hpp), when set, is called after each request: keys answered of all.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
    template <class Keys = std::vector<key_type>>
    std::vector<value_type> batch_get(const Keys& keys, GetOptions options = {}, BatchOptions batch = {},
                                      ProgressCallback progress = {}) const;

    /** Writes every item, replacing items with the same keys (BatchWriteItem, 25 a request,
        `UnprocessedItems` retried per `batch`). No conditions: for a versioned model the
        version is not checked, but the item's version + 1 is written and, once written, set on
        the item (as `save(item, {.check_version = false})`); pass a mutable range then.
        @throws ValidationError before sending, naming both positions and the key, when two
                items have the same key, or for an item DynamoDB cannot store; BatchError with
                exactly the write requests not known to be applied; the first request's own
                error when nothing was written.
        `progress` (progress.hpp), when set, is called after each request: writes applied of all.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html */
    template <class Items = std::vector<Model>>
    void batch_save(Items&& items, BatchOptions batch = {}, ProgressCallback progress = {}) const;

    /** Deletes the items with these keys (BatchWriteItem); errors as `batch_save`. */
    template <class Keys = std::vector<key_type>>
    void batch_remove(const Keys& keys, BatchOptions batch = {}, ProgressCallback progress = {}) const;

    /** A buffered writer of puts and deletes, sent 25 at a time and when it goes out of scope
        (see BatchWriter). */
    BatchWriter<Model> batch_writer(BatchOptions batch = {}) const;

    // ----- table management -----

    /** Creates the table from the schema (CreateTable): keys, secondary indexes and their
        projections, on-demand or provisioned billing, stream; by default waits until the table
        and its indexes are ACTIVE and enables TTL when the schema declares a TTL attribute.
        @throws Error (errc::resource_in_use) if it exists; Error (errc::timeout) if it does not
                become ACTIVE within `options.timeout`.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html */
    void create_table(CreateTableOptions options = {}) const {
        const Client c = client();
        boost::json::object body = create_table_request().body;
        detail::apply_create_options(body, options);
        c.call("CreateTable", body);
        if (options.wait || (Entity::has_ttl && options.enable_ttl)) detail::wait_for_table(c, name(), true, options.timeout, &options.progress);
        if constexpr (Entity::has_ttl)
            if (options.enable_ttl) detail::enable_ttl(c, name(), Entity::ttl_name());
    }

    /** Enables TTL on the schema's TTL attribute (UpdateTimeToLive).
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html */
    void enable_ttl() const
        requires Entity::has_ttl
    {
        detail::enable_ttl(client(), name(), Entity::ttl_name());
    }
    /** The table's TTL setting (DescribeTimeToLive). */
    TimeToLive describe_ttl() const { return detail::describe_ttl(client(), name()); }

    /** DescribeTable's "Table" object.
        @throws TableNotFoundError if the table does not exist. */
    boost::json::object describe_table() const { return detail::describe_table(client(), name()); }

    /** Compares the table DynamoDB describes with the model's schema: key schema, key
        attribute types, secondary indexes and their projections, the TTL attribute. Returns
        one line per difference; empty when they agree.
        @throws TableNotFoundError if the table does not exist. */
    std::vector<std::string> verify_table() const {
        const Client c = client();
        return detail::table_drift(create_table_request().body, detail::describe_table(c, name()), Entity::ttl_name(),
                                   detail::describe_ttl(c, name()));
    }

    /** Deletes the table (DeleteTable) and waits until it is gone.
        @throws TableNotFoundError if it does not exist. */
    void delete_table(std::chrono::seconds timeout = std::chrono::seconds{300}) const {
        const Client c = client();
        boost::json::object body;
        body["TableName"] = name();
        c.call("DeleteTable", body);
        detail::wait_for_table(c, name(), false, timeout);
    }

    /** True if the table exists (DescribeTable). */
    bool table_exists() const { return detail::table_exists(client(), name()); }

    /// @cond INTERNAL
private:

    static constexpr detail::ReadTarget table_target() {
        return {{}, IndexKind::table, schema_.partition_key_name(), schema_.sort_key_name(),
                schema_.partition_key_name(), schema_.sort_key_name(),
                detail::wire_type_of<partition_key_type>(), sort_key_wire_type(),
                detail::wire_type_of<partition_key_type>(), sort_key_wire_type()};
    }
    template <class I>
    static constexpr detail::ReadTarget index_target(const I& index) {
        AttributeType index_sort = AttributeType::NUL;
        if constexpr (I::has_sort_key) index_sort = detail::wire_type_of<typename I::sort_key_type>();
        return {index.name, index.global ? IndexKind::global : IndexKind::local, index.partition_key_name(),
                index.sort_key_name(), schema_.partition_key_name(), schema_.sort_key_name(),
                detail::wire_type_of<typename I::partition_key_type>(), index_sort,
                detail::wire_type_of<partition_key_type>(), sort_key_wire_type()};
    }

    ErrorInfo context(std::string_view operation) const {
        return ErrorInfo{std::string(operation), name(), {}, {}, 0, {}};
    }

    static constexpr AttributeType sort_key_wire_type() {
        if constexpr (has_sort_key) return detail::wire_type_of<sort_key_type>();
        else return AttributeType::NUL;
    }

    // --- version attribute ---
    static constexpr std::string_view version_name() {
        if constexpr (versioned) return detail::member_name(schema_.template get<detail::VersionDecl>().member);
        else return {};
    }
    /** The item's version as a number; 0 when absent. */
    static std::int64_t current_version(const Model& item) {
        if constexpr (versioned) {
            const auto& v = item.*(schema_.template get<detail::VersionDecl>().member);
            if constexpr (requires { v.has_value(); }) return v ? static_cast<std::int64_t>(*v) : 0;
            else return static_cast<std::int64_t>(v);
        } else {
            return 0;
        }
    }
    static void set_version(Model& item, std::int64_t value) {
        if constexpr (versioned) {
            auto& v = item.*(schema_.template get<detail::VersionDecl>().member);
            using V = std::remove_cvref_t<decltype(v)>;
            if constexpr (requires { v.has_value(); }) v = static_cast<typename V::value_type>(value);
            else v = static_cast<V>(value);
        }
    }
    /** `attribute_not_exists(version)` for a new item, else `version = :current`. */
    static Condition version_condition(std::int64_t current) {
        Attr v = attr_name(std::string(version_name()));
        return current == 0 ? v.not_exists() : (v == current);
    }

    static void add_condition(boost::json::object& body, const Condition& c, WriteOptions options) {
        ExpressionContext ctx;
        body["ConditionExpression"] = ctx.render(c);
        ctx.apply(body);
        if (options.return_item_on_condition_failure) body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
    }

    /** `storage`: where the request's JSON is allocated (a `RequestArena` when it is only sent). */
    OperationRequest build_put(const Model& item, const Condition* when, WriteOptions options, bool only_if_absent,
                               boost::json::storage_ptr storage = {}) const {
        ErrorInfo ctx = context("PutItem");
        boost::json::object encoded = Entity::encode(item, ctx, storage);
        check_keys(encoded, ctx);
        std::optional<Condition> condition;
        if (only_if_absent) condition = attr_name(std::string(schema_.partition_key_name())).not_exists();
        if (when != nullptr) condition = condition ? (*condition && *when) : *when;
        if constexpr (versioned) {
            const std::int64_t current = current_version(item);
            boost::json::value next;
            to_attribute(current + 1, next);
            encoded[version_name()] = std::move(next);
            if (options.check_version) {
                const Condition vc = version_condition(current);
                condition = condition ? (*condition && vc) : vc;
            }
        }
        detail::check_item_limits(encoded, ctx);
        boost::json::object body(std::move(storage));
        body["TableName"] = ctx.table;
        body["Item"] = std::move(encoded);   // same storage: no copy
        if (condition) add_condition(body, *condition, options);
        return {"PutItem", std::move(body)};
    }

    void put_mutating(Model& item, const Condition* when, WriteOptions options, bool only_if_absent) const {
        Entity::prepare(item);
        detail::RequestArena arena;
        send(build_put(item, when, options, only_if_absent, arena.storage()));
        if constexpr (versioned) set_version(item, current_version(item) + 1);
    }

    void remove_item_impl(const Model& item, const Condition* when, WriteOptions options) const {
        std::optional<Condition> condition;
        if (when != nullptr) condition = *when;
        if constexpr (versioned) {
            if (options.check_version) {
                const Condition vc = version_condition(current_version(item));
                condition = condition ? (*condition && vc) : vc;
            }
        }
        send(remove_request(key_of(item), condition ? &*condition : nullptr, options));
    }

    boost::json::object make_key(std::string_view operation, const partition_key_type& pk) const {
        ErrorInfo ctx = context(operation);
        boost::json::object key;
        encode_key_value(pk, schema_.partition_key_name(), key, ctx, detail::KeyRole::partition);
        return key;
    }
    boost::json::object make_key(std::string_view operation, const partition_key_type& pk,
                                 const sort_key_type& sk) const
        requires has_sort_key
    {
        ErrorInfo ctx = context(operation);
        boost::json::object key;
        encode_key_value(pk, schema_.partition_key_name(), key, ctx, detail::KeyRole::partition);
        encode_key_value(sk, schema_.sort_key_name(), key, ctx, detail::KeyRole::sort);
        return key;
    }

    template <class V>
    static void encode_key_value(const V& value, std::string_view attribute, boost::json::object& key,
                                 const ErrorInfo& ctx, detail::KeyRole role) {
        auto& av = key[attribute];
        try {
            to_attribute(value, av);
        } catch (detail::AttributeError& e) {
            detail::prepend_path(e, attribute);
            detail::throw_item_error(e, ctx);
        }
        detail::check_key_value(av, attribute, ctx, role);
    }

    static void check_keys(const boost::json::object& item, const ErrorInfo& ctx) {
        const detail::KeyRole roles[] = {detail::KeyRole::partition, detail::KeyRole::sort};
        const std::string_view names[] = {schema_.partition_key_name(), schema_.sort_key_name()};
        for (int r = 0; r < 2; ++r) {
            const std::string_view k = names[r];
            if (k.empty()) continue;
            const auto* av = item.if_contains(k);
            if (av == nullptr) {
                ErrorInfo info = ctx;
                info.message = "key attribute '" + std::string(k) + "' is missing";
                throw ValidationError(std::move(info));
            }
            detail::check_key_value(*av, k, ctx, roles[r]);
        }
    }

    boost::json::object send(const OperationRequest& request, CallOptions options = {}) const {
        return client().call(request.operation, request.body, options);
    }

    std::optional<value_type> get_by_key(const boost::json::object& key, GetOptions options) const {
        // The response lives only here: parse it into an arena (an item of up to ~2 KB of JSON
        // needs no heap allocation) that is released in one piece.
        detail::RequestArena arena;
        const boost::json::object response = send(get_request(key, options), CallOptions{.storage = arena.storage()});
        const auto* item = response.if_contains("Item");
        if (item == nullptr) return std::nullopt;   // no item with this key
        if (!item->is_object()) [[unlikely]]
            detail::throw_invalid_response(context("GetItem"),
                                           "Item is " + std::string(detail::json_kind(*item)) + ", not an object");
        return Entity::decode_own(item->get_object(), context("GetItem"));   // another subtype: nullopt
    }

    std::optional<Client> client_;
    /// @endcond
};

/** Builds one UpdateItem: SET, REMOVE, ADD and DELETE actions on typed fields (or untyped
    `attr` paths), a condition, and what to return. Values are encoded with the field's codec.

    @code
    users.update("u1", "a@b.c")
         .set(&User::status, Status::active)
         .set(dy::field(&User::score), dy::field(&User::score) + 10)
         .add(&User::login_count, 1)
         .remove(&User::nickname)
         .when(dy::field(&User::version) == 5)
         .returning(dy::ReturnValues::all_new)
         .execute();
    @endcode
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html */
template <class Model>
class UpdateBuilder {
    template <class T>
    using value_t = detail::unwrap_optional_t<T>;

public:
    /** An update of the item with `key` in `table` (made by `Table::update` and `update_item`;
        `item`, when given, gets the new version after a versioned update). */
    UpdateBuilder(const Table<Model>& table, boost::json::object key, Model* item)
        : table_(table), key_(std::move(key)), item_(item) {}

    /** `SET field = :value` */
    template <class T, class V>
        requires detail::value_for<V, value_t<T>>
    UpdateBuilder& set(T Model::*member, const V& value) { return set(field(member), value); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T, class V>
        requires detail::value_for<V, value_t<T>>
    UpdateBuilder& set(const Field<Model, T>& f, const V& value) {
        check_not_key(f.path());
        expression_.set(f.path(), detail::set_value(detail::encode_value(static_cast<const value_t<T>&>(value))));
        return *this;
    }
    /** `SET field = <expression>`: `field + n`, `if_not_exists(field, v)`, `list_append(...)`. */
    template <class T, class U>
        requires std::is_same_v<value_t<T>, value_t<U>>
    UpdateBuilder& set(T Model::*member, const UpdateValue<U>& value) { return set(field(member), value); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T, class U>
        requires std::is_same_v<value_t<T>, value_t<U>>
    UpdateBuilder& set(const Field<Model, T>& f, const UpdateValue<U>& value) {
        check_not_key(f.path());
        if (value.operand().kind != detail::SetOperand::Kind::if_not_exists) idempotent_ = false;
        expression_.set(f.path(), value.operand());
        return *this;
    }
    /** `SET path = :value` on an untyped path. */
    template <class V>
    UpdateBuilder& set(const Attr& a, const V& value) {
        check_not_key(a.path());
        expression_.set(a.path(), detail::set_value(detail::encode_value(value)));
        return *this;
    }

    /** `ADD field :n` on a number field (creating it as n when absent), or `ADD field :set`
        (set union) on a set field. */
    template <class T, class V>
        requires(detail::number_type<value_t<T>> || detail::set_type<value_t<T>>) && detail::value_for<V, value_t<T>>
    UpdateBuilder& add(T Model::*member, const V& value) { return add(field(member), value); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T, class V>
        requires(detail::number_type<value_t<T>> || detail::set_type<value_t<T>>) && detail::value_for<V, value_t<T>>
    UpdateBuilder& add(const Field<Model, T>& f, const V& value) {
        check_not_key(f.path());
        idempotent_ = idempotent_ && detail::set_type<value_t<T>>;
        expression_.add(f.path(), detail::encode_value(static_cast<const value_t<T>&>(value)));
        return *this;
    }

    /** `REMOVE field` */
    template <class T>
    UpdateBuilder& remove(T Model::*member) { return remove(field(member)); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T>
    UpdateBuilder& remove(const Field<Model, T>& f) {
        check_not_key(f.path());
        expression_.remove(f.path());
        return *this;
    }
    /** As above, with an untyped path (`attr("a.b")`). */
    UpdateBuilder& remove(const Attr& a) {
        check_not_key(a.path());
        expression_.remove(a.path());
        return *this;
    }

    /** `DELETE field :set`: removes the given elements from a set field. */
    template <class T, class V>
        requires detail::set_type<value_t<T>> && detail::value_for<V, value_t<T>>
    UpdateBuilder& delete_elements(T Model::*member, const V& elements) { return delete_elements(field(member), elements); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T, class V>
        requires detail::set_type<value_t<T>> && detail::value_for<V, value_t<T>>
    UpdateBuilder& delete_elements(const Field<Model, T>& f, const V& elements) {
        check_not_key(f.path());
        expression_.delete_elements(f.path(), detail::encode_value(static_cast<const value_t<T>&>(elements)));
        return *this;
    }

    /** Adds a condition (several are AND-combined). */
    template <class C>
        requires detail::condition_for<C, Model>
    UpdateBuilder& when(const C& condition) {
        condition_ = condition_ ? (*condition_ && condition) : Condition(condition);
        return *this;
    }
    /** What to return (ReturnValues); default none. */
    UpdateBuilder& returning(ReturnValues r) {
        return_values_ = r;
        return *this;
    }
    /** On a failed condition, carry the item in the error (ReturnValuesOnConditionCheckFailure). */
    UpdateBuilder& return_item_on_condition_failure(bool on = true) {
        options_.return_item_on_condition_failure = on;
        return *this;
    }
    /** For versioned models: skip the version condition (the version is still incremented). */
    UpdateBuilder& skip_version_check() {
        options_.check_version = false;
        return *this;
    }

    /** The UpdateItem request, without sending.
        @throws ValidationError for no actions, overlapping paths, or an action on a key. */
    OperationRequest to_request() const {
        UpdateExpression expression = full_expression();
        std::optional<Condition> condition = full_condition();
        const ErrorInfo ctx = table_.context("UpdateItem");
        expression.check(ctx);
        boost::json::object body;
        body["TableName"] = ctx.table;
        body["Key"] = key_;
        ExpressionContext names;
        std::string text;
        names.render(expression, text);
        body["UpdateExpression"] = text;
        if (condition) body["ConditionExpression"] = names.render(*condition);
        names.apply(body);
        if (return_values_ != ReturnValues::none) body["ReturnValues"] = to_string(return_values_);
        if (options_.return_item_on_condition_failure) body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
        return {"UpdateItem", std::move(body)};
    }

    /** Sends the UpdateItem. For `all_old` / `all_new` the result holds the item decoded as
        the model; for `updated_*` the raw attributes.
        A conditional update resent after an attempt whose answer was lost recognises its own
        earlier write by the values it SETs (plain values, on map paths), the attributes it
        REMOVEs and, for `update_item` on a versioned model, the new version; `returning`
        `all_old`, `updated_old` or, with a condition, `updated_new` is never resent then.
        @throws ConditionalCheckFailedError when the condition fails; WriteOutcomeUnknownError
                when the resend's condition failed on an item that does not show this update;
                ValidationError; DecodeError when a returned item does not fit the model; Error
                (errc::invalid_response) when `Attributes` is not an object (the update was
                applied: a versioned item already holds its new version). */
    UpdateResult<Model> execute() const {
        const OperationRequest request = to_request();
        const bool versioned_item = Table<Model>::versioned && item_ != nullptr;
        // An ADD or `x + n` applied twice would count twice: never resend after an unknown outcome,
        // unless the version condition makes a second application fail instead.
        CallOptions call{.idempotent = idempotent_ || (versioned_item && options_.check_version)};
        // A conditional update resent after an unknown outcome may fail its condition on the item
        // its earlier attempt wrote: the values it sets (and the new version) tell.
        UpdateExpression written;
        if (request.body.contains("ConditionExpression")) {
            written = full_expression();
            call.recognizes_write = [&written](const boost::json::object& item) { return written.applied_to(item); };
        }
        const boost::json::object response = table_.send(request, std::move(call));
        if (versioned_item) Table<Model>::set_version(*item_, Table<Model>::current_version(*item_) + 1);
        UpdateResult<Model> result;
        if (const auto* a = response.if_contains("Attributes")) {
            if (!a->is_object()) [[unlikely]]
                detail::throw_invalid_response(table_.context("UpdateItem"),
                                               "Attributes is " + std::string(detail::json_kind(*a)) +
                                                   ", not an object (the update was applied)");
            result.attributes = a->get_object();
            if (return_values_ == ReturnValues::all_new || return_values_ == ReturnValues::all_old)
                result.item = detail::Entity<Model>::decode(result.attributes, table_.context("UpdateItem"));
        }
        return result;
    }

private:
    /** The actions sent: the builder's, plus the version's SET for a versioned model. */
    UpdateExpression full_expression() const {
        UpdateExpression expression = expression_;
        if constexpr (Table<Model>::versioned) {
            const auto vpath = Path(std::string(Table<Model>::version_name()));
            if (item_ != nullptr) {
                const std::int64_t current = Table<Model>::current_version(*item_);
                boost::json::value next;
                to_attribute(current + 1, next);
                expression.set(vpath, detail::set_value(std::move(next)));
            } else {
                boost::json::value zero, one;
                to_attribute(0, zero);
                to_attribute(1, one);
                expression.set(vpath, detail::set_call(detail::SetOperand::Kind::plus,
                                                       detail::set_call(detail::SetOperand::Kind::if_not_exists,
                                                                        detail::set_path(vpath), detail::set_value(zero)),
                                                       detail::set_value(one)));
            }
        }
        return expression;
    }
    /** The condition sent: the builder's, and the version condition of a versioned item. */
    std::optional<Condition> full_condition() const {
        std::optional<Condition> condition = condition_;
        if constexpr (Table<Model>::versioned) {
            if (item_ != nullptr && options_.check_version) {
                const Condition vc = Table<Model>::version_condition(Table<Model>::current_version(*item_));
                condition = condition ? (*condition && vc) : vc;
            }
        }
        return condition;
    }

    void check_not_key(const Path& path) const {
        const auto& first = path.elements().front();
        const auto* name = std::get_if<std::string>(&first);
        if (name == nullptr) return;
        const auto& schema = Table<Model>::table_schema();
        if (*name == schema.partition_key_name() || *name == schema.sort_key_name()) {
            ErrorInfo info = table_.context("UpdateItem");
            info.message = "key attribute '" + *name + "' cannot be updated";
            throw ValidationError(std::move(info));
        }
    }

    Table<Model> table_;
    boost::json::object key_;
    Model* item_;
    UpdateExpression expression_;
    std::optional<Condition> condition_;
    ReturnValues return_values_ = ReturnValues::none;
    WriteOptions options_;
    bool idempotent_ = true;
};

}  // namespace dynantic

// The batch members of Table are defined there.
#include <dynantic/batch.hpp>
