// SPDX-License-Identifier: BSL-1.0
#pragma once
// Times as AWS credential sources write them. Private to src/.
#include <chrono>
#include <optional>
#include <string_view>

namespace dynantic::aws::detail {

/** An ISO 8601 time as metadata services and credential processes write it,
    "2024-05-01T12:34:56Z", with an optional fraction of a second and "Z" or a UTC offset; read by
    the library's one ISO 8601 parser (the codec's). nullopt when it is not one. */
std::optional<std::chrono::system_clock::time_point> parse_utc_time(std::string_view text) noexcept;

}  // namespace dynantic::aws::detail
