// SPDX-License-Identifier: BSL-1.0
#include <dynantic/batch.hpp>
#include <dynantic/detail/batch_run.hpp>
#include <dynantic/detail/capacity.hpp>
#include <dynantic/detail/response.hpp>

#include <dynantic/log.hpp>

#include "aws/backoff.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>

#include <algorithm>
#include <optional>
#include <thread>
#include <unordered_set>
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
    ChunkDeadline(const CallDeadline& chunk, const std::optional<CallDeadline>& whole) : chunk_(chunk), whole_(whole) {}
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
    const CallDeadline& chunk_;
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

struct KeyTexts::Index {
    /** Hashes and compares positions by the texts at them, so the set never holds a view into a
        text that the vector may move. */
    struct Hash {
        const std::vector<std::string>* texts;
        std::size_t operator()(std::size_t i) const noexcept { return std::hash<std::string>{}((*texts)[i]); }
    };
    struct Equal {
        const std::vector<std::string>* texts;
        bool operator()(std::size_t a, std::size_t b) const noexcept { return (*texts)[a] == (*texts)[b]; }
    };
    explicit Index(const std::vector<std::string>* texts) : positions(0, Hash{texts}, Equal{texts}) {}
    std::unordered_set<std::size_t, Hash, Equal> positions;
};

KeyTexts::KeyTexts() : index_(std::make_unique<Index>(&texts_)) {}
KeyTexts::~KeyTexts() = default;

std::size_t KeyTexts::add(std::string text) {
    texts_.push_back(std::move(text));
    const auto [it, fresh] = index_->positions.insert(texts_.size() - 1);
    if (fresh) return npos;
    texts_.pop_back();
    return *it;
}

std::vector<std::string> KeyTexts::take() noexcept {
    index_->positions.clear();
    return std::move(texts_);
}

std::string key_text(const boost::json::object& item, KeyNames names) {
    // The text `serialize` gives the object {partition: value, sort: value}, written member by
    // member without building that object (which copied each value and hashed its keys).
    std::string out;
    out.reserve(64);
    out += '{';
    boost::json::serializer writer;   // one for the names and values: its stack is allocated once
    const auto append = [&](const auto& piece) {
        writer.reset(piece);
        char buffer[256];
        while (!writer.done()) {
            const boost::json::string_view text = writer.read(buffer);
            out.append(text.data(), text.size());
        }
    };
    for (std::string_view name : {names.partition, names.sort}) {
        if (name.empty()) continue;
        const auto* v = item.if_contains(name);
        if (v == nullptr) return {};
        if (out.size() > 1) out += ',';
        append(boost::json::string_view(name.data(), name.size()));
        out += ':';
        append(v);
    }
    out += '}';
    return out;
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

void add_capacity(ConsumedCapacity* sink, const boost::json::object& response, Operation operation) {
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

// ----- BatchChunks -----

BatchChunks::BatchChunks(const Client& client, const std::string& table, Operation operation,
                         const BatchOptions& options, const ProgressCallback& progress, std::size_t chunk_size,
                         std::vector<std::string> texts)
    : client_(client),
      table_(table),
      options_(options),
      progress_callback_(progress),
      chunk_size_(chunk_size),
      max_attempts_(std::max(options.max_attempts, 1u)),
      context_{detail::operation_context(operation, table)},
      whole_(batch_deadline(client, options.timeout)),
      texts_(std::move(texts)),
      progress_{to_string(operation), 0, texts_.size(), 0, 0} {
    for (std::size_t i = 0; i < texts_.size(); ++i) position_.emplace(texts_[i], i);
}

std::optional<BatchStep> BatchChunks::wait_or_done() {
    if (delay_) {
        BatchStep step;
        step.kind = BatchStep::Kind::wait;
        step.delay = *delay_;
        delay_.reset();
        return step;
    }
    if (pending_.empty()) {   // the next chunk
        begin_ = end_;
        if (begin_ >= texts_.size()) return BatchStep{};   // done
        end_ = std::min(begin_ + chunk_size_, texts_.size());
        for (std::size_t i = begin_; i < end_; ++i) pending_.push_back(i);
        if (whole_ && whole_->reached_after(std::chrono::milliseconds{0})) give_up(whole_->error(context_), end_, 0);
        chunk_.emplace(client_, std::chrono::milliseconds{0});
        attempt_ = 0;
    }
    ++attempt_;
    ++progress_.pages;
    return std::nullopt;
}

BatchStep BatchChunks::send(Operation operation, boost::json::object body) const {
    add_return_consumed_capacity(body, options_.return_consumed_capacity);
    return BatchStep{BatchStep::Kind::send, operation, std::move(body), ChunkDeadline(*chunk_, whole_).remaining(),
                     std::chrono::milliseconds{0}};
}

void BatchChunks::after_result() {
    report_progress(progress_callback_, progress_);
    if (pending_.empty()) return;
    if (attempt_ >= max_attempts_) give_up(nullptr, end_, attempt_);
    const auto delay = backoff_delay(options_.base_delay, options_.max_delay, attempt_);
    const ChunkDeadline deadline(*chunk_, whole_);
    if (deadline.reached_after(delay)) give_up(deadline.error(context_, delay), end_, attempt_);
    delay_ = delay;
}

namespace {
std::vector<std::string> request_texts(const std::vector<boost::json::object>& requests, KeyNames names) {
    std::vector<std::string> out;
    out.reserve(requests.size());
    for (const auto& r : requests) out.push_back(request_key_text(r, names));
    return out;
}
std::vector<std::string> key_texts(const std::vector<boost::json::object>& keys, KeyNames names) {
    std::vector<std::string> out;
    out.reserve(keys.size());
    for (const auto& k : keys) out.push_back(key_text(k, names));
    return out;
}

/** Drives a batch run synchronously: each send a `Client::call`, each wait a sleep;
    `on_result(step, response, failure)` hands the outcome back to the run. */
template <class Run, class OnResult>
void drive(const Client& client, Run& run, OnResult on_result) {
    for (;;) {
        BatchStep step = run.next();
        if (step.kind == BatchStep::Kind::done) return;
        if (step.kind == BatchStep::Kind::wait) {
            std::this_thread::sleep_for(step.delay);
            continue;
        }
        std::optional<boost::json::object> response;
        std::exception_ptr failure;
        try {
            response = client.call(step.operation, step.body, CallOptions{.timeout = step.timeout});
        } catch (...) {
            failure = std::current_exception();
        }
        on_result(step, response ? &*response : nullptr, failure);
    }
}
}  // namespace

// ----- BatchWriteRun -----

BatchWriteRun::BatchWriteRun(const Client& client, const std::string& table, std::vector<boost::json::object>& requests,
                             KeyNames names, const BatchOptions& options, std::vector<char>& written,
                             const ProgressCallback& progress, std::vector<std::string> key_texts)
    : BatchChunks(client, table, Operation::BatchWriteItem, options, progress, write_chunk,
                  key_texts.size() == requests.size() ? std::move(key_texts) : request_texts(requests, names)),
      requests_(requests),
      names_(names),
      written_(written) {}

void BatchWriteRun::give_up(std::exception_ptr cause, std::size_t rest, unsigned attempts) {
    // Copies in the default storage: the error does not keep the batch's arena alive.
    std::vector<boost::json::object> unprocessed;
    unprocessed.reserve(pending_.size() + (requests_.size() - rest));
    for (std::size_t i : pending_) unprocessed.emplace_back(requests_[i], boost::json::storage_ptr());
    for (std::size_t i = rest; i < requests_.size(); ++i) unprocessed.emplace_back(requests_[i], boost::json::storage_ptr());
    throw_incomplete(context_, "write requests", std::move(unprocessed), {}, std::move(cause), requests_.size(), attempts);
}

BatchStep BatchWriteRun::next() {
    if (auto step = wait_or_done()) return std::move(*step);
    // The requests are lent to the body (moved, not copied) and taken back by on_result. The
    // body is move-constructed into the step, never move-assigned: an assignment into a step on
    // the default storage would copy every request out of the batch's arena.
    return send(Operation::BatchWriteItem, batch_write_body(table_, requests_, pending_));
}

void BatchWriteRun::on_result(boost::json::object& body, const boost::json::object* response, std::exception_ptr failure) {
    take_back_batch_write_body(body, table_, requests_, pending_);
    bool throttled = false;
    if (response != nullptr) add_capacity(options_.consumed_capacity, *response, Operation::BatchWriteItem);
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const Error& e) {
            if (e.code() == condition::throttling) throttled = true;  // nothing of this chunk applied
            else if (!any_written_) throw;                          // nothing applied at all
            else give_up(failure, end_, attempt_);
        }
    } else {
        try {
            still_ = unprocessed_writes(*response, table_, pending_, names_, position_, context_);
        } catch (const Error&) {
            // A malformed answer: the chunk may have been applied, or not; it is among the
            // unprocessed requests the BatchError carries (puts and deletes are idempotent).
            give_up(std::current_exception(), end_, attempt_);
        }
    }
    if (!throttled) {
        for (std::size_t i : pending_) {
            if (!std::binary_search(still_.begin(), still_.end(), i)) {
                written_[i] = 1;
                any_written_ = true;
                progress_.items = ++progress_.done;
            }
        }
        pending_.swap(still_);
    }
    after_result();
}

void run_batch_write(const Client& client, const std::string& table, std::vector<boost::json::object>& requests,
                     KeyNames names, const BatchOptions& options, std::vector<char>& written,
                     const ProgressCallback& progress_callback, std::vector<std::string> key_texts) {
    BatchWriteRun run(client, table, requests, names, options, written, progress_callback, std::move(key_texts));
    drive(client, run, [&](BatchStep& step, const boost::json::object* response, std::exception_ptr failure) {
        run.on_result(step.body, response, failure);
    });
}

// ----- BatchGetRun -----

BatchGetRun::BatchGetRun(const Client& client, const std::string& table, const std::vector<boost::json::object>& keys,
                         KeyNames names, bool consistent_read, const BatchOptions& options,
                         const ProgressCallback& progress, const boost::json::object* projection)
    : BatchChunks(client, table, Operation::BatchGetItem, options, progress, get_chunk, key_texts(keys, names)),
      keys_(keys),
      names_(names),
      consistent_read_(consistent_read),
      projection_(projection),
      items_(keys.size()),
      found_(keys.size(), 0) {}

void BatchGetRun::give_up(std::exception_ptr cause, std::size_t rest, unsigned attempts) {
    std::vector<boost::json::object> unprocessed, retrieved;
    for (std::size_t i : pending_) unprocessed.push_back(keys_[i]);
    for (std::size_t i = rest; i < keys_.size(); ++i) unprocessed.push_back(keys_[i]);
    for (std::size_t i = 0; i < keys_.size(); ++i)
        if (found_[i]) retrieved.push_back(std::move(items_[i]));
    throw_incomplete(context_, "keys", std::move(unprocessed), std::move(retrieved), std::move(cause), keys_.size(),
                     attempts);
}

BatchStep BatchGetRun::next() {
    if (auto step = wait_or_done()) return std::move(*step);
    return send(Operation::BatchGetItem, batch_get_body(table_, keys_, pending_, consistent_read_, projection_));
}

void BatchGetRun::on_result(const boost::json::object* response, std::exception_ptr failure) {
    bool throttled = false;
    std::vector<std::pair<std::size_t, const boost::json::object*>> got;
    try {
        if (failure) std::rethrow_exception(failure);
        add_capacity(options_.consumed_capacity, *response, Operation::BatchGetItem);
        read_batch_get(*response, table_, pending_, names_, position_, context_, got, still_);
    } catch (const Error& e) {
        if (e.code() == condition::throttling) throttled = true;
        else if (!any_read_) throw;
        else give_up(std::current_exception(), end_, attempt_);
    }
    if (!throttled) {
        any_read_ = true;
        for (const auto& [i, item] : got) {
            items_[i] = *item;
            progress_.items += found_[i] ? 0 : 1;
            found_[i] = 1;
        }
        progress_.done += pending_.size() - still_.size();
        pending_.swap(still_);
    }
    after_result();
}

std::vector<boost::json::object> run_batch_get(const Client& client, const std::string& table,
                                               const std::vector<boost::json::object>& keys, KeyNames names,
                                               bool consistent_read, const BatchOptions& options,
                                               const ProgressCallback& progress_callback,
                                               const boost::json::object* projection) {
    BatchGetRun run(client, table, keys, names, consistent_read, options, progress_callback, projection);
    drive(client, run, [&](BatchStep&, const boost::json::object* response, std::exception_ptr failure) {
        run.on_result(response, failure);
    });
    return std::move(run.items());
}

}  // namespace dynantic::detail
