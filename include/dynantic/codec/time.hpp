// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Points in time and calendar dates, stored as S in ISO 8601 UTC text.

    One fixed-width form per C++ type, on every path (items, keys, and later expressions), so
    that string order is time order and a sort key of times sorts correctly:

    | C++ type                                   | written as                        |
    |--------------------------------------------|-----------------------------------|
    | `std::chrono::sys_seconds` (and coarser)   | `2024-05-01T12:34:56Z`            |
    | `std::chrono::sys_time<milliseconds>`      | `2024-05-01T12:34:56.123Z`        |
    | `dynantic::Timestamp` (microseconds)       | `2024-05-01T12:34:56.123456Z`     |
    | `std::chrono::sys_time<nanoseconds>`       | `2024-05-01T12:34:56.123456789Z`  |
    | `std::chrono::year_month_day`              | `2024-05-01`                      |

    The fraction has `std::chrono::hh_mm_ss<D>::fractional_width` digits: exactly the
    duration's precision, zeros included, so writing and reading back is lossless. (A
    `system_clock::time_point` is nanoseconds with libstdc++, so 9 digits; convert to
    `Timestamp` with `std::chrono::floor` for microseconds.) Two C++ types with different
    precision do not share one width, so keep one type per attribute.

    Reading accepts any ISO 8601 / RFC 3339 date-time with an explicit offset: `Z` or `z`,
    `+00:00`, other offsets (converted to UTC: `2024-05-01T14:34:56+02:00` is 12:34:56Z),
    `+0200`, `+02`; `T`, `t` or a space between date and time; seconds optional; a fraction
    of any length after `.` or `,`, truncated (floored) to the type's precision. Text without
    an offset is refused: its time zone is unknown.

    Writing refuses years outside 0000-9999 (no fixed-width form) and invalid dates, with a
    `ValidationError` naming the attribute. The duration's representation must be a signed
    integer of 64 bits or more (every standard duration is). */

#include <dynantic/codec/traits.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace dynantic {

/** A UTC point in time with microsecond precision: "2024-05-01T12:34:56.123456Z". */
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

namespace detail {

/** A parsed ISO 8601 date-time: UTC seconds since 1970 and a fraction of a second given as
    its first (at most 18) digits. */
struct ParsedTime {
    std::int64_t seconds = 0;
    std::uint64_t fraction = 0;
    unsigned fraction_digits = 0;
};

/** @throws AttributeError naming the expected form. */
ParsedTime parse_timestamp(std::string_view text);
/** Formats "YYYY-MM-DDTHH:MM:SS[.f]Z" with `width` fraction digits into `buf`; returns the length.
    @throws AttributeError (on write) for a year outside 0000-9999. */
std::size_t format_timestamp(std::int64_t seconds, std::uint64_t fraction, unsigned width, char (&buf)[48]);
/** floor(fraction / 10^digits seconds, in ticks of num/den seconds). */
std::int64_t fraction_to_ticks(std::uint64_t fraction, unsigned digits, std::intmax_t num, std::intmax_t den);
[[noreturn]] void throw_time_out_of_range(std::string_view text);

std::chrono::year_month_day parse_date(std::string_view text);
/** "YYYY-MM-DD" into `buf`; returns 10. @throws AttributeError (on write) for an invalid date. */
std::size_t format_date(const std::chrono::year_month_day& date, char (&buf)[16]);

constexpr std::intmax_t pow10(unsigned n) {
    std::intmax_t r = 1;
    while (n-- > 0) r *= 10;
    return r;
}

template <class D>
concept wide_signed_duration = std::signed_integral<typename D::rep> && sizeof(typename D::rep) >= 8;

}  // namespace detail

/** `std::chrono::sys_time<D>`: S, ISO 8601 UTC with the duration's precision (file comment). */
template <class Duration>
    requires detail::wide_signed_duration<Duration>
struct attribute_traits<std::chrono::time_point<std::chrono::system_clock, Duration>> {
    using time_point = std::chrono::time_point<std::chrono::system_clock, Duration>;   ///< `std::chrono::sys_time<Duration>`
    static constexpr AttributeType type = AttributeType::S;   ///< the wire type
    /** Digits after the seconds' decimal point. */
    static constexpr unsigned width = std::chrono::hh_mm_ss<Duration>::fractional_width;

    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(const time_point& tp, F&& f) {
        using namespace std::chrono;
        using Fine = std::common_type_t<Duration, seconds>;  // Duration, or seconds if coarser
        const auto t = time_point_cast<Fine>(tp);
        const auto whole = floor<seconds>(t);
        std::uint64_t fraction = 0;
        if constexpr (width > 0) {
            using Unit = duration<std::int64_t, std::ratio<1, detail::pow10(width)>>;
            // ceil: exact for decimal periods; for others (1/3 s) reading back floors to the
            // same tick.
            fraction = static_cast<std::uint64_t>(ceil<Unit>(t - whole).count());
        }
        char buf[48];
        f(std::string_view(buf, detail::format_timestamp(whole.time_since_epoch().count(), fraction, width, buf)));
    }

    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const time_point& tp, boost::json::value& out) {
        with_text(tp, [&](std::string_view text) { detail::set_attribute(out, type, text); });
    }

    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static time_point from_attribute(const boost::json::value& av) {
        using namespace std::chrono;
        using Fine = std::common_type_t<Duration, seconds>;
        using period = typename Fine::period;
        const auto& s = detail::expect_type(av, type).get_string();
        const std::string_view text(s.data(), s.size());
        const detail::ParsedTime p = detail::parse_timestamp(text);
        constexpr std::int64_t per_second = period::den / period::num;  // Fine divides a second
        constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / per_second - 1;
        if (p.seconds > limit || p.seconds < -limit) detail::throw_time_out_of_range(text);
        const std::int64_t ticks =
            p.seconds * per_second + detail::fraction_to_ticks(p.fraction, p.fraction_digits, period::num, period::den);
        return time_point(floor<Duration>(Fine(ticks)));
    }
};

/** `std::chrono::year_month_day`: S, "YYYY-MM-DD". Writing an invalid date (`!ok()`) or a
    year outside 0000-9999 is a `ValidationError`. */
template <>
struct attribute_traits<std::chrono::year_month_day> {
    static constexpr AttributeType type = AttributeType::S;   ///< the wire type
    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(const std::chrono::year_month_day& v, F&& f) {
        char buf[16];
        f(std::string_view(buf, detail::format_date(v, buf)));
    }
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const std::chrono::year_month_day& v, boost::json::value& out) {
        with_text(v, [&](std::string_view text) { detail::set_attribute(out, type, text); });
    }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static std::chrono::year_month_day from_attribute(const boost::json::value& av) {
        const auto& s = detail::expect_type(av, type).get_string();
        return detail::parse_date(std::string_view(s.data(), s.size()));
    }
};

}  // namespace dynantic
