// TEMPORARY stand-ins for Endpoint and find_header so that helper-b's transport tests link before
// the real src/http/endpoint.cpp and src/http/headers.cpp land. Delete at merge.
#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <dynantic/error.hpp>

namespace dynantic::http {
namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

}  // namespace

Endpoint Endpoint::parse(std::string_view url) {
    Endpoint ep;
    if (url.starts_with("https://")) {
        url.remove_prefix(8);
    } else if (url.starts_with("http://")) {
        url.remove_prefix(7);
        ep.tls = false;
        ep.port = 80;
    } else {
        ErrorInfo info;
        info.message = "invalid endpoint URL";
        throw Error(errc::configuration, std::move(info));
    }
    if (url.ends_with('/')) url.remove_suffix(1);
    const auto colon = url.rfind(':');
    if (colon != std::string_view::npos && url.find(']', colon) == std::string_view::npos) {
        ep.port = static_cast<std::uint16_t>(std::stoi(std::string(url.substr(colon + 1))));
        url = url.substr(0, colon);
    }
    if (url.starts_with('[') && url.ends_with(']')) url = url.substr(1, url.size() - 2);
    ep.host = std::string(url);
    return ep;
}

std::string Endpoint::host_header() const {
    std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
    return out;
}

std::string Endpoint::url() const { return (tls ? "https://" : "http://") + host_header(); }

std::string_view find_header(const Headers& headers, std::string_view name) noexcept {
    for (const auto& [n, v] : headers)
        if (iequal(n, name)) return v;
    return {};
}

}  // namespace dynantic::http
