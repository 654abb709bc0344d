// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The non-throwing conditional writes of `Table<Model>`: `try_save`, `try_create`,
    `try_remove`, `try_remove_item` and `try_execute(op)`, in the style of Boost.JSON's
    `try_value_to`. The outcome a caller branches on — the condition held and the write was
    applied, or it failed — is a value (`TryWriteResult`, write_result.hpp); every other failure
    throws as the throwing form does.

    @code
    if (auto r = users.try_create(u); !r) return already_exists();
    auto r = accounts.try_save(a, dy::field(&Account::status) == Status::open,
                               {.return_item_on_condition_failure = true});
    if (!r.applied && r.current_item) show(*r.current_item);   // the stored item that failed it
    @endcode
    A write whose outcome is unknown (an attempt whose answer was lost, resent, and whose resend's
    condition failed on an item that does not show this write) is never reported as not applied:
    it throws `WriteOutcomeUnknownError`. */

#include <dynantic/error.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/operations/delete.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/operations/put.hpp>
#include <dynantic/operations/returned.hpp>
#include <dynantic/options.hpp>
#include <dynantic/write_result.hpp>

namespace dynantic {

/** The `try_` members of `Table<Model>` (CRTP: `Derived` provides `save`, `create`, `remove`,
    `remove_item` and `execute`). Each returns `TryWriteResult<value_type>`: `applied` and the
    write's `WriteResult`, or not applied and, when `options.return_item_on_condition_failure`
    (ReturnValuesOnConditionCheckFailure = ALL_OLD), the stored item in `current_item`.
    @throws as the throwing member, except ConditionalCheckFailedError. */
template <class Derived, class Model>
class TableConditionalWrites {
    using Keys = detail::ModelKey<Model>;
    using partition_key_type = typename Keys::partition_key_type;
    using sort_key_type = typename Keys::sort_key_type;
    static constexpr bool has_sort_key = Keys::has_sort_key;
    static constexpr bool mutating = detail::mutating_model<Model>;

public:
    /** The outcome of a `try_` write. */
    using try_write_result = TryWriteResult<typename detail::Entity<Model>::value_type>;

    ///@{
    /** `save` that returns `applied == false` when `when` (or, for a versioned model, the
        version check) fails (PutItem). A versioned item keeps its version then. */
    template <class C>
        requires detail::any_condition<C>
    try_write_result try_save(const Model& item, const C& when, WriteOptions options = {}) const
        requires(!mutating)
    {
        return attempt([&] { return self().save(item, when, options); });
    }
    /** As above (overload). */
    template <class C>
        requires detail::any_condition<C>
    try_write_result try_save(Model& item, const C& when, WriteOptions options = {}) const
        requires mutating
    {
        return attempt([&] { return self().save(item, when, options); });
    }
    /** As above (overload). */
    try_write_result try_save(Model& item, WriteOptions options = {}) const
        requires mutating
    {
        return attempt([&] { return self().save(item, options); });
    }
    ///@}

    ///@{
    /** `create`: `applied` is true when the item was created, false when an item with its key
        already exists (then, when asked, `current_item` is that item). */
    try_write_result try_create(const Model& item, WriteOptions options = {}) const
        requires(!mutating)
    {
        return attempt([&] { return self().create(item, options); });
    }
    /** As above (overload). */
    try_write_result try_create(Model& item, WriteOptions options = {}) const
        requires mutating
    {
        return attempt([&] { return self().create(item, options); });
    }
    ///@}

    ///@{
    /** `remove` with a condition (DeleteItem): `applied == false` when `when` fails. */
    template <class C>
        requires detail::any_condition<C>
    try_write_result try_remove(const partition_key_type& pk, const C& when, WriteOptions options = {}) const
        requires(!has_sort_key)
    {
        return attempt([&] { return self().remove(pk, when, options); });
    }
    /** As above (overload). */
    template <class C>
        requires detail::any_condition<C>
    try_write_result try_remove(const partition_key_type& pk, const sort_key_type& sk, const C& when,
                                WriteOptions options = {}) const
        requires has_sort_key
    {
        return attempt([&] { return self().remove(pk, sk, when, options); });
    }
    ///@}

    ///@{
    /** `remove_item`: for a versioned model, `applied == false` when the stored version is not
        the item's; with `when`, also when it fails. */
    try_write_result try_remove_item(const Model& item, WriteOptions options = {}) const {
        return attempt([&] { return self().remove_item(item, options); });
    }
    /** As above (overload). */
    template <class C>
        requires detail::any_condition<C>
    try_write_result try_remove_item(const Model& item, const C& when, WriteOptions options = {}) const {
        return attempt([&] { return self().remove_item(item, when, options); });
    }
    ///@}

    ///@{
    /** `execute` of a conditional operation value, not throwing when its condition fails. */
    try_write_result try_execute(const op::Put<Model>& put) const {
        return attempt([&] { return self().execute(put); });
    }
    /** As above (overload). */
    try_write_result try_execute(const op::Delete<Model>& del) const {
        return attempt([&] { return self().execute(del); });
    }
    ///@}

private:
    const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }

    template <class F>
    static try_write_result attempt(F&& write) {
        try_write_result out;
        try {
            out.result = write();
            out.applied = true;
        } catch (const ConditionalCheckFailedError& e) {
            out.current_item = detail::decode_current_item<Model>(e.item(), e.info());
        }
        return out;
    }
};

}  // namespace dynantic
