// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/item.hpp>

#include <boost/json/serialize.hpp>

#include <array>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace dynantic::detail {

void throw_attribute_error(std::string message, bool on_write) {
    throw AttributeError{{}, std::move(message), on_write};
}

namespace {
/** segment + (a '.' before a member name) + path. Built anew rather than with insert(0, ...),
    which trips GCC 12's -Wrestrict false positive at -O3. */
void prepend_segment(AttributeError& e, std::string segment) {
    if (!e.path.empty() && e.path.front() != '[') segment += '.';
    segment += e.path;
    e.path = std::move(segment);
}
}  // namespace

void prepend_path(AttributeError& e, std::string_view name) { prepend_segment(e, std::string(name)); }

void prepend_index(AttributeError& e, std::size_t index) {
    std::string segment(1, '[');
    segment += std::to_string(index);
    segment += ']';
    prepend_segment(e, std::move(segment));
}

void prepend_key(AttributeError& e, std::string_view key) {
    std::string segment(1, '[');
    // A map key is data, as the values are: shown redacted (an empty key, refused on write, as "").
    segment += key.empty() ? std::string("\"\"") : redacted(key);
    segment += ']';
    prepend_segment(e, std::move(segment));
}

AttributeType type_of(const boost::json::value& av) {
    static constexpr std::array<std::string_view, 10> names{"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
    const auto* obj = av.if_object();
    if (obj == nullptr || obj->size() != 1)
        throw_attribute_error("malformed AttributeValue: expected an object with exactly one type key");
    const std::string_view key = obj->begin()->key();
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == key) return static_cast<AttributeType>(i);
    throw_attribute_error("malformed AttributeValue: unknown type '" + std::string(key) + "'");
}

const boost::json::value& expect_type(const boost::json::value& av, AttributeType t) {
    const AttributeType found = type_of(av);
    if (found != t)
        throw_attribute_error("expected " + std::string(to_string(t)) + ", found " + std::string(to_string(found)));
    const auto& inner = av.get_object().begin()->value();
    const bool string_payload = t == AttributeType::S || t == AttributeType::N || t == AttributeType::B;
    if (string_payload && !inner.is_string())
        throw_attribute_error("malformed " + std::string(to_string(t)) + " attribute value: not a string");
    return inner;
}

void set_attribute(boost::json::value& out, AttributeType t, std::string_view text) {
    out.emplace_object().emplace(to_string(t), text);
}

void set_bool_attribute(boost::json::value& out, bool v) { out.emplace_object().emplace("BOOL", v); }

void set_null_attribute(boost::json::value& out) { out.emplace_object().emplace("NULL", true); }

namespace {
template <class F>
std::size_t format_floating(F v, char (&buf)[32]) {
    if (!std::isfinite(v)) throw_attribute_error("NaN and infinity cannot be stored", true);
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    const auto n = static_cast<std::size_t>(r.ptr - buf);
    // Shortest round-trip text has at most 17 digits; only the magnitude can be out of range.
    const double magnitude = std::fabs(static_cast<double>(v));
    if (magnitude != 0 && (magnitude < 1e-129 || magnitude > 1e125)) check_number_text(std::string_view(buf, n));
    return n;
}
}  // namespace

std::size_t format_double(double v, char (&buf)[32]) { return format_floating(v, buf); }
std::size_t format_float(float v, char (&buf)[32]) { return format_floating(v, buf); }
std::string format_double(double v) {
    char buf[32];
    return std::string(buf, format_floating(v, buf));
}
std::string format_float(float v) {
    char buf[32];
    return std::string(buf, format_floating(v, buf));
}

double parse_double(std::string_view text) {
    double v = 0;
    const char* first = text.data();
    const char* last = first + text.size();
    if (!text.empty() && *first == '+') ++first;  // from_chars refuses a leading '+'
    const auto [end, ec] = std::from_chars(first, last, v);
    if (ec == std::errc::result_out_of_range)
        throw_attribute_error("number " + redacted(text) + " is out of range of a double");
    if (ec != std::errc{} || end != last || text.empty())
        throw_attribute_error(redacted(text) + " is not a number");
    return v;
}

namespace {
template <class I>
bool parse_whole(std::string_view text, I& value) noexcept {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && end == text.data() + text.size();
}
template <class I>
std::size_t format_whole(I value, char (&buf)[24]) noexcept {
    return static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, value).ptr - buf);
}
}  // namespace

bool parse_plain_integer(std::string_view text, std::int64_t& value) noexcept { return parse_whole(text, value); }
bool parse_plain_integer(std::string_view text, std::uint64_t& value) noexcept { return parse_whole(text, value); }
std::size_t format_integer(std::int64_t value, char (&buf)[24]) noexcept { return format_whole(value, buf); }
std::size_t format_integer(std::uint64_t value, char (&buf)[24]) noexcept { return format_whole(value, buf); }

bool parse_integer_slow(std::string_view text, bool /*is_signed*/, std::uint64_t& magnitude, bool& negative) {
    // DynamoDB numbers: [+-]digits[.digits][(e|E)[+-]digits]. Exact integer or fail.
    std::size_t i = 0;
    negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    std::string digits;
    std::int64_t point = -1;
    for (; i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'); ++i) {
        if (text[i] == '.') {
            if (point >= 0) return false;
            point = static_cast<std::int64_t>(digits.size());
        } else {
            digits += text[i];
        }
    }
    if (digits.empty()) return false;
    std::int64_t exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        const auto [end, ec] = std::from_chars(text.data() + i + (i < text.size() && text[i] == '+'),
                                               text.data() + text.size(), exponent);
        if (ec != std::errc{} || end != text.data() + text.size()) return false;
        i = text.size();
    }
    if (i != text.size()) return false;
    // value = 0.digits... scaled: integer part has (point or size) + exponent digits.
    const std::int64_t int_digits = (point >= 0 ? point : static_cast<std::int64_t>(digits.size())) + exponent;
    if (int_digits > 40) {
        for (char c : digits)
            if (c != '0') return false;  // too large (unless zero)
        magnitude = 0;
        negative = false;
        return true;
    }
    std::uint64_t m = 0;
    for (std::int64_t k = 0; k < static_cast<std::int64_t>(digits.size()); ++k) {
        const unsigned d = static_cast<unsigned>(digits[static_cast<std::size_t>(k)] - '0');
        if (k >= int_digits) {
            if (d != 0) return false;  // a fraction
            continue;
        }
        if (m > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
        m = m * 10 + d;
    }
    for (std::int64_t k = static_cast<std::int64_t>(digits.size()); k < int_digits; ++k) {
        if (m > std::numeric_limits<std::uint64_t>::max() / 10) return false;
        m *= 10;
    }
    magnitude = m;
    if (m == 0) negative = false;
    return true;
}

void throw_empty_map_key() { throw_attribute_error("map keys must not be empty", true); }

void throw_item_error(const AttributeError& e, ErrorInfo context) {
    context.message = "attribute '" + e.path + "': " + e.message;
    if (e.on_write) throw ValidationError(std::move(context));
    throw DecodeError(std::move(context));
}

}  // namespace dynantic::detail
