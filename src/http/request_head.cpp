// SPDX-License-Identifier: BSL-1.0
#include "http/request_head.hpp"

#include "http/deadline.hpp"

#include <charconv>

namespace dynantic::http::detail {
namespace {

/** RFC 9110 token character (method, header name). */
constexpr bool token_char(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool valid_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (const char c : s)
        if (!token_char(c)) return false;
    return true;
}

/** Request target: visible ASCII, no spaces. */
bool valid_target(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (const char c : s)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
    return true;
}

/** Header value: no CR, LF or NUL (which would let a value smuggle in further header lines). */
bool valid_value(std::string_view s) noexcept {
    return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace

void validate(const HttpRequest& req) {
    if (!valid_token(req.method)) refuse("invalid HTTP method");
    if (!valid_target(req.target)) refuse("invalid HTTP request target");
    for (const auto& [name, value] : req.headers) {
        if (!valid_token(name)) refuse("invalid HTTP header name");
        if (!valid_value(value)) refuse("invalid character in the value of HTTP header '" + name + "'");
    }
}

void write_head(std::string& out, std::string_view host, const HttpRequest& req) {
    out.clear();
    out += req.method;
    out += ' ';
    out += req.target;
    out += " HTTP/1.1\r\nHost: ";
    out += host;
    out += "\r\n";
    bool connection = false;
    for (const auto& [name, value] : req.headers) {
        if (iequals(name, "host") || iequals(name, "content-length")) continue;
        connection = connection || iequals(name, "connection");
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    if (!connection) out += "Connection: keep-alive\r\n";
    out += "Content-Length: ";
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, req.body.size()).ptr;
    out.append(digits, end);
    out += "\r\n\r\n";
}

std::string authority(const Endpoint& ep) {
    std::string out;
    const bool v6 = ep.host.find(':') != std::string::npos;
    if (v6) out += '[';
    out += ep.host;
    if (v6) out += ']';
    out += ':';
    out += std::to_string(ep.port);
    return out;
}

}  // namespace dynantic::http::detail
