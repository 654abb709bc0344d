// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    What every operation value shares: the error context of a render, the condition members of
    a write's body, and the fix-it check of a condition's model. */

#include <dynantic/error.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/operation.hpp>
#include <dynantic/options.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <string>
#include <string_view>

namespace dynantic::detail {

/** Adds `ConditionExpression` (with its names and values) and, when asked,
    `ReturnValuesOnConditionCheckFailure = ALL_OLD` to a write's body. */
inline void add_condition(boost::json::object& body, const Condition& c, bool return_item_on_failure) {
    ExpressionContext names;
    body["ConditionExpression"] = names.render(c);
    names.apply(body);
    if (return_item_on_failure) body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
}

/** The request of a put or delete value `op` for `table`, its JSON in `storage`: one call for
    `op::Put::render(table, storage)` and `op::Delete::render(table, operation, storage)`. */
template <class Op>
OperationRequest render_in(const Op& op, std::string_view table, boost::json::storage_ptr storage) {
    if constexpr (requires { op.render(table, storage); }) return op.render(table, std::move(storage));
    else return op.render(table, Op::operation, std::move(storage));
}

/** A condition given to an operation on `Model`: untyped, or built from `Model`'s fields (or a
    base's). Stated as a static assertion so that the error names the fix. */
template <class C, class Model>
constexpr bool check_condition_model() {
    static_assert(any_condition<C>, "dynantic: expected a condition (dynantic::field(&Model::member) == value, "
                                    "dynantic::attr(\"name\").exists(), ...)");
    static_assert(condition_for<C, Model>,
                  "dynantic: this condition names fields of another model: build it from this table's model, "
                  "dynantic::field(&Model::member), or use an untyped dynantic::attr(\"name\")");
    return true;
}

}  // namespace dynantic::detail
