// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/time.hpp>

#include <dynantic/codec/scalars.hpp>

#include "codec/iso8601.hpp"

#include <string>

namespace dynantic::detail {
namespace {

const char* const timestamp_form = "an ISO 8601 UTC timestamp such as 2024-05-01T12:34:56Z";

[[noreturn]] void bad_timestamp(std::string_view text, std::string_view why = {}) {
    std::string message = redacted(text) + " is not " + timestamp_form;
    if (!why.empty()) {
        message += " (";
        message += why;
        message += ')';
    }
    throw_attribute_error(std::move(message));
}

/** Reads exactly `n` digits at `i`. */
bool digits(std::string_view text, std::size_t& i, int n, int& out) {
    if (i + static_cast<std::size_t>(n) > text.size()) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
        const char c = text[i + static_cast<std::size_t>(k)];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    i += static_cast<std::size_t>(n);
    out = v;
    return true;
}

bool literal(std::string_view text, std::size_t& i, char c) {
    if (i < text.size() && text[i] == c) {
        ++i;
        return true;
    }
    return false;
}

/** "YYYY-MM-DD" at i; false if malformed or not a calendar date. */
bool read_date(std::string_view text, std::size_t& i, std::chrono::year_month_day& out) {
    int y = 0, m = 0, d = 0;
    if (!digits(text, i, 4, y) || !literal(text, i, '-') || !digits(text, i, 2, m) || !literal(text, i, '-') ||
        !digits(text, i, 2, d))
        return false;
    out = std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} / std::chrono::day{static_cast<unsigned>(d)};
    return true;
}

void put(char*& p, unsigned v, int width) {
    for (int k = width - 1; k >= 0; --k) {
        p[k] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    p += width;
}

void put_date(char*& p, const std::chrono::year_month_day& d) {
    put(p, static_cast<unsigned>(static_cast<int>(d.year())), 4);
    *p++ = '-';
    put(p, static_cast<unsigned>(d.month()), 2);
    *p++ = '-';
    put(p, static_cast<unsigned>(d.day()), 2);
}

}  // namespace

namespace iso8601 {

Timestamp parse(std::string_view text) noexcept {
    using namespace std::chrono;
    Timestamp out;
    const auto failed = [&out](Problem p) {
        out.problem = p;
        return out;
    };
    std::size_t i = 0;
    year_month_day date;
    if (!read_date(text, i, date)) return failed(Problem::malformed);
    if (!date.ok()) return failed(Problem::no_such_date);
    if (!(literal(text, i, 'T') || literal(text, i, 't') || literal(text, i, ' '))) return failed(Problem::malformed);
    int hh = 0, mm = 0, ss = 0;
    if (!digits(text, i, 2, hh) || !literal(text, i, ':') || !digits(text, i, 2, mm)) return failed(Problem::malformed);
    if (literal(text, i, ':') && !digits(text, i, 2, ss)) return failed(Problem::malformed);
    if (hh > 23 || mm > 59 || ss > 59) return failed(Problem::no_such_time);
    if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
        ++i;
        const std::size_t start = i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            if (out.fraction_digits < 18) {
                out.fraction = out.fraction * 10 + static_cast<unsigned>(text[i] - '0');
                ++out.fraction_digits;
            }
        }
        if (i == start) return failed(Problem::malformed);
    }
    std::int64_t offset = 0;  // seconds east of UTC
    if (literal(text, i, 'Z') || literal(text, i, 'z')) {
    } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        const bool west = text[i++] == '-';
        int oh = 0, om = 0;
        if (!digits(text, i, 2, oh)) return failed(Problem::malformed);
        if (literal(text, i, ':')) {
            if (!digits(text, i, 2, om)) return failed(Problem::malformed);
        } else if (i < text.size()) {
            if (!digits(text, i, 2, om)) return failed(Problem::malformed);
        }
        if (oh > 23 || om > 59) return failed(Problem::no_such_offset);
        offset = (oh * 3600 + om * 60) * (west ? -1 : 1);
    } else if (i == text.size()) {
        return failed(Problem::no_offset);
    } else {
        return failed(Problem::malformed);
    }
    if (i != text.size()) return failed(Problem::malformed);
    out.seconds = sys_days(date).time_since_epoch().count() * 86400 + hh * 3600 + mm * 60 + ss - offset;
    return out;
}

}  // namespace iso8601

ParsedTime parse_timestamp(std::string_view text) {
    using iso8601::Problem;
    const iso8601::Timestamp t = iso8601::parse(text);
    switch (t.problem) {
    case Problem::none:
        return ParsedTime{.seconds = t.seconds, .fraction = t.fraction, .fraction_digits = t.fraction_digits};
    case Problem::no_such_date:
        bad_timestamp(text, "no such date");
    case Problem::no_such_time:
        bad_timestamp(text, "no such time of day");
    case Problem::no_such_offset:
        bad_timestamp(text, "no such UTC offset");
    case Problem::no_offset:
        bad_timestamp(text, "no UTC offset: add Z or +HH:MM");
    case Problem::malformed:
        break;
    }
    bad_timestamp(text);
}

std::size_t format_timestamp(std::int64_t seconds, std::uint64_t fraction, unsigned width, char (&buf)[48]) {
    using namespace std::chrono;
    const sys_seconds t{std::chrono::seconds{seconds}};
    const auto day = floor<days>(t);
    const year_month_day date{day};
    const int y = static_cast<int>(date.year());
    if (y < 0 || y > 9999)
        throw_attribute_error("time is outside years 0000-9999 and has no fixed-width ISO 8601 form", true);
    const hh_mm_ss<std::chrono::seconds> tod{t - day};
    char* p = buf;
    put_date(p, date);
    *p++ = 'T';
    put(p, static_cast<unsigned>(tod.hours().count()), 2);
    *p++ = ':';
    put(p, static_cast<unsigned>(tod.minutes().count()), 2);
    *p++ = ':';
    put(p, static_cast<unsigned>(tod.seconds().count()), 2);
    if (width > 0) {
        *p++ = '.';
        for (int k = static_cast<int>(width) - 1; k >= 0; --k) {
            p[k] = static_cast<char>('0' + fraction % 10);
            fraction /= 10;
        }
        p += width;
    }
    *p++ = 'Z';
    return static_cast<std::size_t>(p - buf);
}

std::int64_t fraction_to_ticks(std::uint64_t fraction, unsigned digits, std::intmax_t num, std::intmax_t den) {
    if (digits == 0 || fraction == 0) return 0;
    // ticks = fraction / 10^digits * den / num; fraction < 10^18 and den <= 10^18 fit 128 bits.
    __extension__ using u128 = unsigned __int128;
    u128 scale = 1;
    for (unsigned k = 0; k < digits; ++k) scale *= 10;
    const u128 ticks = static_cast<u128>(fraction) * static_cast<u128>(den) / (scale * static_cast<u128>(num));
    return static_cast<std::int64_t>(ticks);
}

void throw_time_out_of_range(std::string_view text) {
    throw_attribute_error(redacted(text) + " is out of the range of the time type");
}

std::chrono::year_month_day parse_date(std::string_view text) {
    std::size_t i = 0;
    std::chrono::year_month_day date;
    if (!read_date(text, i, date) || i != text.size())
        throw_attribute_error(redacted(text) + " is not an ISO 8601 date such as 2024-05-01");
    if (!date.ok()) throw_attribute_error(redacted(text) + " is not an ISO 8601 date (no such date)");
    return date;
}

std::size_t format_date(const std::chrono::year_month_day& date, char (&buf)[16]) {
    const int y = static_cast<int>(date.year());
    if (!date.ok()) throw_attribute_error("invalid date (year_month_day::ok() is false)", true);
    if (y < 0 || y > 9999) throw_attribute_error("date is outside years 0000-9999", true);
    char* p = buf;
    put_date(p, date);
    return static_cast<std::size_t>(p - buf);
}

}  // namespace dynantic::detail
