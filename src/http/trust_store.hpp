// SPDX-License-Identifier: BSL-1.0
#pragma once
// The system's CA certificates for the Beast transport's TLS context.
#include <openssl/ssl.h>

#include <string>

namespace dynantic::http::detail {

/** Makes `ctx` trust the system's CA certificates, as OpenSSL's `SSL_CTX_set_default_verify_paths`
    does, without reading every certificate up front when it need not.

    The certificate directory (`SSL_CERT_DIR`, a `:`-separated list, or OpenSSL's default, e.g.
    `/usr/lib/ssl/certs` on Debian) is used when it holds hashed names (`<subject hash>.<n>`, made by
    `update-ca-certificates` or `openssl rehash`): OpenSSL then reads the one certificate a chain
    needs, during verification. The bundle file (`SSL_CERT_FILE` or OpenSSL's default) is read only
    when `SSL_CERT_FILE` names it or no directory has hashed names (then both, as OpenSSL does).
    Reading Debian's bundle costs OpenSSL 3 about 30 ms of CPU (140 certificates, parsed and
    checked), which every cold start over https paid.

    Returns an empty string on success, else what failed (OpenSSL's reason). */
std::string use_system_trust_store(SSL_CTX* ctx);

}  // namespace dynantic::http::detail
