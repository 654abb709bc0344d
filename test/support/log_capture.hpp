#pragma once
// Installs a log sink that keeps every line for the lifetime of the object (tests only).
#include <dynantic/log.hpp>

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dynantic::test {

class LogCapture {
public:
    explicit LogCapture(LogLevel level = LogLevel::debug) {
        set_log_sink([this](LogLevel l, std::string_view line) {
            const std::lock_guard lock(mutex_);
            lines_.emplace_back(l, std::string(line));
        }, level);
    }
    ~LogCapture() { set_log_sink(nullptr); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::vector<std::pair<LogLevel, std::string>> lines() const {
        const std::lock_guard lock(mutex_);
        return lines_;
    }
    /** Lines at `level` that contain `text`. */
    std::vector<std::string> find(LogLevel level, std::string_view text) const {
        std::vector<std::string> out;
        for (const auto& [l, line] : lines())
            if (l == level && line.find(text) != std::string::npos) out.push_back(line);
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<LogLevel, std::string>> lines_;
};

}  // namespace dynantic::test
