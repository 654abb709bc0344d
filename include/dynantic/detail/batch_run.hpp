// SPDX-License-Identifier: BSL-1.0
#pragma once
// The sans-I/O batch algorithms (src/batch.cpp): what the synchronous batch and the asynchronous
// front end drive, one step at a time. Apart from batch_engine.hpp so that the umbrella header
// does not compile these classes' members in every translation unit.

#include <dynantic/detail/batch_engine.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dynantic::detail {

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
    body (moved, not copied): give that very body back to `on_result`. `key_texts` as for
    `run_batch_write`. */
class BatchWriteRun : public BatchChunks {
public:
    BatchWriteRun(const Client& client, const std::string& table, std::vector<boost::json::object>& requests,
                  KeyNames names, const BatchOptions& options, std::vector<char>& written,
                  const ProgressCallback& progress, std::vector<std::string> key_texts = {});
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

}  // namespace dynantic::detail
