// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/decimal.hpp>

#include <dynantic/codec/scalars.hpp>
#include <dynantic/error.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <ostream>
#include <utility>

namespace dynantic {
namespace {

using Int = Decimal::coefficient_type;

const Int& power_of_ten(std::int64_t n) {
    // Small powers are cached; larger ones are computed (they only arise from far-apart scales).
    static const auto table = [] {
        std::array<Int, 128> t;
        t[0] = 1;
        for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
        return t;
    }();
    if (n < static_cast<std::int64_t>(table.size())) return table[static_cast<std::size_t>(n)];
    thread_local Int big;
    big = boost::multiprecision::pow(Int(10), static_cast<unsigned>(n));
    return big;
}

Int scaled(const Int& c, std::int64_t n) { return n == 0 ? c : c * power_of_ten(n); }

/** True when |c| fits one 64-bit limb (cpp_int is sign and magnitude). */
bool is_small(const Int& c) noexcept { return c.backend().size() == 1; }
std::uint64_t small_magnitude(const Int& c) noexcept { return c.backend().limbs()[0]; }

/** Decimal digits of |c| (1 for zero). */
std::size_t digit_count(const Int& c) {
    if (is_small(c)) {
        std::uint64_t u = small_magnitude(c);
        std::size_t n = 1;
        while (u >= 10) {
            u /= 10;
            ++n;
        }
        return n;
    }
    return Int(boost::multiprecision::abs(c)).str().size();
}

std::string magnitude_digits(const Int& c) {
    if (is_small(c)) {
        const std::uint64_t u = small_magnitude(c);
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, u);
        return std::string(buf, r.ptr);
    }
    return Int(boost::multiprecision::abs(c)).str();
}

/** Most digits a coefficient within the bounds can have: first digit at 10^125, last at
    10^-max_exponent. */
constexpr std::int64_t max_coefficient_digits = Decimal::max_adjusted_exponent + Decimal::max_exponent + 1;

constexpr const char* range_text =
    "DynamoDB's range (magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125)";

enum class Bounds { ok, too_large, too_small, scale };

/** Where coefficient x 10^exponent stands against the bounds of `Decimal`. A zero is always ok
    (its exponent is clamped). Costs no more than counting the digits of a coefficient whose
    size is known to be bounded. */
Bounds bounds_of(const Int& c, std::int64_t exponent) {
    if (c.is_zero()) return Bounds::ok;
    // 2^3740 > 10^1126: a coefficient that wide cannot be within the bounds.
    if (boost::multiprecision::msb(boost::multiprecision::abs(c)) > 3740) return exponent < 0 ? Bounds::scale : Bounds::too_large;
    const std::int64_t adjusted = exponent + static_cast<std::int64_t>(digit_count(c)) - 1;
    if (adjusted > Decimal::max_adjusted_exponent) return Bounds::too_large;
    if (adjusted < Decimal::min_adjusted_exponent) return Bounds::too_small;
    if (exponent < -Decimal::max_exponent) return Bounds::scale;
    return Bounds::ok;
}

[[noreturn]] void throw_bounds(Bounds b, const char* what) {
    std::string message = "dynantic::Decimal: ";
    message += what;
    switch (b) {
    case Bounds::too_large: message += " is too large for "; message += range_text; break;
    case Bounds::too_small: message += " is too small for "; message += range_text; break;
    case Bounds::scale:
    case Bounds::ok:
        message += " has more than " + std::to_string(Decimal::max_exponent) + " digits after the decimal point";
        break;
    }
    ErrorInfo info;
    info.message = std::move(message);
    throw ValidationError(std::move(info));
}

std::int64_t clamp_zero_exponent(std::int64_t e) {
    return std::clamp<std::int64_t>(e, -Decimal::max_exponent, Decimal::max_exponent);
}

enum class ParseStatus { ok, invalid, out_of_range };

/** Parses `text`; for `out_of_range`, `bounds` says which bound it passed. Digits beyond what a
    coefficient within the bounds can hold are scanned, never accumulated. */
ParseStatus parse_text(std::string_view text, Int& coefficient, std::int64_t& exponent, Bounds& bounds) {
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    // Digits, accumulated in 19-digit chunks; leading zeros skipped.
    std::uint64_t chunk = 0;
    int chunk_digits = 0;
    bool big = false;
    Int c;
    std::size_t digits = 0;
    std::int64_t fraction_digits = 0;
    bool point = false;
    bool any = false;
    for (; i < text.size(); ++i) {
        const char ch = text[i];
        if (ch == '.') {
            if (point) return ParseStatus::invalid;
            point = true;
            continue;
        }
        if (ch < '0' || ch > '9') break;
        any = true;
        if (point) ++fraction_digits;
        if (digits == 0 && ch == '0') continue;
        if (++digits > static_cast<std::size_t>(max_coefficient_digits)) continue;  // out of range: checked below
        chunk = chunk * 10 + static_cast<unsigned>(ch - '0');
        if (++chunk_digits == 19) {
            if (big) c = c * power_of_ten(19) + chunk;
            else c = chunk;
            big = true;
            chunk = 0;
            chunk_digits = 0;
        }
    }
    if (!any) return ParseStatus::invalid;
    const bool too_many_digits = digits > static_cast<std::size_t>(max_coefficient_digits);
    if (big) {
        if (chunk_digits > 0) c = c * power_of_ten(chunk_digits) + chunk;
    } else {
        c = chunk;
    }
    std::int64_t e = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        const char* begin = text.data() + i;
        const char* end = text.data() + text.size();
        if (begin != end && *begin == '+') ++begin;
        const bool minus = begin != end && *begin == '-';
        const auto r = std::from_chars(begin, end, e);
        if (r.ec == std::errc::result_out_of_range) {
            // Beyond any bound; scan the rest for validity.
            const char* p = begin + (minus ? 1 : 0);
            if (p == end) return ParseStatus::invalid;
            for (; p != end; ++p)
                if (*p < '0' || *p > '9') return ParseStatus::invalid;
            e = minus ? std::numeric_limits<std::int64_t>::min() / 2 : std::numeric_limits<std::int64_t>::max() / 2;
        } else if (r.ec != std::errc{} || r.ptr != end || begin == end) {
            return ParseStatus::invalid;
        }
        i = text.size();
    }
    if (i != text.size()) return ParseStatus::invalid;
    // |e| and fraction_digits are far below 2^62 here, or e was set to +-2^62: no overflow.
    e = std::clamp<std::int64_t>(e, std::numeric_limits<std::int64_t>::min() / 2, std::numeric_limits<std::int64_t>::max() / 2);
    e -= std::min<std::int64_t>(fraction_digits, std::numeric_limits<std::int64_t>::max() / 4);
    if (c.is_zero()) {
        e = clamp_zero_exponent(e);
    } else if (too_many_digits) {
        bounds = e + static_cast<std::int64_t>(digits) - 1 > Decimal::max_adjusted_exponent ? Bounds::too_large : Bounds::scale;
        return ParseStatus::out_of_range;
    } else if ((bounds = bounds_of(c, e)) != Bounds::ok) {
        return ParseStatus::out_of_range;
    }
    coefficient = negative ? Int(-c) : std::move(c);
    exponent = e;
    return ParseStatus::ok;
}

}  // namespace

Decimal::Decimal(coefficient_type coefficient, std::int64_t exponent) : coefficient_(std::move(coefficient)) {
    if (coefficient_.is_zero()) {
        exponent_ = static_cast<std::int32_t>(clamp_zero_exponent(exponent));
        return;
    }
    const std::int64_t e = std::clamp<std::int64_t>(exponent, -(std::int64_t{1} << 40), std::int64_t{1} << 40);
    if (const Bounds b = bounds_of(coefficient_, e); b != Bounds::ok) throw_bounds(b, "the value");
    exponent_ = static_cast<std::int32_t>(e);
}

void Decimal::check_range(const char* what) const {
    if (const Bounds b = bounds_of(coefficient_, exponent_); b != Bounds::ok) throw_bounds(b, what);
}

Decimal::Decimal(std::string_view text) {
    std::int64_t e = 0;
    Bounds bounds = Bounds::ok;
    switch (parse_text(text, coefficient_, e, bounds)) {
    case ParseStatus::ok: exponent_ = static_cast<std::int32_t>(e); return;
    case ParseStatus::invalid:
        throw std::invalid_argument("dynantic::Decimal: '" + std::string(text) + "' is not a decimal number");
    case ParseStatus::out_of_range: throw_bounds(bounds, "the number");
    }
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
    Decimal d;
    std::int64_t e = 0;
    Bounds bounds = Bounds::ok;
    if (parse_text(text, d.coefficient_, e, bounds) != ParseStatus::ok) return std::nullopt;
    d.exponent_ = static_cast<std::int32_t>(e);
    return d;
}

Decimal Decimal::from_double(double value) {
    if (!std::isfinite(value)) throw std::invalid_argument("dynantic::Decimal: NaN and infinity are not decimals");
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return Decimal(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

std::string Decimal::to_string() const {
    const std::string digits = magnitude_digits(coefficient_);
    const auto n = static_cast<std::int64_t>(digits.size());
    const std::int64_t adjusted = exponent_ + n - 1;
    std::string out;
    if (coefficient_.sign() < 0) out += '-';
    if (exponent_ <= 0 && adjusted >= -6) {
        if (exponent_ == 0) {
            out += digits;
        } else if (n + exponent_ > 0) {
            const auto split = static_cast<std::size_t>(n + exponent_);
            out.append(digits, 0, split);
            out += '.';
            out.append(digits, split);
        } else {
            out += "0.";
            out.append(static_cast<std::size_t>(-(n + exponent_)), '0');
            out += digits;
        }
    } else {
        out += digits[0];
        if (n > 1) {
            out += '.';
            out.append(digits, 1);
        }
        out += 'E';
        out += adjusted >= 0 ? '+' : '-';
        out += std::to_string(adjusted >= 0 ? adjusted : -adjusted);
    }
    return out;
}

double Decimal::to_double() const {
    const std::string text = to_string();
    double v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec == std::errc::result_out_of_range) {
        const bool huge = exponent_ + static_cast<std::int64_t>(digit_count(coefficient_)) > 0;
        v = huge ? std::numeric_limits<double>::infinity() : 0.0;
        return sign() < 0 ? -v : v;
    }
    return v;
}

std::size_t Decimal::significant_digits() const {
    if (is_zero()) return 0;
    return digit_count(normalized().coefficient_);
}

Decimal Decimal::normalized() const {
    Decimal out;
    if (is_zero()) return out;
    out = *this;
    Int q, r;
    for (;;) {
        boost::multiprecision::divide_qr(out.coefficient_, Int(10), q, r);
        if (!r.is_zero()) break;
        out.coefficient_ = q;
        out.exponent_ += 1;
    }
    return out;
}

Decimal Decimal::round(int places) const {
    const std::int64_t target = -static_cast<std::int64_t>(places);
    if (target < -max_exponent) throw_bounds(Bounds::scale, "round(places) for this many places");
    Decimal out;
    out.exponent_ = static_cast<std::int32_t>(clamp_zero_exponent(target));
    if (is_zero()) return out;
    if (target <= exponent_) {
        // Padding: at most max_exponent + max_adjusted_exponent zeros (both exponents are bounded).
        out.coefficient_ = scaled(coefficient_, exponent_ - target);
        return out;
    }
    const std::int64_t dropped = target - exponent_;
    if (dropped > static_cast<std::int64_t>(digit_count(coefficient_))) return out;  // |value| < half a unit
    // dropped <= the coefficient's digits (<= 1126): the divisor is as bounded as the value.
    const Int magnitude = boost::multiprecision::abs(coefficient_);
    const Int& divisor = power_of_ten(dropped);
    Int q, r;
    boost::multiprecision::divide_qr(magnitude, divisor, q, r);
    const Int twice = r * 2;
    if (twice > divisor || (twice == divisor && boost::multiprecision::bit_test(q, 0))) q += 1;
    out.coefficient_ = sign() < 0 ? Int(-q) : q;
    out.check_range("the rounded value");
    return out;
}

Decimal Decimal::operator-() const {
    Decimal out = *this;
    out.coefficient_ = -out.coefficient_;
    return out;
}

Decimal& Decimal::operator+=(const Decimal& other) {
    // Both exponents are within +-max_exponent: aligning scales by at most 2000 digits.
    Int sum;
    std::int32_t exponent = exponent_;
    if (exponent_ == other.exponent_) {
        sum = coefficient_ + other.coefficient_;
    } else if (exponent_ > other.exponent_) {
        sum = scaled(coefficient_, exponent_ - other.exponent_) + other.coefficient_;
        exponent = other.exponent_;
    } else {
        sum = coefficient_ + scaled(other.coefficient_, other.exponent_ - exponent_);
    }
    if (sum.is_zero()) {
        coefficient_ = 0;
        exponent_ = exponent;
        return *this;
    }
    if (const Bounds b = bounds_of(sum, exponent); b != Bounds::ok) throw_bounds(b, "the sum");
    coefficient_ = std::move(sum);
    exponent_ = exponent;
    return *this;
}

Decimal& Decimal::operator-=(const Decimal& other) { return *this += -other; }

Decimal& Decimal::operator*=(const Decimal& other) {
    const std::int64_t exponent = static_cast<std::int64_t>(exponent_) + other.exponent_;
    Int product = coefficient_ * other.coefficient_;
    if (product.is_zero()) {
        coefficient_ = 0;
        exponent_ = static_cast<std::int32_t>(clamp_zero_exponent(exponent));
        return *this;
    }
    if (const Bounds b = bounds_of(product, exponent); b != Bounds::ok) throw_bounds(b, "the product");
    coefficient_ = std::move(product);
    exponent_ = static_cast<std::int32_t>(exponent);
    return *this;
}

int Decimal::compare(const Decimal& a, const Decimal& b) {
    const int sa = a.sign();
    const int sb = b.sign();
    if (sa != sb) return sa < sb ? -1 : 1;
    if (sa == 0) return 0;
    const std::int64_t adjusted_a = a.exponent_ + static_cast<std::int64_t>(digit_count(a.coefficient_));
    const std::int64_t adjusted_b = b.exponent_ + static_cast<std::int64_t>(digit_count(b.coefficient_));
    int magnitude_order = 0;
    if (adjusted_a != adjusted_b) {
        magnitude_order = adjusted_a < adjusted_b ? -1 : 1;
    } else {
        // Same leading digit position: aligning costs at most the difference in digit counts.
        const Int ma = scaled(boost::multiprecision::abs(a.coefficient_), std::max(0, a.exponent_ - b.exponent_));
        const Int mb = scaled(boost::multiprecision::abs(b.coefficient_), std::max(0, b.exponent_ - a.exponent_));
        magnitude_order = ma < mb ? -1 : (mb < ma ? 1 : 0);
    }
    return sa > 0 ? magnitude_order : -magnitude_order;
}

std::size_t Decimal::hash() const {
    if (is_zero()) return 0;
    const Decimal n = normalized();
    return std::hash<std::string>{}(n.coefficient_.str()) ^ (std::hash<std::int32_t>{}(n.exponent_) * 31);
}

std::ostream& operator<<(std::ostream& os, const Decimal& d) { return os << d.to_string(); }

namespace detail {

Decimal parse_decimal_attribute(std::string_view text) {
    std::int64_t e = 0;
    Bounds bounds = Bounds::ok;
    Int coefficient;
    switch (parse_text(text, coefficient, e, bounds)) {
    case ParseStatus::ok: return Decimal(std::move(coefficient), e);
    case ParseStatus::out_of_range:
        throw_attribute_error(std::string("number is ") + (bounds == Bounds::too_small ? "too small" : bounds == Bounds::too_large ? "too large" : "too long") +
                              " for " + range_text);
    case ParseStatus::invalid: break;
    }
    throw_attribute_error(redacted(text) + " is not a number");
}

std::string format_decimal_attribute(const Decimal& value) {
    std::string text = value.to_string();
    check_number_text(text);
    return text;
}

}  // namespace detail

void attribute_traits<Decimal>::to_attribute(const Decimal& v, boost::json::value& out) {
    detail::set_attribute(out, type, detail::format_decimal_attribute(v));
}

Decimal attribute_traits<Decimal>::from_attribute(const boost::json::value& av) {
    const auto& s = detail::expect_type(av, type).get_string();
    return detail::parse_decimal_attribute(std::string_view(s.data(), s.size()));
}

}  // namespace dynantic
