// SPDX-License-Identifier: BSL-1.0
#include <dynantic/aws/retry.hpp>

#include <dynantic/error.hpp>

#include "aws/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace dynantic::aws {

FailureClass classify_failure(const std::error_code& code, bool request_sent) noexcept {
    if (code.category() != error_category()) return {RetryReason::none, true};
    switch (static_cast<errc>(code.value())) {
    case errc::provisioned_throughput_exceeded:
    case errc::throttling:
    case errc::request_limit_exceeded:
    case errc::limit_exceeded:
    case errc::transaction_in_progress:
        return {RetryReason::throttling, false};
    case errc::transaction_conflict:   // the transaction was cancelled, nothing applied
        return {RetryReason::transient, false};
    case errc::internal_server_error:
    case errc::service_unavailable:
    case errc::crc32_mismatch:         // the response was damaged, the request went through
        return {RetryReason::transient, true};
    case errc::network:
        return {RetryReason::transient, request_sent};
    case errc::timeout:
        return {RetryReason::timeout, request_sent};
    default:
        return {RetryReason::none, true};
    }
}

std::chrono::milliseconds backoff_delay(const RetryOptions& options, unsigned retry, RetryReason reason,
                                        double random01) noexcept {
    const auto base = reason == RetryReason::throttling ? options.throttling_base_delay : options.base_delay;
    return detail::full_jitter(base, options.max_delay, retry, random01);
}

namespace detail {

double jitter01() noexcept {
    thread_local std::minstd_rand rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::chrono::milliseconds full_jitter(std::chrono::milliseconds base, std::chrono::milliseconds cap, unsigned retry,
                                      double random01) noexcept {
    const double limit = static_cast<double>(std::max<std::int64_t>(cap.count(), 0));
    const unsigned exponent = std::min(retry == 0 ? 0u : retry - 1, 62u);
    const double ceiling = std::min(limit, static_cast<double>(std::max<std::int64_t>(base.count(), 0)) *
                                               std::ldexp(1.0, static_cast<int>(exponent)));
    const double r = std::clamp(random01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(r * ceiling));
}

}  // namespace detail

bool RetryQuota::acquire(RetryReason reason, unsigned& taken) noexcept {
    const unsigned cost = reason == RetryReason::timeout ? timeout_retry_cost : retry_cost;
    taken = 0;
    if (capacity_ == 0) return true;
    unsigned current = available_.load(std::memory_order_relaxed);
    do {
        if (current < cost) return false;
    } while (!available_.compare_exchange_weak(current, current - cost, std::memory_order_relaxed));
    taken = cost;
    return true;
}

void RetryQuota::release(unsigned amount) noexcept {
    if (capacity_ == 0 || amount == 0) return;
    unsigned current = available_.load(std::memory_order_relaxed);
    while (current < capacity_ &&
           !available_.compare_exchange_weak(current, std::min(capacity_, current + amount),
                                             std::memory_order_relaxed)) {
    }
}

namespace {
constexpr double min_fill_rate = 0.5;    // requests per second
constexpr double min_capacity = 1;
constexpr double smoothing = 0.8;        // weight of the newest measurement
constexpr double bucket_seconds = 0.5;   // rate measurement granularity
constexpr double cubic_scale = 0.4;
constexpr double cubic_beta = 0.7;
}  // namespace

AdaptiveRateLimiter::AdaptiveRateLimiter(double now)
    : last_rate_bucket_(std::floor(now)), last_throttle_(now) {}

void AdaptiveRateLimiter::refill(double now) {
    if (last_refill_ < 0) {
        last_refill_ = now;
        return;
    }
    if (now > last_refill_) {
        capacity_ = std::min(max_capacity_, capacity_ + (now - last_refill_) * fill_rate_);
        last_refill_ = now;
    }
}

void AdaptiveRateLimiter::update_measured_rate(double now) {
    const double bucket = std::floor(now / bucket_seconds) * bucket_seconds;
    ++request_count_;
    if (bucket > last_rate_bucket_) {
        const double current = request_count_ / (bucket - last_rate_bucket_);
        measured_rate_ = current * smoothing + measured_rate_ * (1 - smoothing);
        request_count_ = 0;
        last_rate_bucket_ = bucket;
    }
}

void AdaptiveRateLimiter::set_rate(double rate, double now) {
    refill(now);
    fill_rate_ = std::max(rate, min_fill_rate);
    max_capacity_ = std::max(rate, min_capacity);
    capacity_ = std::min(capacity_, max_capacity_);
}

std::chrono::nanoseconds AdaptiveRateLimiter::acquire(double now) {
    if (!enabled()) return std::chrono::nanoseconds(0);
    const std::lock_guard lock(mutex_);
    refill(now);
    capacity_ -= 1;   // a reservation: below zero, later callers queue behind this one
    if (capacity_ >= 0) return std::chrono::nanoseconds(0);
    return std::chrono::nanoseconds(static_cast<std::int64_t>(-capacity_ / fill_rate_ * 1e9));
}

void AdaptiveRateLimiter::on_response(bool throttled, double now) {
    const std::lock_guard lock(mutex_);
    update_measured_rate(now);
    double rate;
    if (throttled) {
        const bool was_enabled = enabled();
        const double rate_to_use = was_enabled ? std::min(measured_rate_, fill_rate_) : measured_rate_;
        last_max_rate_ = rate_to_use;
        last_throttle_ = now;
        rate = rate_to_use * cubic_beta;
        enabled_.store(true, std::memory_order_relaxed);
    } else {
        const double k = std::cbrt(last_max_rate_ * (1 - cubic_beta) / cubic_scale);
        rate = cubic_scale * std::pow(now - last_throttle_ - k, 3) + last_max_rate_;
    }
    set_rate(std::min(rate, 2 * measured_rate_), now);
}

double AdaptiveRateLimiter::fill_rate() const {
    const std::lock_guard lock(mutex_);
    return fill_rate_;
}

double AdaptiveRateLimiter::measured_rate() const {
    const std::lock_guard lock(mutex_);
    return measured_rate_;
}

}  // namespace dynantic::aws
