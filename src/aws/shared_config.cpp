// SPDX-License-Identifier: BSL-1.0
#include "aws/shared_config.hpp"

#include "aws/environment.hpp"

#include <dynantic/error.hpp>

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

}  // namespace

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

}  // namespace dynantic::aws::detail
