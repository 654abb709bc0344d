// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The item, key and request members of `Table<Model>` (table.hpp): encoding and decoding items
    and keys as DynamoDB stores them, and the pure request builders (`put_request`,
    `create_request`, `get_request`, `remove_request`) that return the exact operation and JSON
    body a call would send, without sending it: a dry run for tests and tooling.

    @code
    boost::json::object key = users.key("u1", "a@b.c");            // {"id":{"S":"u1"},"email":{"S":"a@b.c"}}
    dynantic::OperationRequest r = users.put_request(u);           // r.operation == Operation::PutItem
    @endcode */

#include <dynantic/detail/entity.hpp>
#include <dynantic/error.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/operations/delete.hpp>
#include <dynantic/operations/get.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/operations/put.hpp>
#include <dynantic/options.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace dynantic {

/** The item, key and pure request members of `Table<Model>` (CRTP: `Derived` provides `name()`,
    the table name sent to DynamoDB). */
template <class Derived, class Model>
class TableItems {
    using Entity = detail::Entity<Model>;
    using KeyCodec = detail::ModelKey<Model>;
    using partition_key_type = typename KeyCodec::partition_key_type;
    using sort_key_type = typename KeyCodec::sort_key_type;
    static constexpr bool has_sort_key = KeyCodec::has_sort_key;

public:
    // ----- items -----

    /** The item stored for `item`: its attributes, the discriminator of a subtype, the TTL as
        epoch seconds. Batch and transaction writes use it too.
        @throws ValidationError naming the attribute for a value DynamoDB cannot store. */
    boost::json::object encode_item(const Model& item, Operation operation = Operation::PutItem) const {
        return Entity::encode(item, context(operation));
    }
    /** The model (or variant, for a polymorphic base) an item read from DynamoDB decodes to.
        @throws DecodeError naming the attribute. */
    typename Entity::value_type decode_item(const boost::json::object& item, Operation operation = Operation::GetItem) const {
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
        return KeyCodec::encode(key_context(), pk);
    }
    /** As above, for a table with a sort key. */
    boost::json::object key(const partition_key_type& pk, const sort_key_type& sk) const
        requires has_sort_key
    {
        return KeyCodec::encode(key_context(), pk, sk);
    }
    ///@}
    /** The key of an item. */
    boost::json::object key_of(const Model& item) const { return KeyCodec::of_item(key_context(), item); }

    // ----- requests (pure: build, do not send) -----

    ///@{
    /** The PutItem request `save(item[, when], options)` sends (without bumping a version). */
    OperationRequest put_request(const Model& item, WriteOptions options = {}) const {
        return op::Put<Model>(item).options(options).render(self().name());
    }
    /** As above, with the condition `when` (`save(item, when, options)`). */
    template <class C>
        requires detail::any_condition<C>
    OperationRequest put_request(const Model& item, const C& when, WriteOptions options = {}) const {
        return op::Put<Model>(item).when(when).options(options).render(self().name());
    }
    ///@}
    /** The PutItem request `create(item)` sends. */
    OperationRequest create_request(const Model& item, WriteOptions options = {}) const {
        return op::Put<Model>(item).if_absent().options(options).render(self().name());
    }
    /** GetItem request for a key (`op::Get::render_key`). */
    OperationRequest get_request(const boost::json::object& key, GetOptions options = {}) const {
        return op::Get<Model>::render_key(self().name(), key, options);
    }
    /** DeleteItem request for a key, with an optional condition (`op::Delete::render_key`). */
    OperationRequest remove_request(const boost::json::object& key, const Condition* when = nullptr,
                                    WriteOptions options = {}) const {
        return op::Delete<Model>::render_key(self().name(), key, when, options);
    }

    /// @cond INTERNAL
private:
    const Derived& self() const { return static_cast<const Derived&>(*this); }
    ErrorInfo context(Operation operation) const { return detail::operation_context(operation, self().name()); }
    ErrorInfo key_context() const { return ErrorInfo{"key", self().name(), {}, {}, 0, {}}; }
    /// @endcond
};

}  // namespace dynantic
