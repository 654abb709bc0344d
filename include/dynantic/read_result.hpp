// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    What reads return and how they are addressed: `PageResult`, `ReadResult`, `IndexKind` and
    `fixed_string` (index names as template arguments). See query.hpp. */

#include <dynantic/capacity.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic {

/** One page of results. */
template <class Model>
struct PageResult {
    std::vector<Model> items;   ///< the page's items, in DynamoDB's order
    /** Pass to `page()` to continue; `std::nullopt` when nothing is left. */
    std::optional<std::string> next_cursor;
    std::size_t count = 0;          ///< items in `items`
    std::size_t scanned_count = 0;  ///< items DynamoDB evaluated for this page, before filters
    /** Capacity units consumed, when asked with `return_consumed_capacity()`. */
    std::optional<double> consumed_capacity;
    /** The consumed capacity of every request made for this page, per table and, when asked
        with `return_consumed_capacity(ReturnConsumedCapacity::indexes)`, per index; set when
        asked. */
    std::optional<ConsumedCapacity> capacity;
};

/** Every item of a read, with DynamoDB's totals over all the requests it made
    (`all_with_counts()`). */
template <class Model>
struct ReadResult {
    std::vector<Model> items;   ///< every item read, in DynamoDB's order
    /** Sum of DynamoDB's `Count`: items that matched the key condition and the filter, in every
        page fetched. Equals `items.size()` unless `limit` stopped inside a page. */
    std::size_t count = 0;
    /** Sum of DynamoDB's `ScannedCount`: items DynamoDB evaluated before filtering (what the
        read capacity is charged for). */
    std::size_t scanned_count = 0;
    std::size_t pages = 0;   ///< requests made
    /** Capacity units consumed, when asked with `return_consumed_capacity()`. */
    std::optional<double> consumed_capacity;
    /** The consumed capacity summed over every page, per table and (INDEXES) per index; set
        when asked. */
    std::optional<ConsumedCapacity> capacity;
};

/** A string usable as a template argument: `query_index<"StatusIndex">(...)`. */
template <std::size_t N>
struct fixed_string {
    char data[N]{};   ///< the characters and the terminating NUL
    /** Copies a string literal (implicit, so `query_index<"Name">` works). */
    constexpr fixed_string(const char (&s)[N]) {
        for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
    }
    /** The text without the NUL. */
    constexpr operator std::string_view() const { return {data, N - 1}; }
};

/** Where a read goes: the table itself, a global or a local secondary index. */
enum class IndexKind { table, global, local };


}  // namespace dynantic
