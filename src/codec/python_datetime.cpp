// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/python_datetime.hpp>

#include <dynantic/log.hpp>

#include <cstring>
#include <limits>
#include <string>

namespace dynantic::detail {
namespace {

constexpr std::int64_t micros_per_second = 1'000'000;

[[noreturn]] void bad_datetime(std::string_view text, std::string_view why) {
    throw_attribute_error(redacted(text) + " is not a Python isoformat() datetime such as 2024-01-01T12:00:00Z (" +
                          std::string(why) + ")");
}

bool two_digits(std::string_view text, std::size_t i, int& out) {
    if (i + 2 > text.size() || text[i] < '0' || text[i] > '9' || text[i + 1] < '0' || text[i + 1] > '9') return false;
    out = (text[i] - '0') * 10 + (text[i + 1] - '0');
    return true;
}

Timestamp to_timestamp(const ParsedTime& p, std::string_view text) {
    constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / micros_per_second - 1;
    if (p.seconds > limit || p.seconds < -limit) throw_time_out_of_range(text);
    return Timestamp(std::chrono::microseconds(p.seconds * micros_per_second +
                                               fraction_to_ticks(p.fraction, p.fraction_digits, 1, micros_per_second)));
}

}  // namespace

std::size_t format_python_datetime(const PythonDatetime& v, char (&buf)[48]) {
    using namespace std::chrono;
    const Timestamp wall = v.wall_time();
    const auto whole = floor<seconds>(wall);
    const auto micros = static_cast<std::uint64_t>((wall - whole).count());
    std::size_t n = format_timestamp(whole.time_since_epoch().count(), micros, micros == 0 ? 0 : 6, buf);
    // format_timestamp ends with 'Z': keep it for UTC, drop it for a naive value, else the offset.
    if (!v.offset || *v.offset == minutes{0}) return v.offset ? n : n - 1;
    const auto total = v.offset->count();
    if (total <= -24 * 60 || total >= 24 * 60)
        throw_attribute_error("UTC offset of " + std::to_string(total) + " minutes is not within a day", true);
    const auto abs = static_cast<unsigned>(total < 0 ? -total : total);
    char* p = buf + n - 1;
    *p++ = total < 0 ? '-' : '+';
    *p++ = static_cast<char>('0' + abs / 60 / 10);
    *p++ = static_cast<char>('0' + abs / 60 % 10);
    *p++ = ':';
    *p++ = static_cast<char>('0' + abs % 60 / 10);
    *p++ = static_cast<char>('0' + abs % 60 % 10);
    return static_cast<std::size_t>(p - buf);
}

PythonDatetime parse_python_datetime(std::string_view text) {
    if (text.size() < 16) bad_datetime(text, "too short");
    const char last = text.back();
    if (last == 'Z' || last == 'z') return PythonDatetime(to_timestamp(parse_timestamp(text), text));
    // An offset is the first sign after the date (whose own '-' are at 4 and 7).
    const std::size_t sign = text.find_first_of("+-", 10);
    if (sign == std::string_view::npos) {
        // Naive: no zone. The wall-clock time, read as if it were UTC.
        char buf[64];
        if (text.size() >= sizeof buf) bad_datetime(text, "too long");
        std::memcpy(buf, text.data(), text.size());
        buf[text.size()] = 'Z';
        return PythonDatetime::naive(to_timestamp(parse_timestamp(std::string_view(buf, text.size() + 1)), text));
    }
    const Timestamp utc = to_timestamp(parse_timestamp(text), text);   // checks the whole text
    int hours = 0, minutes = 0;
    std::size_t i = sign + 1;
    if (!two_digits(text, i, hours)) bad_datetime(text, "malformed UTC offset");
    i += 2;
    if (i < text.size() && text[i] == ':') ++i;
    if (i < text.size()) {
        if (!two_digits(text, i, minutes)) bad_datetime(text, "malformed UTC offset");
        i += 2;
    }
    if (i != text.size()) bad_datetime(text, "UTC offset is not a whole number of minutes");
    const int total = (hours * 60 + minutes) * (text[sign] == '-' ? -1 : 1);
    return PythonDatetime(utc, std::chrono::minutes(total));
}

}  // namespace dynantic::detail
