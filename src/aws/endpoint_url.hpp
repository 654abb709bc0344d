// SPDX-License-Identifier: BSL-1.0
#pragma once
// A URL (of a metadata or credentials endpoint) split into where to connect and what to ask for.
// Private to src/.
#include <dynantic/http/endpoint.hpp>

#include <string>
#include <string_view>

namespace dynantic::aws::detail {

/** A URL split into where to connect and what to ask for. */
struct Url {
    http::Endpoint endpoint;
    std::string target;   ///< path and query, "/" when empty
};
/** Splits "http[s]://host[:port][/path][?query]" (a fragment is dropped).
    @throws Error (errc::configuration) as `http::Endpoint::parse` does. */
Url split_url(std::string_view url);

}  // namespace dynantic::aws::detail
