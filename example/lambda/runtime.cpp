#include "runtime.hpp"

#include <dynantic/error.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cxxabi.h>
#include <optional>
#include <typeinfo>

namespace lambda {

namespace {

constexpr const char* api_version = "/2018-06-01";

std::string demangle(const char* name) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name, nullptr, nullptr, &status), std::free);
    return status == 0 && out ? std::string(out.get()) : std::string(name);
}

std::string resolve_api(std::string api) {
    if (api.empty())
        if (const char* env = std::getenv("AWS_LAMBDA_RUNTIME_API")) api = env;
    if (api.empty()) throw RuntimeApiError("AWS_LAMBDA_RUNTIME_API is not set: not running inside AWS Lambda?");
    return api;
}

std::shared_ptr<dynantic::http::Transport> default_transport() {
    dynantic::http::TransportOptions options;
    options.connect_timeout = std::chrono::seconds(3);
    options.request_timeout = std::chrono::milliseconds(0);   // `next` is a long poll
    options.pool.max_connections = 1;
    options.pool.idle_timeout = std::chrono::milliseconds(0);  // a frozen sandbox is not idle time
    return std::make_shared<dynantic::http::BeastTransport>(options);
}

std::string error_body(const ErrorReport& error) {
    boost::json::object body;
    body["errorMessage"] = error.message;
    body["errorType"] = error.type;
    body["stackTrace"] = boost::json::array();
    return boost::json::serialize(body);
}

}  // namespace

std::chrono::milliseconds Invocation::remaining_time() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::system_clock::now());
    return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

ErrorReport error_report(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return {demangle(typeid(e).name()), e.what()};
    } catch (...) {
        const std::type_info* type = abi::__cxa_current_exception_type();
        return {type != nullptr ? demangle(type->name()) : "unknown", "a non-standard exception was thrown"};
    }
}

RuntimeClient::RuntimeClient(RuntimeOptions options)
    : endpoint_(dynantic::http::Endpoint::parse("http://" + resolve_api(std::move(options.api)))),
      transport_(options.transport ? std::move(options.transport) : default_transport()) {}

Invocation RuntimeClient::next() {
    dynantic::http::HttpRequest request;
    request.method = "GET";
    request.target = std::string(api_version) + "/runtime/invocation/next";
    dynantic::http::HttpResponse response;
    try {
        response = transport_->send(endpoint_, request);
    } catch (const dynantic::Error& e) {
        throw RuntimeApiError(std::string("GET invocation/next failed: ") + e.what());
    }
    if (response.status != 200)
        throw RuntimeApiError("GET invocation/next answered HTTP " + std::to_string(response.status) + ": " +
                              response.body);
    Invocation inv;
    inv.request_id = std::string(response.header("Lambda-Runtime-Aws-Request-Id"));
    if (inv.request_id.empty()) throw RuntimeApiError("GET invocation/next: no Lambda-Runtime-Aws-Request-Id");
    const std::string_view deadline = response.header("Lambda-Runtime-Deadline-Ms");
    std::int64_t ms = 0;
    if (std::from_chars(deadline.data(), deadline.data() + deadline.size(), ms).ec == std::errc{})
        inv.deadline = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
    inv.function_arn = std::string(response.header("Lambda-Runtime-Invoked-Function-Arn"));
    inv.trace_id = std::string(response.header("Lambda-Runtime-Trace-Id"));
    inv.client_context = std::string(response.header("Lambda-Runtime-Client-Context"));
    inv.cognito_identity = std::string(response.header("Lambda-Runtime-Cognito-Identity"));
    inv.payload = std::move(response.body);
    return inv;
}

dynantic::http::HttpResponse RuntimeClient::post(const std::string& target, std::string body,
                                                 const std::string& error_type) {
    dynantic::http::HttpRequest request;
    request.method = "POST";
    request.target = target;
    request.headers.emplace_back("Content-Type", "application/json");
    if (!error_type.empty()) request.headers.emplace_back("Lambda-Runtime-Function-Error-Type", error_type);
    request.body = std::move(body);
    dynantic::http::HttpResponse response;
    try {
        response = transport_->send(endpoint_, request);
    } catch (const dynantic::Error& e) {
        throw RuntimeApiError("POST " + target + " failed: " + e.what());
    }
    if (response.status / 100 != 2)
        throw RuntimeApiError("POST " + target + " answered HTTP " + std::to_string(response.status) + ": " +
                              response.body);
    return response;
}

void RuntimeClient::respond(const std::string& request_id, const std::string& body) {
    post(std::string(api_version) + "/runtime/invocation/" + request_id + "/response", body, {});
}

void RuntimeClient::fail(const std::string& request_id, const ErrorReport& error) {
    post(std::string(api_version) + "/runtime/invocation/" + request_id + "/error", error_body(error), error.type);
}

void RuntimeClient::init_error(const ErrorReport& error) {
    post(std::string(api_version) + "/runtime/init/error", error_body(error), error.type);
}

RunResult run(RuntimeClient& runtime, const Handler& handler, RunOptions options) {
    RunResult result;
    while (options.max_invocations == 0 || result.invocations < options.max_invocations) {
        Invocation inv;
        try {
            inv = runtime.next();
        } catch (const RuntimeApiError& e) {
            result.stopped_by = e.what();
            return result;
        }
        ++result.invocations;
        if (inv.trace_id.empty()) ::unsetenv("_X_AMZN_TRACE_ID");
        else ::setenv("_X_AMZN_TRACE_ID", inv.trace_id.c_str(), 1);

        std::string body;
        std::exception_ptr error;
        try {
            body = handler(inv);
        } catch (...) {
            error = std::current_exception();
        }
        try {
            if (!error) {
                try {
                    runtime.respond(inv.request_id, body);
                    continue;
                } catch (const RuntimeApiError&) {
                    // e.g. 413 for a response over 6 MB: the invocation still needs an outcome.
                    error = std::current_exception();
                }
            }
            ++result.errors;
            runtime.fail(inv.request_id, error_report(error));
        } catch (const RuntimeApiError& e) {
            result.stopped_by = e.what();
            return result;
        }
    }
    return result;
}

}  // namespace lambda

namespace lambda {

int serve(const char* program, const std::function<Handler()>& init) {
    std::optional<RuntimeClient> runtime;
    try {
        runtime.emplace();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", program, e.what());
        return 1;
    }
    Handler handler;
    try {
        handler = init();
    } catch (...) {
        const ErrorReport report = error_report(std::current_exception());
        std::fprintf(stderr, "%s: initialisation failed: %s: %s\n", program, report.type.c_str(), report.message.c_str());
        try {
            runtime->init_error(report);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", program, e.what());
        }
        return 1;
    }
    const RunResult result = run(*runtime, handler);
    std::fprintf(stderr, "%s: stopped after %zu invocations: %s\n", program, result.invocations, result.stopped_by.c_str());
    return 1;
}

}  // namespace lambda
