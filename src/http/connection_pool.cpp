// SPDX-License-Identifier: BSL-1.0
#include "http/connection_pool.hpp"

#include "http/request_head.hpp"

#include <string>

namespace dynantic::http::detail {

ConnectionPool::~ConnectionPool() {
    std::vector<ConnectionPtr> closing;
    {
        const std::lock_guard lock(mutex_);
        for (auto& pool : pools_)
            for (auto& idle : pool->idle) closing.push_back(std::move(idle.connection));
    }
    // Connections close (without throwing) here, outside the lock.
}

ConnectionPool::HostPool& ConnectionPool::pool_for(const Endpoint& ep) {
    for (auto& pool : pools_)
        if (pool->peer.endpoint == ep) return *pool;
    auto pool = std::make_unique<HostPool>();
    pool->peer.endpoint = ep;
    pool->peer.host_header = ep.host_header();
    pool->peer.authority = authority(ep);
    pools_.push_back(std::move(pool));
    return *pools_.back();
}

ConnectionPool::Slot ConnectionPool::checkout(const Endpoint& ep, bool fresh, Clock::time_point request_deadline) {
    std::vector<ConnectionPtr> closing;   // closed after unlocking
    std::unique_lock lock(mutex_);
    HostPool& pool = pool_for(ep);
    const auto idle_timeout = options_.idle_timeout;
    const std::size_t max = options_.max_connections;
    const Limit limit = limit_for(connect_timeout_, request_deadline, "connect timeout");
    for (;;) {
        if (idle_timeout.count() > 0 && !pool.idle.empty()) {
            const auto oldest_allowed = Clock::now() - idle_timeout;
            auto expired = pool.idle.begin();
            while (expired != pool.idle.end() && expired->last_used < oldest_allowed) ++expired;
            for (auto it = pool.idle.begin(); it != expired; ++it) closing.push_back(std::move(it->connection));
            pool.open -= static_cast<std::size_t>(expired - pool.idle.begin());
            pool.idle.erase(pool.idle.begin(), expired);
        }
        if (!fresh && !pool.idle.empty()) {
            auto c = std::move(pool.idle.back().connection);
            const Clock::time_point idle_since = pool.idle.back().last_used;
            pool.idle.pop_back();
            reused_.fetch_add(1, std::memory_order_relaxed);
            lock.unlock();
            return Slot(*this, pool, std::move(c), idle_since);
        }
        if (max == 0 || pool.open < max) {
            ++pool.open;
            lock.unlock();
            return Slot(*this, pool, nullptr);
        }
        if (fresh && !pool.idle.empty()) {   // make room for the new connection
            closing.push_back(std::move(pool.idle.front().connection));
            pool.idle.erase(pool.idle.begin());
            --pool.open;
            continue;
        }
        if (limit.at == no_deadline) {
            pool.released.wait(lock);
        } else if (pool.released.wait_until(lock, limit.at) == std::cv_status::timeout && pool.idle.empty() &&
                   pool.open >= max) {
            lock.unlock();
            fail(Failure::timeout, timed_out(limit) + "waiting for a free connection to " + pool.peer.authority +
                                    ": all " + std::to_string(max) + " (pool.max_connections) stayed in use");
        }
    }
}

void ConnectionPool::release(HostPool& pool, ConnectionPtr c, bool keep) noexcept {
    {
        const std::lock_guard lock(mutex_);
        if (keep && c) {
            pool.idle.push_back(Idle{std::move(c), Clock::now()});
        } else {
            --pool.open;
        }
    }
    pool.released.notify_one();
    // A discarded connection closes here, outside the lock.
}

TransportStats ConnectionPool::stats() const {
    TransportStats s;
    s.connections_opened = opened_.load(std::memory_order_relaxed);
    s.connections_reused = reused_.load(std::memory_order_relaxed);
    const std::lock_guard lock(mutex_);
    for (const auto& pool : pools_) s.idle_connections += pool->idle.size();
    return s;
}

}  // namespace dynantic::http::detail
