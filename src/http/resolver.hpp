// SPDX-License-Identifier: BSL-1.0
#pragma once
// DNS resolution bounded by a deadline. Private to src/http/.
#include "http/deadline.hpp"

#include <dynantic/http/endpoint.hpp>

#include <sys/socket.h>

#include <vector>

namespace dynantic::http::detail {

/** One resolved IPv4 or IPv6 address with the endpoint's port. */
struct ResolvedAddress {
    sockaddr_storage address{};
    socklen_t length = 0;
};

/** Resolves the endpoint's DNS name (getaddrinfo, AF_UNSPEC, TCP). getaddrinfo blocks and cannot
    be cancelled, so it runs on a detached thread that the caller waits for no longer than
    `limit.at`; a late answer is dropped.
    @throws TransportError (errc::timeout) at the deadline; (errc::network) when the name does not
            resolve or has no IPv4 or IPv6 address. */
std::vector<ResolvedAddress> resolve(const Endpoint& ep, const Limit& limit);

}  // namespace dynantic::http::detail
