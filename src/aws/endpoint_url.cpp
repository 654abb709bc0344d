// SPDX-License-Identifier: BSL-1.0
#include "aws/endpoint_url.hpp"

namespace dynantic::aws::detail {

Url split_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    const auto path_start = scheme_end == std::string_view::npos ? std::string_view::npos
                                                                 : url.find_first_of("/?", scheme_end + 3);
    Url out;
    out.endpoint = http::Endpoint::parse(url.substr(0, path_start));
    // Path and query; a fragment is not sent. ("/" as a single character: GCC 12 at -O3 warns
    // falsely (-Wrestrict) about assigning "/" and then appending.)
    std::string_view rest = path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
    rest = rest.substr(0, rest.find('#'));
    if (rest.empty() || rest.front() == '?') out.target.push_back('/');
    out.target.append(rest);
    return out;
}

}  // namespace dynantic::aws::detail
