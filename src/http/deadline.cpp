// SPDX-License-Identifier: BSL-1.0
#include "http/deadline.hpp"

#include <dynantic/error.hpp>

#include <algorithm>
#include <utility>

namespace dynantic::http::detail {

Limit limit_for(std::chrono::milliseconds timeout, Clock::time_point request_deadline, std::string_view timeout_name) {
    Limit l;
    const auto now = Clock::now();
    l.started = now;
    l.timeout_name = timeout_name;
    if (timeout.count() > 0) {
        l.at = now + timeout;
        l.allowed = timeout;
    }
    if (request_deadline != Clock::time_point{} && request_deadline < l.at) {
        l.at = request_deadline;
        l.by_request_deadline = true;
        l.allowed = std::max(std::chrono::milliseconds(0),
                             std::chrono::ceil<std::chrono::milliseconds>(request_deadline - now));
    }
    return l;
}

long long waited_ms(Clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

std::string timed_out(const Limit& limit) {
    std::string out = "timed out after " + std::to_string(waited_ms(limit.started)) + " ms (";
    if (limit.by_request_deadline) {
        out += "the call's deadline, ";
        out += std::to_string(limit.allowed.count());
        out += " ms away";
    } else {
        out += limit.timeout_name;
        out += ' ';
        out += std::to_string(limit.allowed.count());
        out += " ms";
    }
    out += ") ";
    return out;
}

namespace {
TransportError make_failure(Failure kind, std::string message, bool sent) {
    message += sent ? "; the request had been sent" : "; the request was not sent";
    errc code = errc::network;
    switch (kind) {
    case Failure::network: code = errc::network; break;
    case Failure::timeout: code = errc::timeout; break;
    case Failure::tls: code = errc::tls; break;
    case Failure::invalid_response: code = errc::invalid_response; break;
    case Failure::cancelled: code = errc::cancelled; break;
    }
    return TransportError(code, ErrorInfo{.message = std::move(message)}, sent);
}
}  // namespace

void fail(Failure kind, std::string message, bool sent) { throw make_failure(kind, std::move(message), sent); }

std::exception_ptr failure(Failure kind, std::string message, bool sent) {
    return std::make_exception_ptr(make_failure(kind, std::move(message), sent));
}

void refuse(std::string message) { throw ValidationError(ErrorInfo{.message = std::move(message)}); }

std::exception_ptr refusal(std::string message) {
    return std::make_exception_ptr(ValidationError(ErrorInfo{.message = std::move(message)}));
}

}  // namespace dynantic::http::detail
