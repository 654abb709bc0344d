// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `op::Put<Model>`: one PutItem as a value (item, conditions, options), built without a
    client and rendered by a pure function. `Table::save`/`create` run it; `transact_write`
    renders it as a `Put` action.

    @code
    dynantic::op::Put<User> put(u);
    put.when(dy::field(&User::status) == Status::active).if_absent();
    dynantic::OperationRequest r = put.render("dev-users");   // {"TableName": ..., "Item": ...}
    @endcode
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html */

#include <dynantic/codec/limits.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/operations/combine.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/operations/returned.hpp>
#include <dynantic/operations/version.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic {
namespace detail {

/** True when writes change a `Model` item in memory (version bump, generated UUID key). */
template <class Model>
inline constexpr bool mutating_model = Versioning<Model>::enabled || Entity<Model>::has_auto_uuid;

}  // namespace detail

namespace op {

/** A PutItem of one item. Refers to the item (as `std::string_view` to its characters): the
    item must outlive the value. Cheap to copy. */
template <class Model>
class Put {
public:
    using model_type = Model;   ///< the model written
    /** The operation name. */
    static constexpr Operation operation = Operation::PutItem;

    /** A put of `item`. */
    explicit Put(const Model& item) noexcept : item_(&item) {}

    /** Adds a condition on the stored item (several are AND-combined). */
    template <class C>
    Put& when(const C& condition) {
        static_assert(detail::check_condition_model<C, Model>());
        detail::and_into(when_, condition);
        return *this;
    }
    /** Only if no item with this key exists (`attribute_not_exists(<partition key>)`). */
    Put& if_absent(bool on = true) noexcept {
        if_absent_ = on;
        return *this;
    }
    /** All write options at once. */
    Put& options(const WriteOptions& o) noexcept {
        options_ = o;
        return *this;
    }
    /** On a failed condition, carry the stored item in the error. */
    Put& return_item_on_condition_failure(bool on = true) noexcept {
        options_.return_item_on_condition_failure = on;
        return *this;
    }
    /** Versioned models: write version + 1 without checking the stored version. */
    Put& skip_version_check() noexcept {
        options_.check_version = false;
        return *this;
    }
    /** Return the item this put replaces (ReturnValues = ALL_OLD): `WriteResult::old_item`. */
    Put& return_old_item(bool on = true) noexcept {
        options_.return_old_item = on;
        return *this;
    }
    /** Ask for the consumed capacity (ReturnConsumedCapacity): `WriteResult::capacity`. */
    Put& return_consumed_capacity(ReturnConsumedCapacity level = ReturnConsumedCapacity::total) noexcept {
        options_.return_consumed_capacity = level;
        return *this;
    }

    /** The item put. */
    const Model& item() const noexcept { return *item_; }
    /** The condition added with `when` (without `if_absent` and the version condition). */
    const std::optional<Condition>& condition() const noexcept { return when_; }
    /** The write options. */
    const WriteOptions& write_options() const noexcept { return options_; }

    /** The item as the request's `Item`: encoded, keys checked, for a versioned model with
        version + 1, limits checked; in `storage`. Batches send it in a PutRequest.
        @throws ValidationError (in `ctx`) naming the attribute for an empty or oversize key, a
                value DynamoDB cannot store, nesting deeper than 32 levels, an item over 400 KB. */
    boost::json::object encode(const ErrorInfo& ctx, boost::json::storage_ptr storage = {}) const {
        boost::json::object encoded = detail::Entity<Model>::encode(*item_, ctx, std::move(storage));
        detail::ModelKey<Model>::check_item(encoded, ctx);
        detail::Versioning<Model>::store_next(encoded, *item_);
        detail::check_item_limits(encoded, ctx);
        return encoded;
    }

    /** The condition sent: `if_absent`, then `when`, then the version condition. */
    std::optional<Condition> full_condition() const {
        std::optional<Condition> condition;
        if (if_absent_)
            condition = attr_name(std::string(detail::ModelKey<Model>::names().partition)).not_exists();
        if (when_) detail::and_into(condition, *when_);
        detail::Versioning<Model>::add_condition(condition, *item_, options_.check_version);
        return condition;
    }

    /** The PutItem request for table `table` (the name sent, prefix included): the encoded
        item (see `encode`) and the full condition. Pure: sends nothing and does not change the
        item. `storage`: where the JSON lives.
        @throws ValidationError as `encode`. */
    OperationRequest render(std::string_view table, boost::json::storage_ptr storage = {}) const {
        const ErrorInfo ctx = detail::operation_context(operation, table);
        boost::json::object encoded = encode(ctx, storage);
        const std::optional<Condition> condition = full_condition();
        boost::json::object body(std::move(storage));
        body["TableName"] = table;
        body["Item"] = std::move(encoded);   // same storage: no copy
        if (condition) detail::add_condition(body, *condition, options_.return_item_on_condition_failure);
        if (options_.return_old_item) body["ReturnValues"] = "ALL_OLD";
        detail::add_return_consumed_capacity(body, options_.return_consumed_capacity);
        return {operation, std::move(body)};
    }

    /** What a PutItem response returns: the replaced item (when asked and there was one) and
        the consumed capacity (when asked). Pure.
        @throws DecodeError when the old item does not fit the model; Error
                (errc::invalid_response) when `Attributes` is not an object (the put was applied
                either way, and the messages say so). */
    static WriteResult<typename detail::Entity<Model>::value_type> decode(const boost::json::object& response,
                                                                          std::string_view table) {
        return detail::decode_write_result<Model>(response, operation, table);
    }

    /** After the put was applied: sets a versioned item's version to the one written. */
    static void applied(Model& item) { detail::Versioning<Model>::bump(item); }

private:
    const Model* item_;
    std::optional<Condition> when_;
    WriteOptions options_;
    bool if_absent_ = false;
};

}  // namespace op
}  // namespace dynantic
