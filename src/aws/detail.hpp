// SPDX-License-Identifier: BSL-1.0
#pragma once
// Helpers shared by the aws layer's sources: environment, messages, shared config files,
// metadata endpoints. Private to src/.
#include <dynantic/error.hpp>
#include <dynantic/http/endpoint.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dynantic::aws::detail {

/** The variable's value; empty when unset. */
std::string_view env(const char* name) noexcept;

/** `path` with a leading "~/" replaced by $HOME. */
std::string expand_home(std::string_view path);

/** Settings of one section, names lowercased. */
using IniSection = std::map<std::string, std::string, std::less<>>;
/** Sections by name as written between the brackets (trimmed), e.g. "profile dev". */
using IniFile = std::map<std::string, IniSection, std::less<>>;

/** Parses an AWS shared config or credentials file: `[section]` headers, `name = value` lines,
    full-line comments (`#`, `;`) and comments after whitespace; indented lines (nested
    settings) are skipped. Returns nullopt when the file cannot be opened.
    @throws Error (errc::configuration) naming the file and line (never the line's text) for a
            line that is none of these. */
std::optional<IniFile> read_ini_file(const std::string& path);

/** AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
std::string credentials_file_path();
/** AWS_CONFIG_FILE, else ~/.aws/config. */
std::string config_file_path();
/** AWS_PROFILE, else "default". */
std::string active_profile();
/** The profile's section of a config file: "[profile name]", or "[default]" for "default". */
const IniSection* config_profile(const IniFile& file, std::string_view profile);

/** ISO 8601 UTC time as metadata services write it: "2024-05-01T12:34:56Z", optional fraction
    of a second, "Z" or "+00:00". */
std::optional<std::chrono::system_clock::time_point> parse_utc_time(std::string_view text) noexcept;

/** A URL split into where to connect and what to ask for. */
struct Url {
    http::Endpoint endpoint;
    std::string target;   ///< path and query, "/" when empty
};
/** Splits "http[s]://host[:port][/path][?query]".
    @throws Error (errc::configuration) as `http::Endpoint::parse` does. */
Url split_url(std::string_view url);

}  // namespace dynantic::aws::detail
