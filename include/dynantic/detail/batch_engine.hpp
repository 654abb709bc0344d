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
#include <memory>
#include <optional>
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

/** The key texts (`key_text`) of a batch's requests, in order, finding a key given twice as
    each is added (src/batch.cpp). */
class KeyTexts {
public:
    /** No position: `add` found no earlier request with the key. */
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    KeyTexts();
    KeyTexts(const KeyTexts&) = delete;
    KeyTexts& operator=(const KeyTexts&) = delete;
    ~KeyTexts();
    /** Adds the next request's key text; returns the position of an earlier request with the
        same text (the text is then not added), else `npos`. */
    std::size_t add(std::string text);
    /** The text at position `i`. */
    const std::string& operator[](std::size_t i) const noexcept { return texts_[i]; }
    /** Every text added, in order; leaves this empty. */
    std::vector<std::string> take() noexcept;

private:
    struct Index;
    std::vector<std::string> texts_;
    std::unique_ptr<Index> index_;
};

/** Sends write requests (PutRequest / DeleteRequest objects, distinct keys) for one table in
    chunks of 25, retrying unprocessed ones; sets `written[i]` once request i is known to be
    applied (`written` has one entry per request). Each chunk's requests are moved into its body
    and back, so `requests` is as given when this returns or throws; a `BatchError` holds copies
    in the default storage. `key_texts`: the requests' key texts (`key_text`) when the caller has
    them, one per request; computed when empty. Throws as described in batch.hpp. */
void run_batch_write(const Client& client, const std::string& table, std::vector<boost::json::object>& requests,
                     KeyNames names, const BatchOptions& options, std::vector<char>& written,
                     const ProgressCallback& progress = {}, std::vector<std::string> key_texts = {});

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
