#include <dynantic/aws/retry.hpp>

#include <dynantic/error.hpp>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace {

namespace aws = dynantic::aws;
using dynantic::errc;
using dynantic::make_error_code;
using aws::RetryReason;
using namespace std::chrono_literals;

TEST(ClassifyFailure, ThrottlingIsRetriedAndWasNotApplied) {
    for (const errc e : {errc::provisioned_throughput_exceeded, errc::throttling, errc::request_limit_exceeded,
                         errc::limit_exceeded, errc::transaction_in_progress}) {
        const auto c = aws::classify_failure(make_error_code(e), true);
        EXPECT_EQ(c.reason, RetryReason::throttling) << make_error_code(e).message();
        EXPECT_FALSE(c.may_have_applied);
    }
}

TEST(ClassifyFailure, ServerErrorsAndCorruptResponsesMayHaveBeenApplied) {
    for (const errc e : {errc::internal_server_error, errc::service_unavailable, errc::crc32_mismatch}) {
        const auto c = aws::classify_failure(make_error_code(e), false);
        EXPECT_EQ(c.reason, RetryReason::transient);
        EXPECT_TRUE(c.may_have_applied);
    }
}

TEST(ClassifyFailure, TransactionConflictWasNotApplied) {
    const auto c = aws::classify_failure(make_error_code(errc::transaction_conflict), true);
    EXPECT_EQ(c.reason, RetryReason::transient);
    EXPECT_FALSE(c.may_have_applied);
}

TEST(ClassifyFailure, TransportFailuresFollowRequestSent) {
    EXPECT_FALSE(aws::classify_failure(make_error_code(errc::network), false).may_have_applied);
    EXPECT_TRUE(aws::classify_failure(make_error_code(errc::network), true).may_have_applied);
    EXPECT_EQ(aws::classify_failure(make_error_code(errc::timeout), true).reason, RetryReason::timeout);
    EXPECT_FALSE(aws::classify_failure(make_error_code(errc::timeout), false).may_have_applied);
}

TEST(ClassifyFailure, ClientErrorsTlsAndCredentialsAreNotRetried) {
    for (const errc e : {errc::conditional_check_failed, errc::validation, errc::resource_not_found, errc::tls,
                         errc::credentials, errc::access_denied, errc::invalid_response, errc::decode})
        EXPECT_EQ(aws::classify_failure(make_error_code(e), false).reason, RetryReason::none);
    EXPECT_EQ(aws::classify_failure(std::make_error_code(std::errc::io_error), false).reason, RetryReason::none);
}

TEST(BackoffDelay, IsFullJitterOfACappedExponential) {
    aws::RetryOptions o;   // 25 ms, 500 ms for throttling, cap 20 s
    EXPECT_EQ(aws::backoff_delay(o, 1, RetryReason::transient, 0.0), 0ms);
    EXPECT_EQ(aws::backoff_delay(o, 1, RetryReason::transient, 0.999), 24ms);
    EXPECT_EQ(aws::backoff_delay(o, 2, RetryReason::transient, 0.5), 25ms);
    EXPECT_EQ(aws::backoff_delay(o, 3, RetryReason::timeout, 0.5), 50ms);
    EXPECT_EQ(aws::backoff_delay(o, 1, RetryReason::throttling, 0.5), 250ms);
    EXPECT_EQ(aws::backoff_delay(o, 3, RetryReason::throttling, 0.5), 1000ms);
    // The cap: 500 ms * 2^9 = 256 s > 20 s.
    EXPECT_EQ(aws::backoff_delay(o, 10, RetryReason::throttling, 0.5), 10'000ms);
    EXPECT_EQ(aws::backoff_delay(o, 1000, RetryReason::throttling, 1.0), 20'000ms);
}

TEST(RetryQuota, RetriesCostFiveTimeoutsTenAndSuccessesRefill) {
    aws::RetryQuota quota(500);
    unsigned taken = 0;
    EXPECT_TRUE(quota.acquire(RetryReason::transient, taken));
    EXPECT_EQ(taken, 5u);
    EXPECT_TRUE(quota.acquire(RetryReason::timeout, taken));
    EXPECT_EQ(taken, 10u);
    EXPECT_EQ(quota.available(), 485u);
    quota.release(aws::RetryQuota::success_increment);
    EXPECT_EQ(quota.available(), 486u);
    quota.release(100);
    EXPECT_EQ(quota.available(), 500u);   // never above the capacity
}

TEST(RetryQuota, RefusesWhenEmpty) {
    aws::RetryQuota quota(12);
    unsigned taken = 0;
    EXPECT_TRUE(quota.acquire(RetryReason::throttling, taken));   // 7 left
    EXPECT_FALSE(quota.acquire(RetryReason::timeout, taken));     // needs 10
    EXPECT_EQ(taken, 0u);
    EXPECT_TRUE(quota.acquire(RetryReason::transient, taken));    // 2 left
    EXPECT_FALSE(quota.acquire(RetryReason::transient, taken));
    EXPECT_EQ(quota.available(), 2u);
}

TEST(RetryQuota, ZeroCapacityMeansUnlimited) {
    aws::RetryQuota quota(0);
    unsigned taken = 1;
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(quota.acquire(RetryReason::timeout, taken));
    EXPECT_EQ(taken, 0u);
}

TEST(RetryQuota, IsThreadSafe) {
    aws::RetryQuota quota(500);
    std::vector<std::thread> threads;
    std::atomic<int> granted{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            unsigned taken = 0;
            for (int i = 0; i < 100; ++i)
                if (quota.acquire(RetryReason::transient, taken)) granted.fetch_add(1);
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(granted.load(), 100);   // 500 / 5
    EXPECT_EQ(quota.available(), 0u);
}

TEST(AdaptiveRateLimiter, DoesNothingUntilThrottled) {
    aws::AdaptiveRateLimiter limiter(0.0);
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(limiter.acquire(i * 0.01), 0ns);
        limiter.on_response(false, i * 0.01);
    }
    EXPECT_FALSE(limiter.enabled());
}

TEST(AdaptiveRateLimiter, ThrottlingCutsTheRateTo70PercentOfTheMeasuredRate) {
    aws::AdaptiveRateLimiter limiter(0.0);
    // 20 requests per second for 5 seconds.
    double t = 0;
    for (int i = 0; i < 100; ++i, t += 0.05) limiter.on_response(false, t);
    const double measured = limiter.measured_rate();
    EXPECT_NEAR(measured, 20.0, 2.0);
    limiter.on_response(true, t);
    EXPECT_TRUE(limiter.enabled());
    EXPECT_NEAR(limiter.fill_rate(), 0.7 * measured, 0.5);
}

TEST(AdaptiveRateLimiter, PacesRequestsAtTheFillRate) {
    aws::AdaptiveRateLimiter limiter(0.0);
    double t = 0;
    for (int i = 0; i < 100; ++i, t += 0.05) limiter.on_response(false, t);
    limiter.on_response(true, t);
    const double rate = limiter.fill_rate();
    ASSERT_GT(rate, 1.0);
    // What the bucket holds goes at once (at most one second's worth), then every request waits
    // for its token, queued behind the previous one.
    int burst = 0;
    std::chrono::nanoseconds first{0};
    while ((first = limiter.acquire(t)) == 0ns) ++burst;
    EXPECT_LE(burst, static_cast<int>(rate) + 1);
    const auto second = limiter.acquire(t);
    EXPECT_GT(first, 0ns);
    EXPECT_LE(std::chrono::duration<double>(first).count(), 1 / rate + 1e-6);
    EXPECT_NEAR(std::chrono::duration<double>(second - first).count(), 1 / rate, 1e-6);
}

TEST(AdaptiveRateLimiter, RateRecoversAlongTheCubicCurve) {
    aws::AdaptiveRateLimiter limiter(0.0);
    double t = 0;
    for (int i = 0; i < 100; ++i, t += 0.05) limiter.on_response(false, t);
    limiter.on_response(true, t);
    const double after_throttle = limiter.fill_rate();
    // Successes at the same pace: the rate climbs back towards, then past, the old maximum
    // (never above twice the measured rate).
    double previous = after_throttle;
    bool grew = false;
    for (int i = 0; i < 200; ++i) {
        t += 0.05;
        limiter.on_response(false, t);
        grew = grew || limiter.fill_rate() > previous + 1e-9;
        previous = limiter.fill_rate();
        EXPECT_LE(previous, 2 * limiter.measured_rate() + 1e-9);
    }
    EXPECT_TRUE(grew);
    EXPECT_GT(limiter.fill_rate(), after_throttle);
}

TEST(AdaptiveRateLimiter, NeverBelowHalfARequestPerSecond) {
    aws::AdaptiveRateLimiter limiter(0.0);
    limiter.on_response(true, 0.1);   // throttled before any rate was measured
    EXPECT_TRUE(limiter.enabled());
    EXPECT_DOUBLE_EQ(limiter.fill_rate(), 0.5);
}

}  // namespace
