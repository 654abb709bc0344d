// SPDX-License-Identifier: BSL-1.0
#include "aws/detail.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>

namespace dynantic::aws::detail {
namespace {

constexpr std::string_view whitespace = " \t\r\f\v";

std::string_view trim(std::string_view s) noexcept {
    const auto first = s.find_first_not_of(whitespace);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(whitespace);
    return s.substr(first, last - first + 1);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/** The value with a comment that follows whitespace (" # ...", " ; ...") removed. */
std::string_view strip_inline_comment(std::string_view value) noexcept {
    for (std::size_t i = 1; i < value.size(); ++i)
        if ((value[i] == '#' || value[i] == ';') && (value[i - 1] == ' ' || value[i - 1] == '\t'))
            return trim(value.substr(0, i));
    return value;
}

bool parse_digits(std::string_view s, int& out) noexcept {
    if (s.empty()) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

std::string_view env(const char* name) noexcept {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string_view{} : std::string_view(value);
}

std::string expand_home(std::string_view path) {
    if (path == "~" || path.starts_with("~/")) {
        std::string out(env("HOME"));
        out += path.substr(1);
        return out;
    }
    return std::string(path);
}

std::optional<IniFile> read_ini_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    IniFile file;
    IniSection* section = nullptr;
    std::string line;
    for (unsigned number = 1; std::getline(in, line); ++number) {
        const std::string_view raw(line);
        const std::string_view text = trim(raw);
        if (text.empty() || text.front() == '#' || text.front() == ';') continue;
        if (raw.front() == ' ' || raw.front() == '\t') continue;   // nested setting ("s3 =" block)
        if (text.front() == '[') {
            const auto close = text.find(']');
            const std::string_view rest = close == std::string_view::npos ? text : trim(text.substr(close + 1));
            if (close == std::string_view::npos || !(rest.empty() || rest.front() == '#' || rest.front() == ';'))
                throw Error(errc::configuration,
                            ErrorInfo{.message = path + ", line " + std::to_string(number) + ": malformed section header"});
            // Collapse inner whitespace runs so that "[profile   dev]" names "profile dev".
            std::string name;
            for (const char c : trim(text.substr(1, close - 1))) {
                const bool space = c == ' ' || c == '\t';
                if (space && (name.empty() || name.back() == ' ')) continue;
                name += space ? ' ' : c;
            }
            section = &file[name];
            continue;
        }
        const auto eq = text.find('=');
        if (eq == std::string_view::npos || section == nullptr)
            throw Error(errc::configuration,
                        ErrorInfo{.message = path + ", line " + std::to_string(number) +
                                     (section == nullptr ? ": setting outside of any [section]"
                                                         : ": expected 'name = value'")});
        const std::string name = lower(trim(text.substr(0, eq)));
        (*section)[name] = std::string(strip_inline_comment(trim(text.substr(eq + 1))));
    }
    return file;
}

std::string credentials_file_path() {
    const std::string_view configured = env("AWS_SHARED_CREDENTIALS_FILE");
    return expand_home(configured.empty() ? std::string_view("~/.aws/credentials") : configured);
}

std::string config_file_path() {
    const std::string_view configured = env("AWS_CONFIG_FILE");
    return expand_home(configured.empty() ? std::string_view("~/.aws/config") : configured);
}

std::string active_profile() {
    const std::string_view profile = env("AWS_PROFILE");
    return profile.empty() ? std::string("default") : std::string(profile);
}

const IniSection* config_profile(const IniFile& file, std::string_view profile) {
    std::string name = "profile ";
    name += profile;
    if (const auto it = file.find(name); it != file.end()) return &it->second;
    if (profile == "default")
        if (const auto it = file.find("default"); it != file.end()) return &it->second;
    return nullptr;
}

std::optional<std::chrono::system_clock::time_point> parse_utc_time(std::string_view t) noexcept {
    // YYYY-MM-DDTHH:MM:SS
    if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') ||
        t[13] != ':' || t[16] != ':')
        return std::nullopt;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!parse_digits(t.substr(0, 4), year) || !parse_digits(t.substr(5, 2), month) ||
        !parse_digits(t.substr(8, 2), day) || !parse_digits(t.substr(11, 2), hour) ||
        !parse_digits(t.substr(14, 2), minute) || !parse_digits(t.substr(17, 2), second))
        return std::nullopt;
    std::string_view rest = t.substr(19);
    std::chrono::nanoseconds fraction{0};
    if (!rest.empty() && rest.front() == '.') {
        std::size_t n = 1;
        std::int64_t scale = 100'000'000;
        while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') {
            fraction += std::chrono::nanoseconds((rest[n] - '0') * scale);
            scale /= 10;
            ++n;
        }
        if (n == 1) return std::nullopt;
        rest = rest.substr(n);
    }
    if (rest != "Z" && rest != "z" && rest != "+00:00" && rest != "-00:00" && rest != "+0000") return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                          std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    return std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
           std::chrono::seconds(second) + std::chrono::duration_cast<std::chrono::system_clock::duration>(fraction);
}

Url split_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    const auto path_start = scheme_end == std::string_view::npos ? std::string_view::npos
                                                                 : url.find_first_of("/?", scheme_end + 3);
    Url out;
    out.endpoint = http::Endpoint::parse(url.substr(0, path_start));
    if (path_start == std::string_view::npos) {
        out.target = "/";
    } else {
        if (url[path_start] == '?') out.target = "/";
        out.target += url.substr(path_start);
        if (const auto hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
    }
    return out;
}

}  // namespace dynantic::aws::detail
