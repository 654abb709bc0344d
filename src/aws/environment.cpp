// SPDX-License-Identifier: BSL-1.0
#include "aws/environment.hpp"

#include <cstdlib>

namespace dynantic::aws::detail {

std::string_view env(const char* name) noexcept {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string_view{} : std::string_view(value);
}

std::string expand_home(std::string_view path) {
    if (path == "~" || path.starts_with("~/")) {
        std::string out(env("HOME"));
        out += path.substr(1);
        return out;
    }
    return std::string(path);
}

}  // namespace dynantic::aws::detail
