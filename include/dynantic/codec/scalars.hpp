// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The scalar mappings: strings (S), integers and floating point numbers (N), `bool` (BOOL) and
    `std::optional<T>` (T, or no attribute). */

#include <dynantic/codec/traits.hpp>

#include <boost/json/string.hpp>

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace dynantic {
namespace detail {

/** Parses a DynamoDB number ("42", "-7", "1E+2", "1.50E1") into an integer, exactly.
    @throws AttributeError when it is not an integer or out of `T`'s range. */
template <std::integral T>
T parse_integer(std::string_view text);

/** Shortest text that reads back as the same double.
    @throws AttributeError (on write) for NaN, infinity, and magnitudes outside DynamoDB's
    range (1E-130 to 9.9999999999999999999999999999999999999E+125). */
std::string format_double(double v);
std::string format_float(float v);
/** As above, into `buf`; returns the length. */
std::size_t format_double(double v, char (&buf)[32]);
std::size_t format_float(float v, char (&buf)[32]);
double parse_double(std::string_view text);

/** Checks the text of a number about to be written: at most 38 significant digits, magnitude
    zero or within DynamoDB's range. @throws AttributeError (on write) naming the limit. */
void check_number_text(std::string_view text);

/** Checks that a string about to be written is valid UTF-8 (DynamoDB rejects anything else).
    @throws AttributeError (on write) with the offset of the first bad byte. */
void check_utf8(std::string_view text);


/** Integer parse via from_chars; falls back to exact exponent/fraction handling. */
bool parse_integer_slow(std::string_view text, bool is_signed, std::uint64_t& magnitude, bool& negative);

// Plain decimal integers ("42", "-7") by std::from_chars / std::to_chars, in the library so that
// <charconv> stays out of the headers. The parsers return false for any other text.
bool parse_plain_integer(std::string_view text, std::int64_t& value) noexcept;
bool parse_plain_integer(std::string_view text, std::uint64_t& value) noexcept;
std::size_t format_integer(std::int64_t value, char (&buf)[24]) noexcept;
std::size_t format_integer(std::uint64_t value, char (&buf)[24]) noexcept;

template <std::integral T>
T parse_integer(std::string_view text) {
    using Wide = std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>;
    if (Wide wide{}; parse_plain_integer(text, wide) && wide <= static_cast<Wide>(std::numeric_limits<T>::max())) {
        if constexpr (std::is_unsigned_v<T>) return static_cast<T>(wide);
        else if (wide >= static_cast<Wide>(std::numeric_limits<T>::min())) return static_cast<T>(wide);
    }
    std::uint64_t magnitude = 0;
    bool negative = false;
    if (!parse_integer_slow(text, std::is_signed_v<T>, magnitude, negative))
        throw_attribute_error("number " + redacted(text) + " is not an integer that fits " +
                              (std::is_signed_v<T> ? "a signed " : "an unsigned ") +
                              std::to_string(sizeof(T) * 8) + "-bit integer");
    if (negative) {
        if constexpr (std::is_signed_v<T>) {
            if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<T>::max()) + 1)
                return static_cast<T>(-static_cast<std::int64_t>(magnitude - 1) - 1);
        } else if (magnitude == 0) {
            return 0;
        }
    } else if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        return static_cast<T>(magnitude);
    }
    throw_attribute_error("number " + redacted(text) + " is out of range of a " +
                          std::to_string(sizeof(T) * 8) + "-bit integer");
}

}  // namespace detail

/** Strings: S. Empty strings are allowed except as key values. Writing checks that the text
    is valid UTF-8 (a `ValidationError` naming the attribute otherwise). */
template <>
struct attribute_traits<std::string> {
    static constexpr AttributeType type = AttributeType::S;   ///< the wire type
    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(const std::string& v, F&& f) {
        detail::check_utf8(v);
        f(std::string_view(v));
    }
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const std::string& v, boost::json::value& out) {
        detail::check_utf8(v);
        detail::set_attribute(out, type, v);
    }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static std::string from_attribute(const boost::json::value& av) {
        const auto& s = detail::expect_type(av, type).get_string();
        return std::string(s.data(), s.size());
    }
};

/** Integers of every width: N, exact. Reading accepts any DynamoDB spelling of an integer
    ("100", "1E+2", "100.0"); a fraction or an out-of-range value is a decode error. */
template <class T>
    requires std::integral<T> && (!std::same_as<T, bool>) && (!std::same_as<T, char>)
struct attribute_traits<T> {
    static constexpr AttributeType type = AttributeType::N;   ///< the wire type
    static constexpr bool library_codec = true;   ///< the library's own mapping (pages read it from the text)
    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(T v, F&& f) {
        char buf[24];
        using Wide = std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>;
        f(std::string_view(buf, detail::format_integer(static_cast<Wide>(v), buf)));
    }
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(T v, boost::json::value& out) {
        with_text(v, [&](std::string_view text) { detail::set_attribute(out, type, text); });
    }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static T from_attribute(const boost::json::value& av) {
        const auto& s = detail::expect_type(av, type).get_string();
        return detail::parse_integer<T>(std::string_view(s.data(), s.size()));
    }
};

/** `float` and `double`: N, written in the shortest form that reads back to the same value
    ("0.1", "1e+100"). NaN, infinities and magnitudes outside DynamoDB's range (1E-130 to
    9.99...E+125; a double reaches 1.8E+308) cannot be stored: writing one is a
    `ValidationError`. Use `Decimal` for exact decimal values such as money. */
template <std::floating_point T>
struct attribute_traits<T> {
    static constexpr AttributeType type = AttributeType::N;   ///< the wire type
    static constexpr bool library_codec = true;   ///< the library's own mapping (pages read it from the text)
    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(T v, F&& f) {
        char buf[32];
        std::size_t n = 0;
        if constexpr (std::same_as<T, float>) n = detail::format_float(v, buf);
        else n = detail::format_double(static_cast<double>(v), buf);
        f(std::string_view(buf, n));
    }
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(T v, boost::json::value& out) {
        with_text(v, [&](std::string_view text) { detail::set_attribute(out, type, text); });
    }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static T from_attribute(const boost::json::value& av) {
        const auto& s = detail::expect_type(av, type).get_string();
        return static_cast<T>(detail::parse_double(std::string_view(s.data(), s.size())));
    }
};

/** `bool`: BOOL. */
template <>
struct attribute_traits<bool> {
    static constexpr AttributeType type = AttributeType::BOOL;   ///< the wire type
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(bool v, boost::json::value& out) { detail::set_bool_attribute(out, v); }
    /** Appends the value's AttributeValue to `out` as JSON text (the fast path of `to_item_json`). */
    static void append_text(bool v, std::string& out) { out += v ? R"({"BOOL":true})" : R"({"BOOL":false})"; }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static bool from_attribute(const boost::json::value& av) {
        const auto& v = detail::expect_type(av, type);
        if (!v.is_bool()) detail::throw_attribute_error("malformed BOOL attribute value");
        return v.get_bool();
    }
};

/** `std::optional<T>`: T when engaged; `std::nullopt` writes no attribute (NULL inside a list
    or map). A missing attribute or a NULL one reads as `std::nullopt`. An engaged value that is
    itself omitted (an empty set) is omitted too, and so reads back as `std::nullopt`. */
template <class T>
struct attribute_traits<std::optional<T>> {
    static constexpr AttributeType type = detail::wire_type_of<T>();   ///< the wire type
    static constexpr bool library_codec = true;   ///< the library's own mapping (pages read it from the text)
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const std::optional<T>& v, boost::json::value& out) {
        if (v && !dynantic::omit_attribute(*v)) dynantic::to_attribute(*v, out);
        else detail::set_null_attribute(out);
    }
    /** Appends the value's AttributeValue to `out` as JSON text (the fast path of `to_item_json`). */
    static void append_text(const std::optional<T>& v, std::string& out) {
        if (v && !dynantic::omit_attribute(*v)) detail::append_attribute(*v, out);
        else out += R"({"NULL":true})";
    }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static std::optional<T> from_attribute(const boost::json::value& av) {
        if (detail::type_of(av) == AttributeType::NUL) return std::nullopt;
        return dynantic::from_attribute<T>(av);
    }
    /** True when the value is left out of the item (nothing to store). */
    static bool omit(const std::optional<T>& v) { return !v.has_value() || dynantic::omit_attribute(*v); }
};

}  // namespace dynantic
