// AWS Lambda custom runtime ("provided.al2023") serving a users API from DynamoDB.
//
// Lambda runs this `bootstrap` executable once per execution environment; it initialises the
// DynamoDB client (region and credentials come from the environment Lambda sets), then loops:
// take the next event from the Runtime API, answer it with users_api::handle_event, repeat.
// A failing initialisation is reported with /runtime/init/error. See README.md beside this file
// for building and packaging.
#include "runtime.hpp"
#include "users_api.hpp"

#include <dynantic/dynantic.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace {

dynantic::Client make_client() {
    dynantic::ClientOptions options;
    // Amazon Linux keeps its CA bundle here; an OpenSSL built on Debian looks elsewhere.
    constexpr const char* al2023_bundle = "/etc/pki/tls/certs/ca-bundle.crt";
    if (std::getenv("SSL_CERT_FILE") == nullptr && std::filesystem::exists(al2023_bundle))
        options.http.tls.ca_file = al2023_bundle;
    if (const char* prefix = std::getenv("USERS_TABLE_PREFIX")) options.table_prefix = prefix;
    return dynantic::Client(std::move(options));
}

}  // namespace

int main() {
    std::optional<lambda::RuntimeClient> runtime;
    try {
        runtime.emplace();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bootstrap: %s\n", e.what());
        return 1;
    }

    std::optional<dynantic::Table<users_api::User>> users;
    try {
        users.emplace(make_client());
    } catch (...) {
        const lambda::ErrorReport report = lambda::error_report(std::current_exception());
        std::fprintf(stderr, "bootstrap: initialisation failed: %s: %s\n", report.type.c_str(), report.message.c_str());
        try {
            runtime->init_error(report);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bootstrap: %s\n", e.what());
        }
        return 1;
    }

    const lambda::RunResult result = lambda::run(*runtime, [&](const lambda::Invocation& invocation) {
        return users_api::handle_event(*users, invocation.payload);
    });
    std::fprintf(stderr, "bootstrap: stopped after %zu invocations: %s\n", result.invocations, result.stopped_by.c_str());
    return 1;
}
