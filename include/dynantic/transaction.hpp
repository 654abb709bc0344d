// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    ACID transactions across tables and model types (TransactWriteItems, TransactGetItems).

    @code
    dy::transact_write(client, {
        dy::put(alice).when(dy::field(&User::status) == Status::active),   // Put
        dy::remove<Old>("o1"),                                             // Delete
        dy::check<Account>("acc-1", dy::field(&Account::balance) >= 10),   // ConditionCheck
        dy::update<Account>("acc-2").add(&Account::balance, 10),           // Update
    });
    auto [account, transfer] = dy::transact_get(client, dy::get<Account>("acc-1"), dy::get<Transfer>("tx-1"));
    // std::optional<Account>, std::optional<Transfer>

    {
        auto tx = dy::transaction(client);      // collects actions, commits once
        tx.put(a);
        tx.remove<Old>("o1");
        tx.add(dy::update<Account>("acc-2").add(&Account::balance, 10));
        tx.commit();                            // nothing is sent without it
    }
    @endcode

    Each action is typed by its model: a condition on another model's fields does not compile,
    and table names come from the models' schemas with the client's prefix. Actions are
    descriptions; they are rendered against the client at commit.

    Before sending, the library refuses (ValidationError) a transaction of more than 100 actions,
    a request over 4 MB, and two actions on the same item (same table and key), naming both.

    Every `transact_write` call sends one random `ClientRequestToken` (a UUID), reused by every
    retry of that call (the client's retries of throttling, 5xx and network errors, and the
    retries below), so DynamoDB applies the transaction at most once. A transaction cancelled
    only because of throttling (`ThrottlingError`, `ProvisionedThroughputExceeded`) or
    `TransactionConflict` reasons is sent again with backoff (TransactOptions); one cancelled for
    any other reason (`ConditionalCheckFailed`, `ValidationError`, ...) is not:
    `TransactionCanceledError` names the failing actions and carries every reason.

    Versioned models: a put adds the version condition and writes version + 1, as `save`; the
    version is set on the item once the transaction commits (so `put(item)` takes a mutable
    item that must outlive the commit). An update by key increments the version unchecked.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html */

#include <dynantic/batch.hpp>
#include <dynantic/table.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

/** Options of `transact_write`, `transact_get` and `Transaction`. */
struct TransactOptions {
    /** TransactWriteItems' idempotency token (1 to 36 characters). Empty: a random UUID per
        call (per `Transaction`), which is what you want unless you retry a call yourself
        within DynamoDB's 10-minute idempotency window. */
    std::string client_request_token{};
    unsigned max_attempts = 5;                   ///< sends in all of a transaction cancelled for a retryable reason; 0 = 1
    std::chrono::milliseconds base_delay{50};    ///< cap of the first retry's delay (full jitter)
    std::chrono::milliseconds max_delay{2'000};  ///< cap on any one delay
};

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

template <class Model>
RenderedAction rendered(std::string operation, const Table<Model>& table, const boost::json::object& key,
                        boost::json::object body) {
    return {std::move(operation), table.name(), key_text(key, TableAccess::key_names<Model>()), std::move(body)};
}

template <class C>
void set_condition(std::optional<Condition>& slot, const C& c) {
    slot = slot ? Condition(*slot && c) : Condition(c);
}

/** Checks the action count (1..100 is fine; 0 is a no-op for the caller). */
void check_action_count(std::string_view operation, std::size_t count);
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
/** The `Item` of each ItemResponse of a TransactGetItems response (null where none exists).
    @throws Error (invalid_response) unless `Responses` is an array of one object per action,
            each without `Item` or with an object `Item`. */
std::vector<const boost::json::object*> transact_get_items(const boost::json::object& response,
                                                           const std::vector<RenderedAction>& actions);
/** True when every reason that is not "None" is throttling or TransactionConflict. */
bool retryable_cancellation(const std::vector<CancellationReason>& reasons) noexcept;

}  // namespace detail

/** A Put in a transaction (see `put`). Conditions must be untyped or on `Model`'s fields. */
template <model Model>
class PutAction : public detail::WriteActionBase {
    using table_type = Table<Model>;

public:
    /** Puts a copy of `item` (models without version or auto-UUID key). */
    explicit PutAction(const Model& item)
        requires(!table_type::mutating)
        : owned_(std::make_shared<const Model>(item)), item_(owned_.get()) {}
    /** A versioned or auto-UUID model: a nil UUID key is filled now; the version is set on
        `item` after the commit. */
    explicit PutAction(Model& item)
        requires table_type::mutating
        : item_(&item), bump_(table_type::versioned ? &item : nullptr) {
        table_type::prepare_item(item);
    }

    /** Adds a condition on the stored item (several are AND-combined). */
    template <class C>
        requires detail::condition_for<C, Model>
    PutAction& when(const C& condition) {
        detail::set_condition(condition_, condition);
        return *this;
    }
    /** Only if no item with this key exists (`attribute_not_exists(<partition key>)`). */
    PutAction& if_absent() {
        only_if_absent_ = true;
        return *this;
    }
    /** On a failed condition, carry the stored item in the cancellation reason. */
    PutAction& return_item_on_condition_failure(bool on = true) {
        options_.return_item_on_condition_failure = on;
        return *this;
    }
    /** Versioned models: write version + 1 without checking the stored version. */
    PutAction& skip_version_check() {
        options_.check_version = false;
        return *this;
    }

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const override {
        const table_type table(client);
        std::optional<Condition> condition = condition_;
        if (only_if_absent_) {
            const Condition absent =
                attr_name(std::string(table_type::table_schema().partition_key_name())).not_exists();
            condition = condition ? Condition(absent && *condition) : absent;
        }
        OperationRequest r = condition ? table.put_request(*item_, *condition, options_) : table.put_request(*item_, options_);
        const auto& item = r.body.at("Item").as_object();
        return {"Put", table.name(), detail::key_text(item, detail::TableAccess::key_names<Model>()), std::move(r.body)};
    }
    /// @endcond
    /// @cond INTERNAL
    void committed() const override {
        if (bump_ != nullptr) detail::TableAccess::bump_version(*bump_);
    }
    /// @endcond

private:
    std::shared_ptr<const Model> owned_;
    const Model* item_ = nullptr;
    Model* bump_ = nullptr;
    std::optional<Condition> condition_;
    WriteOptions options_;
    bool only_if_absent_ = false;
};

/** A Delete by key in a transaction (see `remove`). */
template <model Model>
class RemoveAction : public detail::WriteActionBase {
    using table_type = Table<Model>;

public:
    /** Deletes the item with `key` (the partition key, or a pair with the sort key). */
    explicit RemoveAction(typename table_type::key_type key) : key_(std::move(key)) {}

    /** Only if the condition holds for the stored item (several are AND-combined). */
    template <class C>
        requires detail::condition_for<C, Model>
    RemoveAction& when(const C& condition) {
        detail::set_condition(condition_, condition);
        return *this;
    }
    /** On a failed condition, carry the stored item in the cancellation reason. */
    RemoveAction& return_item_on_condition_failure(bool on = true) {
        options_.return_item_on_condition_failure = on;
        return *this;
    }

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const override {
        const table_type table(client);
        const boost::json::object key = detail::TableAccess::encode_key(table, "TransactWriteItems", key_);
        OperationRequest r = table.remove_request(key, condition_ ? &*condition_ : nullptr, options_);
        return detail::rendered("Delete", table, key, std::move(r.body));
    }
    /// @endcond

private:
    typename table_type::key_type key_;
    std::optional<Condition> condition_;
    WriteOptions options_;
};

/** A ConditionCheck in a transaction (see `check`): the transaction fails unless the condition
    holds for the item with this key. */
template <model Model>
class CheckAction : public detail::WriteActionBase {
    using table_type = Table<Model>;

public:
    /** Checks `condition` on the item with `key` (the partition key, or a pair with the sort key). */
    CheckAction(typename table_type::key_type key, Condition condition)
        : key_(std::move(key)), condition_(std::move(condition)) {}

    /** A further condition, AND-combined. */
    template <class C>
        requires detail::condition_for<C, Model>
    CheckAction& when(const C& condition) {
        condition_ = Condition(condition_ && condition);
        return *this;
    }
    /** On a failed condition, carry the stored item in the cancellation reason. */
    CheckAction& return_item_on_condition_failure(bool on = true) {
        return_item_ = on;
        return *this;
    }

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const override {
        const table_type table(client);
        const boost::json::object key = detail::TableAccess::encode_key(table, "TransactWriteItems", key_);
        boost::json::object body;
        body["TableName"] = table.name();
        body["Key"] = key;
        ExpressionContext names;
        body["ConditionExpression"] = names.render(condition_);
        names.apply(body);
        if (return_item_) body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
        return detail::rendered("ConditionCheck", table, key, std::move(body));
    }
    /// @endcond

private:
    typename table_type::key_type key_;
    Condition condition_;
    bool return_item_ = false;
};

/** An Update in a transaction (see `update`): the actions of `UpdateBuilder` (set, add, remove,
    delete_elements, when, ...), checked against `Model` at compile time and applied to an
    UpdateBuilder when rendered. `ReturnValues` does not exist in transactions. */
template <model Model>
class UpdateAction : public detail::WriteActionBase {
    using table_type = Table<Model>;
    using builder = UpdateBuilder<Model>;

public:
    /** Updates the item with `key` (the partition key, or a pair with the sort key). */
    explicit UpdateAction(typename table_type::key_type key) : key_(std::move(key)) {}

    /** `SET`, as `UpdateBuilder::set`. */
    template <class... A>
        requires requires(builder& b, const A&... a) { b.set(a...); }
    UpdateAction& set(const A&... a) {
        ops_.push_back([=](builder& b) { b.set(a...); });
        return *this;
    }
    /** `ADD`, as `UpdateBuilder::add`. */
    template <class... A>
        requires requires(builder& b, const A&... a) { b.add(a...); }
    UpdateAction& add(const A&... a) {
        ops_.push_back([=](builder& b) { b.add(a...); });
        return *this;
    }
    /** `REMOVE`, as `UpdateBuilder::remove`. */
    template <class... A>
        requires requires(builder& b, const A&... a) { b.remove(a...); }
    UpdateAction& remove(const A&... a) {
        ops_.push_back([=](builder& b) { b.remove(a...); });
        return *this;
    }
    /** `DELETE` (set elements), as `UpdateBuilder::delete_elements`. */
    template <class... A>
        requires requires(builder& b, const A&... a) { b.delete_elements(a...); }
    UpdateAction& delete_elements(const A&... a) {
        ops_.push_back([=](builder& b) { b.delete_elements(a...); });
        return *this;
    }
    /** A condition (several are AND-combined). */
    template <class C>
        requires detail::condition_for<C, Model>
    UpdateAction& when(const C& condition) {
        ops_.push_back([c = Condition(condition)](builder& b) { b.when(c); });
        return *this;
    }
    /** On a failed condition, carry the stored item in the cancellation reason. */
    UpdateAction& return_item_on_condition_failure(bool on = true) {
        ops_.push_back([on](builder& b) { b.return_item_on_condition_failure(on); });
        return *this;
    }

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const override {
        const table_type table(client);
        const boost::json::object key = detail::TableAccess::encode_key(table, "TransactWriteItems", key_);
        builder b = make_builder(table);
        for (const auto& op : ops_) op(b);
        OperationRequest r = b.to_request();
        r.body.erase("ReturnValues");
        return detail::rendered("Update", table, key, std::move(r.body));
    }
    /// @endcond

private:
    builder make_builder(const table_type& table) const {
        if constexpr (table_type::has_sort_key) return table.update(key_.first, key_.second);
        else return table.update(key_);
    }

    typename table_type::key_type key_;
    std::vector<std::function<void(builder&)>> ops_;
};

/** A Get in TransactGetItems (see `get`). */
template <model Model>
class GetAction {
    using table_type = Table<Model>;

public:
    using model_type = Model;   ///< the type `transact_get` returns for this action
    /** Reads the item with `key` (the partition key, or a pair with the sort key). */
    explicit GetAction(typename table_type::key_type key) : key_(std::move(key)) {}

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const {
        const table_type table(client);
        const boost::json::object key = detail::TableAccess::encode_key(table, "TransactGetItems", key_);
        boost::json::object body;
        body["TableName"] = table.name();
        body["Key"] = key;
        return detail::rendered("Get", table, key, std::move(body));
    }
    /// @endcond

private:
    typename table_type::key_type key_;
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

    /// @cond INTERNAL
    detail::RenderedAction render(const Client& client) const { return impl_->render(client); }
    void committed() const { impl_->committed(); }
    /// @endcond

private:
    std::shared_ptr<const detail::WriteActionBase> impl_;
};

// ----- action factories -----

///@{
/** Put `item` (a copy is kept). For a versioned model `item` must be mutable: the version is
    checked and set on `item` after the commit. */
template <model Model>
PutAction<Model> put(const Model& item)
    requires(!Table<Model>::mutating)
{
    return PutAction<Model>(item);
}
template <model Model>
PutAction<Model> put(Model& item)
    requires(Table<Model>::mutating)
{
    return PutAction<Model>(item);
}
///@}

///@{
/** Delete the item with this key: `remove<Old>("o1")`, `remove<Order>("c1", "o1")`. */
template <model Model>
RemoveAction<Model> remove(const typename Table<Model>::partition_key_type& pk)
    requires(!Table<Model>::has_sort_key)
{
    return RemoveAction<Model>(pk);
}
template <model Model>
RemoveAction<Model> remove(const typename Table<Model>::partition_key_type& pk,
                           const typename Table<Model>::sort_key_type& sk)
    requires(Table<Model>::has_sort_key)
{
    return RemoveAction<Model>({pk, sk});
}
///@}

///@{
/** Check a condition on the item with this key: `check<User>("u1", field(&User::age) > 18)`. */
template <model Model, class C>
    requires detail::condition_for<C, Model>
CheckAction<Model> check(const typename Table<Model>::partition_key_type& pk, const C& condition)
    requires(!Table<Model>::has_sort_key)
{
    return CheckAction<Model>(pk, Condition(condition));
}
template <model Model, class C>
    requires detail::condition_for<C, Model>
CheckAction<Model> check(const typename Table<Model>::partition_key_type& pk,
                         const typename Table<Model>::sort_key_type& sk, const C& condition)
    requires(Table<Model>::has_sort_key)
{
    return CheckAction<Model>({pk, sk}, Condition(condition));
}
///@}

///@{
/** Update the item with this key: `update<Account>("a1").add(&Account::balance, 5)`. */
template <model Model>
UpdateAction<Model> update(const typename Table<Model>::partition_key_type& pk)
    requires(!Table<Model>::has_sort_key)
{
    return UpdateAction<Model>(pk);
}
template <model Model>
UpdateAction<Model> update(const typename Table<Model>::partition_key_type& pk,
                           const typename Table<Model>::sort_key_type& sk)
    requires(Table<Model>::has_sort_key)
{
    return UpdateAction<Model>({pk, sk});
}
///@}

///@{
/** Read the item with this key in `transact_get`. */
template <model Model>
GetAction<Model> get(const typename Table<Model>::partition_key_type& pk)
    requires(!Table<Model>::has_sort_key)
{
    return GetAction<Model>(pk);
}
template <model Model>
GetAction<Model> get(const typename Table<Model>::partition_key_type& pk, const typename Table<Model>::sort_key_type& sk)
    requires(Table<Model>::has_sort_key)
{
    return GetAction<Model>({pk, sk});
}
///@}

// ----- operations -----

/** The TransactWriteItems request `transact_write` sends (a dry run). The token is
    `options.client_request_token`, or a fresh random UUID.
    @throws ValidationError as `transact_write`, before sending. */
OperationRequest transact_write_request(const Client& client, const std::vector<WriteAction>& actions,
                                        const TransactOptions& options = {});

/** Applies every action or none (TransactWriteItems). An empty list does nothing.
    @throws ValidationError before sending: more than 100 actions, two actions on one item
            (naming both), a request over 4 MB, an unstorable value or empty key.
    @throws TransactionCanceledError naming the failing actions, with every reason, when a
            condition failed or the transaction was refused (after the retries described in
            the file comment); TransactionInProgressError; other errors as `Client::call`. */
void transact_write(const Client& client, const std::vector<WriteAction>& actions, TransactOptions options = {});
/** As above, with `current_client()`. */
void transact_write(const std::vector<WriteAction>& actions, TransactOptions options = {});

/** Puts every item in one transaction (versioned items: with their version check). */
template <class... Items>
    requires(sizeof...(Items) > 0)
void transact_save(const Client& client, Items&&... items) {
    transact_write(client, {WriteAction(put(items))...});
}
/** As above, with `current_client()`. */
template <class First, class... Items>
    requires(!std::is_same_v<std::remove_cvref_t<First>, Client>)
void transact_save(First&& first, Items&&... items) {
    transact_save(current_client(), first, items...);
}

/** Reads items from any tables as of one instant (TransactGetItems), in the order asked:
    `auto [a, t] = transact_get(client, get<Account>("a1"), get<Transfer>("t1"));` gives
    `std::optional<Account>`, `std::optional<Transfer>` (nullopt where no item exists).
    @throws ValidationError for more than 100 gets; TransactionCanceledError (e.g. a conflicting
            write, after retries); DecodeError; Error (errc::invalid_response) when `Responses`
            does not hold one object per get. */
template <model... Models>
    requires(sizeof...(Models) > 0)
std::tuple<std::optional<typename Table<Models>::value_type>...> transact_get(const Client& client,
                                                                            const GetAction<Models>&... gets) {
    detail::check_action_count("TransactGetItems", sizeof...(Models));
    const std::vector<detail::RenderedAction> actions{gets.render(client)...};
    const OperationRequest request = detail::transact_get_body(actions);
    const boost::json::object response = detail::send_transaction(client, request, actions, {});
    // One ItemResponse per get, in order: `{}` where no item exists, else `{"Item": {...}}`.
    const std::vector<const boost::json::object*> items = detail::transact_get_items(response, actions);
    auto decode = [&]<class Model>(std::size_t i, std::type_identity<Model>) -> std::optional<typename Table<Model>::value_type> {
        if (items[i] == nullptr) return std::nullopt;
        return detail::Entity<Model>::decode_own(*items[i], ErrorInfo{"TransactGetItems", actions[i].table, {}, {}, 0, {}});
    };
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::tuple<std::optional<typename Table<Models>::value_type>...>{decode(I, std::type_identity<Models>{})...};
    }(std::index_sequence_for<Models...>{});
}
/** As above, with `current_client()`. */
template <model... Models>
    requires(sizeof...(Models) > 0)
std::tuple<std::optional<typename Table<Models>::value_type>...> transact_get(const GetAction<Models>&... gets) {
    return transact_get(current_client(), gets...);
}

/** Collects write actions and commits them as one transaction, once (as Dyntastic's
    `transaction()`, but explicit):

    @code
    {
        auto tx = dy::transaction(client);
        tx.put(a);
        tx.remove<Old>("o1");
        tx.commit();
    }
    @endcode

    Nothing is sent before `commit()`. A scope left without `commit()` — by an exception or
    normally — discards the actions (a destructor that sent requests would have to throw, or
    swallow the error; pqxx's `work` behaves the same way). The token is fixed at the first
    `commit()`: if it throws, calling `commit()` again resends the same transaction with the
    same token (applied at most once); adding actions after a failed commit takes a new token. */
class Transaction {
public:
    /** An empty transaction on `client`; `options` as for `transact_write`. */
    explicit Transaction(Client client, TransactOptions options = {})
        : client_(std::move(client)), options_(std::move(options)) {}
    /** Moves the actions (and the token) to a new transaction. */
    Transaction(Transaction&&) = default;
    /** Moves the actions (and the token); the actions held before are discarded. */
    Transaction& operator=(Transaction&&) = default;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /** Adds any action (put, remove, check, update).
        @throws ValidationError after a successful commit. */
    Transaction& add(WriteAction action);

    /** `add(dynantic::put(item))` */
    template <model Model>
    Transaction& put(const Model& item)
        requires(!Table<Model>::mutating)
    {
        return add(dynantic::put(item));
    }
    /** `add(dynantic::put(item))` for a versioned or auto-UUID model (its version is set
        after the commit). */
    template <model Model>
    Transaction& put(Model& item)
        requires(Table<Model>::mutating)
    {
        return add(dynantic::put(item));
    }
    /** `add(dynantic::remove<Model>(key...))` */
    template <model Model, class... Key>
    Transaction& remove(const Key&... key) {
        return add(dynantic::remove<Model>(key...));
    }
    /** `add(dynantic::check<Model>(key..., condition))` */
    template <model Model, class... Args>
    Transaction& check(const Args&... args) {
        return add(dynantic::check<Model>(args...));
    }

    /** Sends the actions as one TransactWriteItems (nothing if there are none).
        @throws as `transact_write`; ValidationError if already committed. */
    void commit();

    /** Actions added so far. */
    std::size_t size() const noexcept { return actions_.size(); }
    /** True after a successful `commit()`. */
    bool committed() const noexcept { return committed_; }

private:
    Client client_;
    TransactOptions options_;
    std::vector<WriteAction> actions_;
    std::string token_;
    bool committed_ = false;
};

/** A transaction on `client` (or the current client). */
inline Transaction transaction(Client client, TransactOptions options = {}) {
    return Transaction(std::move(client), std::move(options));
}
/** A transaction on `current_client()`. */
inline Transaction transaction() { return Transaction(current_client()); }

}  // namespace dynantic
