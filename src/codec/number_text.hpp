// SPDX-License-Identifier: BSL-1.0
#pragma once
// Private: the shape of a DynamoDB number's text, for limits and item sizes.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dynantic::detail {

/** DynamoDB's number limits: 38 significant digits, magnitude 1E-130 .. 9.99...E+125. */
inline constexpr std::size_t number_max_digits = 38;
inline constexpr std::int64_t number_min_exponent = -130;  // of the first significant digit
inline constexpr std::int64_t number_max_exponent = 125;

/** A number's text, read as [+-]digits[.digits][(e|E)[+-]digits]. Leading and trailing zeros
    do not count as significant. */
struct NumberShape {
    bool valid = false;
    bool negative = false;                ///< sign of a nonzero value
    bool zero = true;
    std::size_t significant_digits = 0;   ///< first to last nonzero digit, inclusive
    std::int64_t first_exponent = 0;      ///< power of ten of the first significant digit
    std::int64_t last_exponent = 0;       ///< power of ten of the last significant digit
};

NumberShape analyze_number(std::string_view text) noexcept;

/** Bytes DynamoDB counts for a number value (measured against DynamoDB Local): one byte per
    base-100 digit pair aligned at the decimal point, leading and trailing zero pairs trimmed,
    plus one; plus one more for a negative number; 1 for zero. */
std::size_t number_size(const NumberShape& shape) noexcept;

/** Null when the number can be stored, else why not ("has more than 38 significant digits..."). */
const char* number_limit_violation(const NumberShape& shape) noexcept;

}  // namespace dynantic::detail
