// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The actions of a transaction (transaction.hpp): `PutAction`, `RemoveAction`, `CheckAction`,
    `UpdateAction`, `GetAction`, each an operation value (operations/) rendered for the client's
    table names at commit, and `WriteAction`, any write action type-erased. */

#include <dynantic/client.hpp>
#include <dynantic/detail/batch_engine.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/operations/check.hpp>
#include <dynantic/operations/delete.hpp>
#include <dynantic/operations/get.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/operations/put.hpp>
#include <dynantic/operations/update.hpp>
#include <dynantic/options.hpp>
#include <dynantic/request.hpp>
#include <dynantic/update_builder.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

namespace detail {

/** One action rendered for one client: its wire kind, table, canonical key and body. */
struct RenderedAction {
    std::string operation;      ///< "Put", "Delete", "Update", "ConditionCheck" or "Get"
    std::string table;          ///< table name sent
    std::string key;            ///< canonical key text (see key_text)
    boost::json::object body;   ///< the object under the operation name
};

/** The interface of every transaction write action. */
class WriteActionBase {
public:
    virtual ~WriteActionBase() = default;
    /** The action for `client`'s tables. @throws ValidationError for an unstorable item or key. */
    virtual RenderedAction render(const Client& client) const = 0;
    /** Called once the transaction committed (sets a versioned item's new version). */
    virtual void committed() const {}

protected:
    WriteActionBase() = default;
    WriteActionBase(const WriteActionBase&) = default;
    WriteActionBase& operator=(const WriteActionBase&) = default;
};

/** An action's rendered request as a transaction item: kind `kind`, the canonical text of
    the key under `key_member` ("Item" for a put, else "Key"). */
template <class Model>
RenderedAction rendered(std::string kind, std::string table, OperationRequest request, std::string_view key_member = "Key") {
    // Per-item return values and capacity do not exist in transactions (the transaction's own
    // ReturnConsumedCapacity is TransactOptions'); an operation value may carry them.
    request.body.erase("ReturnValues");
    request.body.erase("ReturnConsumedCapacity");
    std::string key = key_text(request.body.at(key_member).as_object(), ModelKey<Model>::names());
    return {std::move(kind), std::move(table), std::move(key), std::move(request.body)};
}

/** The table name `client` sends for `Model`. */
template <class Model>
std::string table_name(const Client& client) {
    return client.table_name(schema<Model>::value.name);
}

/** Checks the action count (1..100 is fine; 0 is a no-op for the caller). */
void check_action_count(Operation operation, std::size_t count);
/** A random UUID in canonical text form. */
std::string random_token();
/** The TransactWriteItems request of rendered actions.
    @throws ValidationError for two actions on one item, or a body over 4 MB. */
OperationRequest transact_write_body(const std::vector<RenderedAction>& actions, const std::string& token);
OperationRequest transact_get_body(const std::vector<RenderedAction>& actions);
/** Sends a transaction, retrying cancellations for throttling and conflicts and
    TransactionInProgress; rethrows a TransactionCanceledError that names the actions. */
boost::json::object send_transaction(const Client& client, const OperationRequest& request,
                                     const std::vector<RenderedAction>& actions, const TransactOptions& options);
/** After attempt `attempt` of a transaction failed with `failure` (what the call threw): the
    delay before the next attempt (a cancellation only for throttling or conflicts, or
    TransactionInProgress, with attempts and time left before `deadline`); otherwise throws the
    error the call ends with (a TransactionCanceledError naming the actions, with every reason).
    `send_transaction` and the asynchronous front end share it. */
std::chrono::milliseconds transaction_retry_delay(std::exception_ptr failure, const std::vector<RenderedAction>& actions,
                                                  const TransactOptions& options, const CallDeadline& deadline,
                                                  unsigned attempt);
/** The `Item` of each ItemResponse of a TransactGetItems response (null where none exists).
    @throws Error (invalid_response) unless `Responses` is an array of one object per action,
            each without `Item` or with an object `Item`. */
std::vector<const boost::json::object*> transact_get_items(const boost::json::object& response,
                                                           const std::vector<RenderedAction>& actions);
/** True when every reason that is not "None" is throttling or TransactionConflict. */
bool retryable_cancellation(const std::vector<CancellationReason>& reasons) noexcept;

}  // namespace detail

/** A Put in a transaction (see `put`): an `op::Put`, rendered for the client at commit.
    Conditions must be untyped or on `Model`'s fields. */
template <model Model>
class PutAction : public detail::WriteActionBase {
    static constexpr bool mutating = detail::mutating_model<Model>;

public:
    /** Puts a copy of `item` (models without version or auto-UUID key). */
    explicit PutAction(const Model& item)
        requires(!mutating)
        : owned_(std::make_shared<const Model>(item)), put_(*owned_) {}
    /** A versioned or auto-UUID model: a nil UUID key is filled now; the version is set on
        `item` after the commit. */
    explicit PutAction(Model& item)
        requires mutating
        : put_(item), bump_(detail::Versioning<Model>::enabled ? &item : nullptr) {
        detail::Entity<Model>::prepare(item);
    }
    /** The put `put` (its item must outlive the commit; a versioned item is not bumped). */
    explicit PutAction(const op::Put<Model>& put) : put_(put) {}

    /** Adds a condition on the stored item (several are AND-combined). */
    template <class C>
    PutAction& when(const C& condition) {
        put_.when(condition);
        return *this;
    }
    /** Only if no item with this key exists (`attribute_not_exists(<partition key>)`). */
    PutAction& if_absent() {
        put_.if_absent();
        return *this;
    }
    /** On a failed condition, carry the stored item in the cancellation reason. */
    PutAction& return_item_on_condition_failure(bool on = true) {
        put_.return_item_on_condition_failure(on);
        return *this;
    }
    /** Versioned models: write version + 1 without checking the stored version. */
    PutAction& skip_version_check() {
        put_.skip_version_check();
        return *this;
    }
    /** The put as a value. */
    const op::Put<Model>& operation() const noexcept { return put_; }

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const override {
        std::string table = detail::table_name<Model>(client);
        OperationRequest r = put_.render(table);
        return detail::rendered<Model>("Put", std::move(table), std::move(r), "Item");
    }
    void committed() const override {
        if (bump_ != nullptr) op::Put<Model>::applied(*bump_);
    }
    /// @endcond

private:
    std::shared_ptr<const Model> owned_;
    op::Put<Model> put_;
    Model* bump_ = nullptr;
};

/** A Delete by key in a transaction (see `remove`): an `op::Delete`. */
template <model Model>
class RemoveAction : public detail::WriteActionBase {
public:
    /** Deletes the item with `key` (the partition key, or a pair with the sort key). */
    explicit RemoveAction(typename detail::ModelKey<Model>::key_type key) : delete_(std::move(key)) {}
    /** The delete `del`. */
    explicit RemoveAction(op::Delete<Model> del) : delete_(std::move(del)) {}

    /** Only if the condition holds for the stored item (several are AND-combined). */
    template <class C>
    RemoveAction& when(const C& condition) {
        delete_.when(condition);
        return *this;
    }
    /** On a failed condition, carry the stored item in the cancellation reason. */
    RemoveAction& return_item_on_condition_failure(bool on = true) {
        delete_.return_item_on_condition_failure(on);
        return *this;
    }
    /** The delete as a value. */
    const op::Delete<Model>& operation() const noexcept { return delete_; }

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const override {
        std::string table = detail::table_name<Model>(client);
        OperationRequest r = delete_.render(table, Operation::TransactWriteItems);
        return detail::rendered<Model>("Delete", std::move(table), std::move(r));
    }
    /// @endcond

private:
    op::Delete<Model> delete_;
};

/** A ConditionCheck in a transaction (see `check`): the transaction fails unless the condition
    holds for the item with this key. An `op::ConditionCheck`. */
template <model Model>
class CheckAction : public detail::WriteActionBase {
public:
    /** Checks `condition` on the item with `key` (the partition key, or a pair with the sort key). */
    CheckAction(typename detail::ModelKey<Model>::key_type key, Condition condition)
        : check_(std::move(key), std::move(condition)) {}
    /** The check `check`. */
    explicit CheckAction(op::ConditionCheck<Model> check) : check_(std::move(check)) {}

    /** A further condition, AND-combined. */
    template <class C>
    CheckAction& when(const C& condition) {
        check_.when(condition);
        return *this;
    }
    /** On a failed condition, carry the stored item in the cancellation reason. */
    CheckAction& return_item_on_condition_failure(bool on = true) {
        check_.return_item_on_condition_failure(on);
        return *this;
    }
    /** The check as a value. */
    const op::ConditionCheck<Model>& operation() const noexcept { return check_; }

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const override {
        std::string table = detail::table_name<Model>(client);
        OperationRequest r = check_.render(table, Operation::TransactWriteItems);
        return detail::rendered<Model>("ConditionCheck", std::move(table), std::move(r));
    }
    /// @endcond

private:
    op::ConditionCheck<Model> check_;
};

/** An Update in a transaction (see `update`): the update DSL of `op::Update` (set, add,
    remove, delete_elements, when, ...), checked against `Model` at compile time.
    `ReturnValues` does not exist in transactions. An `op::Update` or a table's
    `UpdateBuilder` converts to it (an `update_item(item)` builder's item gets its new version
    after the commit). */
template <model Model>
class UpdateAction : public detail::UpdateDsl<UpdateAction<Model>, Model>, public detail::WriteActionBase {
    using Dsl = detail::UpdateDsl<UpdateAction<Model>, Model>;
    friend Dsl;

public:
    /** Updates the item with `key` (the partition key, or a pair with the sort key). */
    explicit UpdateAction(typename detail::ModelKey<Model>::key_type key)
        : Dsl(detail::UpdateData<Model>(std::move(key), nullptr)) {}
    /** The update `update`. */
    explicit UpdateAction(const op::Update<Model>& update) : Dsl(update.data()) {}
    /** The update a table's builder describes (without its table). */
    explicit UpdateAction(const UpdateBuilder<Model>& update) : Dsl(update.data()) {}

    /** The update as a value. */
    op::Update<Model> operation() const { return op::Update<Model>(this->data_); }

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const override {
        std::string table = detail::table_name<Model>(client);
        OperationRequest r = this->data_.render(table, Operation::TransactWriteItems);
        r.body.erase("ReturnValues");
        return detail::rendered<Model>("Update", std::move(table), std::move(r));
    }
    void committed() const override {
        if (this->data_.item != nullptr) detail::Versioning<Model>::bump(*this->data_.item);
    }
    /// @endcond

private:
    ErrorInfo key_error_context() const {
        return detail::operation_context(Operation::UpdateItem, schema<Model>::value.name);
    }
};

/** A Get in TransactGetItems (see `get`): an `op::Get`, read as `Model` or as `View`, a view
    of it (view.hpp; the Get then carries the view's ProjectionExpression). */
template <model Model, class View = Model>
class GetAction {
public:
    using model_type = Model;   ///< the model read
    /** What `transact_get` returns (inside a `std::optional`) for this action. */
    using value_type = typename op::Get<Model, View>::value_type;
    /** Reads the item with `key` (the partition key, or a pair with the sort key). */
    explicit GetAction(typename detail::ModelKey<Model>::key_type key) : get_(std::move(key)) {}

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const {
        std::string table = detail::table_name<Model>(client);
        OperationRequest r = get_.render(table, Operation::TransactGetItems);
        return detail::rendered<Model>("Get", std::move(table), std::move(r));
    }

    /** The item of this action's ItemResponse. @throws DecodeError naming the attribute. */
    static std::optional<value_type> decode(const boost::json::object& item, const std::string& table) {
        return detail::ReadAs<Model, View>::decode_own(item, detail::operation_context(Operation::TransactGetItems, table));
    }
    /// @endcond

private:
    op::Get<Model, View> get_;
};

/** Any write action, type-erased, for `transact_write` and `Transaction::add`. Cheap to copy. */
class WriteAction {
public:
    /** Any of `PutAction`, `RemoveAction`, `CheckAction`, `UpdateAction` (implicit, so that a
        braced list of actions works). */
    template <class Action>
        requires std::derived_from<Action, detail::WriteActionBase>
    WriteAction(const Action& action)  // NOLINT: implicit, so that a braced list of actions works
        : impl_(std::make_shared<Action>(action)) {}
    /** A put value as a `Put` action (implicit, as above). */
    template <class Model>
    WriteAction(const op::Put<Model>& put) : WriteAction(PutAction<Model>(put)) {}   // NOLINT
    /** A delete value as a `Delete` action (implicit). */
    template <class Model>
    WriteAction(const op::Delete<Model>& del) : WriteAction(RemoveAction<Model>(del)) {}   // NOLINT
    /** A condition check value as a `ConditionCheck` action (implicit). */
    template <class Model>
    WriteAction(const op::ConditionCheck<Model>& check) : WriteAction(CheckAction<Model>(check)) {}   // NOLINT
    /** An update value as an `Update` action (implicit). */
    template <class Model>
    WriteAction(const op::Update<Model>& update) : WriteAction(UpdateAction<Model>(update)) {}   // NOLINT
    /** A table's update builder as an `Update` action, without its table (implicit). */
    template <class Model>
    WriteAction(const UpdateBuilder<Model>& update) : WriteAction(UpdateAction<Model>(update)) {}   // NOLINT

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const { return impl_->render(client); }
    void committed() const { impl_->committed(); }
    /// @endcond

private:
    std::shared_ptr<const detail::WriteActionBase> impl_;
};

}  // namespace dynantic
