// SPDX-License-Identifier: BSL-1.0
#include "aws/time.hpp"

#include "codec/iso8601.hpp"

#include <algorithm>
#include <cstdint>

namespace dynantic::aws::detail {

std::optional<std::chrono::system_clock::time_point> parse_utc_time(std::string_view text) noexcept {
    const auto t = dynantic::detail::iso8601::parse(text);
    if (t.problem != dynantic::detail::iso8601::Problem::none) return std::nullopt;
    std::chrono::nanoseconds fraction{0};
    std::uint64_t scale = 1;
    for (unsigned k = t.fraction_digits; k > 9; --k) scale *= 10;   // digits beyond nanoseconds dropped
    std::uint64_t digits = t.fraction / scale;
    for (unsigned k = std::min(t.fraction_digits, 9u); k < 9; ++k) digits *= 10;
    fraction = std::chrono::nanoseconds(static_cast<std::int64_t>(digits));
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::seconds(t.seconds) + fraction));
}

}  // namespace dynantic::aws::detail
