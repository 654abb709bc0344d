#pragma once
// A minimal AWS Lambda custom runtime: the Runtime API (version 2018-06-01) loop as a small
// library, so a test can run it against a loopback server playing Lambda.
//
//   GET  /2018-06-01/runtime/invocation/next                 long poll: the next event
//   POST /2018-06-01/runtime/invocation/{id}/response        the handler's result
//   POST /2018-06-01/runtime/invocation/{id}/error           {"errorMessage", "errorType"}
//   POST /2018-06-01/runtime/init/error                      initialisation failed
//
// HTTP goes through dynantic's own Boost.Beast transport (`dynantic::http::BeastTransport`, plain
// HTTP to AWS_LAMBDA_RUNTIME_API) with no request deadline, since `next` blocks until an event
// arrives, which may be hours later.
//
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html

#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace lambda {

/** One event, with the facts the Runtime API sends in headers. */
struct Invocation {
    std::string request_id;        ///< Lambda-Runtime-Aws-Request-Id
    std::chrono::system_clock::time_point deadline{};   ///< Lambda-Runtime-Deadline-Ms (epoch ms)
    std::string function_arn;      ///< Lambda-Runtime-Invoked-Function-Arn
    std::string trace_id;          ///< Lambda-Runtime-Trace-Id (also exported as _X_AMZN_TRACE_ID)
    std::string client_context;    ///< Lambda-Runtime-Client-Context (mobile SDK invocations)
    std::string cognito_identity;  ///< Lambda-Runtime-Cognito-Identity
    std::string payload;           ///< the event, as JSON text

    /** Time left before Lambda stops the invocation (zero when past the deadline). */
    std::chrono::milliseconds remaining_time() const;
};

/** The body of an `/error` call: `{"errorMessage": ..., "errorType": ..., "stackTrace": []}`. */
struct ErrorReport {
    std::string type;      ///< errorType, e.g. "std::invalid_argument", "dynantic::ValidationError"
    std::string message;   ///< errorMessage: the exception's what()
};

/** The report for an exception: its demangled dynamic type and its what(). */
ErrorReport error_report(std::exception_ptr error);

/** The Runtime API answered with something other than success, or could not be reached. */
class RuntimeApiError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** Where the Runtime API is and how to reach it. */
struct RuntimeOptions {
    std::string api{};   ///< "host:port"; empty: the AWS_LAMBDA_RUNTIME_API environment variable
    /** null: a `BeastTransport` with a 3 s connect deadline and no request deadline. */
    std::shared_ptr<dynantic::http::Transport> transport{};
};

/** The four Runtime API calls. */
class RuntimeClient {
public:
    /** @throws RuntimeApiError when no API address is given nor in the environment. */
    explicit RuntimeClient(RuntimeOptions options = {});

    /** Blocks until Lambda hands over the next event.
        @throws RuntimeApiError on a transport failure or a non-200 answer. */
    Invocation next();
    /** Posts the handler's result (Lambda answers 202).
        @throws RuntimeApiError when it is refused (e.g. 413: response too large). */
    void respond(const std::string& request_id, const std::string& body);
    /** Posts an invocation error (with header Lambda-Runtime-Function-Error-Type). */
    void fail(const std::string& request_id, const ErrorReport& error);
    /** Posts an initialisation error; Lambda then ends this execution environment. */
    void init_error(const ErrorReport& error);

    const dynantic::http::Endpoint& endpoint() const noexcept { return endpoint_; }

private:
    dynantic::http::HttpResponse post(const std::string& target, std::string body, const std::string& error_type);

    dynantic::http::Endpoint endpoint_;
    std::shared_ptr<dynantic::http::Transport> transport_;
};

/** A handler turns an event into the response body (JSON text). Anything it throws becomes an
    `/error` call with `error_report(exception)`. */
using Handler = std::function<std::string(const Invocation&)>;

/** When `run` stops. */
struct RunOptions {
    std::size_t max_invocations = 0;   ///< stop after this many events; 0 = never (Lambda's way)
};

/** What `run` did. */
struct RunResult {
    std::size_t invocations = 0;   ///< events taken from `next`
    std::size_t errors = 0;        ///< of which reported with `/error`
    /** Why the loop ended: empty after `max_invocations`, else the failure (of `next`, or of
        posting a result and then its error). */
    std::string stopped_by;
};

/** The runtime loop: next -> handler -> response | error, until `options` say stop or the
    Runtime API fails. Sets `_X_AMZN_TRACE_ID` for each event (unsets it when absent). */
RunResult run(RuntimeClient& runtime, const Handler& handler, RunOptions options = {});

/** What a bootstrap's `main` does: connects to the Runtime API, builds the handler with `init`
    once (a failure is posted to `/runtime/init/error`), then runs the loop until the Runtime API
    fails. `program` prefixes the lines written to stderr. Returns `main`'s exit code: 1 (Lambda
    then ends this execution environment). */
int serve(const char* program, const std::function<Handler()>& init);

}  // namespace lambda
