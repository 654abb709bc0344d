// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `dynantic::Decimal`: an exact decimal number for money and other values a double would
    round, stored as N.

    Representation, and why: a signed integer coefficient and a base-ten exponent, value =
    coefficient x 10^exponent, as Python's `decimal.Decimal` and Java's `BigDecimal`. Parsing and
    formatting are then exact digit copies, and `+`, `-`, `*` are exact integer operations that
    never round. A coefficient of up to 128 bits (every number DynamoDB stores: 38 digits fit) is
    held inline; a wider one (an intermediate result, see below) is held on the heap, and the
    wide arithmetic lives in the library, so this header costs no multiprecision library.
    `cpp_dec_float<38>` was rejected: it is a floating type with guard digits and rounds
    arithmetic results silently, and its text form is not the digits it was given.

    Range: every `Decimal` is zero or has a magnitude within DynamoDB's range, 1E-130 to
    9.9999999999999999999999999999999999999E+125 (the power of ten of its first significant
    digit is between `min_adjusted_exponent` and `max_adjusted_exponent`), and at most
    `max_exponent` (1000) digits after the decimal point. Parsing, construction, arithmetic and
    `round` whose result would leave these bounds throw `ValidationError` (a `dynantic::Error`;
    the message never quotes the value), and reading such a number from DynamoDB is a
    `DecodeError`. So a coefficient never has more than 1126 digits, and every operation takes
    bounded time and memory (`Decimal("2013E170104")` is refused instead of building a
    170,000-digit integer).

    DynamoDB's 38 significant digits are a property of storage, not of the arithmetic: a
    `Decimal` may hold more digits in between (say a price times a tax rate), and
    `round(places)` brings it back. Writing a value with more than 38 significant digits is a
    `ValidationError` naming the attribute; every value DynamoDB sends fits.

    The exponent (the "scale") is kept as given, so `Decimal("10.50").to_string()` is "10.50";
    comparison is by value (`Decimal("1.0") == Decimal("1.00")`), hence `std::weak_ordering`.
    Negative zero reads as zero; the exponent of a zero is clamped to +-max_exponent.

    @code
    using namespace dynantic::literals;
    dynantic::Decimal price = 19.99_dec;
    dynantic::Decimal total = (price * 3).round(2);          // 59.97, exactly
    assert(total.to_string() == "59.97" && total > 59);
    @endcode */

#include <dynantic/codec/traits.hpp>

#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dynantic {

namespace detail {
struct DecimalAccess;   // the library's arithmetic (src/codec/decimal.cpp)
struct WideInteger;     // a magnitude of more than 128 bits
}  // namespace detail

/** An exact decimal number, value = coefficient x 10^exponent, stored as N (see the file comment). */
class Decimal {
public:
    /** The coefficient: an exact signed integer of any width. It carries a value; arithmetic on
        it is `Decimal`'s. Up to 128 bits are held inline, wider magnitudes on the heap. */
    class coefficient_type {
    public:
        /** Zero. */
        coefficient_type() = default;
        /** An integer, exactly. */
        template <std::integral I>
            requires(!std::same_as<I, bool>)
        coefficient_type(I value) noexcept  // NOLINT: implicit, as exact as the integer
            : negative_(value < 0),
              low_(value < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value)) {}

        /** -1, 0 or 1. */
        int sign() const noexcept { return is_zero() ? 0 : (negative_ ? -1 : 1); }
        /** True for zero. */
        bool is_zero() const noexcept { return !wide_ && low_ == 0 && high_ == 0; }
        /** Decimal digits, with a leading '-' when negative ("-123", "0"). */
        std::string str() const;
        /** Equal values. */
        friend bool operator==(const coefficient_type& a, const coefficient_type& b) noexcept { return a.equals(b); }

    private:
        friend struct detail::DecimalAccess;
        bool equals(const coefficient_type& other) const noexcept;

        bool negative_ = false;      // never true for zero
        std::uint64_t low_ = 0;      // the magnitude's low 64 bits, when not wide
        std::uint64_t high_ = 0;     // its high 64 bits, when not wide
        std::shared_ptr<const detail::WideInteger> wide_{};   // set iff the magnitude needs more than 128 bits
    };

    /** Largest magnitude of `exponent()`: at most this many digits after the decimal point. A
        nonzero value's exponent is also at most `max_adjusted_exponent`. */
    static constexpr std::int32_t max_exponent = 1'000;
    /** DynamoDB's range: the power of ten of a nonzero value's first significant digit (its
        "adjusted exponent") lies in [min_adjusted_exponent, max_adjusted_exponent], i.e. its
        magnitude is at least 1E-130 and below 1E+126. */
    static constexpr std::int32_t min_adjusted_exponent = -130;
    static constexpr std::int32_t max_adjusted_exponent = 125;  ///< see min_adjusted_exponent

    /** Zero. */
    Decimal() = default;

    /** An integer, exactly (exponent 0). */
    template <std::integral I>
        requires(!std::same_as<I, bool>)
    Decimal(I value) : coefficient_(value) {}  // NOLINT: implicit, as exact as the integer

    /** coefficient x 10^exponent.
        @throws ValidationError if the value is beyond DynamoDB's range or `exponent` is below
        -max_exponent (see the file comment). */
    Decimal(coefficient_type coefficient, std::int64_t exponent);

    /** Parses decimal text: [+-]digits[.digits][(e|E)[+-]digits], also ".5" and "5."; any
        number of digits. No spaces, "NaN" or "Infinity".
        @throws ValidationError for anything else (the message shows the text only as
        `redacted(text)`), for a number beyond DynamoDB's range or with more than `max_exponent`
        digits after the point. */
    explicit Decimal(std::string_view text);

    /** As the string constructor, or `std::nullopt` (also for a number out of range). */
    static std::optional<Decimal> parse(std::string_view text);

    /** The shortest decimal text that reads back as `value` (via its shortest round-trip form),
        so `from_double(0.1)` is exactly 0.1. @throws ValidationError for NaN, infinity, and
        beyond DynamoDB's range (e.g. 1e200, 1e-200). */
    static Decimal from_double(double value);

    /** Text in the General Decimal Arithmetic "to-scientific-string" form (as Python's
        `str(Decimal)`): plain digits when the exponent is <= 0 and the value is not smaller than
        1E-6 ("10.50", "-0.000123", "100"), else scientific ("1E+2", "1.5E-9"). This is the
        text written to DynamoDB, which accepts both forms. */
    std::string to_string() const;

    /** The value as an integer of type I.
        @throws ValidationError if it has a nonzero fraction or does not fit I (the message shows
        the value only as `redacted(to_string())`). */
    template <std::integral I>
    I to_integer() const;

    /** The nearest double (correctly rounded from the decimal text). */
    double to_double() const;

    /** -1, 0 or 1. */
    int sign() const noexcept { return coefficient_.sign(); }
    /** True for zero, whatever the exponent ("0.00"). */
    bool is_zero() const noexcept { return coefficient_.is_zero(); }
    /** value = coefficient() x 10^exponent(). */
    const coefficient_type& coefficient() const noexcept { return coefficient_; }
    std::int32_t exponent() const noexcept { return exponent_; }   ///< the power of ten: -2 for "10.50"
    /** Significant digits between the first and last nonzero digit (0 for zero). */
    std::size_t significant_digits() const;

    /** Exactly `places` digits after the decimal point (negative: rounds to tens, hundreds...),
        rounding half to even (banker's rounding, Python's default) when digits are dropped and
        padding with zeros otherwise. A value that rounds to zero is zero.
        @throws ValidationError if `places` > max_exponent, or the rounded value is beyond
        DynamoDB's range (9.99...E+125 rounded up). */
    Decimal round(int places) const;
    /** The same value with trailing zeros removed from the coefficient ("10.50" -> "10.5",
        "100" -> "1E+2"). */
    Decimal normalized() const;

    /** The negated value, same exponent. */
    Decimal operator-() const;
    /** The value unchanged. */
    Decimal operator+() const { return *this; }
    /** Exact sum (the smaller exponent is kept). @throws ValidationError beyond DynamoDB's range. */
    Decimal& operator+=(const Decimal& other);
    /** Exact difference (the smaller exponent is kept). @throws ValidationError beyond DynamoDB's range. */
    Decimal& operator-=(const Decimal& other);
    /** Exact product (exponents add). @throws ValidationError beyond DynamoDB's range or with more
        than `max_exponent` digits after the point. */
    Decimal& operator*=(const Decimal& other);
    friend Decimal operator+(Decimal a, const Decimal& b) { return a += b; }
    friend Decimal operator-(Decimal a, const Decimal& b) { return a -= b; }
    friend Decimal operator*(Decimal a, const Decimal& b) { return a *= b; }

    /** Numeric comparison: 1.0 == 1.00. */
    friend bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
    friend std::weak_ordering operator<=>(const Decimal& a, const Decimal& b) { return compare(a, b) <=> 0; }

    /** A hash consistent with `==` (equal values hash alike whatever their scale). */
    std::size_t hash() const;

private:
    static int compare(const Decimal& a, const Decimal& b);
    friend struct detail::DecimalAccess;
    /** Throws ValidationError (naming `what`) unless *this is within the bounds above. */
    void check_range(const char* what) const;
    /** |value| if it is an integer below 2^64. @throws ValidationError otherwise. */
    std::uint64_t integer_magnitude() const;
    /** @throws ValidationError: the value does not fit the integer type. */
    [[noreturn]] void throw_out_of_integer_range() const;

    coefficient_type coefficient_{};
    std::int32_t exponent_ = 0;
};

/** Writes `to_string()`. */
std::ostream& operator<<(std::ostream& os, const Decimal& d);

namespace literals {
/** `19.99_dec`: the literal's own digits, exactly. */
inline Decimal operator""_dec(const char* text) { return Decimal(std::string_view(text)); }
}  // namespace literals

template <std::integral I>
I Decimal::to_integer() const {
    const std::uint64_t magnitude = integer_magnitude();
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<I>::max());
    if (sign() >= 0) {
        if (magnitude <= max) return static_cast<I>(magnitude);
    } else if constexpr (std::numeric_limits<I>::is_signed) {
        if (magnitude - 1 <= max) return static_cast<I>(-static_cast<I>(magnitude - 1) - 1);
    }
    throw_out_of_integer_range();
}

namespace detail {
/** Parses a DynamoDB number into a Decimal. @throws AttributeError if it is not a number. */
Decimal parse_decimal_attribute(std::string_view text);
/** The wire text of a Decimal. @throws AttributeError (on write) beyond DynamoDB's limits. */
std::string format_decimal_attribute(const Decimal& value);
}  // namespace detail

/** `Decimal`: N. Writing checks DynamoDB's 38 digits and range (`ValidationError` naming the
    attribute); reading accepts every spelling of a number DynamoDB and other SDKs send. */
template <>
struct attribute_traits<Decimal> {
    static constexpr AttributeType type = AttributeType::N;   ///< the wire type
    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(const Decimal& v, F&& f) {
        f(std::string_view(detail::format_decimal_attribute(v)));
    }
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const Decimal& v, boost::json::value& out);
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static Decimal from_attribute(const boost::json::value& av);
};

}  // namespace dynantic

/** Hashes by value, consistent with `==`: `1.0` and `1.00` hash alike. */
template <>
struct std::hash<dynantic::Decimal> {
    std::size_t operator()(const dynantic::Decimal& d) const { return d.hash(); }   ///< `d.hash()`
};
