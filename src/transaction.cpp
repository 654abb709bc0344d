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

}  // namespace

void check_action_count(std::string_view operation, std::size_t count) {
    if (count <= max_actions) return;
    ErrorInfo info{std::string(operation), {}, {}, {}, 0, {}};
    info.message = "a transaction holds at most " + std::to_string(max_actions) + " actions, not " +
                   std::to_string(count);
    throw ValidationError(std::move(info));
}

std::string random_token() {
    thread_local boost::uuids::random_generator generator;
    return boost::uuids::to_string(generator());
}

OperationRequest transact_write_body(const std::vector<RenderedAction>& actions, const std::string& token) {
    check_action_count("TransactWriteItems", actions.size());
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < actions.size(); ++i) {
        const auto [it, fresh] = seen.emplace(actions[i].table + '\n' + actions[i].key, i);
        if (fresh) continue;
        ErrorInfo info{"TransactWriteItems", actions[i].table, {}, {}, 0, {}};
        info.message = label(actions[it->second], it->second) + " and " + label(actions[i], i) +
                       " target the same item " + redacted(actions[i].key) +
                       ": a transaction may act on an item once";
        throw ValidationError(std::move(info));
    }
    boost::json::object body;
    auto& items = body["TransactItems"].emplace_array();
    items.reserve(actions.size());
    for (const auto& a : actions) {
        boost::json::object entry;
        entry[a.operation] = a.body;
        items.push_back(std::move(entry));
    }
    body["ClientRequestToken"] = token;
    const std::size_t size = boost::json::serialize(body).size();
    if (size > max_request_bytes) {
        ErrorInfo info{"TransactWriteItems", {}, {}, {}, 0, {}};
        info.message = "the request is " + std::to_string(size) + " bytes; a transaction is limited to 4 MB (" +
                       std::to_string(max_request_bytes) + " bytes)";
        throw ValidationError(std::move(info));
    }
    return {Operation::TransactWriteItems, std::move(body)};
}

OperationRequest transact_get_body(const std::vector<RenderedAction>& actions) {
    check_action_count("TransactGetItems", actions.size());
    boost::json::object body;
    auto& items = body["TransactItems"].emplace_array();
    items.reserve(actions.size());
    for (const auto& a : actions) {
        boost::json::object entry;
        entry[a.operation] = a.body;
        items.push_back(std::move(entry));
    }
    return {Operation::TransactGetItems, std::move(body)};
}

std::vector<const boost::json::object*> transact_get_items(const boost::json::object& response,
                                                           const std::vector<RenderedAction>& actions) {
    const ErrorInfo context{"TransactGetItems", {}, {}, {}, 200, {}};
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

boost::json::object send_transaction(const Client& client, const OperationRequest& request,
                                     const std::vector<RenderedAction>& actions, const TransactOptions& options) {
    const unsigned max_attempts = std::max(options.max_attempts, 1u);
    const CallDeadline deadline(client, options.timeout);
    // Another attempt only when its backoff delay ends before the deadline.
    const auto retry_after = [&](unsigned attempt) {
        if (attempt >= max_attempts) return false;
        const auto delay = backoff_delay(options.base_delay, options.max_delay, attempt);
        if (deadline.reached_after(delay)) return false;
        std::this_thread::sleep_for(delay);
        return true;
    };
    for (unsigned attempt = 1;; ++attempt) {
        try {
            // TransactWriteItems carries a ClientRequestToken, so resending it is safe; reads are.
            boost::json::object response =
                client.call(request.operation, request.body, CallOptions{.idempotent = true, .timeout = deadline.remaining()});
            add_capacity(options.consumed_capacity, response, to_string(request.operation));
            return response;
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
            if (retryable_cancellation(reasons) && retry_after(attempt)) continue;
            ErrorInfo info = e.info();
            if (const std::string described = describe_cancellation(reasons); !described.empty()) info.message = described;
            throw TransactionCanceledError(std::move(info), std::move(reasons));
        } catch (const TransactionInProgressError&) {
            // The same token is still being applied: wait for it to finish (AWS's advice).
            if (!retry_after(attempt)) throw;
        }
    }
}

}  // namespace detail

namespace {
std::vector<detail::RenderedAction> render_all(const Client& client, const std::vector<WriteAction>& actions) {
    detail::check_action_count("TransactWriteItems", actions.size());
    std::vector<detail::RenderedAction> rendered;
    rendered.reserve(actions.size());
    for (const auto& a : actions) rendered.push_back(a.render(client));
    return rendered;
}

void write(const Client& client, const std::vector<WriteAction>& actions, const TransactOptions& options,
           const std::string& token) {
    const std::vector<detail::RenderedAction> rendered = render_all(client, actions);
    OperationRequest request = detail::transact_write_body(rendered, token);
    detail::add_return_consumed_capacity(request.body, options.return_consumed_capacity);
    detail::send_transaction(client, request, rendered, options);
    for (const auto& a : actions) a.committed();
}
}  // namespace

OperationRequest transact_write_request(const Client& client, const std::vector<WriteAction>& actions,
                                        const TransactOptions& options) {
    OperationRequest request = detail::transact_write_body(
        render_all(client, actions),
        options.client_request_token.empty() ? detail::random_token() : options.client_request_token);
    detail::add_return_consumed_capacity(request.body, options.return_consumed_capacity);
    return request;
}

void transact_write(const Client& client, const std::vector<WriteAction>& actions, TransactOptions options) {
    if (actions.empty()) return;
    write(client, actions, options,
          options.client_request_token.empty() ? detail::random_token() : options.client_request_token);
}

void transact_write(const std::vector<WriteAction>& actions, TransactOptions options) {
    transact_write(current_client(), actions, std::move(options));
}

Transaction& Transaction::add(WriteAction action) {
    if (committed_) {
        ErrorInfo info{"TransactWriteItems", {}, {}, {}, 0, {}};
        info.message = "the transaction was already committed";
        throw ValidationError(std::move(info));
    }
    actions_.push_back(std::move(action));
    token_.clear();  // a changed transaction is a new request
    return *this;
}

void Transaction::commit() {
    if (committed_) {
        ErrorInfo info{"TransactWriteItems", {}, {}, {}, 0, {}};
        info.message = "the transaction was already committed";
        throw ValidationError(std::move(info));
    }
    if (!actions_.empty()) {
        if (token_.empty())
            token_ = options_.client_request_token.empty() ? detail::random_token() : options_.client_request_token;
        write(client_, actions_, options_, token_);
    }
    committed_ = true;
}

}  // namespace dynantic
