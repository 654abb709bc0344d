// SPDX-License-Identifier: BSL-1.0
// Credentials from HTTP metadata endpoints: the container credentials endpoint (ECS, EKS Pod
// Identity) and the EC2 instance metadata service (IMDSv2). Both go through http::Transport.
#include <dynantic/aws/credentials.hpp>

#include "aws/endpoint_url.hpp"
#include "aws/environment.hpp"
#include "aws/time.hpp"

#include <boost/json/parse.hpp>

#include <cctype>
#include <fstream>
#include <sstream>

namespace dynantic::aws {
namespace {

using namespace std::chrono_literals;
using detail::env;

[[noreturn]] void fail(std::string message) { throw Error(errc::credentials, ErrorInfo{.message = std::move(message)}); }
[[noreturn]] void unavailable(std::string message) {
    throw CredentialsUnavailableError(ErrorInfo{.message = std::move(message)});
}

std::shared_ptr<http::Transport> metadata_transport(std::chrono::milliseconds connect,
                                                    std::chrono::milliseconds response) {
    http::TransportOptions options;
    options.connect_timeout = connect;
    options.request_timeout = response;
    options.pool.max_connections = 2;
    options.pool.idle_timeout = 5s;
    return std::make_shared<http::BeastTransport>(options);
}

std::string_view string_field(const boost::json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

/** Credentials from the JSON both endpoints answer with. `where` names the source in messages;
    no value of the document ever goes into one. */
Credentials parse_credentials_document(std::string_view body, const std::string& where) {
    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(body, ec);
    if (ec || !doc.is_object()) fail(where + ": the answer is not a JSON object");
    const auto& o = doc.get_object();
    if (const auto code = string_field(o, "Code"); !code.empty() && code != "Success")
        fail(where + ": the answer's Code is not \"Success\"");
    Credentials c;
    c.access_key_id = string_field(o, "AccessKeyId");
    c.secret_access_key = string_field(o, "SecretAccessKey");
    c.session_token = string_field(o, "Token");
    if (c.access_key_id.empty()) fail(where + ": the answer lacks AccessKeyId");
    if (c.secret_access_key.empty()) fail(where + ": the answer lacks SecretAccessKey");
    if (const auto* e = o.if_contains("Expiration"); e != nullptr && !e->is_null()) {
        const auto parsed = e->is_string() ? detail::parse_utc_time(e->get_string()) : std::nullopt;
        if (!parsed) fail(where + ": the answer's Expiration is not an ISO 8601 UTC time");
        c.expiration = parsed;
    }
    return c;
}

/** "http://host:port/path" without the query (which might carry something private). */
std::string describe(const detail::Url& url) {
    std::string out = url.endpoint.url();
    out += url.target.substr(0, url.target.find('?'));
    return out;
}

bool loopback_or_link_local_container_host(const std::string& host) {
    if (host == "localhost" || host == "::1" || host == "169.254.170.2" || host == "169.254.170.23" ||
        host == "fd00:ec2::23")
        return true;
    return host.starts_with("127.") && host.find_first_not_of("0123456789.") == std::string::npos;
}

std::string trim_line_end(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
    return s;
}

}  // namespace

// ---- container endpoint --------------------------------------------------------------------

ContainerCredentialsProvider::ContainerCredentialsProvider(RefreshOptions options,
                                                           std::shared_ptr<http::Transport> transport)
    : RefreshingCredentialsProvider(options),
      transport_(transport ? std::move(transport) : metadata_transport(1s, 2s)) {}

Credentials ContainerCredentialsProvider::fetch() {
    const std::string_view relative = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const std::string_view full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (relative.empty() && full.empty())
        unavailable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");

    detail::Url url;
    const char* variable = relative.empty() ? "AWS_CONTAINER_CREDENTIALS_FULL_URI" : "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
    try {
        if (!relative.empty()) {
            std::string joined = "http://169.254.170.2";
            if (!relative.starts_with('/')) joined += '/';
            joined += relative;
            url = detail::split_url(joined);
        } else {
            url = detail::split_url(full);
        }
    } catch (const Error& e) {
        fail(std::string(variable) + ": " + std::string(e.message()));
    }
    if (!url.endpoint.tls && !loopback_or_link_local_container_host(url.endpoint.host))
        fail(std::string(variable) + ": plain http is allowed only to loopback addresses and the ECS/EKS "
                                     "endpoints (169.254.170.2, 169.254.170.23); use https for host '" +
             url.endpoint.host + "'");

    http::HttpRequest request;
    request.method = "GET";
    request.target = url.target;
    request.headers.emplace_back("Accept", "application/json");
    std::string token;
    if (const std::string_view file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !file.empty()) {
        std::ifstream in{std::string(file), std::ios::binary};
        if (!in) fail("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (" + std::string(file) + ")");
        std::ostringstream contents;
        contents << in.rdbuf();
        token = trim_line_end(contents.str());
    } else {
        token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    if (token.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
        fail("the container authorization token contains a line break or NUL");
    if (!token.empty()) request.headers.emplace_back("Authorization", std::move(token));

    const std::string where = "container credentials endpoint " + describe(url);
    http::HttpResponse response;
    for (int attempt = 1;; ++attempt) {
        try {
            response = transport_->send(url.endpoint, request);
            if (response.status < 500 || attempt == 2) break;
        } catch (const TransportError& e) {
            if (attempt == 2) fail(where + ": " + std::string(e.message()));
        }
    }
    if (response.status != 200) fail(where + " answered HTTP " + std::to_string(response.status));
    return parse_credentials_document(response.body, where);
}

// ---- instance metadata (IMDSv2) ------------------------------------------------------------

InstanceMetadataCredentialsProvider::InstanceMetadataCredentialsProvider(RefreshOptions options,
                                                                         std::shared_ptr<http::Transport> transport)
    : RefreshingCredentialsProvider(options),
      transport_(transport ? std::move(transport) : metadata_transport(1s, 1s)) {}

Credentials InstanceMetadataCredentialsProvider::fetch() {
    std::string disabled(env("AWS_EC2_METADATA_DISABLED"));
    for (char& c : disabled) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (disabled == "true") unavailable("instance metadata: disabled by AWS_EC2_METADATA_DISABLED");

    std::string base(env("AWS_EC2_METADATA_SERVICE_ENDPOINT"));
    if (base.empty())
        base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") == "IPv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    http::Endpoint endpoint;
    try {
        endpoint = http::Endpoint::parse(base);
    } catch (const Error& e) {
        fail("AWS_EC2_METADATA_SERVICE_ENDPOINT: " + std::string(e.message()));
    }
    const std::string where = "instance metadata at " + endpoint.url();

    // One exchange; a transport failure means there is no metadata service here.
    const auto send = [&](http::HttpRequest& request) {
        try {
            return transport_->send(endpoint, request);
        } catch (const TransportError& e) {
            unavailable(where + ": " + std::string(e.message()));
        }
    };

    for (int attempt = 1;; ++attempt) {
        if (token_.empty() || std::chrono::steady_clock::now() >= token_expires_) {
            http::HttpRequest put;
            put.method = "PUT";
            put.target = "/latest/api/token";
            put.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", "21600");
            const http::HttpResponse r = send(put);
            if (r.status == 403 || r.status == 404 || r.status == 405)
                unavailable(where + ": the IMDSv2 token request was refused (HTTP " + std::to_string(r.status) + ")");
            if (r.status != 200 || r.body.empty() ||
                r.body.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
                fail(where + ": the IMDSv2 token request failed (HTTP " + std::to_string(r.status) + ")");
            token_ = r.body;
            token_expires_ = std::chrono::steady_clock::now() + 6h - 1min;
        }

        http::HttpRequest get;
        get.method = "GET";
        get.target = "/latest/meta-data/iam/security-credentials/";
        get.headers.emplace_back("X-aws-ec2-metadata-token", token_);
        http::HttpResponse r = send(get);
        if (r.status == 401 && attempt == 1) {   // the token expired early: get another
            token_.clear();
            continue;
        }
        if (r.status == 404) unavailable(where + ": no IAM role is attached to this instance");
        if (r.status != 200) fail(where + ": listing the instance's role failed (HTTP " + std::to_string(r.status) + ")");
        std::string role = r.body.substr(0, r.body.find('\n'));
        role = trim_line_end(std::move(role));
        if (role.empty() || role.find_first_of("/?#% ") != std::string::npos)
            fail(where + ": the instance's role name is empty or invalid");

        get.target += role;
        r = send(get);
        if (r.status == 401 && attempt == 1) {
            token_.clear();
            continue;
        }
        if (r.status != 200)
            fail(where + ": the credentials of role '" + role + "' are not available (HTTP " +
                 std::to_string(r.status) + ")");
        return parse_credentials_document(r.body, where + " (role '" + role + "')");
    }
}

}  // namespace dynantic::aws
