// SPDX-License-Identifier: BSL-1.0
// The Boost.Beast HTTP/1.1 client. This is the only translation unit of the library that includes
// Asio or Beast headers.
//
// Deadlines: Beast's synchronous operations ignore socket timeouts (beast#2398, #2531). Connecting
// is an asynchronous operation on the connection's own io_context, run by the calling thread with
// `run_until(deadline)`. Once connected, the socket is non-blocking and every read and write goes
// through `DeadlineStream`, a synchronous stream that waits in poll(2) for at most the time left:
// Beast's and Asio's synchronous operations (the TLS handshake, writing the request, parsing the
// response) then cost one system call per step and no event loop (an asynchronous exchange cost
// two more epoll_wait calls per request). The deadline is checked before every step, not only when
// a step would block: a server that keeps the socket full (an endless header or body, a flood of
// interim responses) is stopped at the deadline plus one step (one read of at most 64 KiB and its
// parsing). When the deadline passes, the operation fails with `timed_out` and the connection is
// discarded.
#include <dynantic/http/transport.hpp>

#include <dynantic/error.hpp>

#include "http/trust_store.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include <array>
#include <atomic>
#include <charconv>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace dynantic::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

/** Largest response body accepted (DynamoDB responses stay far below: 16 MiB per BatchGetItem). */
constexpr std::uint64_t max_body_size = 64u << 20;
/** Largest response header accepted; Beast's default (8 KiB) is too tight for some proxies. */
constexpr std::uint32_t max_header_size = 1u << 20;
/** Capacity of a connection's read buffer. Beast reads at most the free capacity (but at least
    512 bytes), and the parser drains the buffer as it goes, so an unreserved buffer never grows
    and every response would be read 512 bytes at a time. */
constexpr std::size_t read_buffer_size = 64u << 10;
/** Deadline value meaning "none". */
constexpr Clock::time_point no_deadline = Clock::time_point::max();

/** Interim (1xx) responses accepted before the final one; a server sends one or two (100
    Continue, 103 Early Hints). More is a protocol violation that would keep the exchange going. */
constexpr unsigned max_interim_responses = 8;

/** When a step must end, what set that moment, and when the step began (for messages that state
    the time actually waited). */
struct Limit {
    Clock::time_point at = no_deadline;
    Clock::time_point started{};
    std::chrono::milliseconds allowed{0};
    std::string_view timeout_name;   ///< "request timeout", "connect timeout"
    bool by_request_deadline = false;   ///< `at` is the request's (the call's) deadline
};

/** The earlier of now + `timeout` (0 = none) and the request's own deadline (epoch = none). */
Limit limit_for(std::chrono::milliseconds timeout, Clock::time_point request_deadline, std::string_view timeout_name) {
    Limit l;
    const auto now = Clock::now();
    l.started = now;
    l.timeout_name = timeout_name;
    if (timeout.count() > 0) {
        l.at = now + timeout;
        l.allowed = timeout;
    }
    if (request_deadline != Clock::time_point{} && request_deadline < l.at) {
        l.at = request_deadline;
        l.by_request_deadline = true;
        l.allowed = std::max(std::chrono::milliseconds(0),
                             std::chrono::ceil<std::chrono::milliseconds>(request_deadline - now));
    }
    return l;
}

/** Throws TransportError. `sent`: whether the server may have received the request; the message
    says so. */
[[noreturn]] void fail(errc code, std::string message, bool sent = false) {
    message += sent ? "; the request had been sent" : "; the request was not sent";
    throw TransportError(code, ErrorInfo{.message = std::move(message)}, sent);
}

/** Milliseconds since `since`, measured now. */
long long waited_ms(Clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

/** "timed out after 301 ms (request timeout 300 ms) " with the time actually waited, measured, and
    what bounded it: the transport's own timeout or the deadline of the call. */
std::string timed_out(const Limit& limit) {
    std::string out = "timed out after " + std::to_string(waited_ms(limit.started)) + " ms (";
    if (limit.by_request_deadline) {
        out += "the call's deadline, ";
        out += std::to_string(limit.allowed.count());
        out += " ms away";
    } else {
        out += limit.timeout_name;
        out += ' ';
        out += std::to_string(limit.allowed.count());
        out += " ms";
    }
    out += ") ";
    return out;
}

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

[[noreturn]] void refuse(std::string message) { throw ValidationError(ErrorInfo{.message = std::move(message)}); }

void validate(const HttpRequest& req) {
    if (!valid_token(req.method)) refuse("invalid HTTP method");
    if (!valid_target(req.target)) refuse("invalid HTTP request target");
    for (const auto& [name, value] : req.headers) {
        if (!valid_token(name)) refuse("invalid HTTP header name");
        if (!valid_value(value)) refuse("invalid character in the value of HTTP header '" + name + "'");
    }
}

/** Writes the request line and header block. `Host` and `Content-Length` are the transport's:
    fields of those names in `req.headers` are left out. */
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

/** "host:port", with brackets around an IPv6 literal. */
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

/** The peer closed or reset the connection. */
bool closed_by_peer(const error_code& ec) noexcept {
    return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
           ec == ssl::error::stream_truncated;
}

/** Resolves a DNS name. getaddrinfo blocks and cannot be cancelled, so it runs on a detached
    thread that the caller waits for no longer than `deadline`. */
std::vector<tcp::endpoint> resolve_name(const Endpoint& ep, const Limit& limit) {
    struct State {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        int status = 0;
        std::vector<tcp::endpoint> addresses;
    };
    auto state = std::make_shared<State>();
    try {
        std::thread([state, host = ep.host, port = ep.port] {
            addrinfo hints{};
            hints.ai_family = AF_UNSPEC;
            hints.ai_socktype = SOCK_STREAM;
            hints.ai_protocol = IPPROTO_TCP;
            hints.ai_flags = AI_ADDRCONFIG;
            addrinfo* list = nullptr;
            const int status = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
            std::vector<tcp::endpoint> addresses;
            for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
                if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) || a->ai_addrlen > sizeof(sockaddr_in6))
                    continue;
                tcp::endpoint address;
                std::memcpy(address.data(), a->ai_addr, a->ai_addrlen);
                address.resize(a->ai_addrlen);
                address.port(port);
                addresses.push_back(address);
            }
            if (list != nullptr) ::freeaddrinfo(list);
            const std::lock_guard lock(state->mutex);
            state->status = status;
            state->addresses = std::move(addresses);
            state->done = true;
            state->done_cv.notify_all();
        }).detach();
    } catch (const std::system_error& e) {
        fail(errc::network, "cannot resolve " + authority(ep) + ": " + e.what());
    }
    std::unique_lock lock(state->mutex);
    if (limit.at == no_deadline) {
        state->done_cv.wait(lock, [&] { return state->done; });
    } else if (!state->done_cv.wait_until(lock, limit.at, [&] { return state->done; })) {
        fail(errc::timeout, timed_out(limit) + "resolving " + authority(ep));
    }
    if (state->status != 0) fail(errc::network, "cannot resolve " + authority(ep) + ": " + ::gai_strerror(state->status));
    if (state->addresses.empty()) fail(errc::network, "cannot resolve " + authority(ep) + ": no IPv4 or IPv6 address");
    return std::move(state->addresses);
}

/** A connected, non-blocking socket as a synchronous stream (Asio's SyncReadStream and
    SyncWriteStream, and the next layer of an `ssl::stream`) whose operations end by `deadline`:
    every operation first checks the deadline (so a peer that keeps the socket full cannot keep
    a caller past it), and one that would block waits in poll(2) for at most the time left; past
    the deadline it fails with `asio::error::timed_out`. */
class DeadlineStream {
public:
    using executor_type = tcp::socket::executor_type;
    using lowest_layer_type = tcp::socket::lowest_layer_type;

    explicit DeadlineStream(tcp::socket& socket) noexcept : socket_(socket) {}

    Clock::time_point deadline = no_deadline;
    /** Each operation is tried once, without checking the deadline or waiting (a TLS
        close_notify sent while closing: it goes out if the socket takes it at once). */
    bool try_once = false;

    executor_type get_executor() noexcept { return socket_.get_executor(); }
    lowest_layer_type& lowest_layer() noexcept { return socket_.lowest_layer(); }
    const lowest_layer_type& lowest_layer() const noexcept { return socket_.lowest_layer(); }

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers, error_code& ec) {
        if (!try_once && passed(ec)) return 0;
        // Right after a write the answer is rarely there yet: waiting first saves a read that
        // would fail with EAGAIN.
        if (std::exchange(wrote_, false) && !try_once && !wait(POLLIN, ec)) return 0;
        for (;;) {
            const std::size_t n = socket_.read_some(buffers, ec);
            if (try_once || !would_block(ec) || !wait(POLLIN, ec)) return n;
        }
    }
    template <class ConstBuffers>
    std::size_t write_some(const ConstBuffers& buffers, error_code& ec) {
        if (!try_once && passed(ec)) return 0;
        wrote_ = true;
        for (;;) {
            const std::size_t n = socket_.write_some(buffers, ec);
            if (try_once || !would_block(ec) || !wait(POLLOUT, ec)) return n;
        }
    }
    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers) {
        error_code ec;
        const std::size_t n = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }
    template <class ConstBuffers>
    std::size_t write_some(const ConstBuffers& buffers) {
        error_code ec;
        const std::size_t n = write_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }

private:
    static bool would_block(const error_code& ec) noexcept {
        return ec == asio::error::would_block || ec == asio::error::try_again;
    }

    /** True, with `ec` set to `timed_out`, once the deadline has passed. */
    bool passed(error_code& ec) const noexcept {
        if (deadline == no_deadline || Clock::now() < deadline) return false;
        ec = asio::error::timed_out;
        return true;
    }

    /** Waits until the socket is ready for `events` (or has an error or hang-up, which the next
        call reports) and returns true; false with `ec` set when the deadline passed first. */
    bool wait(short events, error_code& ec) {
        pollfd fd{socket_.native_handle(), events, 0};
        for (;;) {
            int timeout_ms = -1;
            if (deadline != no_deadline) {
                const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
                if (left <= 0) {
                    ec = asio::error::timed_out;
                    return false;
                }
                timeout_ms = static_cast<int>(std::min<long long>(left, INT_MAX));
            }
            const int ready = ::poll(&fd, 1, timeout_ms);
            if (ready > 0) {
                ec = {};
                return true;
            }
            if (ready < 0 && errno != EINTR) {
                ec = error_code(errno, boost::system::system_category());
                return false;
            }
        }
    }

    tcp::socket& socket_;
    bool wrote_ = false;   ///< the last operation was a write
};

/** One keep-alive connection with everything it reuses from request to request. Used by one
    thread at a time (the pool hands it out exclusively). */
struct Connection {
    asio::io_context ioc{1};
    tcp::socket socket{ioc};
    DeadlineStream stream{socket};   ///< reads and writes once connected
    std::optional<ssl::stream<DeadlineStream&>> tls;
    beast::flat_buffer buffer;
    std::string head;   ///< serialized request line and headers
    std::optional<bhttp::response_parser<bhttp::string_body>> parser;
    Clock::time_point last_used{};
    bool healthy = false;   ///< connected (and TLS established), no failure since

    Connection() { buffer.reserve(read_buffer_size); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() { close(); }

    /** Runs the asynchronous operation (connecting) that `start(handler)` launches until it
        completes or `deadline` passes; then the socket is closed (aborting the operation) and
        `asio::error::timed_out` returned. */
    template <class Start>
    error_code run(Clock::time_point deadline, Start&& start) {
        error_code result;
        bool done = false;
        start([&result, &done](const error_code& ec, auto&&...) {
            result = ec;
            done = true;
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

    /** True when the peer closed or reset this idle connection, or sent bytes nobody asked for
        (e.g. a TLS alert before closing): it must not carry another request. A non-blocking
        peek; never throws. */
    bool closed_while_idle() noexcept {
        if (!socket.is_open()) return true;
        char byte = 0;
        const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n >= 0) return true;   // 0: FIN; >0: unexpected bytes
        return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
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

/** The connections of one endpoint. */
struct HostPool {
    Endpoint endpoint;
    std::string host_header;   ///< computed once
    std::string authority;     ///< "host:port", for messages
    std::vector<std::unique_ptr<Connection>> idle;   ///< least recently used first
    std::size_t open = 0;      ///< idle + in use + being opened
    std::condition_variable released;
};

/** The TLS error of a failed handshake: the certificate verification result when OpenSSL has one. */
std::string handshake_failure(const std::string& where, Connection& c, const error_code& ec) {
    std::string message = "TLS handshake with " + where + " failed: ";
    const long verify = SSL_get_verify_result(c.tls->native_handle());
    if (verify != X509_V_OK) {
        message += "certificate verification failed: ";
        message += X509_verify_cert_error_string(verify);
    } else {
        message += ec.message();
    }
    return message;
}

}  // namespace

struct BeastTransport::Impl {
    TransportOptions options;

    mutable std::mutex mutex;
    std::vector<std::unique_ptr<HostPool>> pools;   // guarded by mutex
    std::atomic<std::uint64_t> opened{0};
    std::atomic<std::uint64_t> reused{0};

    std::mutex tls_mutex;
    std::unique_ptr<ssl::context> tls_context;   // guarded by tls_mutex until created

    explicit Impl(TransportOptions o) : options(std::move(o)) {}

    ~Impl() {
        std::vector<std::unique_ptr<Connection>> closing;
        {
            const std::lock_guard lock(mutex);
            for (auto& pool : pools)
                for (auto& c : pool->idle) closing.push_back(std::move(c));
        }
        // Connection destructors close without throwing.
    }

    /** A checked-out pool slot: a pooled connection, or none yet (the caller opens one). Gives the
        slot back on destruction, discarding the connection unless `keep()` was called. */
    class Slot {
    public:
        Slot(Impl& impl, HostPool& pool, std::unique_ptr<Connection> c)
            : impl_(&impl), pool_(&pool), reused(c != nullptr), conn(std::move(c)) {}
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() {
            if (pool_ != nullptr) impl_->release(*pool_, std::move(conn), false);
        }
        /** Returns the connection to the pool as idle. */
        void keep() {
            impl_->release(*pool_, std::move(conn), true);
            pool_ = nullptr;
        }
        HostPool& pool() const noexcept { return *pool_; }

    private:
        Impl* impl_;
        HostPool* pool_;

    public:
        const bool reused;
        std::unique_ptr<Connection> conn;
    };

    HostPool& pool_for(const Endpoint& ep) {   // mutex held
        for (auto& pool : pools)
            if (pool->endpoint == ep) return *pool;
        auto pool = std::make_unique<HostPool>();
        pool->endpoint = ep;
        pool->host_header = ep.host_header();
        pool->authority = authority(ep);
        pools.push_back(std::move(pool));
        return *pools.back();
    }

    /** Takes an idle connection of `ep` (unless `fresh`), or reserves room for a new one, waiting
        at most the connect timeout while the pool is full and every connection in use. */
    Slot checkout(const Endpoint& ep, bool fresh, Clock::time_point request_deadline) {
        std::vector<std::unique_ptr<Connection>> closing;   // closed after unlocking
        std::unique_lock lock(mutex);
        HostPool& pool = pool_for(ep);
        const auto idle_timeout = options.pool.idle_timeout;
        const std::size_t max = options.pool.max_connections;
        const Limit limit = limit_for(options.connect_timeout, request_deadline, "connect timeout");
        for (;;) {
            if (idle_timeout.count() > 0 && !pool.idle.empty()) {
                const auto oldest_allowed = Clock::now() - idle_timeout;
                auto expired = pool.idle.begin();
                while (expired != pool.idle.end() && (*expired)->last_used < oldest_allowed) ++expired;
                for (auto it = pool.idle.begin(); it != expired; ++it) closing.push_back(std::move(*it));
                pool.open -= static_cast<std::size_t>(expired - pool.idle.begin());
                pool.idle.erase(pool.idle.begin(), expired);
            }
            if (!fresh && !pool.idle.empty()) {
                auto c = std::move(pool.idle.back());
                pool.idle.pop_back();
                reused.fetch_add(1, std::memory_order_relaxed);
                lock.unlock();
                return Slot(*this, pool, std::move(c));
            }
            if (max == 0 || pool.open < max) {
                ++pool.open;
                lock.unlock();
                return Slot(*this, pool, nullptr);
            }
            if (fresh && !pool.idle.empty()) {   // make room for the new connection
                closing.push_back(std::move(pool.idle.front()));
                pool.idle.erase(pool.idle.begin());
                --pool.open;
                continue;
            }
            if (limit.at == no_deadline) {
                pool.released.wait(lock);
            } else if (pool.released.wait_until(lock, limit.at) == std::cv_status::timeout &&
                       pool.idle.empty() && pool.open >= max) {
                lock.unlock();
                fail(errc::timeout, timed_out(limit) + "waiting for a free connection to " + pool.authority +
                                        ": all " + std::to_string(max) + " (pool.max_connections) stayed in use");
            }
        }
    }

    void release(HostPool& pool, std::unique_ptr<Connection> c, bool keep) noexcept {
        {
            const std::lock_guard lock(mutex);
            if (keep && c) {
                c->last_used = Clock::now();
                pool.idle.push_back(std::move(c));
            } else {
                --pool.open;
            }
        }
        pool.released.notify_one();
        // A discarded connection closes here, outside the lock.
    }

    ssl::context& tls_context_for(const HostPool& pool) {
        const std::lock_guard lock(tls_mutex);
        if (tls_context) return *tls_context;
        auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
        SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
        error_code ec;
        if (options.tls.verify_peer) {
            ctx->set_verify_mode(ssl::verify_peer, ec);
            if (!options.tls.ca_file.empty()) {
                ctx->load_verify_file(options.tls.ca_file, ec);
                if (ec)
                    fail(errc::tls, "TLS to " + pool.authority + ": cannot load CA file '" + options.tls.ca_file +
                                        "': " + ec.message());
            } else {
                if (const std::string failure = detail::use_system_trust_store(ctx->native_handle()); !failure.empty())
                    fail(errc::tls, "TLS to " + pool.authority + ": cannot load the system CA store: " + failure);
            }
        } else {
            ctx->set_verify_mode(ssl::verify_none, ec);
        }
        tls_context = std::move(ctx);
        return *tls_context;
    }

    /** Opens a connection to the slot's endpoint: resolve, connect, TLS handshake, all bounded by
        the connect timeout. */
    std::unique_ptr<Connection> open(HostPool& pool, Clock::time_point request_deadline) {
        const Endpoint& ep = pool.endpoint;
        const Limit limit = limit_for(options.connect_timeout, request_deadline, "connect timeout");
        const auto deadline = limit.at;

        error_code ec;
        const auto ip = asio::ip::make_address(ep.host, ec);
        const bool ip_literal = !ec;   // no DNS, no SNI, certificate checked against the IP
        std::vector<tcp::endpoint> addresses;
        if (ip_literal)
            addresses.emplace_back(ip, ep.port);
        else
            addresses = resolve_name(ep, limit);

        auto c = std::make_unique<Connection>();
        ec = c->run(deadline, [&](auto handler) { asio::async_connect(c->socket, addresses, std::move(handler)); });
        if (ec == asio::error::timed_out) fail(errc::timeout, timed_out(limit) + "connecting to " + pool.authority);
        if (ec) fail(errc::network, "cannot connect to " + pool.authority + ": " + ec.message());
        c->socket.set_option(tcp::no_delay(true), ec);
        c->socket.non_blocking(true, ec);   // for DeadlineStream
        if (ec) fail(errc::network, "cannot configure the connection to " + pool.authority + ": " + ec.message());

        if (ep.tls) {
            c->tls.emplace(c->stream, tls_context_for(pool));
            SSL* handle = c->tls->native_handle();
            if (!ip_literal && !SSL_set_tlsext_host_name(handle, ep.host.c_str()))
                fail(errc::tls, "TLS to " + pool.authority + ": cannot set the server name (SNI)");
            if (options.tls.verify_peer) {
                // OpenSSL checks the name during verification (and reports a mismatch as the
                // verify result); host_name_verification checks it again in the callback.
                X509_VERIFY_PARAM* param = SSL_get0_param(handle);
                X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
                const int set = ip_literal ? X509_VERIFY_PARAM_set1_ip_asc(param, ep.host.c_str())
                                           : X509_VERIFY_PARAM_set1_host(param, ep.host.c_str(), 0);
                if (set != 1) fail(errc::tls, "TLS to " + pool.authority + ": cannot set the expected host name");
                c->tls->set_verify_callback(ssl::host_name_verification(ep.host));
            }
            c->stream.deadline = deadline;
            c->tls->handshake(ssl::stream_base::client, ec);
            if (ec == asio::error::timed_out)
                fail(errc::timeout, timed_out(limit) + "in the TLS handshake with " + pool.authority);
            if (ec) {
                const bool tls_failure = ec.category() == asio::error::get_ssl_category() ||
                                         ec == ssl::error::stream_truncated ||
                                         SSL_get_verify_result(handle) != X509_V_OK;
                fail(tls_failure ? errc::tls : errc::network, handshake_failure(pool.authority, *c, ec));
            }
        }
        c->healthy = true;
        opened.fetch_add(1, std::memory_order_relaxed);
        return c;
    }

    /** Sends the request and reads the response into `out`, bounded by the request timeout.
        Returns false when `reused` and the server had closed the connection while it was idle:
        writing failed (nothing complete was sent), or, for a replayable request, the connection
        ended before any byte of a response. Throws on any other failure. */
    bool exchange(const HostPool& pool, Connection& c, const HttpRequest& req, bool reused, HttpResponse& out) {
        const Limit limit = limit_for(options.request_timeout, req.deadline, "request timeout");
        const auto deadline = limit.at;
        if (deadline != no_deadline && Clock::now() >= deadline)
            fail(errc::timeout, limit.by_request_deadline
                                    ? "the call's deadline passed before the request to " + pool.authority + " could be sent"
                                    : timed_out(limit) + "before the request to " + pool.authority + " could be sent");

        write_head(c.head, pool.host_header, req);
        const std::array<asio::const_buffer, 2> buffers{asio::buffer(c.head), asio::buffer(req.body)};
        error_code ec;
        c.with_stream(deadline, [&](auto& stream) { asio::write(stream, buffers, ec); });
        if (ec) {
            c.healthy = false;
            // A write that timed out may have handed over its last byte just before the deadline:
            // counted as sent. A write that failed left the server an incomplete message.
            if (ec == asio::error::timed_out)
                fail(errc::timeout, timed_out(limit) + "sending the request to " + pool.authority, true);
            if (reused) return false;
            fail(errc::network, "sending the request to " + pool.authority + " failed: " + ec.message());
        }

        const bool head_request = req.method == "HEAD";
        for (unsigned interim = 0;; ++interim) {
            auto& parser = c.parser.emplace();
            parser.body_limit(max_body_size);
            parser.header_limit(max_header_size);
            parser.skip(head_request);
            c.with_stream(deadline, [&](auto& stream) { bhttp::read(stream, c.buffer, parser, ec); });
            if (ec) {
                c.healthy = false;
                if (ec == asio::error::timed_out)
                    fail(errc::timeout, timed_out(limit) + "waiting for the response from " + pool.authority, true);
                if (ec == bhttp::error::header_limit || ec == bhttp::error::body_limit)
                    fail(errc::invalid_response,
                         pool.authority + " sent a response " +
                             (ec == bhttp::error::header_limit ? "header over 1 MiB" : "body over 64 MiB") +
                             "; gave up after " + std::to_string(waited_ms(limit.started)) + " ms",
                         true);
                const bool nothing_received = interim == 0 && !parser.got_some() && c.buffer.size() == 0;
                if (nothing_received && closed_by_peer(ec)) {
                    // Most likely the server closed the idle connection as the request arrived,
                    // unprocessed; but it may have processed it and then failed. Resent only
                    // when that is harmless.
                    if (reused && req.replayable) return false;
                    fail(errc::network,
                         pool.authority + " closed the connection without responding (" + ec.message() + ")", true);
                }
                fail(errc::network,
                     "reading the response from " + pool.authority + " failed after " +
                         std::to_string(waited_ms(limit.started)) + " ms: " + ec.message(),
                     true);
            }
            const unsigned status = parser.get().result_int();
            if (status < 100 || status >= 200 || status == 101) break;   // else an interim response: read on
            if (interim >= max_interim_responses) {   // this was one more than allowed
                c.healthy = false;
                fail(errc::invalid_response,
                     pool.authority + " sent more than " + std::to_string(max_interim_responses) +
                         " interim (1xx) responses; gave up after " + std::to_string(waited_ms(limit.started)) + " ms",
                     true);
            }
        }

        auto& message = c.parser->get();
        out.status = message.result_int();
        out.headers.clear();
        for (const auto& field : message) out.headers.emplace_back(field.name_string(), field.value());
        out.body = std::move(message.body());
        c.healthy = c.parser->keep_alive() && c.buffer.size() == 0;
        return true;
    }

    HttpResponse send(const Endpoint& ep, const HttpRequest& req) {
        validate(req);
        HttpResponse response;
        for (bool fresh = false;; fresh = true) {
            Slot slot = checkout(ep, fresh, req.deadline);
            if (slot.reused && slot.conn->closed_while_idle()) {   // closed by the server while pooled
                reused.fetch_sub(1, std::memory_order_relaxed);
                continue;
            }
            if (!slot.conn) slot.conn = open(slot.pool(), req.deadline);
            if (!exchange(slot.pool(), *slot.conn, req, slot.reused, response)) continue;   // closed while idle
            if (slot.conn->healthy) slot.keep();
            return response;
        }
    }

    TransportStats stats() const {
        TransportStats s;
        s.connections_opened = opened.load(std::memory_order_relaxed);
        s.connections_reused = reused.load(std::memory_order_relaxed);
        const std::lock_guard lock(mutex);
        for (const auto& pool : pools) s.idle_connections += pool->idle.size();
        return s;
    }
};

BeastTransport::BeastTransport(TransportOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

BeastTransport::~BeastTransport() = default;

HttpResponse BeastTransport::send(const Endpoint& endpoint, const HttpRequest& request) {
    return impl_->send(endpoint, request);
}

TransportStats BeastTransport::stats() const { return impl_->stats(); }

}  // namespace dynantic::http
