#include <dynantic/aws/config.hpp>

#include "support/scoped_env.hpp"
#include "support/tls_identity.hpp"

#include <dynantic/error.hpp>
#include <dynantic/http/transport.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace aws = dynantic::aws;
namespace http = dynantic::http;
using dynantic::test::ScopedEnv;

/** Clears every variable these functions read, for one test. */
struct CleanEnv {
    ScopedEnv region{"AWS_REGION", std::nullopt};
    ScopedEnv default_region{"AWS_DEFAULT_REGION", std::nullopt};
    ScopedEnv dynamodb_url{"AWS_ENDPOINT_URL_DYNAMODB", std::nullopt};
    ScopedEnv url{"AWS_ENDPOINT_URL", std::nullopt};
    ScopedEnv profile{"AWS_PROFILE", std::nullopt};
    ScopedEnv config_file{"AWS_CONFIG_FILE", "/nonexistent/dynantic-test/config"};
};

/** The message of the configuration error `f` throws; fails the test if it throws none. */
template <class F>
std::string configuration_error(F f) {
    try {
        f();
    } catch (const dynantic::Error& e) {
        EXPECT_EQ(e.code(), dynantic::errc::configuration) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "no exception";
    return {};
}

http::Endpoint endpoint(bool tls, std::string host, std::uint16_t port) {
    http::Endpoint ep;
    ep.tls = tls;
    ep.host = std::move(host);
    ep.port = port;
    return ep;
}

// ---- region ---------------------------------------------------------------------------------

TEST(ResolveRegion, DefaultsToUsEast1) {
    const CleanEnv env;
    EXPECT_EQ(aws::resolve_region(), "us-east-1");
}

TEST(ResolveRegion, ReadsTheActiveProfileOfTheConfigFile) {
    const CleanEnv env;
    dynantic::test::TempDir dir;
    const ScopedEnv file("AWS_CONFIG_FILE", dir.write("config", "[default]\nregion = eu-west-3\n\n"
                                                                "[profile dev]  ; comment\nregion=ap-south-1\n"
                                                                "[profile none]\noutput = json\n"));
    EXPECT_EQ(aws::resolve_region(), "eu-west-3");
    {
        const ScopedEnv profile("AWS_PROFILE", "dev");
        EXPECT_EQ(aws::resolve_region(), "ap-south-1");
    }
    {
        const ScopedEnv profile("AWS_PROFILE", "none");
        EXPECT_EQ(aws::resolve_region(), "us-east-1");
    }
    const ScopedEnv region("AWS_DEFAULT_REGION", "ca-central-1");   // the environment wins
    EXPECT_EQ(aws::resolve_region(), "ca-central-1");
}

TEST(ResolveRegion, InvalidRegionInTheConfigFileNamesFileAndProfile) {
    const CleanEnv env;
    dynantic::test::TempDir dir;
    const std::string path = dir.write("config", "[default]\nregion = not a region\n");
    const ScopedEnv file("AWS_CONFIG_FILE", path);
    const std::string message = configuration_error([] { aws::resolve_region(); });
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("profile 'default'"), std::string::npos) << message;
}

TEST(ResolveRegion, AwsRegionWinsOverDefaultRegion) {
    const CleanEnv env;
    const ScopedEnv def("AWS_DEFAULT_REGION", "eu-central-1");
    EXPECT_EQ(aws::resolve_region(), "eu-central-1");
    const ScopedEnv region("AWS_REGION", "eu-west-1");
    EXPECT_EQ(aws::resolve_region(), "eu-west-1");
}

TEST(ResolveRegion, EmptyCountsAsUnset) {
    const CleanEnv env;
    const ScopedEnv region("AWS_REGION", "");
    const ScopedEnv def("AWS_DEFAULT_REGION", "ap-south-1");
    EXPECT_EQ(aws::resolve_region(), "ap-south-1");
}

TEST(ResolveRegion, InvalidRegionNamesTheVariable) {
    const CleanEnv env;
    const ScopedEnv region("AWS_REGION", "us-east-1/evil");
    EXPECT_NE(configuration_error([] { aws::resolve_region(); }).find("AWS_REGION"), std::string::npos);
}

// ---- endpoint -------------------------------------------------------------------------------

TEST(ResolveEndpoint, DefaultsToRegionalAwsEndpoint) {
    const CleanEnv env;
    EXPECT_EQ(aws::resolve_endpoint("eu-west-1"), endpoint(true, "dynamodb.eu-west-1.amazonaws.com", 443));
    EXPECT_EQ(aws::resolve_endpoint("eu-west-1").url(), "https://dynamodb.eu-west-1.amazonaws.com");
}

TEST(ResolveEndpoint, ChinaRegionsUseComCn) {
    const CleanEnv env;
    EXPECT_EQ(aws::resolve_endpoint("cn-north-1").host, "dynamodb.cn-north-1.amazonaws.com.cn");
    EXPECT_EQ(aws::resolve_endpoint("cn-northwest-1").host, "dynamodb.cn-northwest-1.amazonaws.com.cn");
}

TEST(ResolveEndpoint, ServiceSpecificUrlWinsOverGlobalUrl) {
    const CleanEnv env;
    const ScopedEnv global("AWS_ENDPOINT_URL", "http://localhost:4566");
    EXPECT_EQ(aws::resolve_endpoint("us-east-1"), endpoint(false, "localhost", 4566));
    const ScopedEnv dynamodb("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000/");
    EXPECT_EQ(aws::resolve_endpoint("us-east-1"), endpoint(false, "127.0.0.1", 8000));
}

TEST(ResolveEndpoint, EmptyUrlCountsAsUnset) {
    const CleanEnv env;
    const ScopedEnv dynamodb("AWS_ENDPOINT_URL_DYNAMODB", "");
    const ScopedEnv global("AWS_ENDPOINT_URL", "https://proxy.example.com");
    EXPECT_EQ(aws::resolve_endpoint("us-east-1").host, "proxy.example.com");
}

TEST(ResolveEndpoint, InvalidUrlNamesTheVariable) {
    const CleanEnv env;
    const ScopedEnv dynamodb("AWS_ENDPOINT_URL_DYNAMODB", "ftp://example.com");
    const std::string message = configuration_error([] { aws::resolve_endpoint("us-east-1"); });
    EXPECT_NE(message.find("AWS_ENDPOINT_URL_DYNAMODB"), std::string::npos);
    EXPECT_NE(message.find("ftp://example.com"), std::string::npos);
}

TEST(ResolveEndpoint, InvalidRegionIsRefused) {
    const CleanEnv env;
    configuration_error([] { aws::resolve_endpoint(""); });
    configuration_error([] { aws::resolve_endpoint("evil.com/x"); });
}

// ---- Endpoint::parse ------------------------------------------------------------------------

TEST(EndpointParse, AcceptsHttpsAndHttpWithOptionalPortAndSlash) {
    EXPECT_EQ(http::Endpoint::parse("https://dynamodb.us-east-1.amazonaws.com"),
              endpoint(true, "dynamodb.us-east-1.amazonaws.com", 443));
    EXPECT_EQ(http::Endpoint::parse("https://dynamodb.us-east-1.amazonaws.com/"),
              endpoint(true, "dynamodb.us-east-1.amazonaws.com", 443));
    EXPECT_EQ(http::Endpoint::parse("http://localhost"), endpoint(false, "localhost", 80));
    EXPECT_EQ(http::Endpoint::parse("http://127.0.0.1:8000"), endpoint(false, "127.0.0.1", 8000));
    EXPECT_EQ(http::Endpoint::parse("https://example.com:8443/"), endpoint(true, "example.com", 8443));
    EXPECT_EQ(http::Endpoint::parse("HTTPS://example.com"), endpoint(true, "example.com", 443));
    EXPECT_EQ(http::Endpoint::parse("http://dynamodb_local:65535"), endpoint(false, "dynamodb_local", 65535));
}

TEST(EndpointParse, AcceptsIpv6LiteralsInBrackets) {
    EXPECT_EQ(http::Endpoint::parse("http://[::1]:8000"), endpoint(false, "::1", 8000));
    EXPECT_EQ(http::Endpoint::parse("https://[2001:db8::1]/"), endpoint(true, "2001:db8::1", 443));
    EXPECT_EQ(http::Endpoint::parse("http://[::ffff:127.0.0.1]"), endpoint(false, "::ffff:127.0.0.1", 80));
}

TEST(EndpointParse, RefusesEverythingElse) {
    for (const char* bad : {"", "dynamodb.us-east-1.amazonaws.com", "localhost:8000", "ftp://example.com",
                            "https://", "https:///", "https://:443", "https://example.com:",
                            "https://example.com:0", "https://example.com:65536", "https://example.com:99999999",
                            "https://example.com:80a", "https://example.com:-1", "https://example.com:1:2",
                            "https://example.com/path", "https://example.com//", "https://example.com/?x=1",
                            "https://example.com?x=1", "https://example.com#frag", "https://exa mple.com",
                            "http://[::1", "http://[]", "http://[zz::1]", "http://[::1]x", "http://::1",
                            "http://[::1]:", "http://[127.0.0.1]"}) {
        SCOPED_TRACE(bad);
        configuration_error([&] { http::Endpoint::parse(bad); });
    }
}

TEST(EndpointParse, UserInfoIsRefusedWithoutEchoingIt) {
    const std::string message = configuration_error([] { http::Endpoint::parse("https://user:hunter2@example.com"); });
    EXPECT_EQ(message.find("hunter2"), std::string::npos);
}

TEST(EndpointParse, ErrorIsNotAValidationError) {
    try {
        http::Endpoint::parse("nope");
        FAIL() << "no exception";
    } catch (const dynantic::ValidationError&) {
        FAIL() << "ValidationError carries errc::validation";
    } catch (const dynantic::Error& e) {
        EXPECT_EQ(e.code(), dynantic::errc::configuration);
        EXPECT_FALSE(e.retryable());
    }
}

TEST(EndpointHostHeader, OmitsTheSchemeDefaultPort) {
    EXPECT_EQ(endpoint(true, "example.com", 443).host_header(), "example.com");
    EXPECT_EQ(endpoint(false, "example.com", 80).host_header(), "example.com");
    EXPECT_EQ(endpoint(true, "example.com", 80).host_header(), "example.com:80");
    EXPECT_EQ(endpoint(false, "example.com", 443).host_header(), "example.com:443");
    EXPECT_EQ(endpoint(false, "127.0.0.1", 8000).host_header(), "127.0.0.1:8000");
}

TEST(EndpointHostHeader, BracketsIpv6) {
    EXPECT_EQ(endpoint(false, "::1", 8000).host_header(), "[::1]:8000");
    EXPECT_EQ(endpoint(true, "2001:db8::1", 443).host_header(), "[2001:db8::1]");
}

TEST(EndpointUrl, RoundTripsThroughParse) {
    for (const char* url : {"https://example.com", "http://example.com", "http://127.0.0.1:8000",
                            "https://[::1]:8443", "http://[::1]"}) {
        EXPECT_EQ(http::Endpoint::parse(url).url(), url);
    }
}

// ---- find_header ----------------------------------------------------------------------------

TEST(FindHeader, IsAsciiCaseInsensitiveAndReturnsFirst) {
    const http::Headers headers{{"Content-Type", "a"}, {"x-amz-crc32", "1"}, {"content-type", "b"}};
    EXPECT_EQ(http::find_header(headers, "content-type"), "a");
    EXPECT_EQ(http::find_header(headers, "CONTENT-TYPE"), "a");
    EXPECT_EQ(http::find_header(headers, "X-Amz-Crc32"), "1");
    EXPECT_EQ(http::find_header(headers, "content-typ"), "");
    EXPECT_EQ(http::find_header({}, "x"), "");
}

}  // namespace
