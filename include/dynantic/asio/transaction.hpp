// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Transactions without holding a thread: `dynantic::asio::async_transact_write` and
    `async_transact_get`, the asynchronous forms of `transact_write` and `transact_get`
    (transaction.hpp): the same rendering, token, limits, retries of cancellations for throttling
    and conflicts (waiting on timers) and errors.

    @code
    co_await dy::asio::async_transact_write(client, {dy::put(transfer), dy::update<Account>("a1").add(&Account::balance, -5)},
                                            asio::use_awaitable);
    auto [a, t] = co_await dy::asio::async_transact_get(client, dy::get<Account>("a1"), dy::get<Transfer>("t1"),
                                                        asio::use_awaitable);
    @endcode
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html */

#include <dynantic/asio/call.hpp>
#include <dynantic/asio/run.hpp>
#include <dynantic/transaction.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace dynantic::asio {
namespace detail {

/** `dynantic::detail::send_transaction` without blocking: the call, then `transaction_retry_delay`'s
    decision after each failure, the delays on timers. */
inline boost::asio::awaitable<boost::json::object> run_transaction(Client client, OperationRequest request,
                                                                    std::vector<::dynantic::detail::RenderedAction> actions,
                                                                    TransactOptions options) {
    const ::dynantic::detail::CallDeadline deadline(client, options.timeout);
    for (unsigned attempt = 1;; ++attempt) {
        std::exception_ptr failure;
        try {
            boost::json::object body = request.body;
            CallOptions call{.idempotent = true, .timeout = deadline.remaining()};
            boost::json::object response =
                co_await async_call(client, request.operation, std::move(body), std::move(call), boost::asio::use_awaitable);
            ::dynantic::detail::add_capacity(options.consumed_capacity, response, request.operation);
            co_return response;
        } catch (...) {
            failure = std::current_exception();
        }
        const auto delay = ::dynantic::detail::transaction_retry_delay(failure, actions, options, deadline, attempt);
        ErrorInfo context{std::string(to_string(request.operation)), {}, {}, "a cancelled transaction's retry", 0, {}};
        co_await wait_for(delay, std::move(context));
    }
}

template <class... Gets>
boost::asio::awaitable<std::tuple<std::optional<typename Gets::value_type>...>> transact_get(Client client,
                                                                                            TransactOptions options,
                                                                                            std::tuple<Gets...> gets) {
    ::dynantic::detail::check_action_count(Operation::TransactGetItems, sizeof...(Gets));
    std::vector<::dynantic::detail::RenderedAction> actions =
        std::apply([&](const auto&... g) { return std::vector<::dynantic::detail::RenderedAction>{g.render(client)...}; }, gets);
    OperationRequest request = ::dynantic::detail::transact_get_request(actions, options);
    const boost::json::object response = co_await run_transaction(client, std::move(request), actions, options);
    co_return ::dynantic::detail::decode_transact_get<Gets...>(response, actions);
}

template <class T>
inline constexpr bool is_transact_options = std::is_same_v<std::remove_cvref_t<T>, TransactOptions>;

}  // namespace detail

///@{
/** `transact_write(client, actions, options)` asynchronously: applies every action or none
    (TransactWriteItems) and completes with `void(std::exception_ptr, std::monostate)`, the
    exception being what `transact_write` would throw (ValidationError before sending,
    TransactionCanceledError naming the failing actions, ...). Versioned items put get their new
    version once it commits: they must outlive the operation. A cancellation during a retry's
    delay ends it with TransportError (errc::cancelled); the token makes a resend safe. */
template <class CompletionToken>
auto async_transact_write(const Client& client, std::vector<WriteAction> actions, TransactOptions options,
                          CompletionToken&& token) {
    return run<std::monostate>(
        [client, actions = std::move(actions), options = std::move(options)]() -> boost::asio::awaitable<std::monostate> {
            if (actions.empty()) co_return std::monostate{};
            auto prepared = ::dynantic::detail::prepare_transact_write(client, actions, options,
                                                                       ::dynantic::detail::transaction_token(options));
            co_await detail::run_transaction(client, std::move(prepared.request), std::move(prepared.actions), options);
            for (const auto& a : actions) a.committed();
            co_return std::monostate{};
        },
        std::forward<CompletionToken>(token));
}
template <class CompletionToken>
auto async_transact_write(const Client& client, std::vector<WriteAction> actions, CompletionToken&& token) {
    return async_transact_write(client, std::move(actions), TransactOptions{}, std::forward<CompletionToken>(token));
}
///@}

/** `transact_get(client[, options], gets...)` asynchronously: reads the items as of one instant
    (TransactGetItems); the completion token comes last:
    `async_transact_get(client, dy::get<A>("a"), dy::get<B>("b"), token)` completes with
    `void(std::exception_ptr, std::tuple<std::optional<A>, std::optional<B>>)`. Errors as
    `transact_get`. */
template <class First, class... Rest>
auto async_transact_get(const Client& client, First&& first, Rest&&... rest) {
    auto args = std::forward_as_tuple(std::forward<First>(first), std::forward<Rest>(rest)...);
    constexpr std::size_t last = sizeof...(Rest);   // the token
    constexpr std::size_t skip = detail::is_transact_options<First> ? 1 : 0;
    TransactOptions options;
    if constexpr (skip == 1) options = first;
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        auto gets = std::make_tuple(std::remove_cvref_t<std::tuple_element_t<I + skip, decltype(args)>>(std::get<I + skip>(args))...);
        using Result = decltype(std::apply([](const auto&... g) {
            return std::tuple<std::optional<typename std::remove_cvref_t<decltype(g)>::value_type>...>{};
        }, gets));
        return run<Result>(
            [client, options, gets]() {
                return std::apply([&](const auto&... g) { return detail::transact_get(client, options, std::make_tuple(g...)); }, gets);
            },
            std::forward<std::tuple_element_t<last, decltype(args)>>(std::get<last>(args)));
    }(std::make_index_sequence<last - skip>{});
}

}  // namespace dynantic::asio
