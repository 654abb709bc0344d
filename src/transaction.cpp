// SPDX-License-Identifier: BSL-1.0
#include <dynantic/transaction.hpp>

#include <dynantic/detail/capacity.hpp>
#include <dynantic/detail/response.hpp>
#include <dynantic/log.hpp>

#include <boost/json/serialize.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <thread>
#include <unordered_map>

namespace dynantic {
namespace detail {
namespace {

constexpr std::size_t max_actions = 100;                    // TransactWriteItems / TransactGetItems
constexpr std::size_t max_request_bytes = 4 * 1024 * 1024;  // TransactWriteItems: 4 MB

std::string label(const RenderedAction& a, std::size_t index) {
    return "action " + std::to_string(index) + " (" + a.operation + " on table '" + a.table + "')";
}

/** A body whose `TransactItems` holds each action as `{"<Put|Delete|...>": body}`. */
boost::json::object transact_items(const std::vector<RenderedAction>& actions) {
    boost::json::object body;
    auto& items = body["TransactItems"].emplace_array();
    items.reserve(actions.size());
    for (const auto& a : actions) {
        boost::json::object entry;
        entry[a.operation] = a.body;
        items.push_back(std::move(entry));
    }
    return body;
}

}  // namespace

void check_action_count(Operation operation, std::size_t count) {
    if (count <= max_actions) return;
    ErrorInfo info = operation_context(operation);
    info.message = "a transaction holds at most " + std::to_string(max_actions) + " actions, not " +
                   std::to_string(count);
    throw ValidationError(std::move(info));
}

std::string random_token() {
    thread_local boost::uuids::random_generator generator;
    return boost::uuids::to_string(generator());
}

std::string transaction_token(const TransactOptions& options) {
    return options.client_request_token.empty() ? random_token() : options.client_request_token;
}

OperationRequest transact_write_body(const std::vector<RenderedAction>& actions, const std::string& token) {
    check_action_count(Operation::TransactWriteItems, actions.size());
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < actions.size(); ++i) {
        const auto [it, fresh] = seen.emplace(actions[i].table + '\n' + actions[i].key, i);
        if (fresh) continue;
        ErrorInfo info{std::string(to_string(Operation::TransactWriteItems)), actions[i].table, {}, {}, 0, {}};
        info.message = label(actions[it->second], it->second) + " and " + label(actions[i], i) +
                       " target the same item " + redacted(actions[i].key) +
                       ": a transaction may act on an item once";
        throw ValidationError(std::move(info));
    }
    boost::json::object body = transact_items(actions);
    body["ClientRequestToken"] = token;
    const std::size_t size = boost::json::serialize(body).size();
    if (size > max_request_bytes) {
        ErrorInfo info = detail::operation_context(Operation::TransactWriteItems);
        info.message = "the request is " + std::to_string(size) + " bytes; a transaction is limited to 4 MB (" +
                       std::to_string(max_request_bytes) + " bytes)";
        throw ValidationError(std::move(info));
    }
    return {Operation::TransactWriteItems, std::move(body)};
}

OperationRequest transact_get_body(const std::vector<RenderedAction>& actions) {
    check_action_count(Operation::TransactGetItems, actions.size());
    boost::json::object body = transact_items(actions);
    return {Operation::TransactGetItems, std::move(body)};
}

std::vector<const boost::json::object*> transact_get_items(const boost::json::object& response,
                                                           const std::vector<RenderedAction>& actions) {
    const ErrorInfo context{std::string(to_string(Operation::TransactGetItems)), {}, {}, {}, 200, {}};
    const auto* responses = optional_array(response, "Responses", context);
    const std::size_t found = responses != nullptr ? responses->size() : 0;
    if (found != actions.size())
        throw_invalid_response(context, "Responses holds " + std::to_string(found) + " entries for " +
                                            std::to_string(actions.size()) + " gets");
    std::vector<const boost::json::object*> out(actions.size(), nullptr);
    for (std::size_t i = 0; i < actions.size(); ++i) {
        ErrorInfo action_context = context;
        action_context.table = actions[i].table;
        const auto& entry = element_object((*responses)[i], "Responses", i, action_context);
        out[i] = optional_object(entry, "Item", action_context, "Responses[" + std::to_string(i) + "]");
    }
    return out;
}

bool retryable_cancellation(const std::vector<CancellationReason>& reasons) noexcept {
    bool any = false;
    for (const auto& r : reasons) {
        if (!r.failed()) continue;
        if (r.code != "ThrottlingError" && r.code != "ProvisionedThroughputExceeded" && r.code != "TransactionConflict")
            return false;
        any = true;
    }
    return any;
}

std::chrono::milliseconds transaction_retry_delay(std::exception_ptr failure, const std::vector<RenderedAction>& actions,
                                                  const TransactOptions& options, const CallDeadline& deadline,
                                                  unsigned attempt) {
    const unsigned max_attempts = std::max(options.max_attempts, 1u);
    // Another attempt only when its backoff delay ends before the deadline.
    const auto retry_delay = [&]() -> std::optional<std::chrono::milliseconds> {
        if (attempt >= max_attempts) return std::nullopt;
        const auto delay = backoff_delay(options.base_delay, options.max_delay, attempt);
        if (deadline.reached_after(delay)) return std::nullopt;
        return delay;
    };
    try {
        std::rethrow_exception(failure);
    } catch (const TransactionCanceledError& e) {
        // One reason per action, in order: anything else cannot be matched to the actions.
        if (e.reasons().size() != actions.size()) {
            ErrorInfo info = e.info();
            info.aws_code = "TransactionCanceledException";
            throw_invalid_response(info, "CancellationReasons holds " + std::to_string(e.reasons().size()) +
                                             " entries for " + std::to_string(actions.size()) + " actions");
        }
        std::vector<CancellationReason> reasons = e.reasons();
        for (std::size_t i = 0; i < reasons.size() && i < actions.size(); ++i) {
            reasons[i].operation = actions[i].operation;
            reasons[i].table = actions[i].table;
        }
        if (retryable_cancellation(reasons))
            if (const auto delay = retry_delay()) return *delay;
        ErrorInfo info = e.info();
        if (const std::string described = describe_cancellation(reasons); !described.empty()) info.message = described;
        throw TransactionCanceledError(std::move(info), std::move(reasons));
    } catch (const TransactionInProgressError&) {
        // The same token is still being applied: wait for it to finish (AWS's advice).
        if (const auto delay = retry_delay()) return *delay;
        throw;
    }
}

boost::json::object send_transaction(const Client& client, const OperationRequest& request,
                                     const std::vector<RenderedAction>& actions, const TransactOptions& options) {
    const CallDeadline deadline(client, options.timeout);
    for (unsigned attempt = 1;; ++attempt) {
        std::exception_ptr failure;
        try {
            // TransactWriteItems carries a ClientRequestToken, so resending it is safe; reads are.
            boost::json::object response =
                client.call(request.operation, request.body, CallOptions{.idempotent = true, .timeout = deadline.remaining()});
            add_capacity(options.consumed_capacity, response, request.operation);
            return response;
        } catch (...) {
            failure = std::current_exception();
        }
        std::this_thread::sleep_for(transaction_retry_delay(failure, actions, options, deadline, attempt));
    }
}

TransactWrite prepare_transact_write(const Client& client, const std::vector<WriteAction>& actions,
                                     const TransactOptions& options, const std::string& token) {
    check_action_count(Operation::TransactWriteItems, actions.size());
    TransactWrite out;
    out.actions.reserve(actions.size());
    for (const auto& a : actions) out.actions.push_back(a.render(client));
    out.request = transact_write_body(out.actions, token);
    add_return_consumed_capacity(out.request.body, options.return_consumed_capacity);
    return out;
}

}  // namespace detail

namespace {
void write(const Client& client, const std::vector<WriteAction>& actions, const TransactOptions& options,
           const std::string& token) {
    const detail::TransactWrite prepared = detail::prepare_transact_write(client, actions, options, token);
    detail::send_transaction(client, prepared.request, prepared.actions, options);
    for (const auto& a : actions) a.committed();
}
}  // namespace

OperationRequest transact_write_request(const Client& client, const std::vector<WriteAction>& actions,
                                        const TransactOptions& options) {
    return detail::prepare_transact_write(client, actions, options, detail::transaction_token(options)).request;
}

void transact_write(const Client& client, const std::vector<WriteAction>& actions, TransactOptions options) {
    if (actions.empty()) return;
    write(client, actions, options, detail::transaction_token(options));
}

void transact_write(const std::vector<WriteAction>& actions, TransactOptions options) {
    transact_write(current_client(), actions, std::move(options));
}

Transaction& Transaction::add(WriteAction action) {
    if (committed_) {
        ErrorInfo info = detail::operation_context(Operation::TransactWriteItems);
        info.message = "the transaction was already committed";
        throw ValidationError(std::move(info));
    }
    actions_.push_back(std::move(action));
    token_.clear();  // a changed transaction is a new request
    return *this;
}

const std::string* Transaction::begin_commit() {
    if (committed_) {
        ErrorInfo info = detail::operation_context(Operation::TransactWriteItems);
        info.message = "the transaction was already committed";
        throw ValidationError(std::move(info));
    }
    if (actions_.empty()) return nullptr;
    if (token_.empty())
        token_ = options_.client_request_token.empty() ? detail::random_token() : options_.client_request_token;
    return &token_;
}

void Transaction::commit() {
    if (const std::string* token = begin_commit()) write(client_, actions_, options_, *token);
    end_commit();
}

}  // namespace dynantic
