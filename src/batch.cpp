// SPDX-License-Identifier: BSL-1.0
#include <dynantic/batch.hpp>
#include <dynantic/detail/capacity.hpp>
#include <dynantic/detail/response.hpp>

#include <dynantic/log.hpp>

#include "aws/backoff.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <optional>
#include <thread>
#include <unordered_map>

namespace dynantic::detail {
namespace {

constexpr std::size_t write_chunk = 25;   // BatchWriteItem: at most 25 requests
constexpr std::size_t get_chunk = 100;    // BatchGetItem: at most 100 keys

/** The key attributes of a write request ({"PutRequest": {"Item"}} or {"DeleteRequest": {"Key"}}). */
std::string request_key_text(const boost::json::object& request, KeyNames names) {
    for (auto [kind, field] : {std::pair{"PutRequest", "Item"}, std::pair{"DeleteRequest", "Key"}}) {
        const auto* r = request.if_contains(kind);
        if (r == nullptr || !r->is_object()) continue;
        const auto* o = r->get_object().if_contains(field);
        if (o != nullptr && o->is_object()) return key_text(o->get_object(), names);
    }
    return {};
}

/** The position of `key` among the requests of the chunk in flight (`pending`, ascending).
    @throws Error (invalid_response) naming `what` when it is none of them. */
std::size_t pending_position(const std::unordered_map<std::string_view, std::size_t>& position,
                             const std::vector<std::size_t>& pending, const std::string& key, const ErrorInfo& context,
                             const std::string& what, std::size_t index) {
    const auto it = key.empty() ? position.end() : position.find(key);
    if (it == position.end() || !std::binary_search(pending.begin(), pending.end(), it->second))
        throw_invalid_response(context, what + "[" + std::to_string(index) + "] is not one of the " +
                                            std::to_string(pending.size()) + " requested in this request");
    return it->second;
}

/** The positions DynamoDB left unprocessed in a BatchWriteItem response, checked before any is
    used: `UnprocessedItems` an object, its entry for `table` an array of the write requests of
    this request (PutRequest.Item or DeleteRequest.Key). Ascending, without duplicates. */
std::vector<std::size_t> unprocessed_writes(const boost::json::object& response, const std::string& table,
                                            const std::vector<std::size_t>& pending, KeyNames names,
                                            const std::unordered_map<std::string_view, std::size_t>& position,
                                            const ErrorInfo& context) {
    std::vector<std::size_t> out;
    const auto* by_table = optional_object(response, "UnprocessedItems", context);
    if (by_table == nullptr) return out;
    const std::string where = "UnprocessedItems['" + table + "']";
    const auto* entries = optional_array(*by_table, table, context, "UnprocessedItems");
    if (entries == nullptr) return out;
    for (std::size_t k = 0; k < entries->size(); ++k)
        out.push_back(pending_position(position, pending, request_key_text(element_object((*entries)[k], where, k, context), names),
                                       context, where, k));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

/** The items and the unprocessed keys of a BatchGetItem response, checked before any is used:
    `Responses` an object whose entry for `table` is an array of items of the keys of this
    request; `UnprocessedKeys` an object whose entry for `table` holds `Keys`, an array of keys
    of this request. `got` receives (position, item), `still` the unprocessed positions,
    ascending and without duplicates. */
void read_batch_get(const boost::json::object& response, const std::string& table,
                    const std::vector<std::size_t>& pending, KeyNames names,
                    const std::unordered_map<std::string_view, std::size_t>& position, const ErrorInfo& context,
                    std::vector<std::pair<std::size_t, const boost::json::object*>>& got,
                    std::vector<std::size_t>& still) {
    got.clear();
    still.clear();
    if (const auto* by_table = optional_object(response, "Responses", context)) {
        if (const auto* items = optional_array(*by_table, table, context, "Responses")) {
            const std::string where = "Responses['" + table + "']";
            got.reserve(items->size());
            for (std::size_t k = 0; k < items->size(); ++k) {
                const auto& item = element_object((*items)[k], where, k, context);
                got.emplace_back(pending_position(position, pending, key_text(item, names), context, where, k), &item);
            }
        }
    }
    if (const auto* by_table = optional_object(response, "UnprocessedKeys", context)) {
        if (const auto* entry = optional_object(*by_table, table, context, "UnprocessedKeys")) {
            const std::string where = "UnprocessedKeys['" + table + "']";
            const auto* keys = optional_array(*entry, "Keys", context, where);
            if (keys == nullptr) throw_invalid_response(context, where + ".Keys is missing");
            for (std::size_t k = 0; k < keys->size(); ++k)
                still.push_back(pending_position(position, pending,
                                                 key_text(element_object((*keys)[k], where + ".Keys", k, context), names),
                                                 context, where + ".Keys", k));
            std::sort(still.begin(), still.end());
            still.erase(std::unique(still.begin(), still.end()), still.end());
        }
    }
}

/** The deadlines of one chunk of a batch: the client's `call_timeout` from the chunk's first
    send (a chunk and its retries are what one call and its attempts are to `Client::call`), and
    `BatchOptions::timeout` from the start of the whole batch, when set. */
class ChunkDeadline {
public:
    ChunkDeadline(const Client& client, const std::optional<CallDeadline>& whole)
        : chunk_(client, std::chrono::milliseconds{0}), whole_(whole) {}
    std::chrono::milliseconds remaining() const {
        if (!whole_ || !whole_->bounded()) return chunk_.remaining();
        if (!chunk_.bounded()) return whole_->remaining();
        return std::min(chunk_.remaining(), whole_->remaining());
    }
    bool reached_after(std::chrono::milliseconds delay) const {
        return chunk_.reached_after(delay) || (whole_ && whole_->reached_after(delay));
    }
    std::exception_ptr error(ErrorInfo context, std::chrono::milliseconds delay) const {
        return whole_ && whole_->reached_after(delay) ? whole_->error(std::move(context)) : chunk_.error(std::move(context));
    }

private:
    CallDeadline chunk_;
    const std::optional<CallDeadline>& whole_;
};

/** The whole batch's deadline (`BatchOptions::timeout`), when set. */
std::optional<CallDeadline> batch_deadline(const Client& client, std::chrono::milliseconds timeout) {
    if (timeout.count() <= 0) return std::nullopt;
    return CallDeadline(client, timeout);
}

[[noreturn]] void throw_incomplete(ErrorInfo info, std::string what, std::vector<boost::json::object> unprocessed,
                                   std::vector<boost::json::object> retrieved, std::exception_ptr cause,
                                   std::size_t total, unsigned attempts) {
    info.message = std::to_string(unprocessed.size()) + " of " + std::to_string(total) + " " + what + " unprocessed";
    if (cause) {
        info.message += ", stopped by: ";
        try {
            std::rethrow_exception(cause);
        } catch (const std::exception& e) {
            info.message += e.what();
        } catch (...) {
            info.message += "an unknown exception";
        }
    } else {
        info.message += " after " + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
    }
    throw BatchError(std::move(info), std::move(unprocessed), std::move(retrieved), std::move(cause));
}

}  // namespace

std::string key_text(const boost::json::object& item, KeyNames names) {
    boost::json::object key;
    for (std::string_view name : {names.partition, names.sort}) {
        if (name.empty()) continue;
        const auto* v = item.if_contains(name);
        if (v == nullptr) return {};
        key[name] = *v;
    }
    return boost::json::serialize(key);
}

CallDeadline::CallDeadline(const Client& client, std::chrono::milliseconds timeout)
    : limit_(timeout.count() > 0 ? timeout : client.call_timeout()) {
    if (bounded()) deadline_ = std::chrono::steady_clock::now() + limit_;
}

std::chrono::milliseconds CallDeadline::remaining() const {
    if (!bounded()) return std::chrono::milliseconds{0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
    return std::max(left, std::chrono::milliseconds{1});
}

bool CallDeadline::reached_after(std::chrono::milliseconds delay) const {
    return bounded() && std::chrono::steady_clock::now() + delay >= deadline_;
}

std::exception_ptr CallDeadline::error(ErrorInfo context) const {
    context.message = "the call's timeout of " + std::to_string(limit_.count()) +
                      " ms left no time for another attempt";
    return std::make_exception_ptr(Error(errc::timeout, std::move(context)));
}

void add_capacity(ConsumedCapacity* sink, const boost::json::object& response, std::string_view operation) {
    if (sink == nullptr) return;
    if (auto c = read_consumed_capacity(response, operation)) *sink += *c;
}

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, std::chrono::milliseconds max, unsigned retry) {
    return aws::detail::full_jitter(base, max, retry);
}

boost::json::object batch_write_body(const std::string& table, std::vector<boost::json::object>& requests,
                                     std::span<const std::size_t> indices) {
    // In the requests' storage, so that moving them in (and back out) moves pointers.
    boost::json::object body(indices.empty() ? boost::json::storage_ptr() : requests[indices.front()].storage());
    auto& list = body["RequestItems"].emplace_object()[table].emplace_array();
    list.reserve(indices.size());
    for (const std::size_t i : indices) list.emplace_back(std::move(requests[i]));
    return body;
}

void take_back_batch_write_body(boost::json::object& body, const std::string& table,
                                std::vector<boost::json::object>& requests, std::span<const std::size_t> indices) {
    auto& list = body.at("RequestItems").as_object().at(table).as_array();
    for (std::size_t k = 0; k < indices.size(); ++k) requests[indices[k]] = std::move(list[k].as_object());
}

boost::json::object batch_get_body(const std::string& table, const std::vector<boost::json::object>& keys,
                                   std::span<const std::size_t> indices, bool consistent_read,
                                   const boost::json::object* projection) {
    boost::json::object body;
    auto& entry = body["RequestItems"].emplace_object()[table].emplace_object();
    auto& list = entry["Keys"].emplace_array();
    list.reserve(indices.size());
    for (const std::size_t i : indices) list.push_back(keys[i]);
    if (consistent_read) entry["ConsistentRead"] = true;
    if (projection != nullptr)
        for (const auto& member : *projection) entry[member.key()] = member.value();
    return body;
}

void throw_duplicate_key(ErrorInfo context, std::string_view what, std::size_t first, std::size_t second,
                         const std::string& key) {
    context.message = std::string(what) + " " + std::to_string(first) + " and " + std::to_string(second) +
                      " have the same key " + redacted(key) + ": a batch writes each item once";
    throw ValidationError(std::move(context));
}

void run_batch_write(const Client& client, const std::string& table, std::vector<boost::json::object>& requests,
                     KeyNames names, const BatchOptions& options, std::vector<char>& written,
                     const ProgressCallback& progress_callback) {
    const unsigned max_attempts = std::max(options.max_attempts, 1u);
    const ErrorInfo context{"BatchWriteItem", table, {}, {}, 0, {}};
    const std::optional<CallDeadline> whole = batch_deadline(client, options.timeout);
    std::vector<std::string> texts;
    texts.reserve(requests.size());
    for (const auto& r : requests) texts.push_back(request_key_text(r, names));
    std::unordered_map<std::string_view, std::size_t> position;
    for (std::size_t i = 0; i < texts.size(); ++i) position.emplace(texts[i], i);

    bool any_written = false;
    Progress progress{"BatchWriteItem", 0, requests.size(), 0, 0};
    std::vector<std::size_t> pending, still;
    auto give_up = [&](std::exception_ptr cause, std::size_t rest, unsigned attempts) {
        // Copies in the default storage: the error does not keep the batch's arena alive.
        std::vector<boost::json::object> unprocessed;
        unprocessed.reserve(pending.size() + (requests.size() - rest));
        for (std::size_t i : pending) unprocessed.emplace_back(requests[i], boost::json::storage_ptr());
        for (std::size_t i = rest; i < requests.size(); ++i) unprocessed.emplace_back(requests[i], boost::json::storage_ptr());
        throw_incomplete(context, "write requests", std::move(unprocessed), {}, std::move(cause), requests.size(),
                         attempts);
    };

    for (std::size_t begin = 0; begin < requests.size(); begin += write_chunk) {
        const std::size_t end = std::min(begin + write_chunk, requests.size());
        pending.clear();
        for (std::size_t i = begin; i < end; ++i) pending.push_back(i);
        if (whole && whole->reached_after(std::chrono::milliseconds{0})) give_up(whole->error(context), end, 0);
        const ChunkDeadline deadline(client, whole);
        for (unsigned attempt = 1;; ++attempt) {
            boost::json::object response;
            bool throttled = false;
            // The requests are lent to the body (moved, not copied) and taken back after the call.
            boost::json::object body = batch_write_body(table, requests, pending);
            add_return_consumed_capacity(body, options.return_consumed_capacity);
            std::exception_ptr failure;
            ++progress.pages;
            try {
                response = client.call(Operation::BatchWriteItem, body, CallOptions{.timeout = deadline.remaining()});
                add_capacity(options.consumed_capacity, response, "BatchWriteItem");
            } catch (...) {
                failure = std::current_exception();
            }
            take_back_batch_write_body(body, table, requests, pending);
            if (failure) {
                try {
                    std::rethrow_exception(failure);
                } catch (const Error& e) {
                    if (e.code() == condition::throttling) throttled = true;  // nothing of this chunk applied
                    else if (!any_written) throw;                           // nothing applied at all
                    else give_up(failure, end, attempt);
                }
            } else {
                try {
                    still = unprocessed_writes(response, table, pending, names, position, context);
                } catch (const Error&) {
                    // A malformed answer: the chunk may have been applied, or not; it is among the
                    // unprocessed requests the BatchError carries (puts and deletes are idempotent).
                    give_up(std::current_exception(), end, attempt);
                }
            }
            if (!throttled) {
                for (std::size_t i : pending) {
                    if (!std::binary_search(still.begin(), still.end(), i)) {
                        written[i] = 1;
                        any_written = true;
                        progress.items = ++progress.done;
                    }
                }
                pending.swap(still);
            }
            report_progress(progress_callback, progress);
            if (pending.empty()) break;
            if (attempt >= max_attempts) give_up(nullptr, end, attempt);
            const auto delay = backoff_delay(options.base_delay, options.max_delay, attempt);
            if (deadline.reached_after(delay)) give_up(deadline.error(context, delay), end, attempt);
            std::this_thread::sleep_for(delay);
        }
    }
}

std::vector<boost::json::object> run_batch_get(const Client& client, const std::string& table,
                                               const std::vector<boost::json::object>& keys, KeyNames names,
                                               bool consistent_read, const BatchOptions& options,
                                               const ProgressCallback& progress_callback,
                                               const boost::json::object* projection) {
    const unsigned max_attempts = std::max(options.max_attempts, 1u);
    const ErrorInfo context{"BatchGetItem", table, {}, {}, 0, {}};
    const std::optional<CallDeadline> whole = batch_deadline(client, options.timeout);
    std::vector<std::string> texts;
    texts.reserve(keys.size());
    std::unordered_map<std::string_view, std::size_t> position;
    for (const auto& k : keys) texts.push_back(key_text(k, names));
    for (std::size_t i = 0; i < texts.size(); ++i) position.emplace(texts[i], i);

    std::vector<boost::json::object> items(keys.size());
    std::vector<char> found(keys.size(), 0);
    bool any_read = false;
    Progress progress{"BatchGetItem", 0, keys.size(), 0, 0};
    std::vector<std::size_t> pending, still;
    auto give_up = [&](std::exception_ptr cause, std::size_t rest, unsigned attempts) {
        std::vector<boost::json::object> unprocessed, retrieved;
        for (std::size_t i : pending) unprocessed.push_back(keys[i]);
        for (std::size_t i = rest; i < keys.size(); ++i) unprocessed.push_back(keys[i]);
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (found[i]) retrieved.push_back(std::move(items[i]));
        throw_incomplete(context, "keys", std::move(unprocessed), std::move(retrieved), std::move(cause), keys.size(),
                         attempts);
    };

    for (std::size_t begin = 0; begin < keys.size(); begin += get_chunk) {
        const std::size_t end = std::min(begin + get_chunk, keys.size());
        pending.clear();
        for (std::size_t i = begin; i < end; ++i) pending.push_back(i);
        if (whole && whole->reached_after(std::chrono::milliseconds{0})) give_up(whole->error(context), end, 0);
        const ChunkDeadline deadline(client, whole);
        for (unsigned attempt = 1;; ++attempt) {
            boost::json::object response;
            bool throttled = false;
            ++progress.pages;
            std::vector<std::pair<std::size_t, const boost::json::object*>> got;
            try {
                boost::json::object body = batch_get_body(table, keys, pending, consistent_read, projection);
                add_return_consumed_capacity(body, options.return_consumed_capacity);
                response = client.call(Operation::BatchGetItem, body, CallOptions{.timeout = deadline.remaining()});
                add_capacity(options.consumed_capacity, response, "BatchGetItem");
                read_batch_get(response, table, pending, names, position, context, got, still);
            } catch (const Error& e) {
                if (e.code() == condition::throttling) throttled = true;
                else if (!any_read) throw;
                else give_up(std::current_exception(), end, attempt);
            }
            if (!throttled) {
                any_read = true;
                for (const auto& [i, item] : got) {
                    items[i] = *item;
                    progress.items += found[i] ? 0 : 1;
                    found[i] = 1;
                }
                progress.done += pending.size() - still.size();
                pending.swap(still);
            }
            report_progress(progress_callback, progress);
            if (pending.empty()) break;
            if (attempt >= max_attempts) give_up(nullptr, end, attempt);
            const auto delay = backoff_delay(options.base_delay, options.max_delay, attempt);
            if (deadline.reached_after(delay)) give_up(deadline.error(context, delay), end, attempt);
            std::this_thread::sleep_for(delay);
        }
    }
    return items;
}

}  // namespace dynantic::detail
