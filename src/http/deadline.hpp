// SPDX-License-Identifier: BSL-1.0
#pragma once
// Time limits of the transport's steps and the failures they end in. Private to src/http/.
// (Without <dynantic/error.hpp>, which costs every including translation unit Boost.JSON.)

#include <chrono>
#include <exception>
#include <string>
#include <string_view>

namespace dynantic::http::detail {

using Clock = std::chrono::steady_clock;

/** Deadline value meaning "none". */
inline constexpr Clock::time_point no_deadline = Clock::time_point::max();

/** When a step must end, what set that moment, and when the step began (for messages that state
    the time actually waited). */
struct Limit {
    Clock::time_point at = no_deadline;
    Clock::time_point started{};
    std::chrono::milliseconds allowed{0};
    std::string_view timeout_name;   ///< "request timeout", "connect timeout"
    bool by_request_deadline = false;   ///< `at` is the request's (the call's) deadline
};

/** The earlier of now + `timeout` (0 = none) and the request's own deadline (epoch = none). */
Limit limit_for(std::chrono::milliseconds timeout, Clock::time_point request_deadline, std::string_view timeout_name);

/** Milliseconds since `since`, measured now. */
long long waited_ms(Clock::time_point since);

/** "timed out after 301 ms (request timeout 300 ms) " with the time actually waited, measured, and
    what bounded it: the transport's own timeout or the deadline of the call. */
std::string timed_out(const Limit& limit);

/** How a transport failure is reported: the `dynantic::errc` of its TransportError. */
enum class Failure { network, timeout, tls, invalid_response, cancelled };

/** Throws TransportError. `sent`: whether the server may have received the request; the message
    says so. */
[[noreturn]] void fail(Failure kind, std::string message, bool sent = false);

/** The TransportError `fail` throws, as an exception pointer (for the asynchronous transport). */
std::exception_ptr failure(Failure kind, std::string message, bool sent = false);

/** The ValidationError `refuse` throws, as an exception pointer. */
std::exception_ptr refusal(std::string message);

/** Throws ValidationError: a request the transport will not send. */
[[noreturn]] void refuse(std::string message);

}  // namespace dynantic::http::detail
