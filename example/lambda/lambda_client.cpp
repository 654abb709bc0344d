#include "lambda_client.hpp"

#include <cstdlib>
#include <filesystem>
#include <utility>

namespace lambda {

dynantic::Client client_from_environment(const char* table_prefix_variable) {
    dynantic::ClientOptions options;
    // Amazon Linux keeps its CA bundle here; an OpenSSL built on Debian looks elsewhere.
    constexpr const char* al2023_bundle = "/etc/pki/tls/certs/ca-bundle.crt";
    if (std::getenv("SSL_CERT_FILE") == nullptr && std::filesystem::exists(al2023_bundle))
        options.http.tls.ca_file = al2023_bundle;
    if (const char* prefix = std::getenv(table_prefix_variable)) options.table_prefix = prefix;
    return dynantic::Client(std::move(options));
}

}  // namespace lambda
