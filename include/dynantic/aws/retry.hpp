// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The retry strategy of the AWS SDKs, as building blocks that `Client` puts together and that
    tests can drive with their own clock and random numbers:

    - `retry_reason` sorts a failure into throttling, transient, timeout or not retryable, and
      says whether the failed attempt may have been applied by the server;
    - `backoff_delay`: exponential backoff with full jitter and a cap;
    - `RetryQuota`: the "standard" mode's token bucket that stops retry storms (500 tokens, a
      retry costs 5, a retry after a timeout 10, a successful call gives 1 back);
    - `AdaptiveRateLimiter`: the "adaptive" mode's client-side rate limiter, a token bucket whose
      rate follows CUBIC (as TCP's congestion window): cut to 70% of the measured sending rate on
      each throttling response, then grown back along a cubic curve.

    @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html */

#include <atomic>
#include <chrono>
#include <mutex>
#include <system_error>

namespace dynantic::aws {

/** `standard`: backoff and quota. `adaptive`: the same, plus a client-side rate limiter that slows
    every request of the client down once DynamoDB throttles it. */
enum class RetryMode { standard, adaptive };

/** How failed attempts are retried (see `Client`). Delays: random(0, min(max_delay,
    base * 2^(retry - 1))), base being `throttling_base_delay` after a throttling error and
    `base_delay` after any other. */
struct RetryOptions {
    RetryMode mode = RetryMode::standard;   ///< standard: backoff and quota; adaptive: also client-side rate limiting
    /** Attempts in all, including the first; 1 = no retry (0 counts as 1). The SDKs' standard
        mode uses 3; their legacy DynamoDB default was 10. */
    unsigned max_attempts = 3;
    std::chrono::milliseconds base_delay{25};               ///< transient errors (5xx, network, CRC)
    std::chrono::milliseconds throttling_base_delay{500};   ///< throttling errors
    std::chrono::milliseconds max_delay{20'000};            ///< cap on any one delay
    /** Capacity of the retry quota, in tokens; 0 = no quota (retry whenever attempts remain). */
    unsigned retry_quota = 500;
};

/** Why a failed attempt may be retried. */
enum class RetryReason {
    none,         ///< not retryable: the same request fails again (or TLS, credentials, ...)
    throttling,   ///< throttling, capacity exceeded, transaction in progress: not applied
    transient,    ///< 5xx, network failure, CRC mismatch, transaction conflict
    timeout,      ///< no response in time (costs the quota twice as much)
};

/** How one failed attempt counts. */
struct FailureClass {
    RetryReason reason = RetryReason::none;   ///< none: do not retry
    /** The server may have applied the request (a 5xx, a lost or corrupted response): retrying a
        non-idempotent write could apply it twice. */
    bool may_have_applied = true;
};

/** Sorts a failure by its `dynantic::errc` code. `request_sent`: for transport failures, whether
    the request may have reached the server (`TransportError::request_sent()`). */
FailureClass classify_failure(const std::error_code& code, bool request_sent) noexcept;

/** The delay before retry number `retry` (1 = the first retry) with full jitter: `random01`
    (in [0, 1)) times the capped exponential. */
std::chrono::milliseconds backoff_delay(const RetryOptions& options, unsigned retry, RetryReason reason,
                                        double random01) noexcept;

/** The "standard" mode's retry quota: a token bucket shared by every call of a client. Retrying
    takes tokens; successes give them back. When it is empty, failures are surfaced at once
    instead of being retried, so a struggling service is not hit with a retry storm.
    Thread-safe and lock-free. */
class RetryQuota {
public:
    static constexpr unsigned retry_cost = 5;   ///< tokens a retry takes
    static constexpr unsigned timeout_retry_cost = 10;   ///< tokens a retry after a timeout takes
    static constexpr unsigned success_increment = 1;   ///< tokens a successful call without retry gives back

    /** `capacity` 0 = unlimited (acquire always succeeds). The bucket starts full. */
    explicit RetryQuota(unsigned capacity) noexcept : capacity_(capacity), available_(capacity) {}

    /** Takes the cost of a retry for `reason`; returns false (taking nothing) when there are not
        enough tokens. Returns the cost taken through `taken`. */
    bool acquire(RetryReason reason, unsigned& taken) noexcept;
    /** Gives `amount` tokens back, up to the capacity. Cheap when the bucket is full. */
    void release(unsigned amount) noexcept;
    /** Tokens left now. */
    unsigned available() const noexcept { return available_.load(std::memory_order_relaxed); }
    /** Tokens when full; 0 = unlimited. */
    unsigned capacity() const noexcept { return capacity_; }

private:
    const unsigned capacity_;
    std::atomic<unsigned> available_;
};

/** The "adaptive" mode's client-side rate limiter (as botocore's and the Java SDK's). Disabled
    until the first throttling response; from then on every attempt takes a token from a bucket
    filled at a rate that CUBIC adjusts on each response: on throttling it drops to 70% of the
    rate the client was sending at, and after that it grows along
    `0.4 * (t - t_throttle - K)^3 + W_max`, K = cbrt(W_max * 0.3 / 0.4), never above twice the
    measured sending rate nor below 0.5 requests per second. Times are seconds on a monotonic
    clock, passed in so that tests control them. Thread-safe. */
class AdaptiveRateLimiter {
public:
    /** Disabled until the first throttling response; `now` in seconds on a monotonic clock. */
    explicit AdaptiveRateLimiter(double now);

    /** Reserves a token for one attempt and returns how long to wait before sending it (zero
        while disabled or when a token is available). */
    std::chrono::nanoseconds acquire(double now);
    /** Records the outcome of an attempt: `throttled` for a throttling error. */
    void on_response(bool throttled, double now);

    /** True once a throttling response was seen. */
    bool enabled() const noexcept { return enabled_.load(std::memory_order_relaxed); }
    /** Tokens per second the bucket fills at (meaningful once enabled). */
    double fill_rate() const;
    /** Smoothed requests per second the client sent. */
    double measured_rate() const;

private:
    void refill(double now);              // mutex_ held
    void update_measured_rate(double now); // mutex_ held
    void set_rate(double rate, double now); // mutex_ held

    std::atomic<bool> enabled_{false};
    mutable std::mutex mutex_;
    double fill_rate_ = 0.5;
    double max_capacity_ = 1;
    double capacity_ = 0;
    double last_refill_ = -1;
    double measured_rate_ = 0;
    double last_rate_bucket_;
    unsigned request_count_ = 0;
    double last_max_rate_ = 0;
    double last_throttle_;
};

}  // namespace dynantic::aws
