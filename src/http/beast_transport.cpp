// SPDX-License-Identifier: BSL-1.0
// The Boost.Beast HTTP/1.1 transport: validates a request, takes a connection from the pool (or
// opens one), runs the exchange, and returns a connection that stayed healthy to the pool. The
// parts live along their seams, each in its own file under src/http/:
//   request_head     request-head validation and writing
//   deadline         the time limit of each step and the failures it ends in
//   resolver         DNS resolution on a thread, bounded by the deadline
//   tls_context      the OpenSSL client context and per-connection TLS settings
//   deadline_stream  the deadline-bounded synchronous stream (SO_RCVTIMEO reads, poll(2)-bounded writes)
//   connection       one keep-alive connection: connect, handshake, exchange (the one
//                    translation unit that includes Asio and Beast)
//   connection_pool  idle connections per endpoint, the open-connection bound, idle expiry
#include <dynantic/http/transport.hpp>

#include "http/connection.hpp"
#include "http/connection_pool.hpp"
#include "http/deadline.hpp"
#include "http/request_head.hpp"
#include "http/tls_context.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace dynantic::http {

struct BeastTransport::Impl {
    TransportOptions options;
    detail::ConnectionPool pool;

    std::mutex tls_mutex;
    std::optional<detail::TlsContext> tls_context;   // guarded by tls_mutex until made

    explicit Impl(TransportOptions o) : options(std::move(o)), pool(options.pool, options.connect_timeout) {}

    /** The transport's TLS context, made by the first https connection. */
    const detail::TlsContext& tls_context_for(const detail::Peer& peer) {
        const std::lock_guard lock(tls_mutex);
        if (!tls_context) tls_context.emplace(options.tls, peer.authority);
        return *tls_context;
    }

    HttpResponse send(const Endpoint& ep, const HttpRequest& req) {
        detail::validate(req);
        if (req.stop.stop_requested())
            detail::fail(detail::Failure::cancelled, "stopped before the request to " + ep.host_header() + " was sent");
        HttpResponse response;
        for (bool fresh = false;; fresh = true) {
            auto slot = pool.checkout(ep, fresh, req.deadline);
            // Closed by the server while pooled? A request that may be resent learns it for free
            // (writing fails, or the answer is an end of stream with nothing received, and exchange
            // resends it on a new connection), so only a request that must not be resent, or one on
            // a connection idle long enough for a server's idle timeout to have sent something
            // (a stray 408), pays a MSG_PEEK system call for it.
            if (slot.reused && (!req.replayable || detail::Clock::now() - slot.idle_since >= detail::idle_check_after) &&
                detail::closed_while_idle(*slot.conn)) {
                pool.uncount_reused();
                continue;
            }
            const detail::Peer& peer = slot.peer();
            if (!slot.conn) {
                slot.conn = detail::open_connection(
                    peer, detail::limit_for(options.connect_timeout, req.deadline, "connect timeout"),
                    [&]() -> const detail::TlsContext& { return tls_context_for(peer); }, req.stop);
                pool.count_opened();
            }
            const auto limit = detail::limit_for(options.request_timeout, req.deadline, "request timeout");
            if (!detail::exchange(peer, *slot.conn, req, slot.reused, limit, response)) {   // closed while idle
                pool.uncount_reused();
                continue;
            }
            if (detail::healthy(*slot.conn)) slot.keep();
            return response;
        }
    }
};

BeastTransport::BeastTransport(TransportOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

BeastTransport::~BeastTransport() = default;

HttpResponse BeastTransport::send(const Endpoint& endpoint, const HttpRequest& request) {
    return impl_->send(endpoint, request);
}

TransportStats BeastTransport::stats() const { return impl_->pool.stats(); }

}  // namespace dynantic::http
