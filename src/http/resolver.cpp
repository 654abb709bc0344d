// SPDX-License-Identifier: BSL-1.0
#include "http/resolver.hpp"

#include "http/request_head.hpp"

#include <netdb.h>
#include <netinet/in.h>

#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace dynantic::http::detail {

std::vector<ResolvedAddress> resolve(const Endpoint& ep, const Limit& limit) {
    struct State {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        int status = 0;
        std::vector<ResolvedAddress> addresses;
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
            std::vector<ResolvedAddress> addresses;
            for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
                if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) || a->ai_addrlen > sizeof(sockaddr_in6))
                    continue;
                ResolvedAddress address;
                std::memcpy(&address.address, a->ai_addr, a->ai_addrlen);
                address.length = static_cast<socklen_t>(a->ai_addrlen);
                if (a->ai_family == AF_INET)
                    reinterpret_cast<sockaddr_in*>(&address.address)->sin_port = htons(port);
                else
                    reinterpret_cast<sockaddr_in6*>(&address.address)->sin6_port = htons(port);
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
        fail(Failure::network, "cannot resolve " + authority(ep) + ": " + e.what());
    }
    std::unique_lock lock(state->mutex);
    if (limit.at == no_deadline) {
        state->done_cv.wait(lock, [&] { return state->done; });
    } else if (!state->done_cv.wait_until(lock, limit.at, [&] { return state->done; })) {
        fail(Failure::timeout, timed_out(limit) + "resolving " + authority(ep));
    }
    if (state->status != 0) fail(Failure::network, "cannot resolve " + authority(ep) + ": " + ::gai_strerror(state->status));
    if (state->addresses.empty()) fail(Failure::network, "cannot resolve " + authority(ep) + ": no IPv4 or IPv6 address");
    return std::move(state->addresses);
}

}  // namespace dynantic::http::detail
