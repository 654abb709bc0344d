// SPDX-License-Identifier: BSL-1.0
#include "http/trust_store.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace dynantic::http::detail {
namespace {

/** OpenSSL's setting `env`, else its compiled-in default. */
std::string setting(const char* env, const char* fallback) {
    const char* value = std::getenv(env);
    return value != nullptr && *value != '\0' ? value : fallback;
}

/** True for a name OpenSSL's hashed directory lookup reads: 8 hex digits, '.', decimal digits
    (e.g. "5ad8a5d6.0"). */
bool is_hashed_certificate_name(std::string_view name) noexcept {
    const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return name.size() >= 10 && name[8] == '.' && std::all_of(name.begin(), name.begin() + 8, hex) &&
           std::all_of(name.begin() + 9, name.end(), digit);
}

/** True when one of the `:`-separated directories holds a hashed certificate name. Stops at the
    first one; an unreadable or missing directory counts as none. */
bool has_hashed_names(std::string_view dirs) {
    namespace fs = std::filesystem;
    while (!dirs.empty()) {
        const auto colon = dirs.find(':');
        const std::string dir(dirs.substr(0, colon));
        dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
        if (dir.empty()) continue;
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (is_hashed_certificate_name(it->path().filename().native())) return true;
    }
    return false;
}

std::string openssl_reason() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "unknown OpenSSL error";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

}  // namespace

std::string use_system_trust_store(SSL_CTX* ctx) {
    const std::string dirs = setting(X509_get_default_cert_dir_env(), X509_get_default_cert_dir());
    if (!has_hashed_names(dirs)) {
        // No hashed directory (e.g. a system with a bundle only): OpenSSL's own defaults.
        if (SSL_CTX_set_default_verify_paths(ctx) != 1) return openssl_reason();
        return {};
    }
    if (SSL_CTX_load_verify_locations(ctx, nullptr, dirs.c_str()) != 1) return openssl_reason();
    // A bundle named explicitly is read as well; like OpenSSL's defaults, a missing one is no error.
    if (const char* file = std::getenv(X509_get_default_cert_file_env()); file != nullptr && *file != '\0') {
        if (SSL_CTX_load_verify_locations(ctx, file, nullptr) != 1) ERR_clear_error();
    }
    return {};
}

}  // namespace dynantic::http::detail
