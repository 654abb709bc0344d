#include "support/loopback_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

namespace dynantic::test {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequal(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

}  // namespace

std::size_t ServerRequest::header_count(std::string_view name) const noexcept {
    return static_cast<std::size_t>(
        std::count_if(headers.begin(), headers.end(), [&](const auto& h) { return iequal(h.first, name); }));
}

ServerAction ServerAction::respond(unsigned status, std::string body, http::Headers headers) {
    ServerAction a;
    a.status = status;
    a.body = std::move(body);
    a.headers = std::move(headers);
    return a;
}

ServerAction ServerAction::close_connection() {
    ServerAction a;
    a.kind = Kind::close_without_response;
    return a;
}

ServerAction ServerAction::reset_connection() {
    ServerAction a;
    a.kind = Kind::reset;
    return a;
}

ServerAction ServerAction::send_raw(std::string bytes) {
    ServerAction a;
    a.raw = std::move(bytes);
    return a;
}

ServerAction ServerAction::send_stream(std::function<std::string(std::size_t)> pieces,
                                       std::chrono::milliseconds interval) {
    ServerAction a;
    a.stream = std::move(pieces);
    a.stream_interval = interval;
    return a;
}

struct LoopbackServer::Impl {
    /** One accepted connection. `fd` stays valid while `done` is false (the serving thread closes
        its socket under `mutex`), so `stop()` may shut it down from another thread. */
    struct Conn {
        std::thread thread;
        int fd = -1;
        bool done = false;
        bool idle = false;   ///< waiting for the next request
    };

    Handler handler;
    std::optional<ssl::context> tls;
    asio::io_context ioc;   // owns the sockets; never run, every operation is synchronous
    tcp::acceptor acceptor{ioc};
    int acceptor_fd = -1;
    std::uint16_t port = 0;
    std::thread accept_thread;

    mutable std::mutex mutex;
    std::condition_variable stopping_cv;
    bool stopping = false;            // guarded by mutex
    std::list<Conn> conns;            // guarded by mutex
    std::size_t open = 0;             // guarded by mutex
    std::size_t max_open = 0;         // guarded by mutex
    std::atomic<std::size_t> accepted{0};
    std::atomic<std::size_t> requests{0};

    explicit Impl(Handler h) : handler(std::move(h)) {}

    void start() {
        const tcp::endpoint local(asio::ip::make_address_v4("127.0.0.1"), 0);
        acceptor.open(local.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind(local);
        acceptor.listen(asio::socket_base::max_listen_connections);
        port = acceptor.local_endpoint().port();
        acceptor_fd = acceptor.native_handle();
        accept_thread = std::thread([this] { accept_loop(); });
    }

    void accept_loop() {
        for (;;) {
            error_code ec;
            tcp::socket socket = acceptor.accept(ec);
            const std::lock_guard lock(mutex);
            if (stopping) return;   // `socket` closes on the way out
            if (ec) {
                if (ec == asio::error::interrupted || ec == asio::error::connection_aborted) continue;
                return;
            }
            // Join connections that have finished, so a long test does not pile up threads.
            for (auto it = conns.begin(); it != conns.end();) {
                if (it->done) {
                    it->thread.join();
                    it = conns.erase(it);
                } else {
                    ++it;
                }
            }
            const std::size_t number = accepted.fetch_add(1) + 1;
            max_open = std::max(max_open, ++open);
            Conn& conn = conns.emplace_back();
            conn.fd = socket.native_handle();
            conn.thread = std::thread([this, &conn, number, s = std::move(socket)]() mutable {
                serve(conn, number, std::move(s));
            });
        }
    }

    void serve(Conn& conn, std::size_t number, tcp::socket socket) {
        error_code ec;
        socket.set_option(tcp::no_delay(true), ec);
        if (tls) {
            ssl::stream<tcp::socket&> stream(socket, *tls);
            stream.handshake(ssl::stream_base::server, ec);
            if (!ec) serve_stream(conn, number, stream, socket);
        } else {
            serve_stream(conn, number, socket, socket);
        }
        const std::lock_guard lock(mutex);
        socket.close(ec);
        conn.done = true;
        --open;
    }

    void set_idle(Conn& conn, bool idle) {
        const std::lock_guard lock(mutex);
        conn.idle = idle;
    }

    /** Waits `delay`, or less when the server stops; returns false when it stops. */
    bool wait(std::chrono::milliseconds delay) {
        std::unique_lock lock(mutex);
        return !stopping_cv.wait_for(lock, delay, [this] { return stopping; });
    }

    template <class Stream>
    void serve_stream(Conn& conn, std::size_t number, Stream& stream, tcp::socket& socket) {
        boost::beast::flat_buffer buffer;
        for (;;) {
            set_idle(conn, true);
            bhttp::request_parser<bhttp::string_body> parser;
            parser.body_limit(std::uint64_t{256} << 20);
            parser.header_limit(1u << 20);
            error_code ec;
            bhttp::read(stream, buffer, parser, ec);
            set_idle(conn, false);
            if (ec) return;
            requests.fetch_add(1);

            auto& message = parser.get();
            ServerRequest request;
            request.method = std::string(message.method_string());
            request.target = std::string(message.target());
            for (const auto& field : message)
                request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
            request.body = std::move(message.body());
            request.connection = number;

            ServerAction action;
            try {
                action = handler(request);
            } catch (const std::exception& e) {
                action = ServerAction::respond(500, std::string("handler threw: ") + e.what()).then_close();
            }
            if (action.delay.count() > 0 && !wait(action.delay)) return;

            switch (action.kind) {
            case ServerAction::Kind::close_without_response:
                socket.shutdown(tcp::socket::shutdown_both, ec);
                return;
            case ServerAction::Kind::reset:
                socket.set_option(asio::socket_base::linger(true, 0), ec);
                return;
            case ServerAction::Kind::respond:
                break;
            }

            // Idle from the moment the response goes out, so that a client that has it can count
            // on close_idle_connections() finding the connection.
            if (action.then == ServerAction::Then::keep_alive && !action.truncate_body_at) set_idle(conn, true);
            if (action.stream) {
                for (std::size_t i = 0;; ++i) {
                    const std::string piece = action.stream(i);
                    if (piece.empty()) break;
                    asio::write(stream, asio::buffer(piece), ec);
                    if (ec) break;
                    if (action.stream_interval.count() > 0 && !wait(action.stream_interval)) break;
                }
                socket.shutdown(tcp::socket::shutdown_both, ec);
                return;
            }
            if (action.raw) {
                asio::write(stream, asio::buffer(*action.raw), ec);
            } else {
                bhttp::response<bhttp::string_body> response(static_cast<bhttp::status>(action.status), 11);
                for (auto& [name, value] : action.headers) response.insert(name, value);
                response.keep_alive(action.then != ServerAction::Then::close);
                response.body() = std::move(action.body);
                response.prepare_payload();
                if (action.truncate_body_at && *action.truncate_body_at < response.body().size()) {
                    bhttp::response_serializer<bhttp::string_body> serializer(response);
                    bhttp::write_header(stream, serializer, ec);
                    if (!ec) asio::write(stream, asio::buffer(response.body().data(), *action.truncate_body_at), ec);
                    socket.shutdown(tcp::socket::shutdown_both, ec);
                    return;
                }
                bhttp::write(stream, response, ec);
            }
            if (ec || action.then != ServerAction::Then::keep_alive) {
                socket.shutdown(tcp::socket::shutdown_send, ec);
                return;
            }
        }
    }

    std::size_t close_idle() {
        const std::lock_guard lock(mutex);
        std::size_t closed = 0;
        for (auto& conn : conns)
            if (!conn.done && conn.idle && ::shutdown(conn.fd, SHUT_RDWR) == 0) ++closed;
        return closed;
    }

    std::size_t reset_idle() {
        const std::lock_guard lock(mutex);
        std::size_t reset = 0;
        for (auto& conn : conns) {
            if (conn.done || !conn.idle) continue;
            // Linger 0 makes the serving thread's close() send RST; SHUT_RD wakes its read.
            const ::linger abort{1, 0};
            if (::setsockopt(conn.fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort) == 0 &&
                ::shutdown(conn.fd, SHUT_RD) == 0)
                ++reset;
        }
        return reset;
    }

    void stop() noexcept {
        {
            const std::lock_guard lock(mutex);
            if (stopping) return;
            stopping = true;
            for (auto& conn : conns)
                if (!conn.done) ::shutdown(conn.fd, SHUT_RDWR);   // wakes blocked reads and writes
        }
        stopping_cv.notify_all();
        if (acceptor_fd >= 0) ::shutdown(acceptor_fd, SHUT_RDWR);   // wakes accept() (Linux)
        if (accept_thread.joinable()) accept_thread.join();
        // No connection is added any more.
        for (auto& conn : conns) conn.thread.join();
        conns.clear();
        error_code ec;
        acceptor.close(ec);
    }
};

LoopbackServer::LoopbackServer(Handler handler) : impl_(std::make_unique<Impl>(std::move(handler))) {
    impl_->start();
}

LoopbackServer::LoopbackServer(Handler handler, const TlsIdentity& identity)
    : impl_(std::make_unique<Impl>(std::move(handler))) {
    auto& ctx = impl_->tls.emplace(ssl::context::tls_server);
    ctx.use_certificate_chain(asio::buffer(identity.certificate_pem));
    ctx.use_private_key(asio::buffer(identity.private_key_pem), ssl::context::pem);
    impl_->start();
}

LoopbackServer::~LoopbackServer() { stop(); }

std::uint16_t LoopbackServer::port() const noexcept { return impl_->port; }

http::Endpoint LoopbackServer::endpoint() const {
    http::Endpoint ep;
    ep.tls = impl_->tls.has_value();
    ep.host = "127.0.0.1";
    ep.port = impl_->port;
    return ep;
}

std::size_t LoopbackServer::accepted_connections() const noexcept { return impl_->accepted.load(); }

std::size_t LoopbackServer::requests() const noexcept { return impl_->requests.load(); }

std::size_t LoopbackServer::open_connections() const noexcept {
    const std::lock_guard lock(impl_->mutex);
    return impl_->open;
}

std::size_t LoopbackServer::max_open_connections() const noexcept {
    const std::lock_guard lock(impl_->mutex);
    return impl_->max_open;
}

std::size_t LoopbackServer::close_idle_connections() { return impl_->close_idle(); }

std::size_t LoopbackServer::reset_idle_connections() { return impl_->reset_idle(); }

void LoopbackServer::stop() noexcept { impl_->stop(); }

}  // namespace dynantic::test
