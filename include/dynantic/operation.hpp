// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `Operation`: the DynamoDB (and DynamoDB Streams) operations the library sends, by name — the
    `X-Amz-Target` suffix. `OperationRequest::operation`, `Client::call`, `CallMetrics` and
    `Error::operation_id()` use it; a typo is a compile error, not a runtime one.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html */

#include <cstddef>
#include <optional>
#include <iosfwd>
#include <string_view>

namespace dynantic {

/** A DynamoDB or DynamoDB Streams operation. `to_string` gives its wire name ("PutItem"). */
enum class Operation {
    GetItem,
    PutItem,
    UpdateItem,
    DeleteItem,
    Query,
    Scan,
    BatchGetItem,
    BatchWriteItem,
    TransactGetItems,
    TransactWriteItems,
    ExecuteStatement,
    BatchExecuteStatement,
    ExecuteTransaction,
    CreateTable,
    DeleteTable,
    DescribeTable,
    UpdateTable,
    ListTables,
    DescribeTimeToLive,
    UpdateTimeToLive,
    // DynamoDB Streams (sent with Service::streams)
    ListStreams,
    DescribeStream,
    GetShardIterator,
    GetRecords,
};

namespace detail {
inline constexpr std::string_view operation_names[] = {
    "GetItem",          "PutItem",           "UpdateItem",            "DeleteItem",         "Query",
    "Scan",             "BatchGetItem",      "BatchWriteItem",        "TransactGetItems",   "TransactWriteItems",
    "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction", "CreateTable",       "DeleteTable",
    "DescribeTable",    "UpdateTable",       "ListTables",            "DescribeTimeToLive", "UpdateTimeToLive",
    "ListStreams",      "DescribeStream",    "GetShardIterator",      "GetRecords"};
inline constexpr std::size_t operation_count = sizeof(operation_names) / sizeof(operation_names[0]);
static_assert(operation_count == static_cast<std::size_t>(Operation::GetRecords) + 1,
              "one name per Operation, in the enum's order");
}  // namespace detail

/** The operation's name as DynamoDB spells it ("PutItem"): the `X-Amz-Target` suffix, and what
    errors, logs and metrics print. */
constexpr std::string_view to_string(Operation op) noexcept {
    return detail::operation_names[static_cast<std::size_t>(op)];
}

/** The operation named `name` ("PutItem"), or `std::nullopt` for a name this enum lacks (an
    operation sent through `Client::call`'s string overload). */
constexpr std::optional<Operation> operation_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < detail::operation_count; ++i)
        if (detail::operation_names[i] == name) return static_cast<Operation>(i);
    return std::nullopt;
}

/** True when `op` is named `name`: `request.operation == "PutItem"` keeps compiling. */
constexpr bool operator==(Operation op, std::string_view name) noexcept { return to_string(op) == name; }

/** Writes the operation's name. */
template <class CharT, class Traits>
std::basic_ostream<CharT, Traits>& operator<<(std::basic_ostream<CharT, Traits>& out, Operation op) {
    return out << to_string(op);
}

}  // namespace dynantic
