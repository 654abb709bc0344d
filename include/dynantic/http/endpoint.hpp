// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Where requests go: scheme, host and port parsed from a URL such as
    `https://dynamodb.eu-west-1.amazonaws.com` or `http://127.0.0.1:8000`. */

#include <cstdint>
#include <string>
#include <string_view>

namespace dynantic::http {

/** Where requests go: scheme, host and port (no path). */
struct Endpoint {
    bool tls = true;             ///< https (true) or http (false)
    std::string host;            ///< DNS name or IP literal, without brackets
    std::uint16_t port = 443;   ///< TCP port; 443 for https, 80 for http unless the URL names one

    /** Parses `http[s]://host[:port][/]`. A path other than "/" is refused.
        @throws ValidationError (errc::configuration) for anything else. */
    static Endpoint parse(std::string_view url);

    /** The `Host` header value: the host, plus ":port" when not the scheme's default. */
    std::string host_header() const;
    /** "https://host[:port]". */
    std::string url() const;

    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

}  // namespace dynantic::http
