#include "support/tls_identity.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace dynantic::test {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const noexcept { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("making a test certificate: ") + what + " failed");
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    check(ext != nullptr, "X509V3_EXT_conf_nid");
    check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

namespace {

X509Ptr read_certificate(const std::string& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    check(bio != nullptr, "BIO_new_mem_buf");
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    check(cert != nullptr, "PEM_read_bio_X509");
    return cert;
}

PkeyPtr read_key(const std::string& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    check(bio != nullptr, "BIO_new_mem_buf");
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    check(key != nullptr, "PEM_read_bio_PrivateKey");
    return key;
}

/** A certificate for `common_name` with the given alternative names, signed by `issuer` (or by
    itself when null). `authority`: a CA certificate (keyCertSign) rather than a server's. */
TlsIdentity make_certificate(const std::string& common_name, const std::vector<std::string>& dns_names,
                             const std::vector<std::string>& ip_addresses, bool authority,
                             const TlsIdentity* issuer) {
    PkeyPtr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EVP_EC_gen");

    X509Ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
    unsigned char serial[8];
    check(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes");
    serial[0] &= 0x7f;   // positive
    std::uint64_t serial_value = 0;
    for (const unsigned char b : serial) serial_value = (serial_value << 8) | b;
    check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial_value) == 1, "ASN1_INTEGER_set_uint64");
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "X509_gmtime_adj");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400) != nullptr, "X509_gmtime_adj");
    check(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");

    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
          "X509_NAME_add_entry_by_txt");

    X509Ptr issuer_cert;
    PkeyPtr issuer_key;
    if (issuer != nullptr) {
        issuer_cert = read_certificate(issuer->certificate_pem);
        issuer_key = read_key(issuer->private_key_pem);
        check(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert.get())) == 1, "X509_set_issuer_name");
    } else {
        check(X509_set_issuer_name(cert.get(), name) == 1, "X509_set_issuer_name");
    }
    X509* signer_cert = issuer != nullptr ? issuer_cert.get() : cert.get();
    EVP_PKEY* signer_key = issuer != nullptr ? issuer_key.get() : key.get();

    std::string alt_names;
    for (const auto& dns : dns_names) alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + dns;
    for (const auto& ip : ip_addresses) alt_names += (alt_names.empty() ? "IP:" : ",IP:") + ip;
    if (!alt_names.empty()) add_extension(cert.get(), signer_cert, NID_subject_alt_name, alt_names);
    if (authority || issuer == nullptr) {
        add_extension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert.get(), signer_cert, NID_key_usage, "critical,digitalSignature,keyCertSign");
    } else {
        add_extension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert.get(), signer_cert, NID_key_usage, "critical,digitalSignature");
    }
    if (!authority) add_extension(cert.get(), signer_cert, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), signer_cert, NID_subject_key_identifier, "hash");
    if (issuer != nullptr) add_extension(cert.get(), signer_cert, NID_authority_key_identifier, "keyid:always");
    check(X509_sign(cert.get(), signer_key, EVP_sha256()) > 0, "X509_sign");

    TlsIdentity identity;
    BioPtr cert_bio(BIO_new(BIO_s_mem()));
    check(cert_bio != nullptr && PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1, "PEM_write_bio_X509");
    identity.certificate_pem = bio_contents(cert_bio.get());
    BioPtr key_bio(BIO_new(BIO_s_mem()));
    check(key_bio != nullptr &&
              PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    identity.private_key_pem = bio_contents(key_bio.get());
    return identity;
}

}  // namespace

TlsIdentity make_self_signed_identity(const std::vector<std::string>& dns_names,
                                      const std::vector<std::string>& ip_addresses) {
    return make_certificate(dns_names.empty() ? "localhost" : dns_names.front(), dns_names, ip_addresses, false,
                            nullptr);
}

TlsIdentity make_certificate_authority(const std::string& common_name) {
    return make_certificate(common_name, {}, {}, true, nullptr);
}

TlsIdentity issue_server_certificate(const TlsIdentity& ca, const std::vector<std::string>& dns_names,
                                     const std::vector<std::string>& ip_addresses) {
    return make_certificate(dns_names.empty() ? (ip_addresses.empty() ? "localhost" : ip_addresses.front())
                                              : dns_names.front(),
                            dns_names, ip_addresses, false, &ca);
}

std::string hashed_certificate_name(const std::string& certificate_pem) {
    const X509Ptr cert = read_certificate(certificate_pem);
    char name[32];
    std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(cert.get()));
    return name;
}

TempFile::TempFile(std::string_view contents, std::string_view suffix) {
    std::string pattern = (std::filesystem::temp_directory_path() / "dynantic-XXXXXX").string();
    pattern += suffix;
    const int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size()));
    if (fd < 0) throw std::runtime_error("cannot create a temporary file");
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n <= 0) {
            ::close(fd);
            ::unlink(pattern.c_str());
            throw std::runtime_error("cannot write a temporary file");
        }
        written += static_cast<std::size_t>(n);
    }
    ::close(fd);
    path_ = std::move(pattern);
}

TempFile::~TempFile() { ::unlink(path_.c_str()); }

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "dynantic-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(std::string_view name, std::string_view contents) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file.string();
}

}  // namespace dynantic::test
