// AWS Lambda custom runtime ("provided.al2023") consuming the `customers` table's DynamoDB stream.
//
// Lambda runs this `stream_bootstrap` (packaged as `bootstrap`) once per execution environment;
// it builds the DynamoDB client, then loops: take the next stream event from the Runtime API,
// record each change with customers_stream::handle_event, answer with the partial batch response
// `{"batchItemFailures": [...]}`. Configure the event source mapping with
// `FunctionResponseTypes: ["ReportBatchItemFailures"]`. See README.md beside this file.
#include "customers_stream.hpp"
#include "runtime.hpp"

#include <dynantic/dynantic.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace {

dynantic::Client make_client() {
    dynantic::ClientOptions options;
    constexpr const char* al2023_bundle = "/etc/pki/tls/certs/ca-bundle.crt";
    if (std::getenv("SSL_CERT_FILE") == nullptr && std::filesystem::exists(al2023_bundle))
        options.http.tls.ca_file = al2023_bundle;
    if (const char* prefix = std::getenv("CUSTOMERS_TABLE_PREFIX")) options.table_prefix = prefix;
    return dynantic::Client(std::move(options));
}

}  // namespace

int main() {
    std::optional<lambda::RuntimeClient> runtime;
    try {
        runtime.emplace();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "stream_bootstrap: %s\n", e.what());
        return 1;
    }

    std::optional<dynantic::Table<customers_stream::Change>> changes;
    try {
        changes.emplace(make_client());
    } catch (...) {
        const lambda::ErrorReport report = lambda::error_report(std::current_exception());
        std::fprintf(stderr, "stream_bootstrap: initialisation failed: %s: %s\n", report.type.c_str(), report.message.c_str());
        try {
            runtime->init_error(report);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "stream_bootstrap: %s\n", e.what());
        }
        return 1;
    }

    const lambda::RunResult result = lambda::run(*runtime, [&](const lambda::Invocation& invocation) {
        // Leave 2 s to answer: records not begun by then are reported and retried.
        return customers_stream::handle_event(*changes, invocation.payload,
                                              {.deadline = invocation.deadline - std::chrono::seconds(2)});
    });
    std::fprintf(stderr, "stream_bootstrap: stopped after %zu invocations: %s\n", result.invocations,
                 result.stopped_by.c_str());
    return 1;
}
