// SPDX-License-Identifier: BSL-1.0
#include "codec/number_text.hpp"

#include <dynantic/codec/scalars.hpp>

#include <charconv>
#include <string>

namespace dynantic::detail {
namespace {
constexpr std::int64_t floor_div2(std::int64_t v) noexcept { return v >= 0 ? v / 2 : -((-v + 1) / 2); }
}  // namespace

NumberShape analyze_number(std::string_view text) noexcept {
    NumberShape shape;
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    // Positions are counted from the first digit; `point` is where the decimal point falls.
    std::int64_t position = 0;
    std::int64_t point = -1;
    std::int64_t first = -1;
    std::int64_t last = -1;
    std::size_t digit_count = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.') {
            if (point >= 0) return shape;
            point = position;
        } else if (c >= '0' && c <= '9') {
            if (c != '0') {
                if (first < 0) first = position;
                last = position;
            }
            ++position;
            ++digit_count;
        } else {
            break;
        }
    }
    if (digit_count == 0) return shape;
    std::int64_t exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        const char* begin = text.data() + i;
        if (i < text.size() && text[i] == '+') ++begin;
        const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), exponent);
        if (ec != std::errc{} || end != text.data() + text.size() || begin == end) return shape;
        i = text.size();
    }
    if (i != text.size()) return shape;
    shape.valid = true;
    if (first < 0) return shape;  // zero
    if (point < 0) point = position;
    shape.zero = false;
    shape.negative = negative;
    shape.significant_digits = static_cast<std::size_t>(last - first + 1);
    // The digit at position p has the power of ten (point - 1 - p) + exponent.
    shape.first_exponent = point - 1 - first + exponent;
    shape.last_exponent = point - 1 - last + exponent;
    return shape;
}

std::size_t number_size(const NumberShape& shape) noexcept {
    if (shape.zero) return 1;
    const auto pairs = floor_div2(shape.first_exponent) - floor_div2(shape.last_exponent) + 1;
    return static_cast<std::size_t>(pairs) + 1 + (shape.negative ? 1 : 0);
}

const char* number_limit_violation(const NumberShape& shape) noexcept {
    if (!shape.valid) return "is not a number";
    if (shape.zero) return nullptr;
    if (shape.significant_digits > number_max_digits)
        return "has more than 38 significant digits, DynamoDB's limit";
    if (shape.first_exponent > number_max_exponent)
        return "is too large for DynamoDB (largest magnitude 9.9999999999999999999999999999999999999E+125)";
    if (shape.first_exponent < number_min_exponent)
        return "is too small for DynamoDB (smallest nonzero magnitude 1E-130)";
    return nullptr;
}

void check_number_text(std::string_view text) {
    if (const char* why = number_limit_violation(analyze_number(text)))
        throw_attribute_error("number " + redacted(text) + " " + why, true);
}

}  // namespace dynantic::detail
