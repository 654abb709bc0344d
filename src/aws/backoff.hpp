// SPDX-License-Identifier: BSL-1.0
#pragma once
// The library's one full-jitter exponential backoff and its one random source: the client's
// retries (aws::backoff_delay), batch retries of unprocessed items and transaction retries all
// wait through it. Private to src/.
#include <chrono>

namespace dynantic::aws::detail {

/** Uniform in [0, 1), from one generator per thread (seeded once from std::random_device). */
double jitter01() noexcept;

/** Full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog): `random01` (in [0, 1])
    times min(`cap`, `base` * 2^(retry - 1)), truncated to milliseconds; `retry` 1 is the first
    retry. Negative durations count as zero. */
std::chrono::milliseconds full_jitter(std::chrono::milliseconds base, std::chrono::milliseconds cap, unsigned retry,
                                      double random01) noexcept;

/** `full_jitter` with `jitter01()`. */
inline std::chrono::milliseconds full_jitter(std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                             unsigned retry) noexcept {
    return full_jitter(base, cap, retry, jitter01());
}

}  // namespace dynantic::aws::detail
