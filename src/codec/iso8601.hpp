// SPDX-License-Identifier: BSL-1.0
#pragma once
// The library's one ISO 8601 timestamp parser, without exceptions: the codec (time attributes)
// and the aws layer (credential expiration times) both read timestamps through it. Private to src/.
#include <cstdint>
#include <string_view>

namespace dynantic::detail::iso8601 {

/** Why a text is not a timestamp; `none` when it is. */
enum class Problem : unsigned char {
    none,
    malformed,        ///< not of the form at all
    no_such_date,     ///< e.g. 2023-02-29
    no_such_time,     ///< hour > 23, minute or second > 59
    no_such_offset,   ///< offset hour > 23 or minute > 59
    no_offset,        ///< no "Z" or "+HH:MM"
};

/** "YYYY-MM-DD" "T" (or "t" or a space) "HH:MM[:SS]" [("." or ",") digits] ("Z" | "z" |
    ("+"|"-") "HH[[:]MM]"), as seconds since the epoch (UTC, the offset applied) plus the
    fraction's digits (the first 18 kept). */
struct Timestamp {
    std::int64_t seconds = 0;
    std::uint64_t fraction = 0;
    unsigned fraction_digits = 0;
    Problem problem = Problem::none;
};

/** Parses `text`; `problem` says whether and why it failed (the other fields are then unset). */
Timestamp parse(std::string_view text) noexcept;

}  // namespace dynantic::detail::iso8601
