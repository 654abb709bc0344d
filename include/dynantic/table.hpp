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
#include <dynantic/codec/item.hpp>
#include <dynantic/codec/limits.hpp>
#include <dynantic/schema.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace dynantic {

/** One DynamoDB operation, ready to send: the operation name (the `X-Amz-Target` suffix) and
    the JSON request body. */
struct OperationRequest {
    std::string operation;        ///< e.g. "PutItem"
    boost::json::object body;     ///< the request body
};

/** Options of `Table::get`. */
struct GetOptions {
    bool consistent_read = false;  ///< strongly consistent read (ConsistentRead)
};

/** Options of `Table::create_table`. */
struct CreateTableOptions {
    bool wait = true;                          ///< block until the table is ACTIVE
    std::chrono::seconds timeout{300};         ///< give up waiting after this long
};

namespace detail {

/** Which key a value is for: the limits differ (2048 and 1024 bytes). */
enum class KeyRole { partition, sort };

/** Key validation and encoding shared by all tables (src/table.cpp).
    @throws ValidationError if the value is not S, N or B, is empty, or is longer than the key's
    limit (`max_partition_key_size`, `max_sort_key_size`: UTF-8 bytes of S, raw bytes of B). */
void check_key_value(const boost::json::value& av, std::string_view attribute, const ErrorInfo& context,
                     KeyRole role = KeyRole::partition);
boost::json::object create_table_body(std::string_view table, std::string_view pk, AttributeType pk_type,
                                      std::string_view sk, AttributeType sk_type);
void wait_for_table(const Client& client, const std::string& table, bool exists, std::chrono::seconds timeout);
bool table_exists(const Client& client, const std::string& table);

}  // namespace detail

template <class Model>
class Table {
    static constexpr auto schema_ = schema<Model>::value;
    using Schema = std::remove_cvref_t<decltype(schema_)>;
    static_assert(std::is_same_v<typename Schema::model_type, Model>,
                  "dynantic: the schema's keys must be members of the model itself");

public:
    using model_type = Model;
    using partition_key_type = typename Schema::partition_key_type;
    using sort_key_type = typename Schema::sort_key_type;
    static constexpr bool has_sort_key = Schema::has_sort_key;

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

    // ----- requests (pure: build, do not send) -----

    /** PutItem request for `item`; `only_if_absent` adds `attribute_not_exists(<pk>)`.
        @throws ValidationError naming the attribute, for an empty or oversize key value, a
                value DynamoDB cannot store (NaN, > 38 digits, invalid UTF-8, ...), nesting
                deeper than 32 levels, or an item over 400 KB by DynamoDB's size rules. */
    OperationRequest put_request(const Model& item, bool only_if_absent = false) const {
        ErrorInfo ctx = context("PutItem");
        boost::json::object body;
        body["TableName"] = ctx.table;
        auto& encoded = body["Item"].emplace_object();
        try {
            detail::encode_members(item, encoded);
        } catch (const detail::AttributeError& e) {
            detail::throw_item_error(e, ctx);
        }
        check_keys(encoded, ctx);
        detail::check_item_limits(encoded, ctx);
        if (only_if_absent) {
            body["ConditionExpression"] = "attribute_not_exists(#pk)";
            body["ExpressionAttributeNames"].emplace_object()["#pk"] = schema_.partition_key_name();
        }
        return {"PutItem", std::move(body)};
    }

    /** GetItem request for a key. */
    OperationRequest get_request(const boost::json::object& key, GetOptions options = {}) const {
        ErrorInfo ctx = context("GetItem");
        boost::json::object body;
        body["TableName"] = ctx.table;
        body["Key"] = key;
        if (options.consistent_read) body["ConsistentRead"] = true;
        return {"GetItem", std::move(body)};
    }

    /** DeleteItem request for a key. */
    OperationRequest remove_request(const boost::json::object& key) const {
        ErrorInfo ctx = context("DeleteItem");
        boost::json::object body;
        body["TableName"] = ctx.table;
        body["Key"] = key;
        return {"DeleteItem", std::move(body)};
    }

    /** CreateTable request from the schema: key schema, attribute definitions, on-demand
        billing (PAY_PER_REQUEST). */
    OperationRequest create_table_request() const {
        return {"CreateTable",
                detail::create_table_body(name(), schema_.partition_key_name(), detail::wire_type_of<partition_key_type>(),
                                          schema_.sort_key_name(), sort_key_wire_type())};
    }

    // ----- keys -----

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
    /** The key of an item. */
    boost::json::object key_of(const Model& item) const {
        if constexpr (has_sort_key) return make_key("key", item.*schema_.partition_key_member, item.*schema_.sort_key_member);
        else return make_key("key", item.*schema_.partition_key_member);
    }

    // ----- operations -----

    /** Writes `item`, replacing any item with the same key (PutItem).
        @throws ValidationError before sending for an empty key value or a value DynamoDB
                cannot store; TableNotFoundError; Error for other failures.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html */
    void save(const Model& item) const { send(put_request(item)); }

    /** Writes `item` only if no item with its key exists (PutItem with
        `attribute_not_exists(<partition key>)`).
        @throws ConditionalCheckFailedError if an item with the same key exists; as `save`. */
    void create(const Model& item) const { send(put_request(item, true)); }

    /** The item with this key, or `std::nullopt` (GetItem).
        @throws DecodeError naming the attribute when the stored item does not fit the model;
                TableNotFoundError; ValidationError for an empty key value.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html */
    std::optional<Model> get(const partition_key_type& pk, GetOptions options = {}) const
        requires(!has_sort_key)
    {
        return get_by_key(make_key("GetItem", pk), options);
    }
    std::optional<Model> get(const partition_key_type& pk, const sort_key_type& sk, GetOptions options = {}) const
        requires has_sort_key
    {
        return get_by_key(make_key("GetItem", pk, sk), options);
    }

    /** Deletes the item with this key; deleting a missing item is not an error (DeleteItem).
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html */
    void remove(const partition_key_type& pk) const
        requires(!has_sort_key)
    {
        send(remove_request(make_key("DeleteItem", pk)));
    }
    void remove(const partition_key_type& pk, const sort_key_type& sk) const
        requires has_sort_key
    {
        send(remove_request(make_key("DeleteItem", pk, sk)));
    }
    /** Deletes the item with the key of `item`. */
    void remove_item(const Model& item) const { send(remove_request(key_of(item))); }

    /** Creates the table from the schema (CreateTable, on-demand billing) and, by default,
        waits until it is ACTIVE.
        @throws Error (errc::resource_in_use) if it exists; Error (errc::timeout) if it does not
                become ACTIVE within `options.timeout`. */
    void create_table(CreateTableOptions options = {}) const {
        const Client c = client();
        c.call("CreateTable", create_table_request().body);
        if (options.wait) detail::wait_for_table(c, name(), true, options.timeout);
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

private:
    ErrorInfo context(std::string_view operation) const {
        return ErrorInfo{std::string(operation), name(), {}, {}, 0, {}};
    }

    static constexpr AttributeType sort_key_wire_type() {
        if constexpr (has_sort_key) return detail::wire_type_of<sort_key_type>();
        else return AttributeType::NUL;
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

    boost::json::object send(const OperationRequest& request) const {
        return client().call(request.operation, request.body);
    }

    std::optional<Model> get_by_key(const boost::json::object& key, GetOptions options) const {
        const OperationRequest request = get_request(key, options);
        const boost::json::object response = send(request);
        const auto* item = response.if_contains("Item");
        if (item == nullptr || !item->is_object()) return std::nullopt;
        return from_item<Model>(item->get_object(), context("GetItem"));
    }

    std::optional<Client> client_;
};

}  // namespace dynantic
