// SPDX-License-Identifier: BSL-1.0
#pragma once
// What a Client's copies share (private to src/): configuration, credentials, transport, signer,
// retry quota and rate limiter, and, made on first use by the asynchronous calls, their runtime
// (the client's own threads and the asynchronous transport; src/asio/).
#include <dynantic/client.hpp>

#include <dynantic/aws/sigv4.hpp>

#include "user_agent.hpp"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

namespace dynantic {

namespace asio::detail {
class Runtime;
}

struct Client::Impl {
    std::string region;
    http::Endpoint endpoint;
    http::Endpoint streams_endpoint;   ///< for Service::streams
    std::shared_ptr<aws::CredentialsProvider> credentials;
    /** The transport options when `transport` is the default BeastTransport (the asynchronous
        transport is made with the same); unset for a transport the user gave. */
    std::optional<http::TransportOptions> default_http;
    std::shared_ptr<http::Transport> transport;
    RetryOptions retry;
    std::chrono::milliseconds call_timeout;
    std::string table_prefix;
    std::string cursor_secret;
    MetricsHook metrics;
    aws::Signer signer;
    mutable aws::RetryQuota quota;
    std::unique_ptr<aws::AdaptiveRateLimiter> limiter;   ///< adaptive mode only
    std::string user_agent;                              ///< the User-Agent header, built once
    /** The asynchronous calls' runtime, made by the first one (src/asio/runtime.cpp). */
    mutable std::once_flag runtime_once;
    mutable std::shared_ptr<asio::detail::Runtime> runtime;

    static http::TransportOptions default_options(http::TransportOptions options) {
        if (options.tls.ca_file.empty())
            if (const char* bundle = std::getenv("AWS_CA_BUNDLE"); bundle != nullptr) options.tls.ca_file = bundle;
        return options;
    }

    Impl(ClientOptions o, std::string resolved_region, http::Endpoint ep)
        : region(std::move(resolved_region)),
          endpoint(std::move(ep)),
          streams_endpoint(streams_endpoint_of(endpoint)),
          credentials(o.credentials ? std::move(o.credentials) : aws::default_credentials_provider()),
          default_http(o.transport ? std::nullopt : std::optional(default_options(std::move(o.http)))),
          transport(o.transport ? std::move(o.transport) : std::make_shared<http::BeastTransport>(*default_http)),
          retry(o.retry),
          call_timeout(o.call_timeout),
          table_prefix(std::move(o.table_prefix)),
          cursor_secret(std::move(o.cursor_secret)),
          metrics(std::move(o.metrics)),
          signer(region, "dynamodb"),
          quota(o.retry.retry_quota),
          user_agent(detail::user_agent(o.retry.mode)) {
        if (retry.max_attempts == 0) retry.max_attempts = 1;
        if (retry.mode == RetryMode::adaptive) limiter = std::make_unique<aws::AdaptiveRateLimiter>(seconds_now());
    }
    ~Impl();

    /** AWS serves the Streams API on "streams.dynamodb.<region>.amazonaws.com[.cn]"; any other
        endpoint (DynamoDB Local, a proxy) serves both APIs. */
    static http::Endpoint streams_endpoint_of(const http::Endpoint& ep) {
        http::Endpoint out = ep;
        if (ep.tls && ep.host.starts_with("dynamodb.") &&
            (ep.host.ends_with(".amazonaws.com") || ep.host.ends_with(".amazonaws.com.cn")))
            out.host = "streams." + ep.host;
        return out;
    }

    /** Monotonic seconds, for the rate limiter. */
    static double seconds_now() {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }
};

namespace detail {
/** Reaches a Client's shared state from src/ (the call plan, the asynchronous calls). */
struct ClientAccess {
    using Impl = Client::Impl;
    static const Impl& impl(const Client& c) noexcept { return *c.impl_; }
};
/** A Client's shared state, as src/ names it. */
using ClientImpl = ClientAccess::Impl;
}  // namespace detail

}  // namespace dynantic
