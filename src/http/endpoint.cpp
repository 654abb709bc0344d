// SPDX-License-Identifier: BSL-1.0
#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <dynantic/error.hpp>

#include <charconv>

namespace dynantic::http {
namespace {


[[noreturn]] void refuse(std::string_view url, std::string_view why) {
    std::string message = "invalid endpoint URL '";
    message += url;
    message += "': ";
    message += why;
    message += " (expected http[s]://host[:port][/])";
    throw Error(errc::configuration, ErrorInfo{.message = std::move(message)});
}

constexpr bool alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

constexpr bool hex_digit(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/** DNS name or IPv4 literal: letters, digits, '-', '_' and '.'. */
bool valid_reg_name(std::string_view host) noexcept {
    if (host.empty()) return false;
    for (const char c : host)
        if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
    return true;
}

/** IPv6 literal as written between brackets (hex digits, ':', '.' for an embedded IPv4). */
bool valid_ipv6(std::string_view host) noexcept {
    if (host.find(':') == std::string_view::npos) return false;
    for (const char c : host)
        if (!hex_digit(c) && c != ':' && c != '.') return false;
    return true;
}

std::uint16_t default_port(bool tls) noexcept { return tls ? 443 : 80; }

}  // namespace

Endpoint Endpoint::parse(std::string_view url) {
    const std::size_t sep = url.find("://");
    if (sep == std::string_view::npos) refuse(url, "no scheme");
    Endpoint ep;
    const std::string_view scheme = url.substr(0, sep);
    if (iequals(scheme, "https")) ep.tls = true;
    else if (iequals(scheme, "http")) ep.tls = false;
    else refuse(url, "scheme is not http or https");

    std::string_view rest = url.substr(sep + 3);
    const std::size_t slash = rest.find('/');
    const std::string_view authority = rest.substr(0, slash);
    if (authority.find('@') != std::string_view::npos)  // do not echo user info: it may hold a password
        throw Error(errc::configuration, ErrorInfo{.message = "invalid endpoint URL: user info ('user@') is not supported"});
    if (slash != std::string_view::npos && rest.substr(slash) != "/") refuse(url, "a path, query or fragment is not allowed");
    if (authority.find_first_of("?#") != std::string_view::npos) refuse(url, "a query or fragment is not allowed");
    if (authority.empty()) refuse(url, "no host");

    std::string_view port_text;
    bool has_port = false;
    if (authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) refuse(url, "unterminated '[' in host");
        const std::string_view host = authority.substr(1, close - 1);
        if (!valid_ipv6(host)) refuse(url, "invalid IPv6 literal");
        ep.host = std::string(host);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') refuse(url, "unexpected text after ']'");
            has_port = true;
            port_text = after.substr(1);
        }
    } else {
        const std::size_t colon = authority.find(':');
        const std::string_view host = authority.substr(0, colon);
        if (!valid_reg_name(host)) refuse(url, host.empty() ? "no host" : "invalid host name");
        ep.host = std::string(host);
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = authority.substr(colon + 1);
        }
    }

    ep.port = default_port(ep.tls);
    if (has_port) {
        unsigned value = 0;
        const char* first = port_text.data();
        const char* last = first + port_text.size();
        const auto [end, ec] = std::from_chars(first, last, value);
        if (port_text.empty() || port_text.size() > 5 || ec != std::errc{} || end != last || value == 0 ||
            value > 65535)
            refuse(url, "port is not a number from 1 to 65535");
        ep.port = static_cast<std::uint16_t>(value);
    }
    return ep;
}

std::string Endpoint::host_header() const {
    std::string out;
    const bool ipv6 = host.find(':') != std::string::npos;
    out.reserve(host.size() + 8);
    if (ipv6) out += '[';
    out += host;
    if (ipv6) out += ']';
    if (port != default_port(tls)) {
        out += ':';
        out += std::to_string(port);
    }
    return out;
}

std::string Endpoint::url() const { return (tls ? "https://" : "http://") + host_header(); }

}  // namespace dynantic::http
