#pragma once
// Self-signed certificates made at test time, for TLS servers in test support.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic::test {

/** A certificate and its private key, both PEM. */
struct TlsIdentity {
    std::string certificate_pem;
    std::string private_key_pem;
};

/** A self-signed P-256 certificate valid from an hour ago for a day, with subject CN the first
    DNS name (or "localhost") and subjectAltName entries for `dns_names` and `ip_addresses`. */
TlsIdentity make_self_signed_identity(const std::vector<std::string>& dns_names = {"localhost"},
                                      const std::vector<std::string>& ip_addresses = {"127.0.0.1"});

/** A certificate authority (CA:TRUE, keyCertSign), valid from an hour ago for a day. */
TlsIdentity make_certificate_authority(const std::string& common_name = "dynantic test CA");

/** A server certificate signed by `ca` (CA:FALSE, serverAuth) with subjectAltName entries for
    `dns_names` and `ip_addresses`; its chain is the certificate alone (trust `ca` to verify it). */
TlsIdentity issue_server_certificate(const TlsIdentity& ca, const std::vector<std::string>& dns_names,
                                     const std::vector<std::string>& ip_addresses = {});

/** The name OpenSSL's hashed directory lookup (`SSL_CERT_DIR`, `openssl rehash`) gives the
    certificate: its subject name hash, 8 hex digits, then ".0". */
std::string hashed_certificate_name(const std::string& certificate_pem);

/** A file in the temporary directory holding `contents`, removed on destruction. */
class TempFile {
public:
    explicit TempFile(std::string_view contents, std::string_view suffix = ".tmp");
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

/** A fresh directory in the temporary directory, removed with its contents on destruction. */
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }
    /** Writes `contents` to `name` inside the directory; returns its path. */
    std::string write(std::string_view name, std::string_view contents) const;

private:
    std::filesystem::path path_;
};

}  // namespace dynantic::test
