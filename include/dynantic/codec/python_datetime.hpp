// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `dynantic::PythonDatetime`: a member stored as S in the form Python's `datetime.isoformat()`
    gives it, as Python Dynantic (Pydantic models over boto3) writes `datetime` fields. Declare a
    member of this type where a table is shared with Python apps; every path (items, keys, key
    conditions, filters, updates) then uses this form for it.

    | value                                   | written as                          |
    |-----------------------------------------|-------------------------------------|
    | UTC, whole seconds                      | `2024-01-01T12:00:00Z`              |
    | UTC, with a fraction                    | `2024-01-01T12:00:00.789000Z`       |
    | offset +02:00 (12:00:00.5 UTC)          | `2024-01-01T14:00:00.500000+02:00`  |
    | naive (no time zone)                    | `2024-01-01T12:00:00`               |

    The fraction has six digits (microseconds) and is left out when it is zero, as
    `isoformat()` does; a UTC value ends in `Z` (Python Dynantic writes `isoformat()` without
    the `+00:00` and adds `Z`). Reading accepts these forms and every form the default time codec
    reads (`+00:00`, `+0200`, `+02`, a fraction of any length, floored to microseconds), and keeps
    the offset, or the absence of a zone, so an item read and written back keeps its text.

    Sort order: this form has a variable width, so a sort key of these values does not sort by
    time as strings (`...12:00:00Z` sorts after `...12:00:00.5Z`, since `Z` > `.`; mixed offsets
    sort by wall-clock time). The fixed-width default of `Timestamp` (codec/time.hpp) sorts
    correctly; use this type only where Python apps share the attribute (README, "Tables shared
    with Python Dynantic").

    Writing a year outside 0000-9999 is a `ValidationError`; reading other text, or an offset
    that is not a whole number of minutes, is a `DecodeError` naming the attribute. */

#include <dynantic/codec/time.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace dynantic {

/** A Python `datetime` (microsecond precision, aware or naive), stored as `isoformat()` gives it
    (file comment). Converts implicitly from a `Timestamp` (an aware UTC value). */
struct PythonDatetime {
    /** The point in time in UTC; for a naive value, its wall-clock time taken as UTC. */
    Timestamp time{};
    /** The UTC offset written after the time (`+02:00`); zero is written `Z`; `std::nullopt`
        is a naive datetime (no zone written). */
    std::optional<std::chrono::minutes> offset = std::chrono::minutes{0};

    /** 1970-01-01T00:00:00Z. */
    constexpr PythonDatetime() = default;
    /** An aware UTC value. */
    constexpr PythonDatetime(Timestamp utc) : time(utc) {}   // NOLINT(google-explicit-constructor)
    /** An aware value at `utc`, written with the UTC offset `utc_offset` (wall time = utc + offset). */
    constexpr PythonDatetime(Timestamp utc, std::chrono::minutes utc_offset) : time(utc), offset(utc_offset) {}
    /** A naive value (no zone): `wall` is its wall-clock time, taken as UTC. */
    static constexpr PythonDatetime naive(Timestamp wall) {
        PythonDatetime d(wall);
        d.offset.reset();
        return d;
    }
    /** True for a naive value. */
    constexpr bool is_naive() const noexcept { return !offset.has_value(); }
    /** The wall-clock time written: `time` plus the offset. */
    constexpr Timestamp wall_time() const noexcept { return time + offset.value_or(std::chrono::minutes{0}); }

    /** Equal when the instant and the offset (or naivety) are equal. */
    friend constexpr bool operator==(const PythonDatetime&, const PythonDatetime&) = default;
};

namespace detail {
/** The `isoformat()` text of `v` into `buf`; returns its length. @throws AttributeError (on write). */
std::size_t format_python_datetime(const PythonDatetime& v, char (&buf)[48]);
/** @throws AttributeError naming the expected form. */
PythonDatetime parse_python_datetime(std::string_view text);
}  // namespace detail

/** `PythonDatetime`: S, `datetime.isoformat()` as Python Dynantic writes it (file comment). */
template <>
struct attribute_traits<PythonDatetime> {
    static constexpr AttributeType type = AttributeType::S;   ///< the wire type
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const PythonDatetime& v, boost::json::value& out) {
        char buf[48];
        detail::set_attribute(out, type, std::string_view(buf, detail::format_python_datetime(v, buf)));
    }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static PythonDatetime from_attribute(const boost::json::value& av) {
        const auto& s = detail::expect_type(av, type).get_string();
        return detail::parse_python_datetime(std::string_view(s.data(), s.size()));
    }
};

}  // namespace dynantic
