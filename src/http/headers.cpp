// SPDX-License-Identifier: BSL-1.0
#include <dynantic/http/transport.hpp>

namespace dynantic::http {

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

std::string_view find_header(const Headers& headers, std::string_view name) noexcept {
    for (const auto& [n, v] : headers)
        if (iequals(n, name)) return v;
    return {};
}

}  // namespace dynantic::http
