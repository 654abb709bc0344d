// SPDX-License-Identifier: BSL-1.0
// The asynchronous transport over Boost.Beast and Asio: one exchange (pool checkout, resolve,
// connect, TLS handshake, write, read) as a chain of Asio operations on the caller's executor, a
// timer bounding each step as BeastTransport's deadlines do, and a pool of keep-alive connections
// per endpoint and execution context. The one translation unit that includes Beast for it.
//
// Each exchange serialises its own steps with a small mutex: on an io_context run by several
// threads (no strand), a timer or a cancellation may fire while an operation completes.
#include "http/async_transport.hpp"

#include "http/connection.hpp"
#include "http/deadline.hpp"
#include "http/request_head.hpp"
#include "http/response_parser.hpp"
#include "http/tls_context.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/execution/context_as.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <deque>
#include <iterator>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

namespace dynantic::http::detail {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

asio::execution_context& context_of(const asio::any_io_executor& ex) {
    return asio::query(ex, asio::execution::context_as<asio::execution_context&>);
}

}  // namespace

/** One keep-alive connection, made on (and kept for) one execution context. */
struct AsyncConnection {
    explicit AsyncConnection(const asio::any_io_executor& ex) : context(&context_of(ex)), socket(ex) {
        buffer.reserve(read_buffer_size);
    }
    asio::execution_context* context;
    tcp::socket socket;
    std::optional<ssl::stream<tcp::socket&>> tls;
    beast::flat_buffer buffer;
    std::string head;          ///< serialized request line and headers
    FieldArena field_arena;    ///< declared before the parser
    std::optional<ResponseParser> parser;
    bool healthy = false;

    /** Closed or reset by the peer while idle, or sent bytes nobody asked for. */
    bool closed_while_idle() noexcept {
        if (!socket.is_open()) return true;
        char byte = 0;
        const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n >= 0) return true;
        return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
    }
};

using ConnectionBox = std::unique_ptr<AsyncConnection>;

struct AsyncTransport::Pool : std::enable_shared_from_this<AsyncTransport::Pool> {
    struct Idle {
        ConnectionBox connection;
        Clock::time_point last_used;
    };
    struct Host {
        Peer peer;
        std::vector<Idle> idle;   ///< least recently used first
        std::size_t open = 0;     ///< idle + in use + being opened (all contexts)
        std::deque<std::shared_ptr<AsyncExchange>> waiters;   ///< for a free slot, in order of arrival
    };

    explicit Pool(TransportOptions o) : options(std::move(o)) {}

    TransportOptions options;
    std::mutex mutex;
    std::vector<std::unique_ptr<Host>> hosts;   // guarded by mutex; never removed
    std::atomic<std::uint64_t> opened{0};
    std::atomic<std::uint64_t> reused{0};
    std::mutex tls_mutex;
    std::optional<TlsContext> tls;   // guarded by tls_mutex until made

    Host& host_for(const Endpoint& ep) {   // mutex held
        for (auto& h : hosts)
            if (h->peer.endpoint == ep) return *h;
        auto h = std::make_unique<Host>();
        h->peer.endpoint = ep;
        h->peer.host_header = ep.host_header();
        h->peer.authority = authority(ep);
        hosts.push_back(std::move(h));
        return *hosts.back();
    }

    const TlsContext& tls_context(const Peer& peer) {
        const std::lock_guard lock(tls_mutex);
        if (!tls) tls.emplace(options.tls, peer.authority);
        return *tls;
    }

    /** Gives a slot back: its connection goes to the first waiter (same context) or the idle list
        when `keep`, else is closed; a waiter gets the slot either way. */
    void release(Host& host, ConnectionBox c, bool keep) noexcept;

    /** Closes the idle connections of a context that shuts down. */
    void drop_context(asio::execution_context* context) noexcept {
        std::vector<ConnectionBox> closing;
        const std::lock_guard lock(mutex);
        for (auto& h : hosts) {
            auto kept = h->idle.begin();
            for (auto& i : h->idle) {
                if (i.connection->context == context) {
                    closing.push_back(std::move(i.connection));
                    --h->open;
                } else {
                    *kept++ = std::move(i);
                }
            }
            h->idle.erase(kept, h->idle.end());
        }
        // closed here, under the lock: the context's threads have stopped
        closing.clear();
    }

    void watch(asio::execution_context& context);
};

namespace {

/** Registered in every execution context the transport makes connections on: when the context
    shuts down, the transports' idle connections of it are closed while it can still close them. */
class PoolWatch final : public asio::execution_context::service {
public:
    inline static asio::execution_context::id id;
    explicit PoolWatch(asio::execution_context& context) : service(context) {}

    void add(const std::shared_ptr<AsyncTransport::Pool>& pool) {
        const std::lock_guard lock(mutex_);
        std::erase_if(pools_, [](const auto& w) { return w.expired(); });
        for (const auto& w : pools_)
            if (w.lock() == pool) return;
        pools_.push_back(pool);
    }

private:
    void shutdown() override {
        std::vector<std::shared_ptr<AsyncTransport::Pool>> alive;
        {
            const std::lock_guard lock(mutex_);
            for (const auto& w : pools_)
                if (auto p = w.lock()) alive.push_back(std::move(p));
            pools_.clear();
        }
        for (const auto& p : alive) p->drop_context(&context());
    }

    std::mutex mutex_;
    std::vector<std::weak_ptr<AsyncTransport::Pool>> pools_;
};

}  // namespace

void AsyncTransport::Pool::watch(asio::execution_context& context) {
    asio::use_service<PoolWatch>(context).add(shared_from_this());
}

/** A slot (and maybe an idle connection) handed to a waiting exchange; given back to the pool if
    the exchange never takes it (its context shut down first). */
struct Grant {
    std::shared_ptr<AsyncTransport::Pool> pool;
    AsyncTransport::Pool::Host* host = nullptr;
    ConnectionBox connection;
    Clock::time_point idle_since{};
    Grant(std::shared_ptr<AsyncTransport::Pool> p, AsyncTransport::Pool::Host& h, ConnectionBox c, Clock::time_point since)
        : pool(std::move(p)), host(&h), connection(std::move(c)), idle_since(since) {}
    Grant(Grant&& other) noexcept
        : pool(std::move(other.pool)), host(std::exchange(other.host, nullptr)),
          connection(std::move(other.connection)), idle_since(other.idle_since) {}
    Grant& operator=(Grant&&) = delete;
    ~Grant() {
        if (host != nullptr) pool->release(*host, std::move(connection), false);
    }
};

class AsyncExchange : public std::enable_shared_from_this<AsyncExchange> {
    using Pool = AsyncTransport::Pool;

public:
    AsyncExchange(std::shared_ptr<Pool> pool, Pool::Host& host, const HttpRequest& request,
                  const asio::any_io_executor& io, std::shared_ptr<ExchangeReceiver> receiver)
        : pool_(std::move(pool)), host_(host), req_(request), io_(io), context_(&context_of(io)),
          receiver_(std::move(receiver)), timer_(io) {}

    ~AsyncExchange() {
        if (counted_) pool_->release(host_, std::move(conn_), false);
    }

    void start() {
        try {
            validate(req_);
        } catch (...) {
            finish_soon(std::current_exception());
            return;
        }
        std::unique_lock lock(mutex_);
        if (req_.stop.stop_requested()) {
            lock.unlock();
            finish_soon(failure(Failure::cancelled, "cancelled before the request to " + peer().authority + " was sent"));
            return;
        }
        acquire(lock);
    }

    void cancel() noexcept {
        std::unique_lock lock(mutex_);
        if (finished_ || cancelled_) return;
        cancelled_ = true;
        if (phase_ == Phase::waiting) {
            const bool removed = leave_queue();
            ++generation_;
            timer_.cancel();
            lock.unlock();
            if (removed)   // else a grant is on its way and reports the cancellation
                finish_soon(failure(Failure::cancelled, "cancelled while waiting for a free connection to " +
                                                            peer().authority));
            return;
        }
        abort_io();
    }

    /** A slot freed by another exchange (after waiting). */
    void granted(Grant grant) {
        std::unique_lock lock(mutex_);
        grant.host = nullptr;   // the slot is ours now
        counted_ = true;
        if (finished_) return;   // cannot happen: a waiter ends only through here or after removal
        if (cancelled_) {
            lock.unlock();
            finish(failure(Failure::cancelled, "cancelled while waiting for a free connection to " + peer().authority));
            return;
        }
        ++generation_;
        timer_.cancel();
        if (grant.connection) {
            pool_->reused.fetch_add(1, std::memory_order_relaxed);
            conn_ = std::move(grant.connection);
            reused_ = true;
            idle_since_ = grant.idle_since;
            if (!check_reused()) {
                pool_->reused.fetch_sub(1, std::memory_order_relaxed);
                conn_.reset();
                reused_ = false;
                connect(lock);
                return;
            }
            write(lock);
            return;
        }
        connect(lock);
    }

private:
    enum class Phase { starting, waiting, resolving, connecting, handshaking, writing, reading };

    const Peer& peer() const noexcept { return host_.peer; }

    // ---- the pool ------------------------------------------------------------------------------

    /** Takes an idle connection of this context, or a slot for a new one, or waits for one. */
    void acquire(std::unique_lock<std::mutex>& lock) {
        std::vector<ConnectionBox> closing;   // closed outside the pool's lock
        {
            std::unique_lock pool_lock(pool_->mutex);
            const auto idle_timeout = pool_->options.pool.idle_timeout;
            auto& idle = host_.idle;
            if (idle_timeout.count() > 0 && !idle.empty()) {
                const auto oldest_allowed = Clock::now() - idle_timeout;
                auto expired = idle.begin();
                while (expired != idle.end() && expired->last_used < oldest_allowed) ++expired;
                for (auto it = idle.begin(); it != expired; ++it) closing.push_back(std::move(it->connection));
                host_.open -= static_cast<std::size_t>(expired - idle.begin());
                idle.erase(idle.begin(), expired);
            }
            while (!fresh_) {
                auto it = std::find_if(idle.rbegin(), idle.rend(),
                                       [&](const Pool::Idle& i) { return i.connection->context == context_; });
                if (it == idle.rend()) break;
                conn_ = std::move(it->connection);
                idle_since_ = it->last_used;
                idle.erase(std::next(it).base());
                counted_ = true;
                pool_->reused.fetch_add(1, std::memory_order_relaxed);
                pool_lock.unlock();
                reused_ = true;
                if (check_reused()) {
                    write(lock);
                    return;
                }
                // closed by the server while idle: a new connection in this slot
                pool_->reused.fetch_sub(1, std::memory_order_relaxed);
                closing.push_back(std::move(conn_));
                reused_ = false;
                connect(lock);
                return;
            }
            const std::size_t max = pool_->options.pool.max_connections;
            if (max == 0 || host_.open < max) {
                ++host_.open;
                counted_ = true;
            } else if (!idle.empty()) {   // room from an idle connection (of another context)
                closing.push_back(std::move(idle.front().connection));
                idle.erase(idle.begin());
                counted_ = true;
            } else {
                host_.waiters.push_back(shared_from_this());
                phase_ = Phase::waiting;
                limit_ = limit_for(pool_->options.connect_timeout, req_.deadline, "connect timeout");
                arm(limit_);
                return;
            }
        }
        connect(lock);
    }

    /** A reused connection that must not be sent on blindly (see BeastTransport::Impl::send) is
        checked with a peek; false: it was closed while idle. */
    bool check_reused() {
        if (!req_.replayable || Clock::now() - idle_since_ >= idle_check_after) return !conn_->closed_while_idle();
        return true;
    }

    /** Takes this exchange out of its host's queue of waiters; false when it was no longer there
        (a grant is on its way). */
    bool leave_queue() {
        const std::lock_guard pool_lock(pool_->mutex);
        auto& w = host_.waiters;
        const auto it = std::find(w.begin(), w.end(), shared_from_this());
        if (it == w.end()) return false;
        w.erase(it);
        return true;
    }

    void on_pool_timeout() {   // mutex_ held by the caller
        if (!leave_queue()) return;   // a grant is on its way
        finish_soon(failure(Failure::timeout, timed_out(limit_) + "waiting for a free connection to " +
                                                  peer().authority + ": all " +
                                                  std::to_string(pool_->options.pool.max_connections) +
                                                  " (pool.max_connections) stayed in use"));
    }

    // ---- connecting ----------------------------------------------------------------------------

    void connect(std::unique_lock<std::mutex>& lock) {
        limit_ = limit_for(pool_->options.connect_timeout, req_.deadline, "connect timeout");
        conn_ = std::make_unique<AsyncConnection>(io_);
        pool_->watch(*conn_->context);
        const Endpoint& ep = peer().endpoint;
        error_code ec;
        const auto ip = asio::ip::make_address(ep.host, ec);
        ip_literal_ = !ec;
        arm(limit_);
        if (ip_literal_) {
            addresses_.assign(1, tcp::endpoint(ip, ep.port));
            start_connect();
            return;
        }
        phase_ = Phase::resolving;
        resolver_.emplace(io_);
        resolver_->async_resolve(ep.host, std::to_string(ep.port),
                                 asio::bind_executor(io_, [self = shared_from_this()](const error_code& e,
                                                                                       tcp::resolver::results_type r) {
                                     self->on_resolved(e, std::move(r));
                                 }));
        (void)lock;
    }

    void on_resolved(const error_code& ec, tcp::resolver::results_type results) {
        std::unique_lock lock(mutex_);
        std::exception_ptr e;
        if (cancelled_) e = failure(Failure::cancelled, "cancelled while resolving " + peer().authority);
        else if (timed_out_) e = failure(Failure::timeout, timed_out(limit_) + "resolving " + peer().authority);
        else if (ec) e = failure(Failure::network, "cannot resolve " + peer().authority + ": " + ec.message());
        if (!e) {
            addresses_.clear();
            for (const auto& r : results) addresses_.push_back(r.endpoint());
            if (addresses_.empty())
                e = failure(Failure::network, "cannot resolve " + peer().authority + ": no IPv4 or IPv6 address");
        }
        if (e) {
            lock.unlock();
            finish(std::move(e));
            return;
        }
        start_connect();
    }

    void start_connect() {   // mutex_ held
        phase_ = Phase::connecting;
        asio::async_connect(conn_->socket, addresses_,
                            asio::bind_executor(io_, [self = shared_from_this()](const error_code& ec, const tcp::endpoint&) {
                                self->on_connected(ec);
                            }));
    }

    void on_connected(const error_code& ec) {
        std::unique_lock lock(mutex_);
        std::exception_ptr e;
        if (cancelled_) e = failure(Failure::cancelled, "cancelled while connecting to " + peer().authority);
        else if (timed_out_) e = failure(Failure::timeout, timed_out(limit_) + "connecting to " + peer().authority);
        else if (ec) e = failure(Failure::network, "cannot connect to " + peer().authority + ": " + ec.message());
        if (e) {
            lock.unlock();
            finish(std::move(e));
            return;
        }
        error_code ignored;
        conn_->socket.set_option(tcp::no_delay(true), ignored);
        pool_->opened.fetch_add(1, std::memory_order_relaxed);
        if (!peer().endpoint.tls) {
            conn_->healthy = true;
            write(lock);
            return;
        }
        try {
            const TlsContext& context = pool_->tls_context(peer());
            conn_->tls.emplace(conn_->socket, context.new_session(peer().endpoint.host, ip_literal_, peer().authority));
            if (context.verify_peer()) conn_->tls->set_verify_callback(ssl::host_name_verification(peer().endpoint.host));
        } catch (...) {
            lock.unlock();
            finish(std::current_exception());
            return;
        }
        phase_ = Phase::handshaking;
        conn_->tls->async_handshake(ssl::stream_base::client,
                                    asio::bind_executor(io_, [self = shared_from_this()](const error_code& ec2) {
                                        self->on_handshake(ec2);
                                    }));
    }

    void on_handshake(const error_code& ec) {
        std::unique_lock lock(mutex_);
        std::exception_ptr e;
        if (cancelled_) {
            e = failure(Failure::cancelled, "cancelled in the TLS handshake with " + peer().authority);
        } else if (timed_out_) {
            e = failure(Failure::timeout, timed_out(limit_) + "in the TLS handshake with " + peer().authority);
        } else if (ec) {
            SSL* session = conn_->tls->native_handle();
            const bool tls_failure = ec.category() == asio::error::get_ssl_category() ||
                                     ec == ssl::error::stream_truncated || verification_failed(session);
            e = failure(tls_failure ? Failure::tls : Failure::network,
                        handshake_failure(peer().authority, session, ec.message()));
        }
        if (e) {
            lock.unlock();
            finish(std::move(e));
            return;
        }
        conn_->healthy = true;
        write(lock);
    }

    // ---- the exchange --------------------------------------------------------------------------

    template <class F>
    void with_stream(F&& f) {
        if (conn_->tls)
            f(*conn_->tls);
        else
            f(conn_->socket);
    }

    void write(std::unique_lock<std::mutex>& lock) {   // mutex_ held
        phase_ = Phase::writing;
        limit_ = limit_for(pool_->options.request_timeout, req_.deadline, "request timeout");
        if (limit_.at != no_deadline && Clock::now() >= limit_.at) {
            lock.unlock();
            finish(failure(Failure::timeout,
                           limit_.by_request_deadline
                               ? "the call's deadline passed before the request to " + peer().authority + " could be sent"
                               : timed_out(limit_) + "before the request to " + peer().authority + " could be sent"));
            return;
        }
        write_head(conn_->head, peer().host_header, req_);
        arm(limit_);
        const std::array<asio::const_buffer, 2> buffers{asio::buffer(conn_->head), asio::buffer(req_.body)};
        with_stream([&](auto& stream) {
            asio::async_write(stream, buffers,
                              asio::bind_executor(io_, [self = shared_from_this()](const error_code& ec, std::size_t) {
                                  self->on_written(ec);
                              }));
        });
    }

    void on_written(const error_code& ec) {
        std::unique_lock lock(mutex_);
        if (ec) {
            conn_->healthy = false;
            std::exception_ptr e;
            // Cut short part-way: the server has an incomplete message it cannot act on.
            if (cancelled_) {
                e = failure(Failure::cancelled, "cancelled while sending the request to " + peer().authority);
            } else if (timed_out_) {
                // It may have handed over its last byte just before the deadline: counted as sent.
                e = failure(Failure::timeout, timed_out(limit_) + "sending the request to " + peer().authority, true);
            } else if (reused_) {
                resend_fresh(lock);   // closed while idle: nothing complete was sent
                return;
            } else {
                e = failure(Failure::network, "sending the request to " + peer().authority + " failed: " + ec.message());
            }
            lock.unlock();
            finish(std::move(e));
            return;
        }
        interim_ = 0;
        read();
    }

    /** The reused connection had been closed while idle: the request goes out once more on a new
        connection in the same slot. */
    void resend_fresh(std::unique_lock<std::mutex>& lock) {
        pool_->reused.fetch_sub(1, std::memory_order_relaxed);
        conn_.reset();
        reused_ = false;
        fresh_ = true;
        connect(lock);
    }

    void read() {   // mutex_ held
        phase_ = Phase::reading;
        AsyncConnection& c = *conn_;
        c.parser.reset();   // gives its fields back to the arena
        c.field_arena.reset();
        auto& parser =
            c.parser.emplace(std::piecewise_construct, std::make_tuple(), std::make_tuple(FieldAllocator<char>(c.field_arena)));
        parser.body_limit(max_body_size);
        parser.header_limit(max_header_size);
        parser.skip(req_.method == "HEAD");
        with_stream([&](auto& stream) {
            bhttp::async_read(stream, c.buffer, parser,
                              asio::bind_executor(io_, [self = shared_from_this()](const error_code& ec, std::size_t) {
                                  self->on_read(ec);
                              }));
        });
    }

    void on_read(const error_code& ec) {
        std::unique_lock lock(mutex_);
        AsyncConnection& c = *conn_;
        std::exception_ptr e;
        if (ec) {
            c.healthy = false;
            const auto& authority = peer().authority;
            const bool nothing_received = interim_ == 0 && !c.parser->got_some() && c.buffer.size() == 0;
            if (cancelled_) {
                e = failure(Failure::cancelled, "cancelled while waiting for the response from " + authority, true);
            } else if (timed_out_) {
                e = failure(Failure::timeout, timed_out(limit_) + "waiting for the response from " + authority, true);
            } else if (ec == bhttp::error::header_limit || ec == bhttp::error::body_limit) {
                e = failure(Failure::invalid_response,
                            authority + " sent a response " +
                                (ec == bhttp::error::header_limit ? "header over 1 MiB" : "body over 64 MiB") +
                                "; gave up after " + std::to_string(waited_ms(limit_.started)) + " ms",
                            true);
            } else if (nothing_received && closed_by_peer(ec)) {
                // Most likely the server closed the idle connection as the request arrived,
                // unprocessed; but it may have processed it. Resent only when that is harmless.
                if (reused_ && req_.replayable) {
                    resend_fresh(lock);
                    return;
                }
                e = failure(Failure::network, authority + " closed the connection without responding (" + ec.message() + ")",
                            true);
            } else {
                e = failure(Failure::network,
                            "reading the response from " + authority + " failed after " +
                                std::to_string(waited_ms(limit_.started)) + " ms: " + ec.message(),
                            true);
            }
            lock.unlock();
            finish(std::move(e));
            return;
        }
        const unsigned status = c.parser->get().result_int();
        if (status >= 100 && status < 200 && status != 101) {   // an interim response: read on
            if (interim_ >= max_interim_responses) {
                c.healthy = false;
                e = failure(Failure::invalid_response,
                            peer().authority + " sent more than " + std::to_string(max_interim_responses) +
                                " interim (1xx) responses; gave up after " + std::to_string(waited_ms(limit_.started)) +
                                " ms",
                            true);
                lock.unlock();
                finish(std::move(e));
                return;
            }
            ++interim_;
            read();
            return;
        }
        auto& message = c.parser->get();
        response_.status = message.result_int();
        response_.headers.clear();
        response_.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
        for (const auto& field : message) response_.headers.emplace_back(field.name_string(), field.value());
        response_.body = std::move(message.body());
        c.healthy = c.parser->keep_alive() && c.buffer.size() == 0;
        lock.unlock();
        finish(nullptr);
    }

    // ---- deadlines, cancellation, the end ------------------------------------------------------

    /** Bounds the current step by `limit.at`: at the deadline the step's I/O is aborted and its
        handler sees `timed_out_`. A timer that fired for an earlier step is ignored. */
    void arm(const Limit& limit) {   // mutex_ held
        const unsigned generation = ++generation_;
        if (limit.at == no_deadline) {
            timer_.cancel();
            return;
        }
        timer_.expires_at(limit.at);
        timer_.async_wait(asio::bind_executor(io_, [self = shared_from_this(), generation](const error_code& ec) {
            if (ec) return;
            std::unique_lock lock(self->mutex_);
            if (generation != self->generation_ || self->finished_) return;
            if (self->phase_ == Phase::waiting) {
                self->on_pool_timeout();
                return;
            }
            self->timed_out_ = true;
            self->abort_io();
        }));
    }

    void abort_io() noexcept {   // mutex_ held
        error_code ignored;
        if (resolver_) resolver_->cancel();
        if (conn_) conn_->socket.close(ignored);
        timer_.cancel();
    }

    void finish_soon(std::exception_ptr e) {
        asio::post(io_, [self = shared_from_this(), e = std::move(e)]() mutable { self->finish(std::move(e)); });
    }

    void finish(std::exception_ptr e) {
        std::shared_ptr<ExchangeReceiver> receiver;
        {
            const std::lock_guard lock(mutex_);
            if (finished_) return;
            finished_ = true;
            ++generation_;
            timer_.cancel();
            resolver_.reset();
            receiver = std::move(receiver_);
        }
        if (counted_) {
            counted_ = false;
            const bool keep = !e && conn_ && conn_->healthy;
            pool_->release(host_, std::move(conn_), keep);
        }
        receiver->exchange_done(std::move(e), response_);
    }

    friend void cancel(AsyncExchange& exchange) noexcept;
    friend struct AsyncTransport::Pool;

    std::shared_ptr<Pool> pool_;
    Pool::Host& host_;
    const HttpRequest& req_;
    asio::any_io_executor io_;
    asio::execution_context* context_;
    std::shared_ptr<ExchangeReceiver> receiver_;
    asio::steady_timer timer_;
    std::optional<tcp::resolver> resolver_;
    std::vector<tcp::endpoint> addresses_;
    ConnectionBox conn_;
    HttpResponse response_;
    Limit limit_;
    Clock::time_point idle_since_{};
    std::mutex mutex_;
    Phase phase_ = Phase::starting;
    unsigned generation_ = 0;
    unsigned interim_ = 0;
    bool counted_ = false;   ///< holds one of the endpoint's `open` slots
    bool reused_ = false;
    bool fresh_ = false;
    bool ip_literal_ = false;
    bool cancelled_ = false;
    bool timed_out_ = false;
    bool finished_ = false;
};

void AsyncTransport::Pool::release(Host& host, ConnectionBox c, bool keep) noexcept {
    ConnectionBox closing;
    std::shared_ptr<AsyncExchange> next;
    std::optional<Grant> grant;
    {
        const std::lock_guard lock(mutex);
        if (!host.waiters.empty()) {
            next = std::move(host.waiters.front());
            host.waiters.pop_front();
            if (keep && c && c->context == next->context_) {
                grant.emplace(shared_from_this(), host, std::move(c), Clock::now());
            } else {
                closing = std::move(c);
                grant.emplace(shared_from_this(), host, nullptr, Clock::time_point{});
            }
        } else if (keep && c) {
            host.idle.push_back(Idle{std::move(c), Clock::now()});
        } else {
            --host.open;
            closing = std::move(c);
        }
    }
    if (next) {
        try {
            const auto io = next->io_;
            asio::post(io, [next = std::move(next), g = std::move(*grant)]() mutable { next->granted(std::move(g)); });
        } catch (...) {
            // could not post (out of memory): the grant's destructor gives the slot back
        }
    }
}

void cancel(AsyncExchange& exchange) noexcept { exchange.cancel(); }

AsyncTransport::AsyncTransport(TransportOptions options) : pool_(std::make_shared<Pool>(std::move(options))) {}

AsyncTransport::~AsyncTransport() = default;

std::shared_ptr<AsyncExchange> AsyncTransport::send(const Endpoint& endpoint, const HttpRequest& request,
                                                    const asio::any_io_executor& io,
                                                    std::shared_ptr<ExchangeReceiver> receiver) {
    Pool::Host* host = nullptr;
    {
        const std::lock_guard lock(pool_->mutex);
        host = &pool_->host_for(endpoint);
    }
    auto exchange = std::make_shared<AsyncExchange>(pool_, *host, request, io, std::move(receiver));
    exchange->start();
    return exchange;
}

TransportStats AsyncTransport::stats() const {
    TransportStats s;
    s.connections_opened = pool_->opened.load(std::memory_order_relaxed);
    s.connections_reused = pool_->reused.load(std::memory_order_relaxed);
    const std::lock_guard lock(pool_->mutex);
    for (const auto& h : pool_->hosts) s.idle_connections += h->idle.size();
    return s;
}

}  // namespace dynantic::http::detail
