// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    AWS Signature Version 4 for request headers, following
    https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html.

    The steps are pure functions (the clock is a parameter) so that each can be checked against
    the published examples; `Signer` chains them for a request and caches the signing key. No
    function here ever puts the secret access key into a message, log or exception. */

#include <dynantic/aws/credentials.hpp>
#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

namespace dynantic::aws {

/** Lowercase hex SHA-256 of `data`: 64 characters. Also the payload hash of a body. */
std::string sha256_hex(std::string_view data);

/** The `X-Amz-Date` form of `t`: ISO 8601 basic UTC to the second, "20150830T123600Z".
    The first 8 characters are the scope date ("20150830"). Years 0000-9999. */
std::string amz_date(std::chrono::system_clock::time_point t);

/** A canonical request and the signed-headers list it names. */
struct CanonicalRequest {
    std::string text;            ///< "METHOD\nURI\nQUERY\nheaders\n\nsigned;headers\npayload-hash"
    std::string signed_headers;  ///< lowercase names, sorted, ';'-separated: "host;x-amz-date"
};

/** Step 1: the canonical request.
    - `target` is the path and query as sent ("/", "/a/b?x=1&y"). The path is URI-encoded once
      more with '/' kept (SigV4 for all services but S3; dot segments are not normalized); an
      empty path is "/". Query parameters are percent-decoded, re-encoded (only A-Z a-z 0-9 - _
      . ~ left as is, "%XX" uppercase) and sorted by name, then value; '+' is a literal plus.
    - `headers` must hold every header to sign, `Host` included. Names are lowercased and
      sorted; values are trimmed and runs of spaces or tabs collapsed to one space; repeated
      names are joined with ',' in the order given.
    - `payload_hash` is `sha256_hex(body)`. */
CanonicalRequest canonical_request(std::string_view method, std::string_view target,
                                   const http::Headers& headers, std::string_view payload_hash);

/** The credential scope "<yyyymmdd>/<region>/<service>/aws4_request"; `date` may be a whole
    `amz_date` (only its first 8 characters are used). */
std::string credential_scope(std::string_view date, std::string_view region, std::string_view service);

/** Step 2: "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<sha256_hex(canonical_request)>". */
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);

/** The 32-byte key derived from the secret access key for one day, region and service. */
using SigningKey = std::array<unsigned char, 32>;

/** Step 3: HMAC-SHA256 chain "AWS4"+secret -> date -> region -> service -> "aws4_request".
    `date` may be a whole `amz_date` (only its first 8 characters are used). */
SigningKey signing_key(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service);

/** Step 4: lowercase hex HMAC-SHA256 of `string_to_sign` under `key` (64 characters). */
std::string signature(const SigningKey& key, std::string_view string_to_sign);

/** HMAC-SHA256 of `data` under `key`, as 64 lowercase hex digits (RFC 2104). */
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

/** The `Authorization` header value: "AWS4-HMAC-SHA256 Credential=<access key id>/<scope>,
    SignedHeaders=<signed_headers>, Signature=<signature>". */
std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view signature);

/** Signs requests for one region and service, caching the signing key per day and key pair.
    Thread-safe: `sign` may be called from many threads at once. Copies start with an empty
    cache. */
class Signer {
public:
    /** @param region e.g. "us-east-1"   @param service e.g. "dynamodb" */
    Signer(std::string region, std::string service);
    /** Copies region and service; the copy starts with an empty key cache. */
    Signer(const Signer& other);
    /** Takes region and service; empties the key cache. */
    Signer& operator=(const Signer& other);
    ~Signer();

    /** Adds `X-Amz-Date`, `X-Amz-Security-Token` (when `creds.session_token` is set) and
        `Authorization` to `req.headers`, after any such headers left from an earlier signing
        are removed. Signed are `host` (= `ep.host_header()`, the value the transport sends;
        a `Host` header in `req.headers` is ignored), `x-amz-date`, the token and every other
        header in `req.headers` but `User-Agent`, `Expect` and `X-Amzn-Trace-Id` (sent unsigned,
        as the AWS SDKs do); the payload hash is SHA-256 of `req.body`. `now` is the signing
        time (UTC). */
    void sign(http::HttpRequest& req, const http::Endpoint& ep, const Credentials& creds,
              std::chrono::system_clock::time_point now) const;

    /** The region in the credential scope, e.g. "us-east-1". */
    const std::string& region() const noexcept { return region_; }
    /** The service in the credential scope, e.g. "dynamodb". */
    const std::string& service() const noexcept { return service_; }

private:
    struct CachedKey {
        std::array<char, 8> date{};  ///< yyyymmdd
        std::string access_key_id;
        std::string secret_access_key;
        SigningKey key{};
        bool valid = false;
    };

    SigningKey key_for(std::string_view date, const Credentials& creds) const;

    std::string region_;
    std::string service_;
    mutable std::mutex mutex_;   ///< guards cached_
    mutable CachedKey cached_;
};

}  // namespace dynantic::aws
