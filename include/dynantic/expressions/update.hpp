// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    An UpdateExpression: SET, REMOVE, ADD and DELETE actions on attribute paths. Built by the
    typed `Table<Model>::update(...)` builder or directly for untyped paths.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html */

#include <dynantic/error.hpp>
#include <dynantic/expressions/update_value.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <vector>

namespace dynantic {

namespace detail {
struct UpdateAction {
    enum class Kind { set, remove, add, delete_elements };
    Kind kind = Kind::set;
    Path path;
    SetOperand operand;   ///< SET: the right-hand side; ADD/DELETE: a value operand
};
}  // namespace detail

/** The actions of an UpdateExpression (SET, REMOVE, ADD, DELETE), built by `UpdateBuilder`. */
class UpdateExpression {
public:
    /** `SET path = operand` */
    void set(Path path, detail::SetOperand operand);
    /** `REMOVE path` */
    void remove(Path path);
    /** `ADD path :value` (a number to add, or a set to union) */
    void add(Path path, boost::json::value value);
    /** `DELETE path :value` (a set whose elements are removed) */
    void delete_elements(Path path, boost::json::value value);

    /** True when there is no action. */
    bool empty() const noexcept { return actions_.empty(); }
    /** The actions, in the order they were added. */
    const std::vector<detail::UpdateAction>& actions() const noexcept { return actions_; }

    /** True when `item` (attribute name -> AttributeValue) holds what this expression writes,
        wherever that can be told: each `SET path = value` finds that value at its path
        (compared with `same_attribute_value`), each `REMOVE path` finds nothing there. Paths
        through list elements, ADD, DELETE and computed SETs (`x + n`, `if_not_exists`,
        `list_append`) cannot be told and are skipped; false when nothing can be told. Used to
        recognise an update's own earlier attempt (see `CallOptions::recognizes_write`). */
    bool applied_to(const boost::json::object& item) const;

    /** @throws ValidationError naming both paths if two actions touch overlapping paths
                (DynamoDB refuses them), or if there is no action at all. */
    void check(const ErrorInfo& context) const;

private:
    std::vector<detail::UpdateAction> actions_;
};

}  // namespace dynantic
