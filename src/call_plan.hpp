// SPDX-License-Identifier: BSL-1.0
#pragma once
// One call's attempts as a sans-I/O state machine (private to src/). It builds and signs the
// request, and, given what each step produced (credentials, a response, a transport failure, a
// cancellation), says what the driver does next: wait, get credentials, send, or finish. It owns
// every rule of `Client::call` (CRC32, error mapping, retries, the retry quota, backoff, the
// rate limiter, the write-outcome-unknown rules, read_body, the metrics hook and the log lines);
// the synchronous `Client::call` (src/client.cpp) drives it with blocking I/O and sleeps, the
// asynchronous `async_call` (src/asio/start_call.cpp) with Asio operations and timers, so the two
// cannot diverge.
#include "client_impl.hpp"

#include <dynantic/client.hpp>
#include <dynantic/metrics.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dynantic::detail {

/** What the driver of a call does next. */
enum class CallAction {
    wait,          ///< wait `delay()` (backoff or rate limiter), then `resume()`
    credentials,   ///< get credentials, then `on_credentials()` (or `on_credentials_error()`)
    send,          ///< send `request()` to `endpoint()`, then `on_response()` or `on_transport_error()`
    done,          ///< the call succeeded: `take_response()`
    fail,          ///< the call failed: `error()` (a dynantic::Error, or what a callback threw)
};

/** What a failed attempt looked like, for the retry decision and the log. Holds no message of
    DynamoDB (which may quote request values), only codes. */
struct CallFailure {
    std::error_code code;
    bool request_sent = true;
    unsigned http_status = 0;
    std::string_view aws_code;       ///< points into the exception being handled
    std::string_view local_message;  ///< transport messages (ours, free of request data)
};

class CallPlan {
public:
    /** `request` must outlive the plan. `options.stop` is checked before each attempt. */
    CallPlan(const ClientImpl& impl, Operation operation, const boost::json::object& request, CallOptions options);
    /** An operation named by its wire name (`Client::call`'s string overload): the typed rules
        apply when the name is an `Operation`'s. */
    CallPlan(const ClientImpl& impl, std::string_view operation, const boost::json::object& request,
             CallOptions options);
    CallPlan(const CallPlan&) = delete;
    CallPlan& operator=(const CallPlan&) = delete;

    /** The first action: the first attempt begins. */
    CallAction start();
    /** After a `wait`. */
    CallAction resume();
    /** With the credentials to sign this attempt with: `send`. */
    CallAction on_credentials(const std::shared_ptr<const aws::Credentials>& credentials);
    /** The credentials provider threw `error`. */
    CallAction on_credentials_error(std::exception_ptr error);
    /** The transport's response to this attempt (any HTTP status). Never throws. */
    CallAction on_response(http::HttpResponse& response) noexcept;
    /** The transport threw `error` (a TransportError, a ValidationError, ...). Never throws. */
    CallAction on_transport_error(std::exception_ptr error) noexcept;
    /** The caller cancelled the call; `request_sent`: the attempt in flight had sent its request. */
    CallAction on_cancelled(bool request_sent, std::string_view how = {}) noexcept;

    /** How a cancellation is described when `on_cancelled` is given no words (default:
        "stopped (CallOptions::stop)"). */
    void set_cancel_cause(std::string_view cause) noexcept { cancel_cause_ = cause; }

    std::chrono::nanoseconds delay() const noexcept { return delay_; }
    const http::HttpRequest& request() const noexcept { return http_request_; }
    const http::Endpoint& endpoint() const noexcept { return *endpoint_; }
    const CallOptions& options() const noexcept { return options_; }
    std::string_view operation() const noexcept { return context_.operation; }
    /** The response once `done` (allocated in `CallOptions::storage`). */
    boost::json::object take_response() noexcept { return std::move(*response_); }
    /** The failure once `fail`. */
    const std::exception_ptr& error() const noexcept { return error_; }

private:
    using Clock = std::chrono::steady_clock;
    enum class Waiting { none, limiter, backoff };

    CallPlan(const ClientImpl& impl, std::optional<Operation> operation, std::string_view name,
             const boost::json::object& request, CallOptions options);
    CallAction begin_attempt();
    CallAction on_failure(std::exception_ptr error) noexcept;
    CallAction give_up(std::exception_ptr error);
    CallAction finish(std::exception_ptr error) noexcept;
    CallAction succeed();
    bool retry_after(const CallFailure& failure);
    void log_failure(const CallFailure& failure) const;
    bool deadline_passed() const { return timeout_.count() > 0 && Clock::now() >= http_request_.deadline; }

    const ClientImpl& impl_;
    std::optional<Operation> operation_;   ///< null: a name sent through the string overload
    const boost::json::object& request_;
    CallOptions options_;
    ErrorInfo context_;
    http::HttpRequest http_request_;
    const http::Endpoint* endpoint_;
    std::size_t base_headers_ = 0;
    bool conditional_write_ = false;
    bool resendable_ = false;
    bool maybe_applied_ = false;    ///< an earlier attempt failed after its request may have been applied
    std::string unknown_outcome_;   ///< the failure of the attempt that may have been applied, if any
    std::chrono::milliseconds timeout_{0};
    Clock::time_point start_{};
    unsigned attempt_ = 0;
    unsigned retry_cost_ = 0;          ///< quota taken by the latest retry, returned on success
    bool stopped_by_timeout_ = false;  ///< the call's timeout left no room for another attempt
    std::string_view not_retried_;     ///< why the last failure was not retried (for the log)
    Waiting waiting_ = Waiting::none;
    std::string_view cancel_cause_ = "stopped (CallOptions::stop)";
    std::chrono::nanoseconds delay_{0};
    std::exception_ptr pending_;       ///< the failure a backoff wait follows
    std::optional<boost::json::object> response_;
    std::exception_ptr error_;
    // The metrics hook's record (only when the client has a hook).
    bool report_ = false;
    CallMetrics metrics_;
    Clock::time_point metrics_start_{};
    std::string metrics_table_;
};

}  // namespace dynantic::detail
