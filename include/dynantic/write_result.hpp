// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    What a write returns: `WriteResult<Value>` (the replaced or deleted item, the consumed
    capacity) from `Table::save`, `create`, `remove`, `remove_item` and `execute(op::Put/Delete)`,
    and `Conditional<Result, Value>`, the outcome of the non-throwing forms `try_save`,
    `try_create`, `try_remove`, `try_remove_item` and `UpdateBuilder::try_execute` (in the style
    of Boost.JSON's `try_value_to`: the outcome a caller branches on is a value, every other
    failure still throws).

    @code
    auto r = users.save(u, {.return_old_item = true});
    if (r.old_item) log_change(*r.old_item, u);            // ReturnValues = ALL_OLD

    if (auto created = users.try_create(u); !created)     // the item already existed
        return conflict();

    auto removed = users.try_remove("u1", "a@b.c", dy::field(&User::status) == Status::closed,
                                    {.return_item_on_condition_failure = true});
    if (!removed.applied && removed.current_item) show(*removed.current_item);
    @endcode */

#include <dynantic/capacity.hpp>

#include <optional>

namespace dynantic {

/** What one PutItem or DeleteItem returned. `Value` is the model, or for a polymorphic base the
    `std::variant` of its types (as reads return). */
template <class Value>
struct WriteResult {
    /** The item the write replaced or deleted, decoded, when asked
        (`WriteOptions::return_old_item`, ReturnValues = ALL_OLD) and there was one. For a
        subtype's table, empty too when the old item was of another type. */
    std::optional<Value> old_item{};
    /** The capacity the write consumed, when asked (`WriteOptions::return_consumed_capacity`). */
    std::optional<ConsumedCapacity> capacity{};
};

/** The outcome of a conditional write that does not throw when its condition fails
    (ConditionalCheckFailedException): `applied` and the write's own `result`, or not applied
    and, when asked (`WriteOptions::return_item_on_condition_failure`,
    ReturnValuesOnConditionCheckFailure = ALL_OLD), the item as it is stored. Converts to `true`
    when applied. A write whose outcome is unknown is never reported as not applied: it throws
    `WriteOutcomeUnknownError`, as do transport and service failures theirs. */
template <class Result, class Value>
struct Conditional {
    bool applied = false;   ///< the condition held and the write was applied
    Result result{};        ///< what the applied write returned (default-constructed when not applied)
    /** Not applied: the stored item that failed the condition, when asked and there is one (no
        item: a `create` or a condition like `attribute_exists` failed on a missing key). */
    std::optional<Value> current_item{};

    /** `applied`. */
    explicit operator bool() const noexcept { return applied; }
};

/** The outcome of `try_save`, `try_create`, `try_remove` and `try_remove_item`. */
template <class Value>
using TryWriteResult = Conditional<WriteResult<Value>, Value>;

}  // namespace dynantic
