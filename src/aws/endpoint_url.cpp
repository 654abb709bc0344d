// SPDX-License-Identifier: BSL-1.0
#include "aws/endpoint_url.hpp"

namespace dynantic::aws::detail {

Url split_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    const auto path_start = scheme_end == std::string_view::npos ? std::string_view::npos
                                                                 : url.find_first_of("/?", scheme_end + 3);
    Url out;
    out.endpoint = http::Endpoint::parse(url.substr(0, path_start));
    if (path_start == std::string_view::npos) {
        out.target = "/";
    } else {
        if (url[path_start] == '?') out.target = "/";
        out.target += url.substr(path_start);
        if (const auto hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
    }
    return out;
}

}  // namespace dynantic::aws::detail
