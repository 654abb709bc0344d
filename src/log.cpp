// SPDX-License-Identifier: BSL-1.0
#include <dynantic/log.hpp>

#include <dynantic/aws/sigv4.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

namespace dynantic {
namespace detail {

std::atomic<int> log_threshold{-1};

namespace {

constexpr int off = static_cast<int>(LogLevel::off);

struct SinkState {
    std::mutex mutex;
    std::shared_ptr<const LogSink> sink;   // guarded by mutex
    bool configured = false;               // guarded by mutex: a program or the environment set it
};

SinkState& state() {
    static SinkState s;
    return s;
}

void stderr_sink(LogLevel level, std::string_view line) {
    std::string text = "dynantic ";
    text += to_string(level);
    text += ": ";
    text += line;
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), stderr);
}

/** Reads DYNANTIC_LOG (mutex held). */
void configure_from_environment(SinkState& s) {
    s.configured = true;
    const char* value = std::getenv("DYNANTIC_LOG");
    const std::string_view v = value == nullptr ? std::string_view{} : std::string_view(value);
    int level = off;
    if (v == "debug" || v == "trace") level = static_cast<int>(LogLevel::debug);
    else if (v == "info") level = static_cast<int>(LogLevel::info);
    else if (v == "warn" || v == "warning") level = static_cast<int>(LogLevel::warn);
    else if (v == "error") level = static_cast<int>(LogLevel::error);
    if (level != off) s.sink = std::make_shared<const LogSink>(stderr_sink);
    log_threshold.store(level, std::memory_order_relaxed);
}

}  // namespace

int init_log_from_environment() noexcept {
    SinkState& s = state();
    const std::lock_guard lock(s.mutex);
    if (!s.configured) configure_from_environment(s);
    return log_threshold.load(std::memory_order_relaxed);
}

void write_log(LogLevel level, std::string_view line) noexcept {
    std::shared_ptr<const LogSink> sink;
    {
        SinkState& s = state();
        const std::lock_guard lock(s.mutex);
        sink = s.sink;
    }
    if (!sink || !*sink) return;
    try {
        (*sink)(level, line);
    } catch (...) {
    }
}

}  // namespace detail

std::string_view to_string(LogLevel level) noexcept {
    switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
    case LogLevel::off: return "off";
    }
    return "off";
}

void set_log_sink(LogSink sink, LogLevel threshold) {
    auto& s = detail::state();
    const std::lock_guard lock(s.mutex);
    s.configured = true;
    if (sink) {
        s.sink = std::make_shared<const LogSink>(std::move(sink));
        detail::log_threshold.store(static_cast<int>(threshold), std::memory_order_relaxed);
    } else {
        s.sink.reset();
        detail::log_threshold.store(detail::off, std::memory_order_relaxed);
    }
}

void set_log_level(LogLevel threshold) {
    auto& s = detail::state();
    const std::lock_guard lock(s.mutex);
    if (!s.configured) detail::configure_from_environment(s);
    if (s.sink) detail::log_threshold.store(static_cast<int>(threshold), std::memory_order_relaxed);
}

std::string redacted(std::string_view text) {
    std::string out = "<sha256:";
    out += std::string_view(aws::sha256_hex(text)).substr(0, 12);
    out += '>';
    return out;
}

LogLevel log_level() noexcept {
    int threshold = detail::log_threshold.load(std::memory_order_relaxed);
    if (threshold < 0) threshold = detail::init_log_from_environment();
    return static_cast<LogLevel>(threshold);
}

}  // namespace dynantic
