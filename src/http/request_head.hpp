// SPDX-License-Identifier: BSL-1.0
#pragma once
// The request line and header block as the transport writes them, and the checks that keep a
// request from smuggling in further lines. Private to src/http/.
#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <string>
#include <string_view>

namespace dynantic::http::detail {

/** Checks the method and header names (RFC 9110 tokens), the target (visible ASCII) and header
    values (no CR, LF or NUL).
    @throws ValidationError naming what is invalid (a header by name, never its value). */
void validate(const HttpRequest& req);

/** Writes the request line and header block into `out` (cleared first). `Host` and
    `Content-Length` are the transport's: fields of those names in `req.headers` are left out;
    `Connection: keep-alive` is added unless the request has a `Connection` field. */
void write_head(std::string& out, std::string_view host, const HttpRequest& req);

/** "host:port", with brackets around an IPv6 literal (for messages). */
std::string authority(const Endpoint& ep);

}  // namespace dynantic::http::detail
