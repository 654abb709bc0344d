// SPDX-License-Identifier: BSL-1.0
#pragma once
// The TLS client context of a transport and the per-connection TLS settings (server name,
// expected host name), in OpenSSL terms. Private to src/http/.
#include <dynantic/http/transport.hpp>

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>

namespace dynantic::http::detail {

/** An OpenSSL client context: TLS 1.2 or later, no compression, peer verification against
    `TlsOptions::ca_file` or the system trust store (or none when `verify_peer` is false). Shared
    by every connection of a transport; thread-safe once made. */
class TlsContext {
public:
    /** @throws TransportError (errc::tls) naming `authority` (the endpoint that needed it) when
                the CA file or the system store cannot be loaded. */
    TlsContext(const TlsOptions& options, const std::string& authority);

    /** A new TLS session for a connection to `host`: SNI set unless `host` is an IP literal; with
        verification on, the certificate must match `host` (no partial wildcards).
        @throws TransportError (errc::tls) naming `authority`. */
    SSL* new_session(const std::string& host, bool ip_literal, const std::string& authority) const;

    bool verify_peer() const noexcept { return verify_peer_; }

private:
    struct Free {
        void operator()(SSL_CTX* ctx) const noexcept { SSL_CTX_free(ctx); }
    };
    std::unique_ptr<SSL_CTX, Free> ctx_;
    bool verify_peer_ = true;
};

/** "TLS handshake with <where> failed: ..." with the certificate verification result when OpenSSL
    has one, else `reason` (the handshake's error). */
std::string handshake_failure(const std::string& where, SSL* session, std::string_view reason);

/** True when the session has a certificate verification failure to report. */
bool verification_failed(SSL* session) noexcept;

}  // namespace dynantic::http::detail
