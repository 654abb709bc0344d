// SPDX-License-Identifier: BSL-1.0
#pragma once
// The untyped engine of batch reads and writes (src/batch.cpp): chunking, request bodies,
// retries of unprocessed work with backoff, and the errors that keep every unapplied request.

#include <dynantic/capacity.hpp>
#include <dynantic/client.hpp>
#include <dynantic/error.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/options.hpp>
#include <dynantic/progress.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <unordered_map>
#include <exception>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic::detail {

/** The deadline of a call the library makes of several requests (a batch, a retried
    transaction): `timeout`, else the client's `call_timeout`; unbounded when both are 0. */
class CallDeadline {
public:
    CallDeadline(const Client& client, std::chrono::milliseconds timeout);
    /** True when there is a deadline. */
    bool bounded() const noexcept { return limit_.count() > 0; }
    /** The bound in effect (0: none). */
    std::chrono::milliseconds limit() const noexcept { return limit_; }
    /** The time left, at least 1 ms, as a `CallOptions::timeout`; 0 (no limit) when unbounded. */
    std::chrono::milliseconds remaining() const;
    /** True when waiting `delay` from now would reach the deadline. */
    bool reached_after(std::chrono::milliseconds delay) const;
    /** An Error (errc::timeout) in `context`: the deadline left no time for another attempt. */
    std::exception_ptr error(ErrorInfo context) const;

private:
    std::chrono::milliseconds limit_{0};
    std::chrono::steady_clock::time_point deadline_{};
};

/** Adds the capacity a response reports to `*sink` (nothing when `sink` is null). */
void add_capacity(ConsumedCapacity* sink, const boost::json::object& response, Operation operation);

/** Full-jitter exponential backoff before retry `retry` (1 = the first retry). */
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, std::chrono::milliseconds max,
                                        unsigned retry);

/** The request body of one BatchWriteItem chunk, in the storage of the requests: the requests at
    `indices` are moved into it (pointer moves when they share that storage), leaving them empty
    until `take_back_batch_write_body` returns them. */
boost::json::object batch_write_body(const std::string& table, std::vector<boost::json::object>& requests,
                                     std::span<const std::size_t> indices);
/** Moves the requests lent to `body` by `batch_write_body` back to their places in `requests`. */
void take_back_batch_write_body(boost::json::object& body, const std::string& table,
                                std::vector<boost::json::object>& requests, std::span<const std::size_t> indices);
/** The request body of one BatchGetItem chunk: the keys at `indices`, each copied once, straight
    into the body; `projection`, when given, holds members copied into the table's entry
    (ProjectionExpression, ExpressionAttributeNames). */
boost::json::object batch_get_body(const std::string& table, const std::vector<boost::json::object>& keys,
                                   std::span<const std::size_t> indices, bool consistent_read,
                                   const boost::json::object* projection = nullptr);

/** What a batch does next (`BatchWriteRun::next`, `BatchGetRun::next`): send `body` with the
    call timeout `timeout` (0: none), wait `delay` before the next request, or nothing (done). */
struct BatchStep {
    enum class Kind { send, wait, done };
    Kind kind = Kind::done;                    ///< what to do
    Operation operation = Operation::BatchWriteItem;   ///< the operation of a send
    boost::json::object body;                  ///< the request of a send
    std::chrono::milliseconds timeout{0};      ///< the call timeout of a send (`CallOptions::timeout`)
    std::chrono::milliseconds delay{0};        ///< the wait before the next send
};

/** What the sans-I/O batch algorithms (`BatchWriteRun`, `BatchGetRun`) share: the chunks of a
    batch and their attempts, deadlines (the client's `call_timeout` per chunk, and
    `BatchOptions::timeout` for the whole batch), progress and backoff. A run is driven by
    `next()` and `on_result()` (see the derived classes) until `next()` says done. */
class BatchChunks {
public:
    /** Gives up now (a cancelled wait): always @throws BatchError with every request not known
        to be applied (keys not read), `cause` as its cause. (Not `[[noreturn]]`: the compiler
        cannot see that through the virtual `give_up`.) */
    void stop(std::exception_ptr cause) { give_up(std::move(cause), end_, attempt_); }

protected:
    /** A run of `total` requests (or keys) in chunks of `chunk_size`; `texts` are their keys' texts
        (`key_text`), by which the answers are matched. */
    BatchChunks(const Client& client, const std::string& table, Operation operation, const BatchOptions& options,
                const ProgressCallback& progress, std::size_t chunk_size, std::vector<std::string> texts);
    BatchChunks(const BatchChunks&) = delete;
    BatchChunks& operator=(const BatchChunks&) = delete;
    virtual ~BatchChunks() = default;

    /** Throws the BatchError of the run: the work of `pending_` and everything from `rest` on. */
    [[noreturn]] virtual void give_up(std::exception_ptr cause, std::size_t rest, unsigned attempts) = 0;
    /** The start of `next()`: a wait or a done step; none when the requests of `pending_` are
        to be sent (the next chunk's when the last one is finished), counted as an attempt. */
    std::optional<BatchStep> wait_or_done();
    /** The send step of `body` (move-constructed: it keeps its storage), with the time left. */
    BatchStep send(Operation operation, boost::json::object body) const;
    /** The end of `on_result()`: progress reported and, while `pending_` is not empty, the
        backoff before the next attempt, or giving up after the last one or at a deadline. */
    void after_result();

    const Client& client_;
    const std::string& table_;
    const BatchOptions& options_;
    const ProgressCallback& progress_callback_;
    std::size_t chunk_size_;
    unsigned max_attempts_;
    ErrorInfo context_;
    std::optional<CallDeadline> whole_;
    std::optional<CallDeadline> chunk_;
    std::vector<std::string> texts_;                                ///< the keys' texts, by position
    std::unordered_map<std::string_view, std::size_t> position_;    ///< a key's text: its position
    Progress progress_;
    std::vector<std::size_t> pending_, still_;   ///< the positions in flight; those left unprocessed
    std::size_t begin_ = 0, end_ = 0;            ///< the current chunk
    unsigned attempt_ = 0;                       ///< attempts of the current chunk
    std::optional<std::chrono::milliseconds> delay_;
};

/** The sans-I/O algorithm of `run_batch_write`: chunks of 25, retries of unprocessed requests
    with backoff, deadlines, progress and the errors; `next()` says what to do, `on_result` takes
    each send's outcome. The synchronous batch drives it with `Client::call` and sleeps, the
    asynchronous front end with asynchronous calls and timers. `requests`, `written` and
    `progress` are referred to and must outlive the run. Each send lends the requests to its
    body (moved, not copied): give that very body back to `on_result`. */
class BatchWriteRun : public BatchChunks {
public:
    BatchWriteRun(const Client& client, const std::string& table, std::vector<boost::json::object>& requests,
                  KeyNames names, const BatchOptions& options, std::vector<char>& written,
                  const ProgressCallback& progress);
    /** The next step. @throws BatchError (or the first request's own error) when giving up. */
    BatchStep next();
    /** The outcome of the last send: its `body` back, and the response or the failure.
        @throws as `next`. */
    void on_result(boost::json::object& body, const boost::json::object* response, std::exception_ptr failure);

private:
    [[noreturn]] void give_up(std::exception_ptr cause, std::size_t rest, unsigned attempts) override;
    std::vector<boost::json::object>& requests_;
    KeyNames names_;
    std::vector<char>& written_;
    bool any_written_ = false;
};

/** The sans-I/O algorithm of `run_batch_get` (as `BatchWriteRun`): chunks of 100 keys,
    retries of unprocessed keys; `items()` once done. `keys`, `progress` and `projection` must
    outlive the run. */
class BatchGetRun : public BatchChunks {
public:
    BatchGetRun(const Client& client, const std::string& table, const std::vector<boost::json::object>& keys,
                KeyNames names, bool consistent_read, const BatchOptions& options, const ProgressCallback& progress,
                const boost::json::object* projection);
    /** The next step. @throws BatchError (or the first request's own error) when giving up. */
    BatchStep next();
    /** The outcome of the last send. @throws as `next`. */
    void on_result(const boost::json::object* response, std::exception_ptr failure);
    /** One object per key, in order: the item, or an empty object when there is none. */
    std::vector<boost::json::object>& items() noexcept { return items_; }

private:
    [[noreturn]] void give_up(std::exception_ptr cause, std::size_t rest, unsigned attempts) override;
    const std::vector<boost::json::object>& keys_;
    KeyNames names_;
    bool consistent_read_;
    const boost::json::object* projection_;
    std::vector<boost::json::object> items_;
    std::vector<char> found_;
    bool any_read_ = false;
};

/** Sends write requests (PutRequest / DeleteRequest objects, distinct keys) for one table in
    chunks of 25, retrying unprocessed ones; sets `written[i]` once request i is known to be
    applied (`written` has one entry per request). Each chunk's requests are moved into its body
    and back, so `requests` is as given when this returns or throws; a `BatchError` holds copies
    in the default storage. Throws as described in batch.hpp. */
void run_batch_write(const Client& client, const std::string& table, std::vector<boost::json::object>& requests,
                     KeyNames names, const BatchOptions& options, std::vector<char>& written,
                     const ProgressCallback& progress = {});

/** Reads distinct keys in chunks of 100, retrying unprocessed ones. Returns one object per key,
    in the same order: the item, or an empty object when there is none. `projection` as for
    `batch_get_body` (it must name the key attributes: answers are matched to keys by them). */
std::vector<boost::json::object> run_batch_get(const Client& client, const std::string& table,
                                               const std::vector<boost::json::object>& keys, KeyNames names,
                                               bool consistent_read, const BatchOptions& options,
                                               const ProgressCallback& progress = {},
                                               const boost::json::object* projection = nullptr);

/** "items 3 and 17 have the same key <sha256:...>" as a ValidationError; the key (its text, see
    key_text) is shown as `redacted(key)`. */
[[noreturn]] void throw_duplicate_key(ErrorInfo context, std::string_view what, std::size_t first, std::size_t second,
                                      const std::string& key);

}  // namespace dynantic::detail
