// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `op::Delete<Model>`: one DeleteItem as a value (key, conditions, options), built without a
    client. `Table::remove`/`remove_item` run it; `transact_write` renders it as a `Delete`.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html */

#include <dynantic/operations/combine.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/operations/returned.hpp>
#include <dynantic/operations/version.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic::op {

/** A DeleteItem of the item with one key. Holds the key by value. */
template <class Model>
class Delete {
    using Keys = detail::ModelKey<Model>;

public:
    using model_type = Model;                       ///< the model deleted
    using key_type = typename Keys::key_type;       ///< the partition key, or a pair with the sort key
    /** The operation name. */
    static constexpr Operation operation = Operation::DeleteItem;

    /** A delete of the item with `key`. */
    explicit Delete(key_type key) : key_(std::move(key)) {}
    /** A delete of the item with `item`'s key; for a versioned model, conditional on its
        version (unless `skip_version_check`). */
    static Delete of_item(const Model& item) {
        Delete d(Keys::value_of(item));
        d.version_ = detail::Versioning<Model>::current(item);
        return d;
    }

    /** Only if the condition holds for the stored item (several are AND-combined). */
    template <class C>
    Delete& when(const C& condition) {
        static_assert(detail::check_condition_model<C, Model>());
        detail::and_into(when_, condition);
        return *this;
    }
    /** All write options at once. */
    Delete& options(const WriteOptions& o) noexcept {
        options_ = o;
        return *this;
    }
    /** On a failed condition, carry the stored item in the error. */
    Delete& return_item_on_condition_failure(bool on = true) noexcept {
        options_.return_item_on_condition_failure = on;
        return *this;
    }
    /** Versioned models deleted by item: no version condition. */
    Delete& skip_version_check() noexcept {
        options_.check_version = false;
        return *this;
    }
    /** Return the item this delete removes (ReturnValues = ALL_OLD): `WriteResult::old_item`. */
    Delete& return_old_item(bool on = true) noexcept {
        options_.return_old_item = on;
        return *this;
    }
    /** Ask for the consumed capacity (ReturnConsumedCapacity): `WriteResult::capacity`. */
    Delete& return_consumed_capacity(ReturnConsumedCapacity level = ReturnConsumedCapacity::total) noexcept {
        options_.return_consumed_capacity = level;
        return *this;
    }
    /** The write options. */
    const WriteOptions& write_options() const noexcept { return options_; }

    /** The key. */
    const key_type& key() const noexcept { return key_; }

    /** The DeleteItem request for table `table`. `context_operation` names the operation in
        errors (a transaction renders with `Operation::TransactWriteItems`); `storage`: where the
        JSON lives.
        @throws ValidationError for an empty or oversize key value. */
    OperationRequest render(std::string_view table, Operation context_operation = operation,
                            boost::json::storage_ptr storage = {}) const {
        const ErrorInfo ctx = detail::operation_context(context_operation, table);
        std::optional<Condition> condition = when_;
        if constexpr (detail::Versioning<Model>::enabled)
            if (version_ && options_.check_version) detail::and_into(condition, detail::Versioning<Model>::condition(*version_));
        return render_key(table, Keys::encode_any(ctx, key_, storage), condition ? &*condition : nullptr, options_,
                          storage);
    }
    /** The DeleteItem request of a key already encoded (`Table::key`), with an optional
        condition, as `render` makes it (ReturnValues and ReturnConsumedCapacity as `options`
        ask). */
    static OperationRequest render_key(std::string_view table, boost::json::object key, const Condition* when = nullptr,
                                       WriteOptions options = {}, boost::json::storage_ptr storage = {}) {
        boost::json::object body(std::move(storage));
        body["TableName"] = table;
        body["Key"] = std::move(key);
        if (when != nullptr) detail::add_condition(body, *when, options.return_item_on_condition_failure);
        if (options.return_old_item) body["ReturnValues"] = "ALL_OLD";
        detail::add_return_consumed_capacity(body, options.return_consumed_capacity);
        return {operation, std::move(body)};
    }

    /** What a DeleteItem response returns: the deleted item (when asked and there was one) and
        the consumed capacity (when asked). Pure.
        @throws as `op::Put::decode` (the delete was applied). */
    static WriteResult<typename detail::Entity<Model>::value_type> decode(const boost::json::object& response,
                                                                          std::string_view table) {
        return detail::decode_write_result<Model>(response, operation, table);
    }

private:
    key_type key_;
    std::optional<Condition> when_;
    WriteOptions options_;
    std::optional<std::int64_t> version_;   ///< deleted by item: the item's version
};

}  // namespace dynantic::op
