// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `op::ConditionCheck<Model>`: a condition on the item with one key, as a value; only
    TransactWriteItems runs it (a `ConditionCheck` action).
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ConditionCheck.html */

#include <dynantic/operations/keys.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace dynantic::op {

/** The check of a condition on the item with one key. */
template <class Model>
class ConditionCheck {
    using Keys = detail::ModelKey<Model>;

public:
    using model_type = Model;                        ///< the model checked
    using key_type = typename Keys::key_type;        ///< the partition key, or a pair with the sort key
    /** The action name in TransactWriteItems. */
    static constexpr std::string_view operation = "ConditionCheck";

    /** Checks `condition` on the item with `key`. */
    ConditionCheck(key_type key, Condition condition) : key_(std::move(key)), condition_(std::move(condition)) {}

    /** A further condition, AND-combined. */
    template <class C>
    ConditionCheck& when(const C& condition) {
        static_assert(detail::check_condition_model<C, Model>());
        condition_ = Condition(condition_ && condition);
        return *this;
    }
    /** On a failed condition, carry the stored item in the cancellation reason. */
    ConditionCheck& return_item_on_condition_failure(bool on = true) noexcept {
        return_item_ = on;
        return *this;
    }

    /** The key. */
    const key_type& key() const noexcept { return key_; }

    /** The ConditionCheck body for table `table`; `context_operation` names the operation in errors.
        @throws ValidationError for an empty or oversize key value. */
    OperationRequest render(std::string_view table, Operation context_operation = Operation::TransactWriteItems) const {
        const ErrorInfo ctx = detail::operation_context(context_operation, table);
        boost::json::object body;
        body["TableName"] = table;
        body["Key"] = Keys::encode_any(ctx, key_);
        detail::add_condition(body, condition_, return_item_);
        return {Operation::TransactWriteItems, std::move(body)};   // sent inside a transaction
    }

private:
    key_type key_;
    Condition condition_;
    bool return_item_ = false;
};

}  // namespace dynantic::op
