// SPDX-License-Identifier: BSL-1.0
#pragma once
// The keep-alive connections of a transport, per endpoint: idle connections handed out one
// caller at a time, a bound on how many are open, and idle expiry. Private to src/http/.
#include "http/connection.hpp"
#include "http/deadline.hpp"

#include <dynantic/http/transport.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace dynantic::http::detail {

class ConnectionPool {
    struct Idle {
        ConnectionPtr connection;
        Clock::time_point last_used;
    };
    /** The connections of one endpoint. */
    struct HostPool {
        Peer peer;
        std::vector<Idle> idle;   ///< least recently used first
        std::size_t open = 0;     ///< idle + in use + being opened
        std::condition_variable released;
    };

public:
    /** `connect_timeout` also bounds the wait for a free connection when an endpoint has
        `options.max_connections` open. */
    ConnectionPool(PoolOptions options, std::chrono::milliseconds connect_timeout) noexcept
        : options_(options), connect_timeout_(connect_timeout) {}
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;
    /** Closes the idle connections. Connections still checked out must be returned first. */
    ~ConnectionPool();

    /** A checked-out pool slot: a pooled connection, or none yet (the caller opens one into
        `conn`). Gives the slot back on destruction, discarding the connection unless `keep()` was
        called. */
    class Slot {
    public:
        Slot(ConnectionPool& owner, HostPool& pool, ConnectionPtr c, Clock::time_point idle_since = {}) noexcept
            : owner_(&owner), pool_(&pool), reused(c != nullptr), idle_since(idle_since), conn(std::move(c)) {}
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() {
            if (pool_ != nullptr) owner_->release(*pool_, std::move(conn), false);
        }
        /** Returns the connection to the pool as idle. */
        void keep() {
            owner_->release(*pool_, std::move(conn), true);
            pool_ = nullptr;
        }
        const Peer& peer() const noexcept { return pool_->peer; }

    private:
        ConnectionPool* owner_;
        HostPool* pool_;

    public:
        const bool reused;
        const Clock::time_point idle_since;   ///< when a reused connection was returned to the pool
        ConnectionPtr conn;
    };

    /** Takes an idle connection of `ep` (unless `fresh`), or reserves room for a new one, waiting
        at most the connect timeout (or until `request_deadline`) while the endpoint's connections
        are all open and in use.
        @throws TransportError (errc::timeout) when none became free in time. */
    Slot checkout(const Endpoint& ep, bool fresh, Clock::time_point request_deadline);

    /** Counts a connection the caller opened for a slot. */
    void count_opened() noexcept { opened_.fetch_add(1, std::memory_order_relaxed); }
    /** Takes back the count of a reused slot whose connection turned out closed. */
    void uncount_reused() noexcept { reused_.fetch_sub(1, std::memory_order_relaxed); }

    TransportStats stats() const;

private:
    HostPool& pool_for(const Endpoint& ep);   // mutex_ held
    void release(HostPool& pool, ConnectionPtr c, bool keep) noexcept;

    PoolOptions options_;
    std::chrono::milliseconds connect_timeout_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<HostPool>> pools_;   // guarded by mutex_
    std::atomic<std::uint64_t> opened_{0};
    std::atomic<std::uint64_t> reused_{0};
};

}  // namespace dynantic::http::detail
