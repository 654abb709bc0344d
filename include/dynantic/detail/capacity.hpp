// SPDX-License-Identifier: BSL-1.0
#pragma once
// Reading and asking for consumed capacity (src/capacity.cpp).

#include <dynantic/capacity.hpp>
#include <dynantic/operation.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>

namespace dynantic::detail {

/** The `ConsumedCapacity` of a response (an object, or an array of them for batch and
    transaction calls), or `std::nullopt` when it has none. Never throws for a malformed one:
    a write's answer is not refused for its report (a malformed entry is skipped and logged at
    `LogLevel::warn`, naming `operation`). */
std::optional<ConsumedCapacity> read_consumed_capacity(const boost::json::object& response,
                                                       Operation operation) noexcept;

/** Adds `ReturnConsumedCapacity` to a request body when `level` is not `none`. */
inline void add_return_consumed_capacity(boost::json::object& body, ReturnConsumedCapacity level) {
    if (level != ReturnConsumedCapacity::none) body["ReturnConsumedCapacity"] = to_string(level);
}

/** Adds the capacity of `response` to `sum` (set to an empty report on the first one). */
inline void add_consumed_capacity(std::optional<ConsumedCapacity>& sum, const boost::json::object& response,
                                  Operation operation) {
    if (auto c = read_consumed_capacity(response, operation)) {
        if (sum) *sum += *c;
        else sum = std::move(*c);
    }
}

}  // namespace dynantic::detail
