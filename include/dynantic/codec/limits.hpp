// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    DynamoDB's size and shape limits, checked before a request is sent so that the error names
    the attribute (a `ValidationError` with HTTP status 0) instead of coming back as a
    `ValidationException`.

    Item size follows DynamoDB's rules (CapacityUnitCalculations), checked byte for byte against
    DynamoDB Local: attribute names and map keys count their UTF-8 bytes; strings their UTF-8
    bytes; binary its raw bytes; BOOL and NULL 1 byte; a number 1 byte per base-100 digit pair
    aligned at the decimal point (leading and trailing zero pairs trimmed) plus 1, plus 1 more
    when negative (zero: 1); sets the sum of their elements; a list or map 3 bytes plus 1 per
    element plus its elements.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */

#include <dynantic/error.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include <cstddef>

namespace dynantic {

/** Largest item, by the size rules above: 400 KB. */
inline constexpr std::size_t max_item_size = 400 * 1024;
/** Largest partition key value (UTF-8 bytes of S, raw bytes of B). */
inline constexpr std::size_t max_partition_key_size = 2048;
/** Largest sort key value. */
inline constexpr std::size_t max_sort_key_size = 1024;
/** Deepest nesting: a top-level attribute is level 1 and each list or map adds one, so at most
    31 lists and maps inside one another (as DynamoDB Local enforces). */
inline constexpr unsigned max_nesting_levels = 32;

namespace detail {

/** Size of one AttributeValue, without its name. */
std::size_t attribute_value_size(const boost::json::value& av);
/** Size of an item (attribute name -> AttributeValue). */
std::size_t item_size(const boost::json::object& item);

/** Checks an item's size and nesting depth.
    @throws ValidationError naming the largest attribute (size) or the too-deep path. */
void check_item_limits(const boost::json::object& item, const ErrorInfo& context);

/** JSON parse options for DynamoDB responses and items: each list or map level takes two JSON
    levels, so Boost.JSON's default `max_depth` (32) would refuse items nested deeper than
    about 14 levels; this allows 32 levels inside any response. */
boost::json::parse_options response_parse_options() noexcept;

}  // namespace detail
}  // namespace dynantic
