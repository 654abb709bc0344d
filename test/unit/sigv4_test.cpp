#include <dynantic/aws/sigv4.hpp>

#include "support/test_env.hpp"

#include <dynantic/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace aws = dynantic::aws;
namespace http = dynantic::http;
namespace json = boost::json;
using std::chrono::system_clock;

/** "20150830T123600Z" -> time point. */
system_clock::time_point parse_amz_date(std::string_view s) {
    using namespace std::chrono;
    const auto num = [&](std::size_t pos, std::size_t len) { return std::stoi(std::string(s.substr(pos, len))); };
    const year_month_day ymd{year{num(0, 4)}, month{unsigned(num(4, 2))}, day{unsigned(num(6, 2))}};
    return sys_days{ymd} + hours{num(9, 2)} + minutes{num(11, 2)} + seconds{num(13, 2)};
}

http::Headers headers_of(const json::value& v) {
    http::Headers out;
    for (const auto& [name, value] : v.as_object())
        out.emplace_back(std::string(name), std::string(value.as_string()));
    return out;
}

struct Vector {
    std::string name;
    std::string method;
    http::Endpoint endpoint;
    std::string target;
    http::Headers headers;
    std::string body;
    std::string region;
    std::string service;
    aws::Credentials credentials;
    std::string time;
    std::string canonical_request;
    std::string string_to_sign;
    std::string authorization;
    http::Headers sent;   ///< every header of the signed request, in order (Host is the transport's)
};

std::vector<Vector> load_vectors() {
    std::vector<Vector> out;
    const std::string text = dynantic::test::read_data_file("sigv4-vectors.json");
    if (text.empty()) return out;
    const json::value doc = json::parse(text);
    for (const json::value& entry : doc.as_array()) {
        const json::object& in = entry.at("input").as_object();
        const json::object& ex = entry.at("expected").as_object();
        Vector v;
        v.name = entry.at("name").as_string();
        v.method = in.at("method").as_string();
        // The signer takes an endpoint and a target; split the URL between them.
        const std::string url(in.at("url").as_string());
        const std::size_t path = url.find('/', url.find("://") + 3);
        v.endpoint = http::Endpoint::parse(url.substr(0, path));
        v.target = path == std::string::npos ? "/" : url.substr(path);
        v.headers = headers_of(in.at("headers"));
        v.body = in.at("body").as_string();
        v.region = in.at("region").as_string();
        v.service = in.at("service").as_string();
        v.credentials.access_key_id = in.at("access_key_id").as_string();
        v.credentials.secret_access_key = in.at("secret_access_key").as_string();
        if (in.at("session_token").is_string()) v.credentials.session_token = in.at("session_token").as_string();
        v.time = in.at("time").as_string();
        v.canonical_request = ex.at("canonical_request").as_string();
        v.string_to_sign = ex.at("string_to_sign").as_string();
        v.authorization = ex.at("authorization").as_string();
        v.sent = headers_of(ex.at("signed_headers_sent"));
        out.push_back(std::move(v));
    }
    return out;
}

/** Failure output names the vector; it never prints the credentials. */
void PrintTo(const Vector& v, std::ostream* os) { *os << v.name; }

const std::vector<Vector>& vectors() {
    static const std::vector<Vector> all = load_vectors();
    return all;
}

/** "get-vanilla-query" -> "GetVanillaQuery" (test names have no '-' or '_'). */
std::string camel_name(const ::testing::TestParamInfo<Vector>& info) {
    std::string out;
    bool upper = true;
    for (const char c : info.param.name) {
        if (c == '-' || c == '_') {
            upper = true;
        } else if (std::isalnum(static_cast<unsigned char>(c))) {
            out += upper ? char(std::toupper(static_cast<unsigned char>(c))) : c;
            upper = false;
        }
    }
    return out;
}

std::string signed_headers_of(std::string_view authorization) {
    const std::size_t b = authorization.find("SignedHeaders=") + 14;
    return std::string(authorization.substr(b, authorization.find(',', b) - b));
}

class SigV4Vector : public ::testing::TestWithParam<Vector> {};

TEST_P(SigV4Vector, CanonicalRequest) {
    const Vector& v = GetParam();
    http::Headers headers = v.headers;
    headers.emplace_back("Host", v.endpoint.host_header());
    headers.emplace_back("X-Amz-Date", v.time);
    if (!v.credentials.session_token.empty()) headers.emplace_back("X-Amz-Security-Token", v.credentials.session_token);
    const aws::CanonicalRequest cr = aws::canonical_request(v.method, v.target, headers, aws::sha256_hex(v.body));
    EXPECT_EQ(cr.text, v.canonical_request);
    EXPECT_EQ(cr.signed_headers, signed_headers_of(v.authorization));
}

TEST_P(SigV4Vector, StringToSign) {
    const Vector& v = GetParam();
    const std::string scope = aws::credential_scope(v.time, v.region, v.service);
    EXPECT_EQ(aws::string_to_sign(v.time, scope, v.canonical_request), v.string_to_sign);
}

TEST_P(SigV4Vector, Authorization) {
    const Vector& v = GetParam();
    const std::string scope = aws::credential_scope(v.time, v.region, v.service);
    const aws::SigningKey key = aws::signing_key(v.credentials.secret_access_key, v.time, v.region, v.service);
    const std::string auth = aws::authorization_header(v.credentials.access_key_id, scope,
                                                       signed_headers_of(v.authorization),
                                                       aws::signature(key, v.string_to_sign));
    EXPECT_EQ(auth, v.authorization);
}

TEST_P(SigV4Vector, SignerSendsExactlyTheExpectedHeaders) {
    const Vector& v = GetParam();
    http::HttpRequest req{.method = v.method, .target = v.target, .headers = v.headers, .body = v.body};
    const aws::Signer signer(v.region, v.service);
    signer.sign(req, v.endpoint, v.credentials, parse_amz_date(v.time));

    EXPECT_EQ(req.headers, v.sent);
    EXPECT_EQ(req.method, v.method);
    EXPECT_EQ(req.target, v.target);
    EXPECT_EQ(req.body, v.body);
}

TEST_P(SigV4Vector, ResigningReplacesEarlierSignature) {
    const Vector& v = GetParam();
    http::HttpRequest req{.method = v.method, .target = v.target, .headers = v.headers, .body = v.body};
    const aws::Signer signer(v.region, v.service);
    signer.sign(req, v.endpoint, v.credentials, parse_amz_date(v.time) - std::chrono::hours(30));
    signer.sign(req, v.endpoint, v.credentials, parse_amz_date(v.time));

    EXPECT_EQ(req.headers, v.sent);
}

INSTANTIATE_TEST_SUITE_P(Vectors, SigV4Vector, ::testing::ValuesIn(vectors()), camel_name);

TEST(SigV4, VectorFileHasEveryCase) {
    std::vector<std::string> names;
    for (const Vector& v : vectors()) names.push_back(v.name);
    EXPECT_EQ(names, (std::vector<std::string>{"get-vanilla", "post-vanilla", "get-vanilla-query-order-key-case",
                                               "get-vanilla-with-session-token", "dynamodb-putitem",
                                               "dynamodb-getitem-local-port-session-token"}));
}

TEST(SigV4, Sha256HexOfEmptyString) {
    EXPECT_EQ(aws::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(aws::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SigV4, HmacSha256MatchesRfc4231) {
    // RFC 4231 test cases 1, 2 and 6 (a key longer than SHA-256's 64-byte block is hashed first),
    // plus an empty key and a key of exactly one block.
    EXPECT_EQ(aws::hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(aws::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(aws::hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    EXPECT_EQ(aws::hmac_sha256_hex("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    EXPECT_EQ(aws::hmac_sha256_hex(std::string(64, 'k'), "exactly one block of key"),
              "baa93ea4ccc7062ed6870c5e7937dbd35ad7791df4e29df9addeb429ff491acf");
}

TEST(SigV4, AmzDateFormatsUtcSeconds) {
    const auto t = parse_amz_date("20150830T123600Z");
    EXPECT_EQ(aws::amz_date(t), "20150830T123600Z");
    EXPECT_EQ(aws::amz_date(t + std::chrono::milliseconds(999)), "20150830T123600Z");
    EXPECT_EQ(aws::amz_date(system_clock::time_point{}), "19700101T000000Z");
    EXPECT_EQ(aws::amz_date(parse_amz_date("20241231T235959Z") + std::chrono::seconds(1)), "20250101T000000Z");
}

TEST(SigV4, SigningKeyMatchesAwsDocumentExample) {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (IAM example).
    const aws::SigningKey key =
        aws::signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
    std::string hex;
    for (const unsigned char b : key) {
        hex += "0123456789abcdef"[b >> 4];
        hex += "0123456789abcdef"[b & 0xf];
    }
    EXPECT_EQ(hex, "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(SigV4, CredentialScopeUsesDatePart) {
    EXPECT_EQ(aws::credential_scope("20150830T123600Z", "eu-west-1", "dynamodb"),
              "20150830/eu-west-1/dynamodb/aws4_request");
}

TEST(SigV4, CanonicalHeadersAreLowercasedTrimmedCollapsedAndMerged) {
    const http::Headers headers{{"My-Header2", "  a   b \t c  "}, {"host", "example.com"},
                                {"MY-HEADER1", "v1"},            {"my-header1", " v2 "}};
    const aws::CanonicalRequest cr = aws::canonical_request("GET", "/", headers, "HASH");
    EXPECT_EQ(cr.text, "GET\n/\n\nhost:example.com\nmy-header1:v1,v2\nmy-header2:a b c\n\n"
                       "host;my-header1;my-header2\nHASH");
    EXPECT_EQ(cr.signed_headers, "host;my-header1;my-header2");
}

TEST(SigV4, CanonicalQueryIsDecodedReencodedAndSorted) {
    const aws::CanonicalRequest cr =
        aws::canonical_request("GET", "/a%20b/c?b=2&a=z&a=y&flag&x=%2f%7e*&&sp=a%20b", {{"Host", "h"}}, "H");
    EXPECT_EQ(cr.text, "GET\n/a%2520b/c\na=y&a=z&b=2&flag=&sp=a%20b&x=%2F~%2A\nhost:h\n\nhost\nH");
}

TEST(SigV4, EmptyPathIsSlash) {
    const aws::CanonicalRequest cr = aws::canonical_request("POST", "", {{"Host", "h"}}, "H");
    EXPECT_EQ(cr.text, "POST\n/\n\nhost:h\n\nhost\nH");
}

aws::Credentials example_credentials() {
    return {.access_key_id = "AKIDEXAMPLE",
            .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            .session_token = {},
            .expiration = {}};
}

http::HttpRequest put_item_request() {
    return {.method = "POST",
            .target = "/",
            .headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", "DynamoDB_20120810.PutItem"}},
            .body = R"({"TableName":"users","Item":{"user_id":{"S":"u1"}}})"};
}

http::Headers signed_with(const aws::Signer& signer, const aws::Credentials& creds, system_clock::time_point t) {
    http::HttpRequest req = put_item_request();
    signer.sign(req, http::Endpoint::parse("https://dynamodb.us-east-1.amazonaws.com"), creds, t);
    return req.headers;
}

TEST(SigV4, SignerCacheFollowsDateChanges) {
    const auto day1 = parse_amz_date("20150830T235959Z");
    const auto day2 = day1 + std::chrono::seconds(1);   // 20150831T000000Z
    const aws::Credentials creds = example_credentials();

    const aws::Signer cached("us-east-1", "dynamodb");
    const http::Headers first = signed_with(cached, creds, day1);
    const http::Headers second = signed_with(cached, creds, day2);
    const http::Headers again = signed_with(cached, creds, day1);

    EXPECT_EQ(first, signed_with(aws::Signer("us-east-1", "dynamodb"), creds, day1));
    EXPECT_EQ(second, signed_with(aws::Signer("us-east-1", "dynamodb"), creds, day2));
    EXPECT_EQ(again, first);
    // The new day is in the scope and the key: the signature differs.
    const std::string_view auth2 = http::find_header(second, "Authorization");
    EXPECT_NE(auth2.find("Credential=AKIDEXAMPLE/20150831/us-east-1/dynamodb/aws4_request"), std::string_view::npos);
    EXPECT_NE(http::find_header(first, "Authorization").substr(auth2.size() - 64), auth2.substr(auth2.size() - 64));
}

TEST(SigV4, SignerCacheFollowsKeyRotation) {
    const auto t = parse_amz_date("20150830T123600Z");
    aws::Credentials creds = example_credentials();
    const aws::Signer cached("us-east-1", "dynamodb");
    const http::Headers before = signed_with(cached, creds, t);
    creds.secret_access_key = "another/secret/key/EXAMPLEKEY0000000000";
    const http::Headers after = signed_with(cached, creds, t);
    EXPECT_NE(before, after);
    EXPECT_EQ(after, signed_with(aws::Signer("us-east-1", "dynamodb"), creds, t));
}

TEST(SigV4, CopiedSignerSignsTheSame) {
    const auto t = parse_amz_date("20150830T123600Z");
    const aws::Signer original("eu-west-1", "dynamodb");
    const http::Headers a = signed_with(original, example_credentials(), t);
    const aws::Signer copy = original;
    EXPECT_EQ(copy.region(), "eu-west-1");
    EXPECT_EQ(signed_with(copy, example_credentials(), t), a);
}

TEST(SigV4, ConcurrentSigningAcrossDaysIsConsistent) {
    const auto day1 = parse_amz_date("20150830T120000Z");
    const auto day2 = day1 + std::chrono::hours(24);
    const aws::Credentials creds = example_credentials();
    const http::Headers expected1 = signed_with(aws::Signer("us-east-1", "dynamodb"), creds, day1);
    const http::Headers expected2 = signed_with(aws::Signer("us-east-1", "dynamodb"), creds, day2);

    const aws::Signer shared("us-east-1", "dynamodb");
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const bool first = (i + t) % 3 == 0;
                if (signed_with(shared, creds, first ? day1 : day2) != (first ? expected1 : expected2)) ++mismatches;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(mismatches.load(), 0);
}

TEST(SigV4, CredentialsPrintWithoutSecret) {
    aws::Credentials creds = example_credentials();
    creds.session_token = "SESSIONTOKENEXAMPLE";
    std::ostringstream os;
    os << creds;
    EXPECT_NE(os.str().find("AKIDEXAMPLE"), std::string::npos);
    EXPECT_EQ(os.str().find(creds.secret_access_key), std::string::npos);
    EXPECT_EQ(os.str().find("wJalr"), std::string::npos);
    EXPECT_EQ(os.str().find(creds.session_token), std::string::npos);
}

}  // namespace
