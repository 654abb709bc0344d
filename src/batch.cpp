// SPDX-License-Identifier: BSL-1.0
#include <dynantic/batch.hpp>

#include <dynantic/log.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <random>
#include <thread>
#include <unordered_map>

namespace dynantic::detail {
namespace {

constexpr std::size_t write_chunk = 25;   // BatchWriteItem: at most 25 requests
constexpr std::size_t get_chunk = 100;    // BatchGetItem: at most 100 keys

/** The array under `response[field][table]` (or, for UnprocessedKeys, `...[table]["Keys"]`). */
const boost::json::array* table_array(const boost::json::object& response, std::string_view field,
                                      const std::string& table, bool keys) {
    const auto* by_table = response.if_contains(field);
    if (by_table == nullptr || !by_table->is_object()) return nullptr;
    const auto* entry = by_table->get_object().if_contains(table);
    if (entry == nullptr) return nullptr;
    if (keys) {
        if (!entry->is_object()) return nullptr;
        entry = entry->get_object().if_contains("Keys");
        if (entry == nullptr) return nullptr;
    }
    return entry->if_array();
}

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

/** Maps the entries DynamoDB returned as unprocessed back to positions in `pending`. Returns
    false when one of them matches none (then the caller keeps every pending position). */
template <class KeyOf>
bool match_unprocessed(const boost::json::array& returned, const std::vector<std::size_t>& pending,
                       const std::vector<std::string>& texts, KeyOf key_of, std::vector<std::size_t>& out) {
    std::unordered_map<std::string_view, std::size_t> index;
    for (std::size_t i : pending) index.emplace(texts[i], i);
    out.clear();
    for (const auto& entry : returned) {
        if (!entry.is_object()) return false;
        const auto it = index.find(key_of(entry.get_object()));
        if (it == index.end()) return false;
        out.push_back(it->second);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return true;
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

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, std::chrono::milliseconds max, unsigned retry) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    const unsigned shift = std::min(retry == 0 ? 0u : retry - 1, 30u);
    const std::int64_t cap = std::min<std::int64_t>(max.count(), base.count() << shift);
    std::uniform_int_distribution<std::int64_t> dist(0, std::max<std::int64_t>(cap, 0));
    return std::chrono::milliseconds(dist(rng));
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
                                   std::span<const std::size_t> indices, bool consistent_read) {
    boost::json::object body;
    auto& entry = body["RequestItems"].emplace_object()[table].emplace_object();
    auto& list = entry["Keys"].emplace_array();
    list.reserve(indices.size());
    for (const std::size_t i : indices) list.push_back(keys[i]);
    if (consistent_read) entry["ConsistentRead"] = true;
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
    std::vector<std::string> texts;
    texts.reserve(requests.size());
    for (const auto& r : requests) texts.push_back(request_key_text(r, names));

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
        for (unsigned attempt = 1;; ++attempt) {
            boost::json::object response;
            bool throttled = false;
            // The requests are lent to the body (moved, not copied) and taken back after the call.
            boost::json::object body = batch_write_body(table, requests, pending);
            std::exception_ptr failure;
            ++progress.pages;
            try {
                response = client.call("BatchWriteItem", body);
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
            }
            if (!throttled) {
                const auto* returned = table_array(response, "UnprocessedItems", table, false);
                if (returned == nullptr || returned->empty()) {
                    still.clear();
                } else if (!match_unprocessed(*returned, pending, texts,
                                              [&](const boost::json::object& r) { return request_key_text(r, names); },
                                              still)) {
                    still = pending;  // cannot tell which were applied: resend all (puts and deletes are idempotent)
                }
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
            std::this_thread::sleep_for(backoff_delay(options.base_delay, options.max_delay, attempt));
        }
    }
}

std::vector<boost::json::object> run_batch_get(const Client& client, const std::string& table,
                                               const std::vector<boost::json::object>& keys, KeyNames names,
                                               bool consistent_read, const BatchOptions& options,
                                               const ProgressCallback& progress_callback) {
    const unsigned max_attempts = std::max(options.max_attempts, 1u);
    const ErrorInfo context{"BatchGetItem", table, {}, {}, 0, {}};
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
        for (unsigned attempt = 1;; ++attempt) {
            boost::json::object response;
            bool throttled = false;
            ++progress.pages;
            try {
                response = client.call("BatchGetItem", batch_get_body(table, keys, pending, consistent_read));
            } catch (const Error& e) {
                if (e.code() == condition::throttling) throttled = true;
                else if (!any_read) throw;
                else give_up(std::current_exception(), end, attempt);
            }
            if (!throttled) {
                any_read = true;
                if (const auto* got = table_array(response, "Responses", table, false)) {
                    for (const auto& item : *got) {
                        if (!item.is_object()) continue;
                        const auto it = position.find(key_text(item.get_object(), names));
                        if (it == position.end()) continue;  // not a key we asked for
                        items[it->second] = item.get_object();
                        progress.items += found[it->second] ? 0 : 1;
                        found[it->second] = 1;
                    }
                }
                const auto* returned = table_array(response, "UnprocessedKeys", table, true);
                if (returned == nullptr || returned->empty()) {
                    still.clear();
                } else if (!match_unprocessed(*returned, pending, texts,
                                              [&](const boost::json::object& k) { return key_text(k, names); },
                                              still)) {
                    still.clear();  // cannot tell which: ask again for every key not found
                    for (std::size_t i : pending)
                        if (!found[i]) still.push_back(i);
                }
                progress.done += pending.size() - still.size();
                pending.swap(still);
            }
            report_progress(progress_callback, progress);
            if (pending.empty()) break;
            if (attempt >= max_attempts) give_up(nullptr, end, attempt);
            std::this_thread::sleep_for(backoff_delay(options.base_delay, options.max_delay, attempt));
        }
    }
    return items;
}

}  // namespace dynantic::detail
