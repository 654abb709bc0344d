// SPDX-License-Identifier: BSL-1.0
#include "http/tls_context.hpp"

#include "http/deadline.hpp"
#include "http/trust_store.hpp"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <system_error>

namespace dynantic::http::detail {
namespace {

/** OpenSSL's reason for `error`, as Asio's SSL error category words it: a system error as its
    errno text, else "reason (library)". */
std::string openssl_reason(unsigned long error) {
    if (ERR_SYSTEM_ERROR(error)) return std::system_category().message(ERR_GET_REASON(error));
    const char* reason = ERR_reason_error_string(error);
    if (reason == nullptr) return "asio.ssl error";
    std::string out(reason);
    if (const char* lib = ERR_lib_error_string(error); lib != nullptr) {
        out += " (";
        out += lib;
        out += ')';
    }
    return out;
}

}  // namespace

TlsContext::TlsContext(const TlsOptions& options, const std::string& authority)
    : verify_peer_(options.verify_peer) {
    ERR_clear_error();
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    if (!ctx_) fail(Failure::tls, "TLS to " + authority + ": cannot create a TLS context: " + openssl_reason(ERR_get_error()));
    SSL_CTX_set_min_proto_version(ctx_.get(), TLS1_2_VERSION);
    SSL_CTX_set_options(ctx_.get(), SSL_OP_NO_COMPRESSION);
    if (options.verify_peer) {
        SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_PEER, nullptr);
        if (!options.ca_file.empty()) {
            ERR_clear_error();
            if (SSL_CTX_load_verify_locations(ctx_.get(), options.ca_file.c_str(), nullptr) != 1)
                fail(Failure::tls, "TLS to " + authority + ": cannot load CA file '" + options.ca_file +
                                    "': " + openssl_reason(ERR_get_error()));
        } else if (const std::string failure = use_system_trust_store(ctx_.get()); !failure.empty()) {
            fail(Failure::tls, "TLS to " + authority + ": cannot load the system CA store: " + failure);
        }
    } else {
        SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_NONE, nullptr);
    }
}

SSL* TlsContext::new_session(const std::string& host, bool ip_literal, const std::string& authority) const {
    ERR_clear_error();
    SSL* session = SSL_new(ctx_.get());
    if (session == nullptr)
        fail(Failure::tls, "TLS to " + authority + ": cannot create a TLS session: " + openssl_reason(ERR_get_error()));
    if (!ip_literal && !SSL_set_tlsext_host_name(session, host.c_str())) {
        SSL_free(session);
        fail(Failure::tls, "TLS to " + authority + ": cannot set the server name (SNI)");
    }
    if (verify_peer_) {
        // OpenSSL checks the name during verification (and reports a mismatch as the verify
        // result); the connection's verify callback checks it again.
        X509_VERIFY_PARAM* param = SSL_get0_param(session);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        const int set = ip_literal ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                   : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
        if (set != 1) {
            SSL_free(session);
            fail(Failure::tls, "TLS to " + authority + ": cannot set the expected host name");
        }
    }
    return session;
}

bool verification_failed(SSL* session) noexcept { return SSL_get_verify_result(session) != X509_V_OK; }

std::string handshake_failure(const std::string& where, SSL* session, std::string_view reason) {
    std::string message = "TLS handshake with " + where + " failed: ";
    const long verify = SSL_get_verify_result(session);
    if (verify != X509_V_OK) {
        message += "certificate verification failed: ";
        message += X509_verify_cert_error_string(verify);
    } else {
        message += reason;
    }
    return message;
}

}  // namespace dynantic::http::detail
