#pragma once
// Sets or unsets an environment variable for one scope and restores the previous state after.
#include <cstdlib>
#include <optional>
#include <string>

namespace dynantic::test {

class ScopedEnv {
public:
    /** Sets `name` to `value` (possibly ""), or unsets it when `value` is std::nullopt. */
    ScopedEnv(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
        if (const char* old = std::getenv(name_.c_str())) previous_ = old;
        apply(value);
    }
    ~ScopedEnv() { apply(previous_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    void apply(const std::optional<std::string>& value) {
        if (value) ::setenv(name_.c_str(), value->c_str(), 1);
        else ::unsetenv(name_.c_str());
    }

    std::string name_;
    std::optional<std::string> previous_;
};

}  // namespace dynantic::test
