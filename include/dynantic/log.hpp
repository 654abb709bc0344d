// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Logging: one process-wide sink that you install, and a level threshold. By default nothing is
    logged and a disabled level costs one relaxed atomic load: the library checks
    `log_enabled(level)` before it formats anything.

        dynantic::set_log_sink([](dynantic::LogLevel level, std::string_view line) {
            std::clog << dynantic::to_string(level) << ' ' << line << '\n';
        }, dynantic::LogLevel::info);

    Setting `DYNANTIC_LOG=debug|info|warn|error` in the environment installs a sink that writes
    to stderr at that level, unless a sink was installed first by the program.

    What is logged: at `debug` a summary of every DynamoDB call ("GetItem on table 'users': HTTP
    200, 1 attempt, 3 ms") and credential fetches; at `info` calls that needed retries or
    failed, and credential refreshes; at `warn` each retry with its reason and delay, and a
    failed credential refresh while the old credentials are still valid. Lines never contain
    credentials, `Authorization` or security-token headers, request bodies or key values.

    Redaction: where a log line or an exception message of this library must point at a key or
    an attribute value, it shows `redacted(text)` instead of the value (see below). */

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

namespace dynantic {

/** Severity of a log line; `off` (as a threshold) silences the library. */
enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

/** "debug", "info", "warn", "error", "off". */
std::string_view to_string(LogLevel level) noexcept;

/** Receives each line (no trailing newline). Called from whatever thread logs, possibly from
    several at once; it must be thread-safe and must not throw (exceptions are swallowed). */
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

/** Installs `sink` (replacing any other) and sets the threshold: lines below `threshold` are not
    formatted. An empty sink turns logging off. Thread-safe; a line being written by another
    thread may still reach the previous sink. */
void set_log_sink(LogSink sink, LogLevel threshold = LogLevel::info);

/** Changes the threshold of the installed sink (no effect without one). */
void set_log_level(LogLevel threshold);

/** The current threshold; `LogLevel::off` without a sink. */
LogLevel log_level() noexcept;

namespace detail {
/** -1 until the environment (DYNANTIC_LOG) has been read, then a LogLevel value. */
extern std::atomic<int> log_threshold;
int init_log_from_environment() noexcept;
/** Sends `line` to the sink at `level` (no check of the threshold). */
void write_log(LogLevel level, std::string_view line) noexcept;
}  // namespace detail

/** How this library names a key or attribute value in log lines and exception messages without
    showing it: `<sha256:1a2b3c4d5e6f>`, the first 12 hex digits of the SHA-256 of `text`. To find
    which of your values a message means, compute `redacted` of the candidates and compare. The
    text hashed is:
    - a key (duplicate keys in a batch, two actions of a transaction on one item): the key's
      compact DynamoDB JSON, partition key first, as `boost::json::serialize` writes it:
      `{"id":{"S":"u1"},"sk":{"N":"2"}}`;
    - a map key in an attribute path (`prefs[<sha256:...>]`): the key itself, unquoted;
    - a value that could not be decoded (a number, timestamp, UUID or enumerator name): its text
      as stored (the S or N string).
    A hash prefix hides a value from whoever reads the message, not from someone who can guess
    it (a short or low-entropy value can be confirmed by hashing guesses). DynamoDB's own error
    `message`, which `Error::message()` returns as DynamoDB sent it, may quote request values:
    it is not redacted. */
std::string redacted(std::string_view text);

/** True when a line at `level` would reach the sink. */
inline bool log_enabled(LogLevel level) noexcept {
    int threshold = detail::log_threshold.load(std::memory_order_relaxed);
    if (threshold < 0) threshold = detail::init_log_from_environment();
    return static_cast<int>(level) >= threshold;
}

/** Logs `line` at `level` if enabled. For lines that take work to build, test `log_enabled`
    first. */
inline void log(LogLevel level, std::string_view line) noexcept {
    if (log_enabled(level)) detail::write_log(level, line);
}

}  // namespace dynantic
