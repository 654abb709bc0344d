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

#include <dynantic/detail/async_front.hpp>
#include <dynantic/detail/capacity.hpp>
#include <dynantic/table.hpp>   // for compatibility: transaction.hpp has always brought Table
#include <dynantic/transaction_actions.hpp>

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

// ----- action factories -----

///@{
/** Put `item` (a copy is kept). For a versioned model `item` must be mutable: the version is
    checked and set on `item` after the commit. */
template <model Model>
PutAction<Model> put(const Model& item)
    requires(!detail::mutating_model<Model>)
{
    return PutAction<Model>(item);
}
template <model Model>
PutAction<Model> put(Model& item)
    requires(detail::mutating_model<Model>)
{
    return PutAction<Model>(item);
}
///@}

///@{
/** Delete the item with this key: `remove<Old>("o1")`, `remove<Order>("c1", "o1")`. */
template <model Model>
RemoveAction<Model> remove(const typename detail::ModelKey<Model>::partition_key_type& pk)
    requires(!detail::ModelKey<Model>::has_sort_key)
{
    return RemoveAction<Model>(pk);
}
template <model Model>
RemoveAction<Model> remove(const typename detail::ModelKey<Model>::partition_key_type& pk,
                           const typename detail::ModelKey<Model>::sort_key_type& sk)
    requires(detail::ModelKey<Model>::has_sort_key)
{
    return RemoveAction<Model>({pk, sk});
}
///@}

///@{
/** Check a condition on the item with this key: `check<User>("u1", field(&User::age) > 18)`. */
template <model Model, class C>
    requires detail::any_condition<C>
CheckAction<Model> check(const typename detail::ModelKey<Model>::partition_key_type& pk, const C& condition)
    requires(!detail::ModelKey<Model>::has_sort_key)
{
    static_assert(detail::check_condition_model<C, Model>());
    return CheckAction<Model>(pk, Condition(condition));
}
template <model Model, class C>
    requires detail::any_condition<C>
CheckAction<Model> check(const typename detail::ModelKey<Model>::partition_key_type& pk,
                         const typename detail::ModelKey<Model>::sort_key_type& sk, const C& condition)
    requires(detail::ModelKey<Model>::has_sort_key)
{
    static_assert(detail::check_condition_model<C, Model>());
    return CheckAction<Model>({pk, sk}, Condition(condition));
}
///@}

///@{
/** Update the item with this key: `update<Account>("a1").add(&Account::balance, 5)`. */
template <model Model>
UpdateAction<Model> update(const typename detail::ModelKey<Model>::partition_key_type& pk)
    requires(!detail::ModelKey<Model>::has_sort_key)
{
    return UpdateAction<Model>(pk);
}
template <model Model>
UpdateAction<Model> update(const typename detail::ModelKey<Model>::partition_key_type& pk,
                           const typename detail::ModelKey<Model>::sort_key_type& sk)
    requires(detail::ModelKey<Model>::has_sort_key)
{
    return UpdateAction<Model>({pk, sk});
}
///@}

///@{
/** Read the item with this key in `transact_get`, as `Model` or as `View`, a view of it
    (view.hpp): `get<User, UserSummary>("u1")`. */
template <model Model, class View = Model>
GetAction<Model, View> get(const typename detail::ModelKey<Model>::partition_key_type& pk)
    requires(!detail::ModelKey<Model>::has_sort_key)
{
    return GetAction<Model, View>(pk);
}
template <model Model, class View = Model>
GetAction<Model, View> get(const typename detail::ModelKey<Model>::partition_key_type& pk,
                           const typename detail::ModelKey<Model>::sort_key_type& sk)
    requires(detail::ModelKey<Model>::has_sort_key)
{
    return GetAction<Model, View>({pk, sk});
}
///@}

// ----- operations -----

namespace detail {
/** A TransactWriteItems ready to send: each action rendered, and the request. */
struct TransactWrite {
    std::vector<RenderedAction> actions;   ///< the actions, rendered for the client
    OperationRequest request;              ///< TransactItems, the token, ReturnConsumedCapacity
};
/** Renders `actions` for `client` and builds the request with `token` (pure: sends nothing).
    `transact_write` and the asynchronous front end share it.
    @throws ValidationError as `transact_write`. */
TransactWrite prepare_transact_write(const Client& client, const std::vector<WriteAction>& actions,
                                     const TransactOptions& options, const std::string& token);
/** `options.client_request_token`, or a fresh random UUID. */
std::string transaction_token(const TransactOptions& options);

/** The typed items of a TransactGetItems `response` to `actions` (rendered from `Gets`, in
    order): nullopt where no item exists. @throws as `transact_get`. */
template <class... Gets>
std::tuple<std::optional<typename Gets::value_type>...> decode_transact_get(const boost::json::object& response,
                                                                            const std::vector<RenderedAction>& actions) {
    // One ItemResponse per get, in order: `{}` where no item exists, else `{"Item": {...}}`.
    const std::vector<const boost::json::object*> items = transact_get_items(response, actions);
    auto decode = [&]<class Action>(std::size_t i, std::type_identity<Action>) -> std::optional<typename Action::value_type> {
        if (items[i] == nullptr) return std::nullopt;
        return Action::decode(*items[i], actions[i].table);
    };
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::tuple<std::optional<typename Gets::value_type>...>{decode(I, std::type_identity<Gets>{})...};
    }(std::index_sequence_for<Gets...>{});
}
/** The TransactGetItems request of `actions` with `options`' ReturnConsumedCapacity. */
inline OperationRequest transact_get_request(const std::vector<RenderedAction>& actions, const TransactOptions& options) {
    OperationRequest request = transact_get_body(actions);
    add_return_consumed_capacity(request.body, options.return_consumed_capacity);
    return request;
}
}  // namespace detail

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
    `std::optional<Account>`, `std::optional<Transfer>` (nullopt where no item exists); a get of
    a view (`get<Account, Balance>("a1")`) gives `std::optional<Balance>`.
    @throws ValidationError for more than 100 gets; TransactionCanceledError (e.g. a conflicting
            write, after retries); DecodeError; Error (errc::invalid_response) when `Responses`
            does not hold one object per get. */
template <model... Models, class... Views>
    requires(sizeof...(Models) > 0)
std::tuple<std::optional<typename GetAction<Models, Views>::value_type>...> transact_get(const Client& client,
                                                                                        const GetAction<Models, Views>&... gets) {
    return transact_get(client, TransactOptions{}, gets...);
}
/** As above, with `options`: retries and their deadline (`timeout`), and the consumed capacity
    (`return_consumed_capacity`, added to `*options.consumed_capacity`). */
template <model... Models, class... Views>
    requires(sizeof...(Models) > 0)
std::tuple<std::optional<typename GetAction<Models, Views>::value_type>...> transact_get(const Client& client,
                                                                                        const TransactOptions& options,
                                                                                        const GetAction<Models, Views>&... gets) {
    detail::check_action_count(Operation::TransactGetItems, sizeof...(Models));
    const std::vector<detail::RenderedAction> actions{gets.render(client)...};
    const OperationRequest request = detail::transact_get_request(actions, options);
    const boost::json::object response = detail::send_transaction(client, request, actions, options);
    return detail::decode_transact_get<GetAction<Models, Views>...>(response, actions);
}
/** As above, with `current_client()`. */
template <model... Models, class... Views>
    requires(sizeof...(Models) > 0)
std::tuple<std::optional<typename GetAction<Models, Views>::value_type>...> transact_get(const GetAction<Models, Views>&... gets) {
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
        requires(!detail::mutating_model<Model>)
    {
        return add(dynantic::put(item));
    }
    /** `add(dynantic::put(item))` for a versioned or auto-UUID model (its version is set
        after the commit). */
    template <model Model>
    Transaction& put(Model& item)
        requires(detail::mutating_model<Model>)
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

    /** `commit()` asynchronously, with an Asio completion token (needs
        `#include <dynantic/asio.hpp>`): completes with `void(std::exception_ptr, std::monostate)`,
        the exception being what `commit()` would throw; the token and the retries are
        `commit()`'s (retry delays on timers). The transaction must outlive the operation and
        not be changed meanwhile; once it completes without error, `committed()` is true. */
    template <class CompletionToken>
    auto async_commit(CompletionToken&& token) {
        return detail::AsyncFrontEnd<detail::async_key<CompletionToken>>::commit(*this,
                                                                                  std::forward<CompletionToken>(token));
    }

    /** Actions added so far. */
    std::size_t size() const noexcept { return actions_.size(); }
    /** True after a successful `commit()`. */
    bool committed() const noexcept { return committed_; }

    /// @cond INTERNAL
    /** Starts a commit: the token to send (made at the first commit), or null when there is
        nothing to send. @throws ValidationError if already committed. */
    const std::string* begin_commit();
    /** Ends a commit that succeeded. */
    void end_commit() noexcept { committed_ = true; }
    const Client& client() const noexcept { return client_; }                  ///< the client
    const TransactOptions& options() const noexcept { return options_; }       ///< the options
    const std::vector<WriteAction>& actions() const noexcept { return actions_; }   ///< the actions
    /// @endcond

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
