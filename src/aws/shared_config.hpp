// SPDX-License-Identifier: BSL-1.0
#pragma once
// The AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials): where they
// are, the active profile, and their INI syntax. Private to src/.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dynantic::aws::detail {

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

}  // namespace dynantic::aws::detail
