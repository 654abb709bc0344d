#include <dynantic/codec/time.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

template <class T>
std::string encode(const T& v) {
    json::value out;
    dy::to_attribute(v, out);
    return json::serialize(out);
}

template <class T>
T decode(std::string_view s) {
    return dy::from_attribute<T>(json::parse(R"({"S":")" + std::string(s) + R"("})"));
}

template <class T>
std::string decode_error(std::string_view s) {
    try {
        (void)decode<T>(s);
    } catch (const dy::detail::AttributeError& e) {
        return e.message;
    }
    return "no error";
}

template <class T>
std::string encode_error(const T& v) {
    json::value out;
    try {
        dy::to_attribute(v, out);
    } catch (const dy::detail::AttributeError& e) {
        EXPECT_TRUE(e.on_write);
        return e.message;
    }
    return "no error";
}

// 2024-05-01T12:34:56Z
constexpr sys_seconds t0 = sys_days{2024y / May / 1} + 12h + 34min + 56s;

}  // namespace

TEST(Time, FixedWidthPerType) {
    EXPECT_EQ(encode(t0), R"({"S":"2024-05-01T12:34:56Z"})");
    EXPECT_EQ(encode(time_point_cast<milliseconds>(t0) + 123ms), R"({"S":"2024-05-01T12:34:56.123Z"})");
    EXPECT_EQ(encode(time_point_cast<milliseconds>(t0)), R"({"S":"2024-05-01T12:34:56.000Z"})");
    EXPECT_EQ(encode(dy::Timestamp{t0} + 123456us), R"({"S":"2024-05-01T12:34:56.123456Z"})");
    EXPECT_EQ(encode(dy::Timestamp{t0} + 5us), R"({"S":"2024-05-01T12:34:56.000005Z"})");
    EXPECT_EQ(encode(sys_time<nanoseconds>{t0} + 123456789ns), R"({"S":"2024-05-01T12:34:56.123456789Z"})");
    EXPECT_EQ(encode(floor<minutes>(t0)), R"({"S":"2024-05-01T12:34:00Z"})");
    EXPECT_EQ(encode(sys_days{2024y / May / 1}), R"({"S":"2024-05-01T00:00:00Z"})");
    EXPECT_EQ(encode(sys_seconds{}), R"({"S":"1970-01-01T00:00:00Z"})");
    EXPECT_EQ(encode(dy::Timestamp{} - 1us), R"({"S":"1969-12-31T23:59:59.999999Z"})");
    EXPECT_EQ(encode(sys_days{0y / January / 1}), R"({"S":"0000-01-01T00:00:00Z"})");
    EXPECT_EQ(encode(sys_days{9999y / December / 31} + 86399s), R"({"S":"9999-12-31T23:59:59Z"})");
}

TEST(Time, StringOrderIsTimeOrder) {
    std::vector<dy::Timestamp> times{dy::Timestamp{t0}, dy::Timestamp{t0} + 1us, dy::Timestamp{t0} + 1s,
                                     dy::Timestamp{} - 1us, dy::Timestamp{sys_days{1000y / 1 / 1}}};
    std::sort(times.begin(), times.end());
    for (std::size_t i = 1; i < times.size(); ++i) EXPECT_LT(encode(times[i - 1]), encode(times[i]));
}

TEST(Time, RoundTripsAtEveryPrecision) {
    const auto ns = sys_time<nanoseconds>{t0} + 123456789ns;
    EXPECT_EQ(decode<sys_time<nanoseconds>>("2024-05-01T12:34:56.123456789Z"), ns);
    const dy::Timestamp us = dy::Timestamp{t0} - 987654us;
    json::value av;
    dy::to_attribute(us, av);
    EXPECT_EQ(dy::from_attribute<dy::Timestamp>(av), us);
    // A period that is not a power of ten still round-trips.
    using thirds = duration<std::int64_t, std::ratio<1, 3>>;
    const sys_time<thirds> t3{thirds{3 * std::int64_t{1714566896} + 2}};
    EXPECT_EQ(encode(t3), R"({"S":"2024-05-01T12:34:56.666667Z"})");
    dy::to_attribute(t3, av);
    EXPECT_EQ(dy::from_attribute<sys_time<thirds>>(av), t3);
}

TEST(Time, ReadsOffsetsAndAnyFraction) {
    EXPECT_EQ(decode<sys_seconds>("2024-05-01T12:34:56Z"), t0);
    EXPECT_EQ(decode<sys_seconds>("2024-05-01t12:34:56z"), t0);
    EXPECT_EQ(decode<sys_seconds>("2024-05-01 12:34:56+00:00"), t0);
    EXPECT_EQ(decode<sys_seconds>("2024-05-01T14:34:56+02:00"), t0);
    EXPECT_EQ(decode<sys_seconds>("2024-05-01T07:04:56-05:30"), t0);
    EXPECT_EQ(decode<sys_seconds>("2024-05-02T00:34:56+1200"), t0);
    EXPECT_EQ(decode<sys_seconds>("2024-05-01T13:34:56+01"), t0);
    EXPECT_EQ(decode<sys_seconds>("2024-05-01T12:34Z"), t0 - 56s);
    EXPECT_EQ(decode<sys_seconds>("2024-05-01T12:34:56.999999Z"), t0);  // floored to the type
    EXPECT_EQ(decode<dy::Timestamp>("2024-05-01T12:34:56.1Z"), dy::Timestamp{t0} + 100000us);
    EXPECT_EQ(decode<dy::Timestamp>("2024-05-01T12:34:56,25Z"), dy::Timestamp{t0} + 250000us);
    EXPECT_EQ(decode<dy::Timestamp>("2024-05-01T12:34:56.1234569999999999999999Z"), dy::Timestamp{t0} + 123456us);
    EXPECT_EQ(decode<sys_time<milliseconds>>("2024-05-01T12:34:56.123456Z"),
              time_point_cast<milliseconds>(t0) + 123ms);
    EXPECT_EQ(decode<dy::Timestamp>("1969-12-31T23:59:59.5Z"), dy::Timestamp{} - 500000us);
    EXPECT_EQ(decode<sys_days>("2024-05-01T23:59:59Z"), sys_days{2024y / May / 1});
}

TEST(Time, UnparsableTimestampsAreDecodeErrors) {
    const std::string form = " is not an ISO 8601 UTC timestamp such as 2024-05-01T12:34:56Z";
    EXPECT_EQ(decode_error<sys_seconds>("2024-05-01T12:34:56"), dy::redacted("2024-05-01T12:34:56") + form + " (no UTC offset: add Z or +HH:MM)");
    EXPECT_EQ(decode_error<sys_seconds>("2024-02-30T00:00:00Z"), dy::redacted("2024-02-30T00:00:00Z") + form + " (no such date)");
    EXPECT_EQ(decode_error<sys_seconds>("2024-05-01T24:00:00Z"), dy::redacted("2024-05-01T24:00:00Z") + form + " (no such time of day)");
    EXPECT_EQ(decode_error<sys_seconds>("2024-05-01T23:59:60Z"), dy::redacted("2024-05-01T23:59:60Z") + form + " (no such time of day)");
    for (const char* bad : {"", "yesterday", "2024-5-1T12:34:56Z", "2024-05-01", "2024-05-01T12:34:56.Z",
                            "2024-05-01T12:34:56Zjunk", "2024-05-01T12:34:56+2", "1714566896"})
        EXPECT_EQ(decode_error<sys_seconds>(bad), dy::redacted(bad) + form);
    EXPECT_EQ(decode_error<sys_time<nanoseconds>>("2300-01-01T00:00:00Z"),
              dy::redacted("2300-01-01T00:00:00Z") + " is out of the range of the time type");
}

TEST(Time, YearsOutsideFourDigitsAreRefusedOnWrite) {
    EXPECT_EQ(encode_error(sys_days{10000y / January / 1}),
              "time is outside years 0000-9999 and has no fixed-width ISO 8601 form");
    EXPECT_EQ(encode_error(sys_days{-1y / December / 31}),
              "time is outside years 0000-9999 and has no fixed-width ISO 8601 form");
}

TEST(Time, YearMonthDayIsADate) {
    EXPECT_EQ(encode(2024y / May / 1), R"({"S":"2024-05-01"})");
    EXPECT_EQ(encode(year_month_day{0y / 1 / 1}), R"({"S":"0000-01-01"})");
    EXPECT_EQ(decode<year_month_day>("2024-02-29"), 2024y / February / 29);
    EXPECT_EQ(decode_error<year_month_day>("2023-02-29"), dy::redacted("2023-02-29") + " is not an ISO 8601 date (no such date)");
    EXPECT_EQ(decode_error<year_month_day>("2024-05-01T00:00:00Z"),
              dy::redacted("2024-05-01T00:00:00Z") + " is not an ISO 8601 date such as 2024-05-01");
    EXPECT_EQ(encode_error(year_month_day{2023y / February / 29}), "invalid date (year_month_day::ok() is false)");
    EXPECT_EQ(encode_error(year_month_day{12024y / 1 / 1}), "date is outside years 0000-9999");
}
