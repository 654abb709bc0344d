// SPDX-License-Identifier: BSL-1.0
#pragma once
// The untyped engine behind Query and Scan: sends one request (an op::ReadRequest) per DynamoDB page, hands out raw
// items one at a time, honours a total limit, and knows where to resume (the LastEvaluatedKey,
// or the key of the last item handed out when it stopped inside a page).

#include <dynantic/client.hpp>
#include <dynantic/codec/sax_page.hpp>
#include <dynantic/detail/response.hpp>
#include <dynantic/operations/read_request.hpp>

#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic::detail {

/** What a Query or Scan sends, apart from paging, and what its cursors are bound to. */
struct ReadSpec {
    op::ReadRequest request;                  ///< without ExclusiveStartKey and Limit
    std::string table;                        ///< the table name sent, prefix included
    /** The key attributes of the table and of the index read, with their wire types: what a
        `LastEvaluatedKey` and a cursor hold, exactly. */
    std::vector<KeyAttribute> key_attributes;
    std::optional<std::size_t> limit;         ///< at most this many items in total
    std::optional<std::size_t> page_size;     ///< Limit of each request
    /** What a cursor is bound to: operation, table, index, model type, and for a query the
        partition key value, the sort key condition and the direction, for a scan the segment. */
    std::string binding;
    ErrorInfo context;                        ///< operation and table, for errors
    /** A query's partition key attribute (of the table or index) and value; empty for a scan. */
    std::string partition_key;
    boost::json::value partition_value;
    /** Where each page's consumed capacity is also added as it arrives (may be null); used by
        one pager at a time. */
    ConsumedCapacity* capacity_sink = nullptr;
};

/** The `Limit` of the next request of a read that has returned `returned` items: `page_size`,
    capped by what `limit` leaves, at least 1; none when neither is set. A request never asks
    for more items than the limit leaves, so a limited read ends at a page boundary. */
inline std::optional<std::size_t> page_limit(const ReadSpec& spec, std::size_t returned) {
    std::optional<std::size_t> limit = spec.page_size;
    if (spec.limit) {
        const std::size_t remaining = *spec.limit - std::min(*spec.limit, returned);
        limit = limit ? std::min(*limit, remaining) : remaining;
    }
    if (limit) limit = std::max<std::size_t>(*limit, 1);
    return limit;
}

/** Pages of a read. With an `ItemSink`, each page is decoded straight from the response text
    (codec/sax_page.hpp): the sink holds the page's decoded items and `typed()` is true; a page
    that pass does not take (a malformed one) is parsed as a DOM instead, and then, as without a
    sink, the items are raw objects the caller decodes (`raw_item()`), with every check and error
    as before. */
class Pager {
public:
    Pager(Client client, const ReadSpec& spec, std::optional<boost::json::object> start_key, ItemSink* sink = nullptr);

    /** Moves to the next item, fetching pages as needed; false at the end or at the limit. The
        item is `raw_item()`, or with `typed()` the sink's item number `item_index()`. */
    bool advance();
    /** The current item of a DOM page (nullptr for a typed one); valid until the next page. */
    const boost::json::object* raw_item() const noexcept { return raw_item_; }
    /** The position of the current item in its page. */
    std::size_t item_index() const noexcept { return index_ - 1; }
    /** True when the current page was decoded by the sink. */
    bool typed() const noexcept { return read_ && read_->typed; }
    /** The number of items of the current page. */
    std::size_t page_item_count() const noexcept { return page_size(); }

    /** The next raw item, fetching pages as needed; nullptr at the end or at the limit. The
        pointer stays valid until the next call. Only without a sink. */
    const boost::json::object* next();

    /** Where to resume after the items handed out so far; nullopt when nothing is left. */
    std::optional<boost::json::object> resume_key() const;

    std::size_t returned() const noexcept { return returned_; }
    std::size_t scanned_count() const noexcept { return scanned_; }
    std::size_t requests() const noexcept { return requests_; }
    double consumed_capacity() const noexcept { return capacity_; }
    /** The ConsumedCapacity of the pages fetched, summed; none when no page reported one. */
    const std::optional<ConsumedCapacity>& capacity() const noexcept { return capacity_sum_; }

    /** True after a page has been fetched and all its items handed out (a page boundary). */
    bool at_page_end() const noexcept { return fetched_ && index_ >= page_size(); }

    /** Fetches exactly one more page (without handing out items) — for `page()` without a
        limit. Returns false when no page is left. */
    bool fetch_page();
    const boost::json::array& page_items() const noexcept;
    void consume_page() noexcept { returned_ += page_size() - index_; index_ = page_size(); }

private:
    bool more_pages() const noexcept { return !fetched_ || last_key_.has_value(); }
    std::size_t page_size() const noexcept { return typed() ? read_->page.items : items_ ? items_->size() : 0; }
    /** Reads a response body into `read_`: through the sink, or else as a DOM. */
    bool read_body(std::string_view text);

    Client client_;
    const ReadSpec& spec_;
    boost::json::object body_;   ///< the request without its paging members, rendered once
    std::optional<boost::json::object> last_key_;  ///< LastEvaluatedKey of the current page
    std::optional<boost::json::object> page_start_;  ///< ExclusiveStartKey of the current page
    /** Where the current page is parsed: a monotonic arena, released when the next page is
        fetched. Values in it are neither freed one by one nor walked on destruction. */
    boost::json::monotonic_resource arena_;
    /** The current page's items, in `arena_`: engaged by move construction, which keeps that
        storage (assignment would copy). Declared after `arena_`, so destroyed before it. */
    std::optional<boost::json::array> items_;
    ItemSink* sink_ = nullptr;
    /** The current page as `read_body` read it (with a sink only): its members but its items
        when the sink took them, else its DOM, in `arena_`. */
    std::optional<ResponseText> read_;
    std::vector<boost::json::object> keys_;     ///< a typed page's item keys, in `arena_`
    const boost::json::object* raw_item_ = nullptr;
    std::size_t index_ = 0;
    bool fetched_ = false;
    std::size_t returned_ = 0;
    std::size_t scanned_ = 0;
    std::size_t requests_ = 0;
    double capacity_ = 0;
    std::optional<ConsumedCapacity> capacity_sum_;
};

/** The key attributes of `item` named in `spec.key_attributes`.
    @throws Error (invalid_response) when the item lacks one or holds it with another type. */
boost::json::object key_of_item(const ReadSpec& spec, const boost::json::object& item);

/** Encodes a resume key as an opaque URL-safe cursor bound to `binding`: with a non-empty
    `secret`, `<base64url(key)>.<HMAC-SHA256(secret, binding, key) in hex>`; without,
    `<base64url(key)>~<the first 16 bytes of SHA-256(binding) in hex>`. */
std::string encode_cursor(const boost::json::object& key, std::string_view binding, std::string_view secret);

/** Decodes a cursor made by `encode_cursor` with the same binding and secret, and checks that its
    key holds exactly `key_attributes` with their types.
    @throws ValidationError naming the operation and table when it is malformed, tampered with,
            signed when no secret is set (or the reverse), or made for another binding. */
boost::json::object decode_cursor(std::string_view cursor, std::string_view binding, std::string_view secret,
                                  std::span<const KeyAttribute> key_attributes, const ErrorInfo& context);

/** Which key a value is for: the size limits differ (2048 and 1024 bytes). */
enum class KeyRole { partition, sort };

/** Refuses a key AttributeValue that is not S, N or B, is empty, or is longer than the key's
    limit (`max_partition_key_size`, `max_sort_key_size`: UTF-8 bytes of S, raw bytes of B;
    codec/limits.hpp) (src/table.cpp).
    @throws ValidationError naming the attribute. */
void check_key_value(const boost::json::value& av, std::string_view attribute, const ErrorInfo& context,
                     KeyRole role = KeyRole::partition);

/** The sans-I/O algorithm of a count (Select = COUNT over every page, capped by the read's
    limit): while `more()`, send `body()` and give the response to `on_response`; `total()` is
    the count. The synchronous `count_items` and the asynchronous front end both run it.
    `spec` must outlive the run. */
class CountRun {
public:
    explicit CountRun(const ReadSpec& spec);
    /** True while another request is needed. */
    bool more() const noexcept { return !done_ && !(spec_.limit && total_ >= *spec_.limit); }
    /** The next request's body (the read with Select = COUNT and the ExclusiveStartKey). */
    const boost::json::object& body() const noexcept { return body_; }
    /** Takes a response: adds its Count (and its capacity to the spec's sink).
        @throws Error (invalid_response) for a malformed page or a repeated LastEvaluatedKey. */
    void on_response(const boost::json::object& response);
    /** The items counted so far, capped by the limit. */
    std::size_t total() const noexcept { return spec_.limit ? std::min(total_, *spec_.limit) : total_; }

private:
    const ReadSpec& spec_;
    boost::json::object body_;
    std::optional<boost::json::object> sent_;
    std::size_t total_ = 0;
    std::size_t requests_ = 0;
    bool done_ = false;
};

/** Sum of `Count` over all pages (Select = COUNT): `CountRun` driven by `Client::call`.
    @throws Error (invalid_response) for a malformed page or a repeated LastEvaluatedKey. */
std::size_t count_items(const Client& client, const ReadSpec& spec);

}  // namespace dynantic::detail
