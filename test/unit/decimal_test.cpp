#include <dynantic/codec/decimal.hpp>

#include <dynantic/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <unordered_set>

namespace dy = dynantic;
namespace json = boost::json;
using dy::Decimal;
using namespace dy::literals;

namespace {

std::string encode(const Decimal& d) {
    json::value out;
    dy::to_attribute(d, out);
    return json::serialize(out);
}

Decimal decode(std::string_view text) { return dy::from_attribute<Decimal>(json::parse(text)); }

std::string write_error(const Decimal& d) {
    json::value out;
    try {
        dy::to_attribute(d, out);
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_TRUE(e.on_write);
        return e.message;
    }
    return "no error";
}

}  // namespace

TEST(Decimal, ParsesAndFormatsExactly) {
    EXPECT_EQ(Decimal("10000.00").to_string(), "10000.00");
    EXPECT_EQ(Decimal("-0.000123").to_string(), "-0.000123");
    EXPECT_EQ(Decimal("100").to_string(), "100");
    EXPECT_EQ(Decimal("1E+2").to_string(), "1E+2");
    EXPECT_EQ(Decimal("1.5e-9").to_string(), "1.5E-9");
    EXPECT_EQ(Decimal("+5").to_string(), "5");
    EXPECT_EQ(Decimal(".5").to_string(), "0.5");
    EXPECT_EQ(Decimal("5.").to_string(), "5");
    EXPECT_EQ(Decimal("-0.000").to_string(), "0.000");  // no negative zero
    EXPECT_EQ(Decimal("0.0000001").to_string(), "1E-7");
    EXPECT_EQ(Decimal("12345678901234567890123456789012345678").to_string(),
              "12345678901234567890123456789012345678");
    EXPECT_EQ(Decimal("-9.9999999999999999999999999999999999999E+125").to_string(),
              "-9.9999999999999999999999999999999999999E+125");
    EXPECT_EQ(Decimal("123456789012345678901234567890.123456789012345678901234567890").to_string(),
              "123456789012345678901234567890.123456789012345678901234567890");
}

TEST(Decimal, RefusesWhatIsNotADecimal) {
    for (const char* bad : {"", "-", ".", "1.2.3", "1e", "1e+", "abc", "1 ", " 1", "NaN", "Infinity", "0x10", "1_000"}) {
        EXPECT_THROW(Decimal{bad}, dy::ValidationError) << bad;
        EXPECT_EQ(Decimal::parse(bad), std::nullopt) << bad;
    }
    EXPECT_THROW(Decimal("1E+99999999"), dy::ValidationError);
    EXPECT_EQ(Decimal("0E+99999999"), Decimal(0));
}

TEST(Decimal, ComparesByValue) {
    EXPECT_EQ(Decimal("1.0"), Decimal("1.00"));
    EXPECT_EQ(Decimal("1E+2"), Decimal(100));
    EXPECT_EQ(Decimal("-0"), Decimal("0.000"));
    EXPECT_LT(Decimal("-1"), Decimal("-0.5"));
    EXPECT_LT(Decimal("0.999"), Decimal(1));
    EXPECT_GT(Decimal("1E-130"), Decimal(0));
    EXPECT_LT(Decimal("9.9E+125"), Decimal("9.99E+125"));
    EXPECT_GT(Decimal("12.5"), 12);
    EXPECT_TRUE(Decimal("2") != Decimal("2.0001"));
    EXPECT_EQ(Decimal("1.50").hash(), Decimal("1.5").hash());
    EXPECT_EQ(std::hash<Decimal>{}(Decimal("1E+2")), std::hash<Decimal>{}(Decimal(100)));
    const std::unordered_set<Decimal> set{Decimal("1.0"), Decimal("1"), Decimal("10E-1")};
    EXPECT_EQ(set.size(), 1u);
}

TEST(Decimal, ArithmeticIsExact) {
    EXPECT_EQ((0.1_dec + 0.2_dec).to_string(), "0.3");
    EXPECT_EQ(0.1_dec + 0.2_dec, 0.3_dec);
    EXPECT_EQ((10.50_dec - 0.75_dec).to_string(), "9.75");
    EXPECT_EQ((19.99_dec * 3).to_string(), "59.97");
    EXPECT_EQ((1.10_dec * 1.10_dec).to_string(), "1.2100");
    EXPECT_EQ((-2_dec * 0.5_dec).to_string(), "-1.0");
    EXPECT_EQ((Decimal("1E+100") + Decimal("1E-100")).significant_digits(), 201u);  // exact, beyond DynamoDB
    Decimal total;
    for (int i = 0; i < 10; ++i) total += 0.1_dec;
    EXPECT_EQ(total, Decimal(1));
    EXPECT_EQ((-total).to_string(), "-1.0");
}

TEST(Decimal, RoundsHalfToEven) {
    EXPECT_EQ(Decimal("2.345").round(2).to_string(), "2.34");
    EXPECT_EQ(Decimal("2.355").round(2).to_string(), "2.36");
    EXPECT_EQ(Decimal("2.3451").round(2).to_string(), "2.35");
    EXPECT_EQ(Decimal("-2.345").round(2).to_string(), "-2.34");
    EXPECT_EQ(Decimal("2.5").round(0).to_string(), "2");
    EXPECT_EQ(Decimal("1.5").round(2).to_string(), "1.50");
    EXPECT_EQ(Decimal("1234").round(-2).to_string(), "1.2E+3");
    EXPECT_EQ(Decimal("0.0004").round(2).to_string(), "0.00");
    EXPECT_EQ(Decimal("0.005").round(2).to_string(), "0.00");
    EXPECT_EQ(Decimal("0.0051").round(2).to_string(), "0.01");
    EXPECT_EQ(Decimal("10.50").normalized().to_string(), "10.5");
    EXPECT_EQ(Decimal("100").normalized().to_string(), "1E+2");
}

TEST(Decimal, ConvertsToAndFromIntegersAndDoubles) {
    EXPECT_EQ(Decimal(std::numeric_limits<std::int64_t>::min()).to_string(), "-9223372036854775808");
    EXPECT_EQ(Decimal(std::numeric_limits<std::uint64_t>::max()).to_integer<std::uint64_t>(),
              std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(Decimal("1E+2").to_integer<int>(), 100);
    EXPECT_EQ(Decimal("-42.000").to_integer<std::int8_t>(), -42);
    EXPECT_THROW(Decimal("1.5").to_integer<int>(), dy::ValidationError);
    EXPECT_THROW(Decimal("128").to_integer<std::int8_t>(), dy::ValidationError);
    EXPECT_THROW(Decimal("-1").to_integer<unsigned>(), dy::ValidationError);
    EXPECT_THROW(Decimal("1E+100").to_integer<std::int64_t>(), dy::ValidationError);
    EXPECT_EQ(Decimal("-128").to_integer<std::int8_t>(), -128);
    EXPECT_THROW(Decimal("-129").to_integer<std::int8_t>(), dy::ValidationError);
    EXPECT_EQ(Decimal(std::numeric_limits<std::int64_t>::min()).to_integer<std::int64_t>(), std::numeric_limits<std::int64_t>::min());
    EXPECT_THROW(Decimal("18446744073709551616").to_integer<std::uint64_t>(), dy::ValidationError);   // 2^64
    EXPECT_EQ(Decimal::from_double(0.1).to_string(), "0.1");
    EXPECT_EQ(Decimal::from_double(-2.5e-7).to_string(), "-2.5E-7");
    EXPECT_DOUBLE_EQ(Decimal("10000.01").to_double(), 10000.01);
    EXPECT_DOUBLE_EQ(Decimal("9.9E+125").to_double(), 9.9e125);
    EXPECT_EQ(Decimal("1E-130").to_double(), 1e-130);
    EXPECT_THROW(Decimal::from_double(std::numeric_limits<double>::quiet_NaN()), dy::ValidationError);
    EXPECT_THROW(Decimal::from_double(-std::numeric_limits<double>::infinity()), dy::ValidationError);
    std::ostringstream os;
    os << 12.50_dec;
    EXPECT_EQ(os.str(), "12.50");
}

TEST(Decimal, ErrorsAreDynanticErrorsThatDoNotShowTheValue) {
    const auto message = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const dy::ValidationError& e) {
            EXPECT_EQ(e.code(), dy::errc::validation);
            return e.what();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not a dynantic::ValidationError: " << e.what();
        }
        return "no error";
    };
    EXPECT_EQ(message([] { (void)Decimal("12.5secret"); }),
              "dynantic::Decimal: " + dy::redacted("12.5secret") + " is not a decimal number");
    EXPECT_EQ(message([] { (void)Decimal("4111.5").to_integer<int>(); }),
              "dynantic::Decimal: " + dy::redacted("4111.5") + " is not an integer");
    EXPECT_EQ(message([] { (void)Decimal("41115").to_integer<std::int8_t>(); }),
              "dynantic::Decimal: " + dy::redacted("41115") + " is out of range of the integer type");
    EXPECT_EQ(message([] { (void)Decimal("-41115").to_integer<unsigned>(); }),
              "dynantic::Decimal: " + dy::redacted("-41115") + " is out of range of the integer type");
    EXPECT_EQ(message([] { (void)Decimal::from_double(std::numeric_limits<double>::infinity()); }),
              "dynantic::Decimal: NaN and infinity are not decimal numbers");
    for (const std::string& m : {message([] { (void)Decimal("12.5secret"); }), message([] { (void)Decimal("4111.5").to_integer<int>(); })}) {
        EXPECT_EQ(m.find("12.5"), std::string::npos) << m;
        EXPECT_EQ(m.find("4111"), std::string::npos) << m;
    }
}

TEST(Decimal, CoefficientsWiderThan128BitsStayExact) {
    // 2^128 - 1 is the widest coefficient held inline; one more is held wide.
    const Decimal inline_max("340282366920938463463374607431768211455");
    const Decimal wide_min("340282366920938463463374607431768211456");
    EXPECT_EQ(inline_max.coefficient().str(), "340282366920938463463374607431768211455");
    EXPECT_EQ(wide_min.coefficient().str(), "340282366920938463463374607431768211456");
    EXPECT_EQ(inline_max + Decimal(1), wide_min);
    EXPECT_EQ((inline_max + Decimal(1)).coefficient(), wide_min.coefficient());
    EXPECT_EQ(wide_min - Decimal(1), inline_max);
    EXPECT_EQ((wide_min - Decimal(1)).coefficient(), inline_max.coefficient());
    EXPECT_LT(inline_max, wide_min);
    EXPECT_GT(-inline_max, -wide_min);
    EXPECT_EQ((-wide_min).coefficient().str(), "-340282366920938463463374607431768211456");
    // Products of two 64-bit coefficients are exact; wider ones too.
    EXPECT_EQ((Decimal(std::numeric_limits<std::uint64_t>::max()) * Decimal(std::numeric_limits<std::uint64_t>::max())).to_string(),
              "340282366920938463426481119284349108225");
    EXPECT_EQ((wide_min * Decimal(-2)).to_string(), "-680564733841876926926749214863536422912");
    // One value, inline or wide: equal, and equal hashes.
    const Decimal wide_one = Decimal("1" + std::string(45, '0')) * Decimal("1E-45");
    EXPECT_EQ(wide_one, Decimal(1));
    EXPECT_EQ(wide_one.hash(), Decimal(1).hash());
    EXPECT_EQ(wide_one.normalized().to_string(), "1");
    EXPECT_EQ(wide_one.round(0).to_string(), "1");
    EXPECT_EQ(wide_one.round(0).coefficient(), Decimal(1).coefficient());
    EXPECT_EQ(Decimal("123456789012345678901234567890123456789012.5").round(0).to_string(),
              "123456789012345678901234567890123456789012");
    EXPECT_EQ(Decimal("123456789012345678901234567890123456789013.5").round(0).to_string(),
              "123456789012345678901234567890123456789014");
    EXPECT_EQ(Decimal("99999999999999999999999999999999999999.5").round(0).to_string(),
              "100000000000000000000000000000000000000");
    EXPECT_EQ(Decimal("-0.5").round(0).to_string(), "0");
}

TEST(Decimal, WireTextIsExact) {
    EXPECT_EQ(encode(Decimal("10000.00")), R"({"N":"10000.00"})");
    EXPECT_EQ(encode(Decimal("-0.5")), R"({"N":"-0.5"})");
    EXPECT_EQ(encode(Decimal("1E+125")), R"({"N":"1E+125"})");
    EXPECT_EQ(encode(Decimal("1E-130")), R"({"N":"1E-130"})");
    EXPECT_EQ(encode(Decimal("12345678901234567890123456789012345678")),
              R"({"N":"12345678901234567890123456789012345678"})");
    // Trailing zeros are not significant: 40 digits of which 38 count.
    EXPECT_EQ(encode(Decimal("1234567890123456789012345678901234567800")),
              R"({"N":"1234567890123456789012345678901234567800"})");
}

TEST(Decimal, ReadsEveryNumberSpelling) {
    EXPECT_EQ(decode(R"({"N":"1E+2"})").to_string(), "1E+2");
    EXPECT_EQ(decode(R"({"N":"-0.000"})"), Decimal(0));
    EXPECT_EQ(decode(R"({"N":"12345678901234567890123456789012345678"})").to_string(),
              "12345678901234567890123456789012345678");
    // DynamoDB Local writes the extremes in plain notation.
    const std::string tiny = "0." + std::string(129, '0') + "1";
    EXPECT_EQ(decode(R"({"N":")" + tiny + R"("})"), Decimal("1E-130"));
    const std::string huge = "99999999999999999999999999999999999999" + std::string(88, '0');
    EXPECT_EQ(decode(R"({"N":")" + huge + R"("})"), Decimal("9.9999999999999999999999999999999999999E+125"));
}

TEST(Decimal, DynamoDBLimitsAreCheckedOnWrite) {
    EXPECT_EQ(write_error(Decimal("123456789012345678901234567890123456789")),
              "number " + dy::redacted("123456789012345678901234567890123456789") +
                  " has more than 38 significant digits, DynamoDB's limit");
    // Values beyond DynamoDB's range cannot be made at all (see DecimalRange).
    EXPECT_EQ(write_error(Decimal("9.9999999999999999999999999999999999999E+125")), "no error");
    EXPECT_EQ(write_error(Decimal("-1E-130")), "no error");
    EXPECT_EQ(write_error(0.1_dec * 0.1_dec), "no error");
}

TEST(Decimal, DecodeErrorsSayWhy) {
    try {
        (void)decode(R"({"N":"12abc"})");
        FAIL();
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_EQ(e.message, dy::redacted("12abc") + " is not a number");   // the value itself is not shown
    }
    try {
        (void)decode(R"({"S":"12"})");
        FAIL();
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_EQ(e.message, "expected N, found S");
    }
}

// ----- DynamoDB's range holds on read, write and arithmetic; every operation is bounded -----

namespace {

/** The message of the ValidationError `f` throws; fails the test when it throws nothing else. */
template <class F>
std::string range_error(F&& f) {
    try {
        f();
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.code(), dy::errc::validation);
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a dynantic::ValidationError: " << e.what();
        return {};
    }
    ADD_FAILURE() << "no exception";
    return {};
}

}  // namespace

TEST(DecimalRange, HugeExponentsAreRefusedAtParse) {
    // The issue's example: round(2) of it built a 170,000-digit integer.
    const std::string message = range_error([] { (void)Decimal("2013E170104"); });
    EXPECT_EQ(message,
              "dynantic::Decimal: the number is too large for DynamoDB's range (magnitude 1E-130 to "
              "9.9999999999999999999999999999999999999E+125)");
    EXPECT_EQ(message.find("2013"), std::string::npos);   // the value is not quoted
    EXPECT_EQ(Decimal::parse("2013E170104"), std::nullopt);
    EXPECT_THROW(Decimal("2013E170104"), dy::Error);
    EXPECT_THROW(Decimal("-1E-170104"), dy::Error);
    EXPECT_THROW(Decimal("1E+99999999999999999999999"), dy::Error);   // beyond int64 too
    EXPECT_THROW(Decimal("1E-99999999999999999999999"), dy::Error);
    EXPECT_THROW(Decimal("1E+126"), dy::ValidationError);
    EXPECT_THROW(Decimal("10E+125"), dy::ValidationError);
    EXPECT_THROW(Decimal("-1E-131"), dy::ValidationError);
    EXPECT_THROW(Decimal("0.01E-129"), dy::ValidationError);
    EXPECT_EQ(Decimal("0.1E-129"), Decimal("1E-130"));
    EXPECT_EQ(Decimal("-9.9999999999999999999999999999999999999E+125").sign(), -1);
    EXPECT_THROW(Decimal(Decimal::coefficient_type(1), 126), dy::ValidationError);
    EXPECT_THROW(Decimal(Decimal::coefficient_type(1), -131), dy::ValidationError);
    EXPECT_EQ(Decimal(Decimal::coefficient_type(0), 5000).exponent(), Decimal::max_exponent);
    EXPECT_THROW(Decimal::from_double(1e200), dy::ValidationError);
    EXPECT_THROW(Decimal::from_double(-1e-200), dy::ValidationError);
    EXPECT_EQ(Decimal("0E-99999999999999999999"), Decimal(0));
}

TEST(DecimalRange, DigitsBeyondTheBoundsAreNotAccumulated) {
    // A coefficient within the bounds has at most 1126 digits (first at 1E+125, last at 1E-1000).
    EXPECT_THROW(Decimal("1" + std::string(200'000, '0')), dy::ValidationError);
    EXPECT_THROW(Decimal("1" + std::string(200'000, '0') + "E-200000"), dy::ValidationError);  // 1 with a huge scale
    EXPECT_THROW(Decimal("0." + std::string(200'000, '0') + "1"), dy::ValidationError);
    EXPECT_EQ(Decimal("0." + std::string(200'000, '0')), Decimal(0));
    const Decimal longest("9" + std::string(125, '9') + "." + std::string(1000, '9'));
    EXPECT_EQ(longest.coefficient().str().size(), 1126u);
    EXPECT_EQ(longest.exponent(), -Decimal::max_exponent);
    EXPECT_THROW(Decimal("1." + std::string(1000, '0') + "1"), dy::ValidationError);   // 1001 places
    EXPECT_THAT(range_error([] { (void)Decimal("1." + std::string(1000, '0') + "1"); }),
                ::testing::HasSubstr("more than 1000 digits after the decimal point"));
}

TEST(DecimalRange, RoundingIsBoundedForEveryRepresentableValue) {
    const Decimal largest("9.9999999999999999999999999999999999999E+125");
    const Decimal smallest("1E-130");
    // The largest padding there can be: 1126 digits, no more.
    EXPECT_EQ(largest.round(Decimal::max_exponent).coefficient().str().size(), 1126u);
    EXPECT_EQ(smallest.round(Decimal::max_exponent).exponent(), -Decimal::max_exponent);
    // More places than a Decimal holds, or a rounded value beyond the range, are refused.
    EXPECT_THROW((void)smallest.round(Decimal::max_exponent + 1), dy::ValidationError);
    EXPECT_THROW((void)smallest.round(std::numeric_limits<int>::max()), dy::ValidationError);
    EXPECT_THROW((void)largest.round(-125), dy::ValidationError);   // 1E+126
    EXPECT_THROW((void)largest.round(0).round(-126), dy::ValidationError);
    // Rounding away every digit gives zero, whatever the places.
    EXPECT_EQ(Decimal("4E+125").round(-126), Decimal(0));
    EXPECT_EQ(largest.round(std::numeric_limits<int>::min()), Decimal(0));
    EXPECT_EQ(largest.round(std::numeric_limits<int>::min()).exponent(), Decimal::max_exponent);
    EXPECT_EQ(Decimal("-2.5").round(std::numeric_limits<int>::min()), Decimal(0));
    EXPECT_EQ(smallest.round(2), Decimal(0));
    EXPECT_EQ(largest.round(2), largest);
    EXPECT_EQ(largest.round(2).exponent(), -2);
    EXPECT_EQ(Decimal("2013E100").round(2).coefficient().str().size(), 106u);   // 2013 then 102 zeros
}

TEST(DecimalRange, ArithmeticBeyondTheRangeIsADynanticError) {
    const Decimal large("9E+125");
    EXPECT_THAT(range_error([&] { (void)(large + large); }), ::testing::HasSubstr("the sum is too large for DynamoDB's range"));
    EXPECT_THAT(range_error([&] { (void)(-large - large); }), ::testing::HasSubstr("the sum is too large"));
    EXPECT_THAT(range_error([] { (void)(Decimal("1E+100") * Decimal("1E+100")); }), ::testing::HasSubstr("the product is too large"));
    EXPECT_THAT(range_error([] { (void)(Decimal("1E-100") * Decimal("1E-100")); }), ::testing::HasSubstr("the product is too small"));
    EXPECT_THAT(range_error([] { (void)(Decimal("2E-130") - Decimal("1.5E-130")); }), ::testing::HasSubstr("the sum is too small"));
    const Decimal fine_grained("1." + std::string(599, '0') + "1");   // 600 places
    EXPECT_THAT(range_error([&] { (void)(fine_grained * fine_grained); }),
                ::testing::HasSubstr("the product has more than 1000 digits after the decimal point"));
    EXPECT_EQ(Decimal("1E-130") - Decimal("1E-130"), Decimal(0));
    EXPECT_EQ(Decimal("1E+125") * Decimal(0), Decimal(0));
    const Decimal wide = Decimal("1E+125") + Decimal("1E-130");   // exact, 256 digits
    EXPECT_EQ(wide.significant_digits(), 256u);
    EXPECT_EQ(wide.round(2), Decimal("1E+125"));
}

TEST(DecimalRange, NumbersReadBeyondTheRangeAreDecodeErrors) {
    const auto message = [](std::string_view av) {
        try {
            (void)decode(av);
        } catch (const dy::detail::AttributeError& e) {
            EXPECT_FALSE(e.on_write);
            return e.message;
        }
        return std::string("no error");
    };
    EXPECT_EQ(message(R"({"N":"2013E170104"})"),
              "number is too large for DynamoDB's range (magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125)");
    EXPECT_EQ(message(R"({"N":"1E-131"})"),
              "number is too small for DynamoDB's range (magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125)");
    EXPECT_EQ(message(R"({"N":"1E+126"})").substr(0, 20), "number is too large ");
    EXPECT_EQ(message(R"({"N":"1E+125"})"), "no error");
}
