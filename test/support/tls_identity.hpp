#pragma once
// Self-signed certificates made at test time, for TLS servers in test support.
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

}  // namespace dynantic::test
