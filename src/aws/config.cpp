// SPDX-License-Identifier: BSL-1.0
#include <dynantic/aws/config.hpp>

#include "aws/environment.hpp"
#include "aws/shared_config.hpp"

#include <dynantic/error.hpp>

namespace dynantic::aws {
namespace {

using detail::env;

bool valid_region(std::string_view region) noexcept {
    if (region.empty()) return false;
    for (const char c : region)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    return true;
}

}  // namespace

std::string resolve_region() {
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
        const std::string_view value = env(name);
        if (value.empty()) continue;
        if (!valid_region(value))
            throw Error(errc::configuration,
                        ErrorInfo{.message = std::string(name) + " is not a region name (letters, digits and '-')"});
        return std::string(value);
    }
    const std::string path = detail::config_file_path();
    if (const auto file = detail::read_ini_file(path)) {
        const std::string profile = detail::active_profile();
        if (const detail::IniSection* section = detail::config_profile(*file, profile)) {
            if (const auto it = section->find(std::string_view("region")); it != section->end() && !it->second.empty()) {
                if (!valid_region(it->second))
                    throw Error(errc::configuration,
                                ErrorInfo{.message = "the region of profile '" + profile + "' in " + path +
                                             " is not a region name (letters, digits and '-')"});
                return it->second;
            }
        }
    }
    return "us-east-1";
}

http::Endpoint resolve_endpoint(std::string_view region) {
    if (!valid_region(region))
        throw Error(errc::configuration,
                    ErrorInfo{.message = "invalid region '" + std::string(region) + "' (letters, digits and '-')"});
    for (const char* name : {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"}) {
        const std::string_view value = env(name);
        if (value.empty()) continue;
        try {
            return http::Endpoint::parse(value);
        } catch (const Error& e) {
            throw Error(errc::configuration, ErrorInfo{.message = std::string(name) + ": " + std::string(e.message())});
        }
    }
    http::Endpoint ep;
    ep.tls = true;
    ep.port = 443;
    ep.host = "dynamodb.";
    ep.host += region;
    ep.host += region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    return ep;
}

}  // namespace dynantic::aws
