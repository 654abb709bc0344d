// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `op::ReadRequest`: what one Query or Scan request (one DynamoDB page) holds, untyped; its pure
    rendering (`detail::render_read`) and the one function that checks a page response before any
    of it is used (`detail::decode_page`). `op::QueryPage` / `op::ScanPage` (read_page.hpp) add the
    model's typed decoding; `Query` and `Scan` (query.hpp) page through them.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html */

#include <dynantic/capacity.hpp>
#include <dynantic/detail/read_target.hpp>
#include <dynantic/detail/response.hpp>
#include <dynantic/error.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/expressions/path.hpp>
#include <dynantic/request.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace dynantic::op {

/** One Query or Scan request: the target, the expressions, the options and where the page
    starts. A plain value: no client, no table name (given to `render`). */
struct ReadRequest {
    Operation operation = Operation::Query;   ///< Query or Scan
    /** The table or index read, its key attributes and their wire types. */
    detail::ReadTarget target;
    /** KeyConditionExpression (Query): the partition key, and the sort key condition if any. */
    std::optional<Condition> key_condition;
    /** FilterExpression (a subtype's discriminator included), applied after the page is read. */
    std::optional<Condition> filter;
    /** ProjectionExpression: the attributes read; empty reads whole items. Not sent with
        `select_count`. */
    std::vector<Path> projection;
    std::optional<std::size_t> limit;        ///< Limit: items evaluated by this request
    bool consistent_read = false;            ///< ConsistentRead
    /** ReturnConsumedCapacity: TOTAL, or INDEXES for the per-index breakdown; `none` sends nothing. */
    ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
    bool forward = true;                     ///< ScanIndexForward (Query); false: descending
    bool select_count = false;               ///< Select = COUNT: counts, no items
    /** Segment / TotalSegments of a parallel Scan. */
    std::optional<std::pair<unsigned, unsigned>> segment;
    /** ExclusiveStartKey: the LastEvaluatedKey of the page before; none: the first page. */
    std::optional<boost::json::object> exclusive_start_key;
};

}  // namespace dynantic::op

namespace dynantic::detail {

/** The request body of `request` for table `table` without its paging members
    (`ExclusiveStartKey`, `Limit`), which `append_paging` adds last (src/read_request.cpp). */
boost::json::object render_read_base(const op::ReadRequest& request, std::string_view table);

/** Adds `ExclusiveStartKey` and `Limit` (at least 1) to a body from `render_read_base`. */
void append_paging(boost::json::object& body, const std::optional<boost::json::object>& start_key,
                   std::optional<std::size_t> limit);

/** The whole request: `render_read_base`, then `append_paging`. Pure. */
OperationRequest render_read(const op::ReadRequest& request, std::string_view table);

/** The key attributes of the table and of the index read, with their wire types: exactly what
    a `LastEvaluatedKey` (and a cursor) of a read of `target` holds. */
std::vector<KeyAttribute> read_key_attributes(const ReadTarget& target);

/** The members of one Query or Scan page, checked; pointers into the response. */
struct PageShape {
    const boost::json::array* items = nullptr;        ///< null when absent
    const boost::json::object* last_key = nullptr;    ///< null when absent
    std::size_t count = 0;                            ///< Count (the items' number when absent)
    std::size_t scanned = 0;                          ///< ScannedCount (0 when absent)
    double capacity = 0;                              ///< ConsumedCapacity.CapacityUnits
    /** The whole ConsumedCapacity (per table and index with INDEXES); none when absent. */
    std::optional<ConsumedCapacity> consumed;
};

/** Decodes a page response: checks every member before any is used (`Items` an array whose size
    is `Count` unless `select_count`, `Count`/`ScannedCount` counts, `LastEvaluatedKey` a key of
    exactly `key_attributes` and not equal to `sent_key` — the ExclusiveStartKey of the request,
    which would repeat the page forever — and `ConsumedCapacity.CapacityUnits` a number). Items
    are checked one by one as they are used. The one place a page is decoded (src/read_request.cpp).
    @throws Error (errc::invalid_response) naming the operation and table; `request` (1-based)
    numbers the request of the read in the message. */
PageShape decode_page(const boost::json::object& response, const ErrorInfo& context,
                      std::span<const KeyAttribute> key_attributes, const std::optional<boost::json::object>& sent_key,
                      std::size_t request, bool select_count);

/** `decode_page` for a page whose items went to a sink (`decode_page_text`, `read_page_text`):
    `head` holds its other members, `has_items` and `items` what the pass counted. The same checks
    in the same order and with the same messages (`Count` and `ScannedCount`, then `Count`
    against the items, then the rest); `items` of the result is null.
    @throws as `decode_page`. */
PageShape decode_page_head(const boost::json::object& head, bool has_items, std::size_t items, const ErrorInfo& context,
                           std::span<const KeyAttribute> key_attributes,
                           const std::optional<boost::json::object>& sent_key, std::size_t request);

}  // namespace dynantic::detail
