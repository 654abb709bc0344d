// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/decimal.hpp>

#include <dynantic/codec/scalars.hpp>
#include <dynantic/error.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <ostream>
#include <utility>

namespace dynantic {

namespace detail {

/** A magnitude of more than 128 bits (an intermediate result wider than DynamoDB stores). */
struct WideInteger {
    boost::multiprecision::cpp_int value;   // > 0
};

}  // namespace detail

namespace {

using Int = boost::multiprecision::cpp_int;   // wide intermediates only
__extension__ typedef unsigned __int128 u128;   // GCC and Clang; the header uses two uint64s
using Coefficient = Decimal::coefficient_type;

/** 10^0 .. 10^38, the powers of ten below 2^128. */
constexpr std::array<u128, 39> small_powers = [] {
    std::array<u128, 39> t{};
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
}();

/** Decimal digits of `u` (1 for zero). */
std::size_t small_digit_count(u128 u) noexcept {
    std::size_t n = 1;
    while (n < small_powers.size() && u >= small_powers[n]) ++n;
    return n;
}

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

/** Digits of `u`, at most 39. */
std::string u128_digits(u128 u) {
    char buf[40];
    char* p = buf + sizeof buf;
    do {
        *--p = static_cast<char>('0' + static_cast<int>(u % 10));
        u /= 10;
    } while (u != 0);
    return std::string(p, buf + sizeof buf);
}

}  // namespace

namespace detail {

/** The library's view of a coefficient: inline 128 bits, or a wide magnitude. */
struct DecimalAccess {
    static bool is_wide(const Coefficient& c) noexcept { return c.wide_ != nullptr; }
    static bool negative(const Coefficient& c) noexcept { return c.negative_; }
    /** The magnitude, when not wide. */
    static u128 small(const Coefficient& c) noexcept { return (static_cast<u128>(c.high_) << 64) | c.low_; }
    static const Int& wide(const Coefficient& c) noexcept { return c.wide_->value; }

    static Coefficient make(bool negative, u128 magnitude) noexcept {
        Coefficient c;
        c.negative_ = negative && magnitude != 0;
        c.low_ = static_cast<std::uint64_t>(magnitude);
        c.high_ = static_cast<std::uint64_t>(magnitude >> 64);
        return c;
    }
    /** The coefficient of value `v`, inline when it fits 128 bits. */
    static Coefficient make(const Int& v) {
        const bool negative = v.sign() < 0;
        Int magnitude = boost::multiprecision::abs(v);
        if (magnitude.is_zero() || boost::multiprecision::msb(magnitude) < 128) {
            const Int high = magnitude >> 64;
            const Int low = magnitude - (high << 64);
            return make(negative, (static_cast<u128>(static_cast<std::uint64_t>(high)) << 64) | static_cast<std::uint64_t>(low));
        }
        Coefficient c;
        c.negative_ = negative;
        c.wide_ = std::make_shared<const WideInteger>(WideInteger{std::move(magnitude)});
        return c;
    }
    /** The signed value as a wide integer. */
    static Int to_int(const Coefficient& c) {
        Int v;
        if (c.wide_) {
            v = c.wide_->value;
        } else {
            v = c.high_;
            v <<= 64;
            v += c.low_;
        }
        return c.negative_ ? Int(-v) : v;
    }
    /** Decimal digits of |c| (1 for zero). */
    static std::size_t digit_count(const Coefficient& c) {
        return c.wide_ ? c.wide_->value.str().size() : small_digit_count(small(c));
    }
    static std::string magnitude_digits(const Coefficient& c) {
        return c.wide_ ? c.wide_->value.str() : u128_digits(small(c));
    }
    static Coefficient negated(Coefficient c) noexcept {
        if (!c.is_zero()) c.negative_ = !c.negative_;
        return c;
    }
};

}  // namespace detail


namespace {

using Access = detail::DecimalAccess;

/** Most digits a coefficient within the bounds can have: first digit at 10^125, last at
    10^-max_exponent. */
constexpr std::int64_t max_coefficient_digits = Decimal::max_adjusted_exponent + Decimal::max_exponent + 1;

/** Most digits whose every value fits the inline 128 bits. */
constexpr std::size_t max_small_digits = small_powers.size() - 1;

constexpr const char* range_text =
    "DynamoDB's range (magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125)";

enum class Bounds { ok, too_large, too_small, scale };

/** Where coefficient x 10^exponent stands against the bounds of `Decimal`. A zero is always ok
    (its exponent is clamped). Costs no more than counting the digits of a coefficient whose
    size is known to be bounded. */
Bounds bounds_of(const Coefficient& c, std::int64_t exponent) {
    if (c.is_zero()) return Bounds::ok;
    // 2^3740 > 10^1126: a coefficient that wide cannot be within the bounds.
    if (Access::is_wide(c) && boost::multiprecision::msb(Access::wide(c)) > 3740)
        return exponent < 0 ? Bounds::scale : Bounds::too_large;
    const std::int64_t adjusted = exponent + static_cast<std::int64_t>(Access::digit_count(c)) - 1;
    if (adjusted > Decimal::max_adjusted_exponent) return Bounds::too_large;
    if (adjusted < Decimal::min_adjusted_exponent) return Bounds::too_small;
    if (exponent < -Decimal::max_exponent) return Bounds::scale;
    return Bounds::ok;
}

[[noreturn]] void throw_validation(std::string message) {
    ErrorInfo info;
    info.message = std::move(message);
    throw ValidationError(std::move(info));
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
    throw_validation(std::move(message));
}

std::int64_t clamp_zero_exponent(std::int64_t e) {
    return std::clamp<std::int64_t>(e, -Decimal::max_exponent, Decimal::max_exponent);
}

enum class ParseStatus { ok, invalid, out_of_range };

/** Parses `text`; for `out_of_range`, `bounds` says which bound it passed. The first 38 digits
    are accumulated in 128 bits; digits beyond what a coefficient within the bounds can hold are
    scanned, never accumulated. */
ParseStatus parse_text(std::string_view text, Coefficient& coefficient, std::int64_t& exponent, Bounds& bounds) {
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    u128 small = 0;
    // Digits past the 38th, accumulated in 19-digit chunks; leading zeros skipped.
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
        const auto d = static_cast<unsigned>(ch - '0');
        if (digits <= max_small_digits) {
            small = small * 10 + d;
            continue;
        }
        if (!big) {
            c = Access::to_int(Access::make(false, small));
            big = true;
        }
        chunk = chunk * 10 + d;
        if (++chunk_digits == 19) {
            c = c * power_of_ten(19) + chunk;
            chunk = 0;
            chunk_digits = 0;
        }
    }
    if (!any) return ParseStatus::invalid;
    const bool too_many_digits = digits > static_cast<std::size_t>(max_coefficient_digits);
    if (big && chunk_digits > 0) c = c * power_of_ten(chunk_digits) + chunk;
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
    if (digits == 0) {
        coefficient = Coefficient();
        exponent = clamp_zero_exponent(e);
        return ParseStatus::ok;
    }
    if (too_many_digits) {
        bounds = e + static_cast<std::int64_t>(digits) - 1 > Decimal::max_adjusted_exponent ? Bounds::too_large : Bounds::scale;
        return ParseStatus::out_of_range;
    }
    Coefficient result = big ? Access::make(negative ? Int(-c) : c) : Access::make(negative, small);
    if ((bounds = bounds_of(result, e)) != Bounds::ok) return ParseStatus::out_of_range;
    coefficient = std::move(result);
    exponent = e;
    return ParseStatus::ok;
}

/** |c| x 10^n when both c and the result fit 38 digits. */
bool scaled_small(const Coefficient& c, std::int64_t n, u128& out) noexcept {
    if (Access::is_wide(c) || n < 0) return false;
    const u128 m = Access::small(c);
    if (static_cast<std::int64_t>(small_digit_count(m)) + n > static_cast<std::int64_t>(max_small_digits)) return false;
    out = m * small_powers[static_cast<std::size_t>(n)];
    return true;
}

}  // namespace

std::string Decimal::coefficient_type::str() const {
    std::string digits = Access::magnitude_digits(*this);
    if (negative_) digits.insert(digits.begin(), '-');
    return digits;
}

bool Decimal::coefficient_type::equals(const coefficient_type& other) const noexcept {
    if (negative_ != other.negative_) return false;
    if (wide_ || other.wide_) return wide_ && other.wide_ && wide_->value == other.wide_->value;
    return low_ == other.low_ && high_ == other.high_;
}

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
    case ParseStatus::invalid: throw_validation("dynantic::Decimal: " + redacted(text) + " is not a decimal number");
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
    if (!std::isfinite(value)) throw_validation("dynantic::Decimal: NaN and infinity are not decimal numbers");
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return Decimal(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

std::string Decimal::to_string() const {
    const std::string digits = Access::magnitude_digits(coefficient_);
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
        const bool huge = exponent_ + static_cast<std::int64_t>(Access::digit_count(coefficient_)) > 0;
        v = huge ? std::numeric_limits<double>::infinity() : 0.0;
        return sign() < 0 ? -v : v;
    }
    return v;
}

std::size_t Decimal::significant_digits() const {
    if (is_zero()) return 0;
    return Access::digit_count(normalized().coefficient_);
}

Decimal Decimal::normalized() const {
    Decimal out;
    if (is_zero()) return out;
    out = *this;
    if (!Access::is_wide(coefficient_)) {
        u128 m = Access::small(coefficient_);
        while (m % 10 == 0) {
            m /= 10;
            out.exponent_ += 1;
        }
        out.coefficient_ = Access::make(coefficient_.sign() < 0, m);
        return out;
    }
    Int c = Access::to_int(coefficient_);
    Int q, r;
    for (;;) {
        boost::multiprecision::divide_qr(c, Int(10), q, r);
        if (!r.is_zero()) break;
        c = q;
        out.exponent_ += 1;
    }
    out.coefficient_ = Access::make(c);
    return out;
}

Decimal Decimal::round(int places) const {
    const std::int64_t target = -static_cast<std::int64_t>(places);
    if (target < -max_exponent) throw_bounds(Bounds::scale, "round(places) for this many places");
    Decimal out;
    out.exponent_ = static_cast<std::int32_t>(clamp_zero_exponent(target));
    if (is_zero()) return out;
    const bool negative = sign() < 0;
    if (target <= exponent_) {
        // Padding: at most max_exponent + max_adjusted_exponent zeros (both exponents are bounded).
        if (u128 m = 0; scaled_small(coefficient_, exponent_ - target, m)) {
            out.coefficient_ = Access::make(negative, m);
        } else {
            out.coefficient_ = Access::make(scaled(Access::to_int(coefficient_), exponent_ - target));
        }
        return out;
    }
    const std::int64_t dropped = target - exponent_;
    if (dropped > static_cast<std::int64_t>(Access::digit_count(coefficient_))) return out;  // |value| < half a unit
    if (!Access::is_wide(coefficient_) && dropped <= static_cast<std::int64_t>(max_small_digits)) {
        // Divisor <= 10^38 < 2^127: twice the remainder fits, and so does the quotient plus one.
        const u128 magnitude = Access::small(coefficient_);
        const u128 divisor = small_powers[static_cast<std::size_t>(dropped)];
        u128 q = magnitude / divisor;
        const u128 twice = (magnitude % divisor) * 2;
        if (twice > divisor || (twice == divisor && (q & 1) != 0)) q += 1;
        out.coefficient_ = Access::make(negative, q);
    } else {
        // dropped <= the coefficient's digits (<= 1126): the divisor is as bounded as the value.
        const Int magnitude = boost::multiprecision::abs(Access::to_int(coefficient_));
        const Int& divisor = power_of_ten(dropped);
        Int q, r;
        boost::multiprecision::divide_qr(magnitude, divisor, q, r);
        const Int twice = r * 2;
        if (twice > divisor || (twice == divisor && boost::multiprecision::bit_test(q, 0))) q += 1;
        out.coefficient_ = Access::make(negative ? Int(-q) : q);
    }
    out.check_range("the rounded value");
    return out;
}

Decimal Decimal::operator-() const {
    Decimal out = *this;
    out.coefficient_ = Access::negated(std::move(out.coefficient_));
    return out;
}

Decimal& Decimal::operator+=(const Decimal& other) {
    // Both exponents are within +-max_exponent: aligning scales by at most 2000 digits.
    const std::int32_t exponent = std::min(exponent_, other.exponent_);
    Coefficient sum;
    u128 a = 0;
    u128 b = 0;
    if (scaled_small(coefficient_, exponent_ - exponent, a) && scaled_small(other.coefficient_, other.exponent_ - exponent, b)) {
        // Both below 10^38 < 2^127: the sum of the magnitudes cannot overflow.
        const bool na = coefficient_.sign() < 0;
        const bool nb = other.coefficient_.sign() < 0;
        if (na == nb) sum = Access::make(na, a + b);
        else if (a >= b) sum = Access::make(na, a - b);
        else sum = Access::make(nb, b - a);
    } else {
        sum = Access::make(scaled(Access::to_int(coefficient_), exponent_ - exponent) +
                           scaled(Access::to_int(other.coefficient_), other.exponent_ - exponent));
    }
    if (!sum.is_zero())
        if (const Bounds bounds = bounds_of(sum, exponent); bounds != Bounds::ok) throw_bounds(bounds, "the sum");
    coefficient_ = std::move(sum);
    exponent_ = exponent;
    return *this;
}

Decimal& Decimal::operator-=(const Decimal& other) { return *this += -other; }

Decimal& Decimal::operator*=(const Decimal& other) {
    const std::int64_t exponent = static_cast<std::int64_t>(exponent_) + other.exponent_;
    Coefficient product;
    if (!Access::is_wide(coefficient_) && !Access::is_wide(other.coefficient_) && Access::small(coefficient_) >> 64 == 0 &&
        Access::small(other.coefficient_) >> 64 == 0) {
        product = Access::make(sign() * other.sign() < 0, Access::small(coefficient_) * Access::small(other.coefficient_));
    } else {
        product = Access::make(Access::to_int(coefficient_) * Access::to_int(other.coefficient_));
    }
    if (product.is_zero()) {
        coefficient_ = Coefficient();
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
    const std::int64_t adjusted_a = a.exponent_ + static_cast<std::int64_t>(Access::digit_count(a.coefficient_));
    const std::int64_t adjusted_b = b.exponent_ + static_cast<std::int64_t>(Access::digit_count(b.coefficient_));
    int magnitude_order = 0;
    if (adjusted_a != adjusted_b) {
        magnitude_order = adjusted_a < adjusted_b ? -1 : 1;
    } else {
        // Same leading digit position: aligning costs at most the difference in digit counts.
        const std::int64_t shift_a = std::max(0, a.exponent_ - b.exponent_);
        const std::int64_t shift_b = std::max(0, b.exponent_ - a.exponent_);
        u128 ma = 0;
        u128 mb = 0;
        if (scaled_small(a.coefficient_, shift_a, ma) && scaled_small(b.coefficient_, shift_b, mb)) {
            magnitude_order = ma < mb ? -1 : (mb < ma ? 1 : 0);
        } else {
            const Int wa = scaled(boost::multiprecision::abs(Access::to_int(a.coefficient_)), shift_a);
            const Int wb = scaled(boost::multiprecision::abs(Access::to_int(b.coefficient_)), shift_b);
            magnitude_order = wa < wb ? -1 : (wb < wa ? 1 : 0);
        }
    }
    return sa > 0 ? magnitude_order : -magnitude_order;
}

std::size_t Decimal::hash() const {
    if (is_zero()) return 0;
    const Decimal n = normalized();
    // The normalized form of a value is unique, and so is its representation (inline or wide).
    std::size_t h = 0;
    if (Access::is_wide(n.coefficient_)) {
        h = std::hash<std::string>{}(n.coefficient_.str());
    } else {
        const u128 m = Access::small(n.coefficient_);
        h = std::hash<std::uint64_t>{}(static_cast<std::uint64_t>(m)) ^ (std::hash<std::uint64_t>{}(static_cast<std::uint64_t>(m >> 64)) * 7);
        if (n.sign() < 0) h = ~h;
    }
    return h ^ (std::hash<std::int32_t>{}(n.exponent_) * 31);
}

std::uint64_t Decimal::integer_magnitude() const {
    const Decimal whole = round(0);
    if (whole != *this) throw_validation("dynantic::Decimal: " + redacted(to_string()) + " is not an integer");
    if (Access::is_wide(whole.coefficient_) || Access::small(whole.coefficient_) >> 64 != 0) throw_out_of_integer_range();
    return static_cast<std::uint64_t>(Access::small(whole.coefficient_));
}

void Decimal::throw_out_of_integer_range() const {
    throw_validation("dynantic::Decimal: " + redacted(to_string()) + " is out of range of the integer type");
}

std::ostream& operator<<(std::ostream& os, const Decimal& d) { return os << d.to_string(); }

namespace detail {

Decimal parse_decimal_attribute(std::string_view text) {
    std::int64_t e = 0;
    Bounds bounds = Bounds::ok;
    Coefficient coefficient;
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
