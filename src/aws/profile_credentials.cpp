// SPDX-License-Identifier: BSL-1.0
#include <dynantic/aws/credentials.hpp>

#include "aws/shared_config.hpp"

#include <dynantic/log.hpp>

namespace dynantic::aws {
namespace {


std::string_view setting(const detail::IniSection* section, std::string_view name) {
    if (section == nullptr) return {};
    const auto it = section->find(name);
    return it == section->end() ? std::string_view{} : std::string_view(it->second);
}

/** The first setting of `section` naming a credential source dynantic does not implement. */
std::string_view unsupported_source(const detail::IniSection* section) {
    if (section == nullptr) return {};
    for (const char* name : {"role_arn", "credential_process", "web_identity_token_file", "sso_session",
                             "sso_start_url", "sso_account_id", "credential_source"})
        if (section->contains(std::string_view(name))) return name;
    return {};
}

}  // namespace

ProfileCredentialsProvider::ProfileCredentialsProvider(std::string profile) : profile_(std::move(profile)) {}

std::shared_ptr<const Credentials> ProfileCredentialsProvider::cached_credentials() {
    const std::lock_guard lock(mutex_);
    return cached_;
}

std::shared_ptr<const Credentials> ProfileCredentialsProvider::shared_credentials() {
    const std::lock_guard lock(mutex_);
    if (cached_) return cached_;

    const std::string profile = profile_.empty() ? detail::active_profile() : profile_;
    const std::string credentials_path = detail::credentials_file_path();
    const std::string config_path = detail::config_file_path();
    const auto credentials_file = detail::read_ini_file(credentials_path);
    const auto config_file = detail::read_ini_file(config_path);

    const detail::IniSection* from_credentials = nullptr;
    if (credentials_file)
        if (const auto it = credentials_file->find(profile); it != credentials_file->end())
            from_credentials = &it->second;
    const detail::IniSection* from_config = config_file ? detail::config_profile(*config_file, profile) : nullptr;
    if (from_credentials == nullptr && from_config == nullptr)
        throw CredentialsUnavailableError(ErrorInfo{.message = "profile '" + profile + "' not found in " + credentials_path +
                                                       " or " + config_path});

    // The credentials file wins, as in the SDKs; the config file may hold the keys too.
    const bool in_credentials = !setting(from_credentials, "aws_access_key_id").empty() ||
                                !setting(from_credentials, "aws_secret_access_key").empty();
    const detail::IniSection* section = in_credentials ? from_credentials : from_config;
    const std::string& path = in_credentials ? credentials_path : config_path;
    const std::string where = "profile '" + profile + "' in " + path;

    Credentials c;
    c.access_key_id = setting(section, "aws_access_key_id");
    c.secret_access_key = setting(section, "aws_secret_access_key");
    c.session_token = setting(section, "aws_session_token");
    if (c.access_key_id.empty() && c.secret_access_key.empty()) {
        std::string_view unsupported = unsupported_source(from_credentials);
        if (unsupported.empty()) unsupported = unsupported_source(from_config);
        if (!unsupported.empty())
            throw Error(errc::credentials,
                        ErrorInfo{.message = "profile '" + profile + "' uses " + std::string(unsupported) +
                                     ", which dynantic does not implement; export the credentials "
                                     "(e.g. `aws configure export-credentials --format env`) or pass a provider"});
        throw CredentialsUnavailableError(ErrorInfo{.message = where + " has no aws_access_key_id"});
    }
    if (c.access_key_id.empty()) throw Error(errc::credentials, ErrorInfo{.message = where + " lacks aws_access_key_id"});
    if (c.secret_access_key.empty())
        throw Error(errc::credentials, ErrorInfo{.message = where + " lacks aws_secret_access_key"});
    cached_ = std::make_shared<const Credentials>(std::move(c));
    if (log_enabled(LogLevel::debug)) log(LogLevel::debug, "credentials read from " + where);
    return cached_;
}

}  // namespace dynantic::aws
