// SPDX-License-Identifier: BSL-1.0
#include <dynantic/aws/sigv4.hpp>

#include <dynantic/error.hpp>

// OpenSSL's SHA-256 functions themselves (SHA256_Init/Update/Final: deprecated in OpenSSL 3.0 in
// favour of EVP, and still part of its API). The first EVP fetch initialises libcrypto's provider
// machinery: it reads openssl.cnf and builds the algorithm name map, about 5 million instructions,
// more than the rest of a cold start over http, where nothing else needs it (https pays it in the
// TLS handshake anyway). These functions run the same assembly with no fetch, no context to
// allocate and no initialisation.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace dynantic::aws {
namespace {

// ---- SHA-256 and HMAC-SHA256 (RFC 2104) on OpenSSL's SHA-256 ---------------------------------

constexpr std::size_t digest_size = 32;
constexpr std::size_t block_size = 64;   ///< SHA-256's block: the HMAC key size
using Digest = std::array<unsigned char, digest_size>;

Digest sha256(std::string_view data) noexcept {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, data.data(), data.size());
    Digest out;
    SHA256_Final(out.data(), &ctx);
    return out;
}

/** HMAC-SHA256: H((K ^ opad) || H((K ^ ipad) || data)), a key longer than a block hashed first. */
Digest hmac_sha256(const unsigned char* key, std::size_t key_size, std::string_view data) noexcept {
    unsigned char block[block_size] = {};
    if (key_size > block_size) {
        const Digest hashed = sha256(std::string_view(reinterpret_cast<const char*>(key), key_size));
        std::memcpy(block, hashed.data(), hashed.size());
    } else if (key_size > 0) {
        std::memcpy(block, key, key_size);
    }
    unsigned char pad[block_size];
    for (std::size_t i = 0; i < block_size; ++i) pad[i] = static_cast<unsigned char>(block[i] ^ 0x36);
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, pad, block_size);
    SHA256_Update(&ctx, data.data(), data.size());
    Digest inner;
    SHA256_Final(inner.data(), &ctx);
    for (std::size_t i = 0; i < block_size; ++i) pad[i] = static_cast<unsigned char>(block[i] ^ 0x5c);
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, pad, block_size);
    SHA256_Update(&ctx, inner.data(), inner.size());
    Digest out;
    SHA256_Final(out.data(), &ctx);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
    OPENSSL_cleanse(&ctx, sizeof ctx);
    return out;
}

Digest hmac_sha256(const Digest& key, std::string_view data) noexcept {
    return hmac_sha256(key.data(), key.size(), data);
}

// ---- text helpers --------------------------------------------------------------------------

constexpr char hex_digits[] = "0123456789abcdef";
constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
constexpr std::size_t amz_date_size = 16;   // "20150830T123600Z"
constexpr std::size_t scope_date_size = 8;  // "20150830"

using HexDigest = std::array<char, 2 * digest_size>;

HexDigest hex(const Digest& d) noexcept {
    HexDigest out;
    for (std::size_t i = 0; i < digest_size; ++i) {
        out[2 * i] = hex_digits[d[i] >> 4];
        out[2 * i + 1] = hex_digits[d[i] & 0xf];
    }
    return out;
}

void append_hex(std::string& out, const Digest& d) {
    const HexDigest h = hex(d);
    out.append(h.data(), h.size());
}

std::string to_hex(const Digest& d) {
    std::string out;
    out.reserve(2 * digest_size);
    append_hex(out, d);
    return out;
}

using http::ascii_lower;
using http::iequals;

/** Byte order of the lowercased names, as the canonical headers are sorted. */
bool iless(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(ascii_lower(a[i]));
        const auto y = static_cast<unsigned char>(ascii_lower(b[i]));
        if (x != y) return x < y;
    }
    return a.size() < b.size();
}

constexpr bool unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

void append_uri_encoded(std::string& out, std::string_view s, bool keep_slash) {
    constexpr char upper_hex[] = "0123456789ABCDEF";
    for (const char c : s) {
        if (unreserved(c) || (keep_slash && c == '/')) {
            out += c;
        } else {
            const auto b = static_cast<unsigned char>(c);
            const char esc[3] = {'%', upper_hex[b >> 4], upper_hex[b & 0xf]};
            out.append(esc, 3);
        }
    }
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/** "%XX" becomes the byte; a '%' not followed by two hex digits stays literal. */
std::string percent_decoded(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = hex_value(s[i + 1]);
            const int lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::string uri_encoded(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_uri_encoded(out, s, false);
    return out;
}

void append_canonical_query(std::string& out, std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view param = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (param.empty()) continue;
        const std::size_t eq = param.find('=');
        const std::string_view name = param.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view{} : param.substr(eq + 1);
        params.emplace_back(uri_encoded(percent_decoded(name)), uri_encoded(percent_decoded(value)));
    }
    std::sort(params.begin(), params.end());
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (i != 0) out += '&';
        out += params[i].first;
        out += '=';
        out += params[i].second;
    }
}

constexpr bool blank(char c) noexcept { return c == ' ' || c == '\t'; }

/** Trims the value and collapses each run of spaces and tabs to one space. */
void append_header_value(std::string& out, std::string_view v) {
    std::size_t b = 0, e = v.size();
    while (b < e && blank(v[b])) ++b;
    while (e > b && blank(v[e - 1])) --e;
    bool in_blank = false;
    for (std::size_t i = b; i < e; ++i) {
        if (blank(v[i])) {
            in_blank = true;
            continue;
        }
        if (in_blank) out += ' ';
        in_blank = false;
        out += v[i];
    }
}

void append_lower(std::string& out, std::string_view s) {
    for (const char c : s) out += ascii_lower(c);
}

struct HeaderRef {
    std::string_view name;
    std::string_view value;
};

/** Writes the canonical request to `out` and the signed-headers list to `signed_headers`.
    `headers` is sorted in place (stable, without allocating). */
void write_canonical_request(std::string& out, std::string& signed_headers, std::string_view method,
                             std::string_view target, std::vector<HeaderRef>& headers,
                             std::string_view payload_hash) {
    out.clear();
    signed_headers.clear();
    out += method;
    out += '\n';

    const std::size_t qmark = target.find('?');
    const std::string_view path = target.substr(0, qmark);
    if (path.empty()) out += '/';
    else append_uri_encoded(out, path, true);
    out += '\n';
    if (qmark != std::string_view::npos) append_canonical_query(out, target.substr(qmark + 1));
    out += '\n';

    // Insertion sort: stable, allocation-free and fastest for the handful of headers sent.
    for (std::size_t i = 1; i < headers.size(); ++i) {
        const HeaderRef h = headers[i];
        std::size_t j = i;
        for (; j > 0 && iless(h.name, headers[j - 1].name); --j) headers[j] = headers[j - 1];
        headers[j] = h;
    }
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (i != 0 && iequals(headers[i].name, headers[i - 1].name)) {
            out.back() = ',';  // repeated name: "name:v1,v2"
        } else {
            if (i != 0) signed_headers += ';';
            append_lower(signed_headers, headers[i].name);
            append_lower(out, headers[i].name);
            out += ':';
        }
        append_header_value(out, headers[i].value);
        out += '\n';
    }
    out += '\n';
    out += signed_headers;
    out += '\n';
    out += payload_hash;
}

void write_scope(std::string& out, std::string_view date, std::string_view region, std::string_view service) {
    out.clear();
    out += date.substr(0, scope_date_size);
    out += '/';
    out += region;
    out += '/';
    out += service;
    out += "/aws4_request";
}

void write_string_to_sign(std::string& out, std::string_view amz_date, std::string_view scope,
                          std::string_view canonical_request) {
    out.clear();
    out += algorithm;
    out += '\n';
    out += amz_date;
    out += '\n';
    out += scope;
    out += '\n';
    append_hex(out, sha256(canonical_request));
}

void write_authorization(std::string& out, std::string_view access_key_id, std::string_view scope,
                         std::string_view signed_headers, std::string_view signature) {
    out.clear();
    out.reserve(algorithm.size() + 52 + access_key_id.size() + scope.size() + signed_headers.size() +
                signature.size());
    out += algorithm;
    out += " Credential=";
    out += access_key_id;
    out += '/';
    out += scope;
    out += ", SignedHeaders=";
    out += signed_headers;
    out += ", Signature=";
    out += signature;
}

void put_digits(char* out, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
}

void format_amz_date(std::chrono::system_clock::time_point t, char (&out)[amz_date_size]) {
    using namespace std::chrono;
    const auto secs = floor<seconds>(t);
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss hms{secs - day};
    const int year = int(ymd.year());
    if (year < 0 || year > 9999)
        throw Error(errc::configuration, ErrorInfo{.message = "signing time outside the years 0000-9999"});
    put_digits(out, unsigned(year), 4);
    put_digits(out + 4, unsigned(ymd.month()), 2);
    put_digits(out + 6, unsigned(ymd.day()), 2);
    out[8] = 'T';
    put_digits(out + 9, unsigned(hms.hours().count()), 2);
    put_digits(out + 11, unsigned(hms.minutes().count()), 2);
    put_digits(out + 13, unsigned(hms.seconds().count()), 2);
    out[15] = 'Z';
}

/** Per-thread buffers reused by `Signer::sign`, so that signing allocates only the header
    strings it adds to the request. */
struct Scratch {
    std::vector<HeaderRef> headers;
    std::string canonical;
    std::string signed_headers;
    std::string scope;
    std::string string_to_sign;
};

Scratch& thread_scratch() {
    thread_local Scratch scratch;
    return scratch;
}

bool managed_header(std::string_view name) noexcept {
    return iequals(name, "authorization") || iequals(name, "x-amz-date") ||
           iequals(name, "x-amz-security-token");
}

/** Headers the AWS SDKs leave out of the signature (botocore's list): proxies and agents may
    rewrite them. */
bool unsigned_header(std::string_view name) noexcept {
    return iequals(name, "user-agent") || iequals(name, "expect") || iequals(name, "x-amzn-trace-id");
}

}  // namespace

std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    return to_hex(hmac_sha256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), data));
}

std::string amz_date(std::chrono::system_clock::time_point t) {
    char buf[amz_date_size];
    format_amz_date(t, buf);
    return std::string(buf, sizeof buf);
}

CanonicalRequest canonical_request(std::string_view method, std::string_view target,
                                   const http::Headers& headers, std::string_view payload_hash) {
    std::vector<HeaderRef> refs;
    refs.reserve(headers.size());
    for (const auto& [name, value] : headers) refs.push_back({name, value});
    CanonicalRequest result;
    write_canonical_request(result.text, result.signed_headers, method, target, refs, payload_hash);
    return result;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service) {
    std::string out;
    write_scope(out, date, region, service);
    return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
    std::string out;
    write_string_to_sign(out, amz_date, scope, canonical_request);
    return out;
}

SigningKey signing_key(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service) {
    // "AWS4" + secret, built in a buffer that is wiped afterwards.
    std::string secret;
    secret.reserve(4 + secret_access_key.size());
    secret += "AWS4";
    secret += secret_access_key;
    const Digest k_date = hmac_sha256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                                      date.substr(0, scope_date_size));
    OPENSSL_cleanse(secret.data(), secret.size());
    const Digest k_region = hmac_sha256(k_date, region);
    const Digest k_service = hmac_sha256(k_region, service);
    return hmac_sha256(k_service, "aws4_request");
}

std::string signature(const SigningKey& key, std::string_view string_to_sign) {
    return to_hex(hmac_sha256(key, string_to_sign));
}

std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view signature) {
    std::string out;
    write_authorization(out, access_key_id, scope, signed_headers, signature);
    return out;
}

// ---- Signer ---------------------------------------------------------------------------------

Signer::Signer(std::string region, std::string service)
    : region_(std::move(region)), service_(std::move(service)) {}

Signer::Signer(const Signer& other) : region_(other.region_), service_(other.service_) {}

Signer& Signer::operator=(const Signer& other) {
    if (this != &other) {
        region_ = other.region_;
        service_ = other.service_;
        const std::lock_guard lock(mutex_);
        cached_ = CachedKey{};
    }
    return *this;
}

Signer::~Signer() = default;

SigningKey Signer::key_for(std::string_view date, const Credentials& creds) const {
    {
        const std::lock_guard lock(mutex_);
        if (cached_.valid && std::equal(cached_.date.begin(), cached_.date.end(), date.begin()) &&
            cached_.access_key_id == creds.access_key_id &&
            cached_.secret_access_key == creds.secret_access_key)
            return cached_.key;
    }
    // Miss (first request, a new day or rotated keys): derive outside the lock.
    CachedKey fresh;
    std::copy_n(date.begin(), scope_date_size, fresh.date.begin());
    fresh.access_key_id = creds.access_key_id;
    fresh.secret_access_key = creds.secret_access_key;
    fresh.key = signing_key(creds.secret_access_key, date, region_, service_);
    fresh.valid = true;
    const SigningKey key = fresh.key;
    const std::lock_guard lock(mutex_);
    std::swap(cached_, fresh);
    return key;
}

void Signer::sign(http::HttpRequest& req, const http::Endpoint& ep, const Credentials& creds,
                  std::chrono::system_clock::time_point now) const {
    char date_buf[amz_date_size];
    format_amz_date(now, date_buf);
    const std::string_view date(date_buf, sizeof date_buf);

    // Re-signing (a retry) replaces what an earlier signing added.
    std::erase_if(req.headers, [](const auto& h) { return managed_header(h.first); });
    req.headers.reserve(req.headers.size() + 3);
    req.headers.emplace_back("X-Amz-Date", date);
    if (!creds.session_token.empty()) req.headers.emplace_back("X-Amz-Security-Token", creds.session_token);

    const std::string host = ep.host_header();
    Scratch& s = thread_scratch();
    s.headers.clear();
    s.headers.push_back({"host", host});
    for (const auto& [name, value] : req.headers)
        if (!iequals(name, "host") && !unsigned_header(name)) s.headers.push_back({name, value});

    const HexDigest payload_hash = hex(sha256(req.body));
    write_canonical_request(s.canonical, s.signed_headers, req.method, req.target, s.headers,
                            std::string_view(payload_hash.data(), payload_hash.size()));
    write_scope(s.scope, date, region_, service_);
    write_string_to_sign(s.string_to_sign, date, s.scope, s.canonical);

    const HexDigest sig = hex(hmac_sha256(key_for(date, creds), s.string_to_sign));
    std::string auth;
    write_authorization(auth, creds.access_key_id, s.scope, s.signed_headers,
                        std::string_view(sig.data(), sig.size()));
    req.headers.emplace_back("Authorization", std::move(auth));
}

}  // namespace dynantic::aws
