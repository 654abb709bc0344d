// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The HTTP seam: plain data plus one interface. Nothing above it knows about sockets; the
    Boost.Beast implementation lives in `src/http/` and is created by `make_beast_transport`.
    Tests substitute their own `Transport` (see `dynantic/testkit/`). */

#include <dynantic/http/endpoint.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dynantic::http {

/** Header fields in the order they are sent; names compare case-insensitively. */
using Headers = std::vector<std::pair<std::string, std::string>>;

/** `c` in lower case if it is an ASCII capital letter. */
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

/** ASCII case-insensitive equality, as header names compare (RFC 9110). */
bool iequals(std::string_view a, std::string_view b) noexcept;

/** Value of the first header named `name` (ASCII case-insensitive), or empty. */
std::string_view find_header(const Headers& headers, std::string_view name) noexcept;

/** One HTTP/1.1 request. `Host` and `Content-Length` are added by the transport. */
struct HttpRequest {
    std::string method = "POST";   ///< the request method
    std::string target = "/";    ///< path and query, e.g. "/"
    Headers headers;   ///< fields in the order sent (the transport adds Host and Content-Length)
    std::string body;   ///< the request body (JSON for DynamoDB)
    /** Latest moment for the whole exchange (waiting for a connection, connecting, sending,
        receiving); the transport stops at the earlier of this and its own timeouts. The default
        (the clock's epoch) means none. */
    std::chrono::steady_clock::time_point deadline{};
    /** May be sent a second time when a reused keep-alive connection ends after the request was
        written but before any byte of the response: usually the server closed the idle
        connection as the request arrived, but it may have processed it. False for requests
        that must not be applied twice (`Client` sets it from `CallOptions::idempotent`); then
        that case is a `TransportError` with `request_sent()` true. */
    bool replayable = true;
    /** When stop is requested, the exchange ends as soon as the transport notices (the Beast
        transport: at once while connecting, reading or writing) with a `TransportError`
        (`errc::cancelled`, `request_sent()` as for any other failure). Transports that do not
        look at it finish the exchange. */
    std::stop_token stop{};
};

/** One complete HTTP/1.1 response. */
struct HttpResponse {
    unsigned status = 0;         ///< e.g. 200, 400
    Headers headers;             ///< fields in the order received
    std::string body;            ///< the whole body
    /** Value of the first field named `name` (ASCII case-insensitive), or empty. */
    std::string_view header(std::string_view name) const noexcept { return find_header(headers, name); }
};

/** Counters of a transport's connection use, for tests and monitoring. */
struct TransportStats {
    std::uint64_t connections_opened = 0;   ///< new TCP (and TLS) connections
    std::uint64_t connections_reused = 0;   ///< requests sent on a pooled keep-alive connection
    std::size_t idle_connections = 0;       ///< currently idle in the pool
};

/** Sends a request and returns the complete response. Implementations are thread-safe: many
    threads may call `send` at once. An HTTP error status is a response, not an exception.
    @throws TransportError (`errc::network`, `errc::timeout`, `errc::tls`, or
            `errc::invalid_response` for a response that breaks the transport's limits) when no
            complete response arrived, with `request_sent()` false only if the request certainly did not
            reach the server (then a retry cannot apply a write twice). */
class Transport {
public:
    virtual ~Transport() = default;
    /** Sends `request` to `endpoint` and returns the complete response (see the class comment
        for what is thrown). */
    virtual HttpResponse send(const Endpoint& endpoint, const HttpRequest& request) = 0;
    /** Connection counters; all zero for transports that keep none. */
    virtual TransportStats stats() const { return {}; }
};

/** Connection pool settings of the Beast transport. */
struct PoolOptions {
    std::size_t max_connections = 64;                 ///< per endpoint, idle and busy; 0 = unbounded
    std::chrono::milliseconds idle_timeout{30'000};   ///< close idle connections older than this; 0 = never
};

/** TLS settings for `https://` endpoints. Verification is on unless turned off here. */
struct TlsOptions {
    bool verify_peer = true;      ///< verify the certificate chain and the host name
    /** PEM bundle to trust instead of the system store, read whole when the first connection
        opens; empty = the system store (a `Client` building its default transport fills it from
        `AWS_CA_BUNDLE` when that is set). The system store is OpenSSL's: its certificate
        directory (`SSL_CERT_DIR`) when that holds hashed names, read one certificate at a time as
        chains need them, plus the bundle `SSL_CERT_FILE` when that variable is set; else
        OpenSSL's default bundle and directory. */
    std::string ca_file{};
};

/** Settings of the Beast transport. */
struct TransportOptions {
    /** DNS resolution, TCP connect plus TLS handshake; also the longest wait for a free
        connection when the pool is at `pool.max_connections`; 0 = none. */
    std::chrono::milliseconds connect_timeout{3'000};
    std::chrono::milliseconds request_timeout{10'000};  ///< write request plus read response; 0 = none
    PoolOptions pool{};            ///< connection pool limits
    TlsOptions tls{};              ///< certificate verification
};

/** The Boost.Beast HTTP/1.1 client: keep-alive connections in a thread-safe pool, deadlines on
    connect and on each request, TLS with certificate and host-name verification and SNI.

    The transport writes `Host` (`Endpoint::host_header()`), `Content-Length` and, unless the
    request has a `Connection` field, `Connection: keep-alive`; `Host` and `Content-Length`
    fields in `HttpRequest::headers` are ignored. A method, target or header that would break the
    message framing (CR, LF, NUL, spaces in a name) is refused with `ValidationError` before
    anything is sent. Responses may have up to 64 MiB of body and 1 MiB of header, and at most 8
    interim (1xx) responses before the final one; beyond that the exchange ends with a
    `TransportError` (`errc::invalid_response`).

    Deadlines: the connect timeout bounds resolving, connecting and the TLS handshake; the request
    timeout (or `HttpRequest::deadline`, whichever is earlier) bounds writing the request and
    reading the response. Both are checked before every read and write on the socket, not only
    when one would block, so a server that drips bytes, floods interim responses or keeps the
    socket full ends the exchange at the deadline plus one step (one read of at most 64 KiB and
    its parsing).

    A connection goes back to the pool only after a complete response that allows keep-alive.
    A pooled connection that the server closed or reset while it was idle is noticed before it
    is used (a non-blocking peek) and replaced by a new one. If a pooled connection fails anyway
    (the server closed it just as the request went out), the request is sent once more on a new
    connection when that is harmless: writing it failed, or nothing of the response had arrived
    and `HttpRequest::replayable` is true. Any other
    failure is thrown as `TransportError`, whose message names `host:port`, the cause, the time
    actually waited (measured) and whether the request had been sent, but never request headers
    or body, e.g. "timed out after 2001 ms (request timeout 2000 ms) waiting for the response
    from 127.0.0.1:8000; the request had been sent". Its `request_sent()` is false for failures before the request was written
    in full (resolve, connect, TLS handshake, pool wait, a failed write), true after (a reset or
    close instead of a response, a read or write timeout, a truncated or malformed response). */
class BeastTransport : public Transport {
public:
    /** A transport with its own connection pool; nothing connects before the first send. */
    explicit BeastTransport(TransportOptions options = {});
    ~BeastTransport() override;
    BeastTransport(const BeastTransport&) = delete;
    BeastTransport& operator=(const BeastTransport&) = delete;

    /** Sends `request` over a pooled or new connection (see the class comment).
        @throws TransportError, ValidationError */
    HttpResponse send(const Endpoint& endpoint, const HttpRequest& request) override;
    TransportStats stats() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dynantic::http
