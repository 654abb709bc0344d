// SPDX-License-Identifier: BSL-1.0
#pragma once
// One keep-alive HTTP/1.1 connection (TCP, optionally TLS): opening it and one request/response
// exchange on it, each bounded by a deadline. The type is opaque here: Asio and Beast stay in
// connection.cpp, the one translation unit of the library that includes them. Private to src/http/.
#include "http/deadline.hpp"

#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <functional>
#include <memory>
#include <stop_token>
#include <string>

namespace dynantic::http::detail {

class TlsContext;
class Connection;

/** Closes the connection (a healthy TLS connection first sends close_notify, not waiting for the
    peer's) and frees it. Never throws. */
struct CloseConnection {
    void operator()(Connection* c) const noexcept;
};
using ConnectionPtr = std::unique_ptr<Connection, CloseConnection>;

/** What a connection needs to know of its endpoint; computed once per endpoint. */
struct Peer {
    Endpoint endpoint;
    std::string host_header;   ///< the `Host` field
    std::string authority;     ///< "host:port", for messages
};

/** Opens a connection: resolve (unless the host is an IP literal), connect, and for https the TLS
    handshake with the context `tls_context()` returns (called only then), all by `limit.at`;
    a stop request on `stop` ends connecting and the handshake at once (errc::cancelled).
    @throws TransportError (errc::timeout, errc::network, errc::tls) naming the peer and the step. */
ConnectionPtr open_connection(const Peer& peer, const Limit& limit, const std::function<const TlsContext&()>& tls_context,
                              const std::stop_token& stop = {});

/** Sends the request and reads the response into `out`, every step by `limit.at`. Returns false
    when `reused` and the server had closed the connection while it was idle: writing failed
    (nothing complete was sent), or, for a replayable request, the connection ended before any
    byte of a response. Afterwards `healthy(c)` says whether the connection may carry another
    request.
    @throws TransportError on any other failure, `request_sent()` true once the request may have
            reached the server. */
bool exchange(const Peer& peer, Connection& c, const HttpRequest& req, bool reused, const Limit& limit,
              HttpResponse& out);

/** Connected, and no failure since; false once an exchange failed or the response ended the
    connection. */
bool healthy(const Connection& c) noexcept;

/** True when the peer closed or reset this idle connection, or sent bytes nobody asked for (e.g. a
    TLS alert before closing): it must not carry another request. A non-blocking peek. */
bool closed_while_idle(Connection& c) noexcept;

/** How long a connection may have been idle before a replayable request checks it with
    `closed_while_idle` (far below the keep-alive timeouts of servers: 5 s and more). */
inline constexpr std::chrono::milliseconds idle_check_after{1000};

}  // namespace dynantic::http::detail
