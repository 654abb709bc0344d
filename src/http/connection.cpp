// SPDX-License-Identifier: BSL-1.0
// A keep-alive connection over Boost.Beast and Asio. This is the only translation unit of the
// library that includes Asio or Beast headers (compile time: each one costs seconds).
//
// Connecting is an asynchronous operation on the connection's own io_context, run by the calling
// thread with `run_until(deadline)`. Once connected, reads and writes go through `DeadlineStream`
// (deadline_stream.hpp). When the deadline passes, the operation fails with `timed_out` and the
// connection is discarded.
#include "http/connection.hpp"

#include "http/deadline_stream.hpp"
#include "http/response_parser.hpp"
#include "http/request_head.hpp"
#include "http/resolver.hpp"
#include "http/tls_context.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <iterator>
#include <new>
#include <tuple>
#include <cstring>
#include <optional>
#include <stop_token>
#include <utility>

namespace dynantic::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

/** One keep-alive connection with everything it reuses from request to request. Used by one
    thread at a time (the pool hands it out exclusively). */
class Connection {
public:
    asio::io_context ioc{1};
    tcp::socket socket{ioc};
    DeadlineStream stream{socket};   ///< reads and writes once connected
    std::optional<ssl::stream<DeadlineStream&>> tls;
    beast::flat_buffer buffer;
    std::string head;   ///< serialized request line and headers
    FieldArena field_arena;   ///< the fields of the response being read; declared before the parser
    std::optional<ResponseParser> parser;
    bool healthy = false;   ///< connected (and TLS established), no failure since

    Connection() { buffer.reserve(read_buffer_size); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() { close(); }

    /** Runs the asynchronous operation (connecting) that `start(handler)` launches until it
        completes or `deadline` passes; then the socket is closed (aborting the operation) and
        `asio::error::timed_out` returned. */
    template <class Start>
    error_code run(Clock::time_point deadline, const std::stop_token& stop, Start&& start) {
        error_code result;
        bool done = false;
        start([&result, &done](const error_code& ec, auto&&...) {
            result = ec;
            done = true;
        });
        // A stop request closes the socket from the connection's own thread (post is thread-safe).
        const std::stop_callback on_stop(stop, [this] {
            asio::post(ioc, [this] {
                error_code ignored;
                socket.close(ignored);
            });
        });
        ioc.restart();
        if (deadline == no_deadline)
            ioc.run();
        else
            ioc.run_until(deadline);
        if (done) return result;
        healthy = false;
        error_code ignored;
        socket.close(ignored);
        ioc.restart();
        ioc.run();   // completes the aborted operation
        return asio::error::timed_out;
    }

    /** Calls `f` with the stream requests go through, `deadline` applying to each of its steps. */
    template <class F>
    void with_stream(Clock::time_point deadline, F&& f) {
        stream.deadline = deadline;
        if (tls)
            f(*tls);
        else
            f(stream);
    }

    /** Closes the socket; a healthy TLS connection first sends close_notify, without waiting for
        the peer's. Never throws. */
    void close() noexcept {
        if (!socket.is_open()) return;
        try {
            error_code ignored;
            if (tls && healthy) {
                // Sends close_notify if the socket takes it at once; the peer's answer is not
                // waited for.
                stream.try_once = true;
                tls->shutdown(ignored);
                stream.try_once = false;
            }
            socket.shutdown(tcp::socket::shutdown_both, ignored);
            socket.close(ignored);
        } catch (...) {
        }
        healthy = false;
    }
};

void CloseConnection::operator()(Connection* c) const noexcept { delete c; }

bool healthy(const Connection& c) noexcept { return c.healthy; }

bool closed_while_idle(Connection& c) noexcept {
    if (!c.socket.is_open()) return true;
    char byte = 0;
    const ssize_t n = ::recv(c.socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n >= 0) return true;   // 0: FIN; >0: unexpected bytes
    return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

/** Shuts the socket down when stop is requested, which wakes a read or poll blocked on it (the
    stream then reports `operation_aborted`); while it lives, the stream checks `stop`. */
class StopGuard {
public:
    StopGuard(Connection& c, const std::stop_token& stop) : c_(c) {
        if (!stop.stop_possible()) return;
        c.stream.stop = &stop;
        callback_.emplace(stop, Shutdown{c.socket.native_handle()});
    }
    ~StopGuard() {
        callback_.reset();
        c_.stream.stop = nullptr;
    }
    StopGuard(const StopGuard&) = delete;
    StopGuard& operator=(const StopGuard&) = delete;

private:
    struct Shutdown {
        int fd;
        void operator()() const noexcept { ::shutdown(fd, SHUT_RDWR); }
    };
    Connection& c_;
    std::optional<std::stop_callback<Shutdown>> callback_;
};

ConnectionPtr open_connection(const Peer& peer, const Limit& limit, const std::function<const TlsContext&()>& tls_context,
                              const std::stop_token& stop) {
    const Endpoint& ep = peer.endpoint;
    const auto deadline = limit.at;

    error_code ec;
    const auto ip = asio::ip::make_address(ep.host, ec);
    const bool ip_literal = !ec;   // no DNS, no SNI, certificate checked against the IP
    std::vector<tcp::endpoint> addresses;
    if (ip_literal) {
        addresses.emplace_back(ip, ep.port);
    } else {
        for (const ResolvedAddress& a : resolve(ep, limit)) {
            tcp::endpoint address;
            std::memcpy(address.data(), &a.address, a.length);
            address.resize(a.length);
            addresses.push_back(address);
        }
    }

    ConnectionPtr c(new Connection());
    ec = c->run(deadline, stop, [&](auto handler) { asio::async_connect(c->socket, addresses, std::move(handler)); });
    if (stop.stop_requested()) fail(Failure::cancelled, "stopped while connecting to " + peer.authority);
    if (ec == asio::error::timed_out) fail(Failure::timeout, timed_out(limit) + "connecting to " + peer.authority);
    if (ec) fail(Failure::network, "cannot connect to " + peer.authority + ": " + ec.message());
    c->socket.set_option(tcp::no_delay(true), ec);
    c->socket.non_blocking(false, ec);   // DeadlineStream bounds blocking reads with SO_RCVTIMEO, writes use MSG_DONTWAIT
    if (ec) fail(Failure::network, "cannot configure the connection to " + peer.authority + ": " + ec.message());

    if (ep.tls) {
        const TlsContext& context = tls_context();
        c->tls.emplace(c->stream, context.new_session(ep.host, ip_literal, peer.authority));
        // OpenSSL checks the name during verification (new_session); host_name_verification
        // checks it again in the callback.
        if (context.verify_peer()) c->tls->set_verify_callback(ssl::host_name_verification(ep.host));
        c->stream.deadline = deadline;
        {
            const StopGuard guard(*c, stop);
            c->tls->handshake(ssl::stream_base::client, ec);
        }
        if (ec && stop.stop_requested())
            fail(Failure::cancelled, "stopped in the TLS handshake with " + peer.authority);
        if (ec == asio::error::timed_out)
            fail(Failure::timeout, timed_out(limit) + "in the TLS handshake with " + peer.authority);
        if (ec) {
            SSL* session = c->tls->native_handle();
            const bool tls_failure = ec.category() == asio::error::get_ssl_category() ||
                                     ec == ssl::error::stream_truncated || verification_failed(session);
            fail(tls_failure ? Failure::tls : Failure::network, handshake_failure(peer.authority, session, ec.message()));
        }
    }
    c->healthy = true;
    return c;
}

bool exchange(const Peer& peer, Connection& c, const HttpRequest& req, bool reused, const Limit& limit,
              HttpResponse& out) {
    const auto deadline = limit.at;
    if (deadline != no_deadline && Clock::now() >= deadline)
        fail(Failure::timeout, limit.by_request_deadline
                                ? "the call's deadline passed before the request to " + peer.authority + " could be sent"
                                : timed_out(limit) + "before the request to " + peer.authority + " could be sent");

    write_head(c.head, peer.host_header, req);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(c.head), asio::buffer(req.body)};
    error_code ec;
    const StopGuard guard(c, req.stop);
    c.with_stream(deadline, [&](auto& stream) { asio::write(stream, buffers, ec); });
    if (ec) {
        c.healthy = false;
        // Stopped part-way: the server has an incomplete message it cannot act on.
        if (ec == asio::error::operation_aborted && req.stop.stop_requested())
            fail(Failure::cancelled, "stopped while sending the request to " + peer.authority);
        // A write that timed out may have handed over its last byte just before the deadline:
        // counted as sent. A write that failed left the server an incomplete message.
        if (ec == asio::error::timed_out)
            fail(Failure::timeout, timed_out(limit) + "sending the request to " + peer.authority, true);
        if (reused) return false;
        fail(Failure::network, "sending the request to " + peer.authority + " failed: " + ec.message());
    }

    const bool head_request = req.method == "HEAD";
    for (unsigned interim = 0;; ++interim) {
        c.parser.reset();   // gives its fields back to the arena
        c.field_arena.reset();
        auto& parser = c.parser.emplace(std::piecewise_construct, std::make_tuple(),
                                        std::make_tuple(FieldAllocator<char>(c.field_arena)));
        parser.body_limit(max_body_size);
        parser.header_limit(max_header_size);
        parser.skip(head_request);
        c.with_stream(deadline, [&](auto& stream) { bhttp::read(stream, c.buffer, parser, ec); });
        if (ec) {
            c.healthy = false;
            if (req.stop.stop_requested())
                fail(Failure::cancelled, "stopped while waiting for the response from " + peer.authority, true);
            if (ec == asio::error::timed_out)
                fail(Failure::timeout, timed_out(limit) + "waiting for the response from " + peer.authority, true);
            if (ec == bhttp::error::header_limit || ec == bhttp::error::body_limit)
                fail(Failure::invalid_response,
                     peer.authority + " sent a response " +
                         (ec == bhttp::error::header_limit ? "header over 1 MiB" : "body over 64 MiB") +
                         "; gave up after " + std::to_string(waited_ms(limit.started)) + " ms",
                     true);
            const bool nothing_received = interim == 0 && !parser.got_some() && c.buffer.size() == 0;
            if (nothing_received && closed_by_peer(ec)) {
                // Most likely the server closed the idle connection as the request arrived,
                // unprocessed; but it may have processed it and then failed. Resent only when
                // that is harmless.
                if (reused && req.replayable) return false;
                fail(Failure::network,
                     peer.authority + " closed the connection without responding (" + ec.message() + ")", true);
            }
            fail(Failure::network,
                 "reading the response from " + peer.authority + " failed after " +
                     std::to_string(waited_ms(limit.started)) + " ms: " + ec.message(),
                 true);
        }
        const unsigned status = parser.get().result_int();
        if (status < 100 || status >= 200 || status == 101) break;   // else an interim response: read on
        if (interim >= max_interim_responses) {   // this was one more than allowed
            c.healthy = false;
            fail(Failure::invalid_response,
                 peer.authority + " sent more than " + std::to_string(max_interim_responses) +
                     " interim (1xx) responses; gave up after " + std::to_string(waited_ms(limit.started)) + " ms",
                 true);
        }
    }

    auto& message = c.parser->get();
    out.status = message.result_int();
    out.headers.clear();
    out.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
    for (const auto& field : message) out.headers.emplace_back(field.name_string(), field.value());
    out.body = std::move(message.body());
    c.healthy = c.parser->keep_alive() && c.buffer.size() == 0;
    return true;
}

}  // namespace dynantic::http::detail
