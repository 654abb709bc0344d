#include <dynantic/codec/scalars.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace dy = dynantic;
namespace json = boost::json;

namespace {

template <class T>
std::string encode(const T& v) {
    json::value out;
    dy::to_attribute(v, out);
    return json::serialize(out);
}

template <class T>
T decode(std::string_view text) {
    return dy::from_attribute<T>(json::parse(text));
}

template <class T>
std::string decode_error(std::string_view text) {
    try {
        (void)decode<T>(text);
    } catch (const dy::detail::AttributeError& e) {
        return e.message;
    }
    return "no error";
}

}  // namespace

TEST(Scalars, StringIsS) {
    EXPECT_EQ(encode(std::string("héllo")), R"({"S":"héllo"})");
    EXPECT_EQ(decode<std::string>(R"({"S":""})"), "");
    EXPECT_EQ(decode<std::string>(R"({"S":"a\"b"})"), "a\"b");
}

TEST(Scalars, IntegersAreNAtEveryWidth) {
    EXPECT_EQ(encode(std::int8_t{-128}), R"({"N":"-128"})");
    EXPECT_EQ(encode(std::numeric_limits<std::uint64_t>::max()), R"({"N":"18446744073709551615"})");
    EXPECT_EQ(encode(std::numeric_limits<std::int64_t>::min()), R"({"N":"-9223372036854775808"})");
    EXPECT_EQ(decode<std::int64_t>(R"({"N":"-9223372036854775808"})"), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(decode<std::uint16_t>(R"({"N":"65535"})"), 65535);
}

TEST(Scalars, IntegersAcceptOtherSpellings) {
    EXPECT_EQ(decode<int>(R"({"N":"1E+2"})"), 100);
    EXPECT_EQ(decode<int>(R"({"N":"1.50E1"})"), 15);
    EXPECT_EQ(decode<int>(R"({"N":"100.000"})"), 100);
    EXPECT_EQ(decode<int>(R"({"N":"-0.000"})"), 0);
    EXPECT_EQ(decode<unsigned>(R"({"N":"-0"})"), 0u);
    EXPECT_EQ(decode<std::int64_t>(R"({"N":"-9.223372036854775808E18"})"), std::numeric_limits<std::int64_t>::min());
}

TEST(Scalars, IntegerErrorsSayWhy) {
    EXPECT_NE(decode_error<int>(R"({"N":"1.5"})").find("not an integer"), std::string::npos);
    EXPECT_NE(decode_error<std::int8_t>(R"({"N":"128"})").find("out of range"), std::string::npos);
    EXPECT_NE(decode_error<unsigned>(R"({"N":"-1"})").find("out of range"), std::string::npos);
    EXPECT_NE(decode_error<int>(R"({"N":"12abc"})").find("not an integer"), std::string::npos);
    EXPECT_EQ(decode_error<int>(R"({"S":"12"})"), "expected N, found S");
}

TEST(Scalars, DoublesRoundTripShortest) {
    EXPECT_EQ(encode(0.1), R"({"N":"0.1"})");
    EXPECT_EQ(encode(1e100), R"({"N":"1e+100"})");
    EXPECT_EQ(encode(-2.5e-130), R"({"N":"-2.5e-130"})");
    EXPECT_EQ(encode(0.0), R"({"N":"0"})");
    EXPECT_EQ(decode<double>(R"({"N":"1E+2"})"), 100.0);
    EXPECT_EQ(decode<double>(R"({"N":"1e300"})"), 1e300);  // reading is not limited
    for (double v : {0.1, 1.0 / 3.0, -2.5e-120, 123456789.125, 9.9e125, 1e-130})
        EXPECT_EQ(decode<double>(encode(v)), v);
    EXPECT_EQ(decode<float>(encode(0.1f)), 0.1f);
    EXPECT_EQ(decode<float>(encode(std::numeric_limits<float>::max())), std::numeric_limits<float>::max());
}

TEST(Scalars, DoublesOutsideDynamoDBRangeAreRejectedOnWrite) {
    for (double v : {1e126, -1e300, std::numeric_limits<double>::max(), 1e-131, -2.5e-310}) {
        json::value out;
        try {
            dy::to_attribute(v, out);
            ADD_FAILURE() << v << " accepted";
        } catch (const dy::detail::AttributeError& e) {
            EXPECT_TRUE(e.on_write);
            EXPECT_NE(e.message.find(std::abs(v) > 1 ? "too large" : "too small"), std::string::npos) << e.message;
        }
    }
}

TEST(Scalars, InvalidUtf8IsRejectedOnWrite) {
    json::value out;
    try {
        dy::to_attribute(std::string("ok\xff"), out);
        FAIL() << "accepted";
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_TRUE(e.on_write);
        EXPECT_EQ(e.message, "string is not valid UTF-8 (byte 0xff at offset 2)");
    }
    // Overlong form, UTF-16 surrogate, beyond U+10FFFF, truncated sequence.
    for (std::string bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "abc\xe2\x82"})
        EXPECT_THROW(dy::to_attribute(bad, out), dy::detail::AttributeError) << bad;
    for (std::string good : {"", "plain ascii text longer than eight", "h\xc3\xa9llo", "\xe2\x82\xac", "\xf0\x9f\x98\x80"})
        EXPECT_NO_THROW(dy::to_attribute(good, out)) << good;
}

TEST(Scalars, NaNAndInfinityAreRejectedOnWrite) {
    json::value out;
    try {
        dy::to_attribute(std::numeric_limits<double>::quiet_NaN(), out);
        FAIL() << "NaN accepted";
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_TRUE(e.on_write);
    }
    EXPECT_THROW(dy::to_attribute(std::numeric_limits<float>::infinity(), out), dy::detail::AttributeError);
}

TEST(Scalars, BoolIsBool) {
    EXPECT_EQ(encode(true), R"({"BOOL":true})");
    EXPECT_FALSE(decode<bool>(R"({"BOOL":false})"));
    EXPECT_EQ(decode_error<bool>(R"({"N":"1"})"), "expected BOOL, found N");
}

TEST(Scalars, OptionalOmitsAndReadsNull) {
    EXPECT_TRUE(dy::omit_attribute(std::optional<int>{}));
    EXPECT_FALSE(dy::omit_attribute(std::optional<int>{0}));
    EXPECT_EQ(encode(std::optional<int>{7}), R"({"N":"7"})");
    EXPECT_EQ(decode<std::optional<int>>(R"({"NULL":true})"), std::nullopt);
    EXPECT_EQ(decode<std::optional<int>>(R"({"N":"3"})"), 3);
}

TEST(Scalars, MalformedAttributeValues) {
    EXPECT_NE(decode_error<int>(R"({"N":"1","S":"x"})").find("malformed"), std::string::npos);
    EXPECT_NE(decode_error<int>(R"({"X":"1"})").find("unknown type 'X'"), std::string::npos);
    EXPECT_NE(decode_error<int>(R"({"N":1})").find("malformed N"), std::string::npos);
    EXPECT_NE(decode_error<int>(R"(5)").find("malformed"), std::string::npos);
}
