#include <dynantic/aws/credentials.hpp>

#include "support/loopback_server.hpp"
#include "support/scoped_env.hpp"
#include "support/tls_identity.hpp"

#include <dynantic/error.hpp>
#include <dynantic/log.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace aws = dynantic::aws;
using dynantic::test::ScopedEnv;

constexpr const char* secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/** The error thrown by `provider.credentials()`; fails the test if none is. */
dynantic::Error credentials_error(aws::CredentialsProvider& provider) {
    try {
        provider.credentials();
    } catch (const dynantic::Error& e) {
        return e;
    }
    ADD_FAILURE() << "credentials() did not throw";
    return dynantic::Error(dynantic::errc::credentials, {});
}

TEST(EnvironmentCredentials, ReadsKeysAndSessionToken) {
    const ScopedEnv id("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    const ScopedEnv key("AWS_SECRET_ACCESS_KEY", secret);
    const ScopedEnv token("AWS_SESSION_TOKEN", "TOKENEXAMPLE");
    aws::EnvironmentCredentialsProvider provider;
    const aws::Credentials c = provider.credentials();
    EXPECT_EQ(c.access_key_id, "AKIDEXAMPLE");
    EXPECT_EQ(c.secret_access_key, secret);
    EXPECT_EQ(c.session_token, "TOKENEXAMPLE");
    EXPECT_FALSE(c.expiration.has_value());
}

TEST(EnvironmentCredentials, SessionTokenIsOptional) {
    const ScopedEnv id("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    const ScopedEnv key("AWS_SECRET_ACCESS_KEY", secret);
    const ScopedEnv token("AWS_SESSION_TOKEN", std::nullopt);
    aws::EnvironmentCredentialsProvider provider;
    EXPECT_EQ(provider.credentials().session_token, "");
}

TEST(EnvironmentCredentials, ReadsTheEnvironmentAtEachCall) {
    const ScopedEnv key("AWS_SECRET_ACCESS_KEY", secret);
    aws::EnvironmentCredentialsProvider provider;
    {
        const ScopedEnv id("AWS_ACCESS_KEY_ID", "AKIDFIRST");
        EXPECT_EQ(provider.credentials().access_key_id, "AKIDFIRST");
    }
    const ScopedEnv id("AWS_ACCESS_KEY_ID", "AKIDSECOND");
    EXPECT_EQ(provider.credentials().access_key_id, "AKIDSECOND");
}

TEST(EnvironmentCredentials, MissingAccessKeyIdIsNamedWithoutValues) {
    const ScopedEnv id("AWS_ACCESS_KEY_ID", std::nullopt);
    const ScopedEnv key("AWS_SECRET_ACCESS_KEY", secret);
    aws::EnvironmentCredentialsProvider provider;
    const dynantic::Error e = credentials_error(provider);
    EXPECT_EQ(e.code(), dynantic::errc::credentials);
    EXPECT_NE(std::string(e.what()).find("AWS_ACCESS_KEY_ID"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos);
}

TEST(EnvironmentCredentials, MissingSecretIsNamedWithoutValues) {
    const ScopedEnv id("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    const ScopedEnv key("AWS_SECRET_ACCESS_KEY", std::nullopt);
    const ScopedEnv token("AWS_SESSION_TOKEN", "TOKENEXAMPLE");
    aws::EnvironmentCredentialsProvider provider;
    const dynantic::Error e = credentials_error(provider);
    EXPECT_EQ(e.code(), dynantic::errc::credentials);
    EXPECT_NE(std::string(e.what()).find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("TOKENEXAMPLE"), std::string::npos);
    EXPECT_FALSE(e.retryable());
}

TEST(EnvironmentCredentials, EmptyCountsAsMissing) {
    const ScopedEnv id("AWS_ACCESS_KEY_ID", "");
    const ScopedEnv key("AWS_SECRET_ACCESS_KEY", "");
    aws::EnvironmentCredentialsProvider provider;
    const dynantic::Error e = credentials_error(provider);
    EXPECT_EQ(e.code(), dynantic::errc::credentials);
    EXPECT_NE(std::string(e.what()).find("AWS_ACCESS_KEY_ID"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(DefaultCredentialsProvider, UsesTheEnvironment) {
    const ScopedEnv id("AWS_ACCESS_KEY_ID", "AKIDDEFAULT");
    const ScopedEnv key("AWS_SECRET_ACCESS_KEY", secret);
    const auto provider = aws::default_credentials_provider();
    ASSERT_NE(provider, nullptr);
    EXPECT_EQ(provider->credentials().access_key_id, "AKIDDEFAULT");
}

TEST(StaticCredentialsProvider, ReturnsItsCredentials) {
    aws::StaticCredentialsProvider provider({.access_key_id = "AKID", .secret_access_key = "S",
                                             .session_token = {}, .expiration = {}});
    EXPECT_EQ(provider.credentials().access_key_id, "AKID");
}

// ---- helpers --------------------------------------------------------------------------------

using dynantic::test::LoopbackServer;
using dynantic::test::ServerAction;
using dynantic::test::ServerRequest;
using dynantic::test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr const char* session_token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";

/** Sets or unsets a group of variables for one scope. */
class Env {
public:
    Env& set(std::string name, std::optional<std::string> value) {
        vars_.emplace_back(std::move(name), std::move(value));
        return *this;
    }

private:
    std::deque<ScopedEnv> vars_;
};

/** Every variable the default chain reads, unset; the shared files point into `dir` (absent). */
void isolate(Env& env, const TempDir& dir) {
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                             "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                             "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                             "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_REGION", "AWS_DEFAULT_REGION"})
        env.set(name, std::nullopt);
    env.set("AWS_SHARED_CREDENTIALS_FILE", (dir.path() / "credentials").string());
    env.set("AWS_CONFIG_FILE", (dir.path() / "config").string());
    env.set("AWS_EC2_METADATA_DISABLED", "true");
}

std::string iso8601(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::string credentials_document(std::string_view id, std::chrono::system_clock::time_point expiration,
                                 std::string_view secret_key = secret) {
    return R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":")" + std::string(id) +
           R"(","SecretAccessKey":")" + std::string(secret_key) + R"(","Token":")" + session_token +
           R"(","Expiration":")" + iso8601(expiration) + R"("})";
}

/** what() of the error `f` throws; fails the test if it throws none. */
template <class F>
std::string what_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    ADD_FAILURE() << "nothing was thrown";
    return {};
}

/** The secret and the session token appear in none of `text`. */
void expect_no_secrets(const std::string& text) {
    EXPECT_THAT(text, Not(HasSubstr(secret)));
    EXPECT_THAT(text, Not(HasSubstr("wJalrXUtnFEMI")));
    EXPECT_THAT(text, Not(HasSubstr(session_token)));
    EXPECT_THAT(text, Not(HasSubstr("container-auth-token-value")));
}

// ---- shared files -----------------------------------------------------------------------------

TEST(ProfileCredentials, ReadsTheDefaultProfileOfTheCredentialsFile) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    dir.write("credentials", "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\n"
                             "aws_secret_access_key=" + std::string(secret) + "  # inline comment\n"
                             "aws_session_token = " + session_token + "\n\n[other]\naws_access_key_id = AKIDOTHER\n");
    aws::ProfileCredentialsProvider provider;
    const aws::Credentials c = provider.credentials();
    EXPECT_EQ(c.access_key_id, "AKIDDEFAULT");
    EXPECT_EQ(c.secret_access_key, secret);
    EXPECT_EQ(c.session_token, session_token);
    EXPECT_FALSE(c.expiration.has_value());
}

TEST(ProfileCredentials, AwsProfileSelectsTheSection) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    env.set("AWS_PROFILE", "dev");
    dir.write("credentials", "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = x\n"
                             "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = y\n");
    EXPECT_EQ(aws::ProfileCredentialsProvider().credentials().access_key_id, "AKIDDEV");
    EXPECT_EQ(aws::ProfileCredentialsProvider("default").credentials().access_key_id, "AKIDDEFAULT");
}

TEST(ProfileCredentials, ReadsProfileSectionsOfTheConfigFile) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    env.set("AWS_PROFILE", "dev");
    dir.write("config", "[default]\nregion = eu-west-1\n[profile dev]\nregion = eu-north-1\n"
                        "s3 =\n  max_concurrent_requests = 10\n"
                        "aws_access_key_id = AKIDCONFIG\naws_secret_access_key = z\n");
    EXPECT_EQ(aws::ProfileCredentialsProvider().credentials().access_key_id, "AKIDCONFIG");
}

TEST(ProfileCredentials, TheCredentialsFileWinsOverTheConfigFile) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    dir.write("credentials", "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = a\n");
    dir.write("config", "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = b\n");
    EXPECT_EQ(aws::ProfileCredentialsProvider().credentials().access_key_id, "AKIDCREDS");
}

TEST(ProfileCredentials, AMissingProfileIsUnavailableAndNamed) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    env.set("AWS_PROFILE", "nope");
    dir.write("credentials", "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = x\n");
    aws::ProfileCredentialsProvider provider;
    try {
        provider.credentials();
        FAIL() << "no error";
    } catch (const aws::CredentialsUnavailableError& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("profile 'nope'"));
        EXPECT_THAT(std::string(e.what()), HasSubstr((dir.path() / "credentials").string()));
    }
}

TEST(ProfileCredentials, AProfileWithoutItsSecretIsAnErrorThatShowsNoValue) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    dir.write("credentials", "[default]\naws_access_key_id = AKIDHALF\naws_session_token = " +
                                 std::string(session_token) + "\n");
    aws::ProfileCredentialsProvider provider;
    try {
        provider.credentials();
        FAIL() << "no error";
    } catch (const aws::CredentialsUnavailableError&) {
        FAIL() << "a half-configured profile must stop the chain";
    } catch (const dynantic::Error& e) {
        EXPECT_EQ(e.code(), dynantic::errc::credentials);
        EXPECT_THAT(std::string(e.what()), HasSubstr("aws_secret_access_key"));
        EXPECT_THAT(std::string(e.what()), Not(HasSubstr("AKIDHALF")));
        expect_no_secrets(e.what());
    }
}

TEST(ProfileCredentials, UnsupportedSourcesAreNamed) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    dir.write("config", "[default]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n");
    const std::string what = what_of([] { aws::ProfileCredentialsProvider().credentials(); });
    EXPECT_THAT(what, HasSubstr("role_arn"));
    EXPECT_THAT(what, HasSubstr("does not implement"));
}

TEST(ProfileCredentials, AMalformedLineIsReportedByNumberNotText) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    dir.write("credentials", "[default]\naws_access_key_id = AKID\n" + std::string(secret) + "\n");
    const std::string what = what_of([] { aws::ProfileCredentialsProvider().credentials(); });
    EXPECT_THAT(what, HasSubstr("line 3"));
    expect_no_secrets(what);
}

// ---- container endpoint -----------------------------------------------------------------------

/** A container credentials endpoint on a loopback server that demands `expected_auth`. */
class ContainerEndpoint {
public:
    explicit ContainerEndpoint(std::string expected_auth)
        : expected_auth_(std::move(expected_auth)), server_([this](const ServerRequest& r) { return handle(r); }) {}

    std::string url(std::string_view path = "/v2/credentials/abc?id=1") const {
        return "http://127.0.0.1:" + std::to_string(server_.port()) + std::string(path);
    }
    int hits() const { return hits_.load(); }
    void set_document(std::string doc, unsigned status = 200) {
        const std::lock_guard lock(mutex_);
        document_ = std::move(doc);
        status_ = status;
    }
    std::string last_target() const {
        const std::lock_guard lock(mutex_);
        return last_target_;
    }

private:
    ServerAction handle(const ServerRequest& r) {
        hits_.fetch_add(1);
        const std::lock_guard lock(mutex_);
        last_target_ = r.target;
        if (r.method != "GET") return ServerAction::respond(405);
        if (r.header("Authorization") != expected_auth_) return ServerAction::respond(401, "{}");
        return ServerAction::respond(status_, document_);
    }

    std::string expected_auth_;
    mutable std::mutex mutex_;
    std::string document_ = credentials_document("AKIDCONTAINER", std::chrono::system_clock::now() + 6h);
    unsigned status_ = 200;
    std::string last_target_;
    std::atomic<int> hits_{0};
    LoopbackServer server_;
};

TEST(ContainerCredentials, ExpirationWithAnOffsetAndAFractionIsReadExactly) {
    // The library's one ISO 8601 parser: "+02:00" is applied, the fraction kept to nanoseconds.
    TempDir dir;
    Env env;
    isolate(env, dir);
    ContainerEndpoint endpoint("container-auth-token-value");
    endpoint.set_document(R"({"AccessKeyId":"AKIDCONTAINER","SecretAccessKey":")" + std::string(secret) +
                          R"(","Token":")" + session_token + R"(","Expiration":"2099-05-01T14:34:56.25+02:00"})");
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url());
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-value");
    aws::ContainerCredentialsProvider provider;
    const aws::Credentials c = provider.credentials();
    ASSERT_TRUE(c.expiration.has_value());
    using namespace std::chrono;
    const auto expected = sys_days(year(2099) / May / 1) + 12h + 34min + 56s + 250ms;
    EXPECT_EQ(time_point_cast<milliseconds>(*c.expiration), expected);
}

TEST(ContainerCredentials, FetchesFromTheFullUriWithTheAuthorizationToken) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    ContainerEndpoint endpoint("container-auth-token-value");
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url());
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-value");
    aws::ContainerCredentialsProvider provider;
    const aws::Credentials c = provider.credentials();
    EXPECT_EQ(c.access_key_id, "AKIDCONTAINER");
    EXPECT_EQ(c.secret_access_key, secret);
    EXPECT_EQ(c.session_token, session_token);
    ASSERT_TRUE(c.expiration.has_value());
    EXPECT_GT(*c.expiration, std::chrono::system_clock::now() + 5h);
    EXPECT_EQ(endpoint.last_target(), "/v2/credentials/abc?id=1");
    // Cached: far from expiry, no second request.
    provider.credentials();
    EXPECT_EQ(endpoint.hits(), 1);
    EXPECT_EQ(provider.fetches(), 1u);
}

TEST(ContainerCredentials, TheTokenFileWinsAndIsReadAtEachFetch) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    ContainerEndpoint endpoint("from-the-file");
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url());
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-value");
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.write("token", "from-the-file\n"));
    EXPECT_EQ(aws::ContainerCredentialsProvider().credentials().access_key_id, "AKIDCONTAINER");
}

TEST(ContainerCredentials, UnsetVariablesMeanUnavailable) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    aws::ContainerCredentialsProvider provider;
    EXPECT_THROW(provider.credentials(), aws::CredentialsUnavailableError);
}

TEST(ContainerCredentials, PlainHttpGoesOnlyToLoopbackAndContainerHosts) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://198.51.100.7/creds");
    aws::ContainerCredentialsProvider provider;
    const std::string what = what_of([&] { provider.credentials(); });
    EXPECT_THAT(what, HasSubstr("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    EXPECT_THAT(what, HasSubstr("https"));
}

TEST(ContainerCredentials, ErrorsShowNeitherTheAnswerNorTheToken) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    ContainerEndpoint endpoint("container-auth-token-value");
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url());
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-value");
    const aws::RefreshOptions no_wait{.refresh_before = 300s, .retry_interval = 0s};

    endpoint.set_document(R"({"message":"bad )" + std::string(secret) + R"("})", 500);
    std::string what = what_of([&] { aws::ContainerCredentialsProvider(no_wait).credentials(); });
    EXPECT_THAT(what, HasSubstr("HTTP 500"));
    EXPECT_THAT(what, HasSubstr("127.0.0.1"));
    EXPECT_THAT(what, Not(HasSubstr("id=1")));   // the query is left out
    expect_no_secrets(what);

    endpoint.set_document(R"({"SecretAccessKey":")" + std::string(secret) + R"(","Token":")" + session_token + "\"}");
    what = what_of([&] { aws::ContainerCredentialsProvider(no_wait).credentials(); });
    EXPECT_THAT(what, HasSubstr("AccessKeyId"));
    expect_no_secrets(what);

    endpoint.set_document(R"({"AccessKeyId":"AKID","SecretAccessKey":")" + std::string(secret) +
                          R"(","Expiration":"soon )" + secret + "\"}");
    what = what_of([&] { aws::ContainerCredentialsProvider(no_wait).credentials(); });
    EXPECT_THAT(what, HasSubstr("Expiration"));
    expect_no_secrets(what);

    endpoint.set_document("not json " + std::string(secret));
    what = what_of([&] { aws::ContainerCredentialsProvider(no_wait).credentials(); });
    expect_no_secrets(what);

    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-token");   // 401
    what = what_of([&] { aws::ContainerCredentialsProvider(no_wait).credentials(); });
    EXPECT_THAT(what, HasSubstr("HTTP 401"));
    EXPECT_THAT(what, Not(HasSubstr("wrong-token")));
}

// ---- instance metadata (IMDSv2) ---------------------------------------------------------------

/** An IMDSv2 look-alike: token, role, credentials. Each credentials request gets the next
    document of `documents` (the last one repeats). */
class MetadataService {
public:
    MetadataService() : server_([this](const ServerRequest& r) { return handle(r); }) {}

    std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
    void add_document(std::string doc) {
        const std::lock_guard lock(mutex_);
        documents_.push_back(std::move(doc));
    }
    void set_role(std::optional<std::string> role) {
        const std::lock_guard lock(mutex_);
        role_ = std::move(role);
    }
    /** Makes the current session token invalid (requests with it get 401). */
    void rotate_token() {
        const std::lock_guard lock(mutex_);
        token_ = "token-" + std::to_string(++generation_);
    }
    int token_requests() const { return token_requests_.load(); }
    int credential_requests() const { return credential_requests_.load(); }
    int requests() const { return static_cast<int>(server_.requests()); }

private:
    ServerAction handle(const ServerRequest& r) {
        const std::lock_guard lock(mutex_);
        if (r.target == "/latest/api/token") {
            if (r.method != "PUT") return ServerAction::respond(405);
            if (r.header("X-aws-ec2-metadata-token-ttl-seconds").empty()) return ServerAction::respond(400);
            token_requests_.fetch_add(1);
            return ServerAction::respond(200, token_);
        }
        if (r.method != "GET") return ServerAction::respond(405);
        if (r.header("X-aws-ec2-metadata-token") != token_) return ServerAction::respond(401);
        const std::string prefix = "/latest/meta-data/iam/security-credentials/";
        if (r.target == prefix) return role_ ? ServerAction::respond(200, *role_ + "\n") : ServerAction::respond(404);
        if (role_ && r.target == prefix + *role_) {
            credential_requests_.fetch_add(1);
            if (documents_.empty()) return ServerAction::respond(404);
            const std::string doc = documents_.front();
            if (documents_.size() > 1) documents_.pop_front();
            return ServerAction::respond(200, doc);
        }
        return ServerAction::respond(404);
    }

    mutable std::mutex mutex_;
    std::deque<std::string> documents_;
    std::optional<std::string> role_ = "app-role";
    std::string token_ = "token-0";
    int generation_ = 0;
    std::atomic<int> token_requests_{0};
    std::atomic<int> credential_requests_{0};
    LoopbackServer server_;
};

TEST(InstanceMetadataCredentials, GetsATokenThenTheRoleThenItsCredentials) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    MetadataService imds;
    imds.add_document(credentials_document("AKIDIMDS", std::chrono::system_clock::now() + 6h));
    env.set("AWS_EC2_METADATA_DISABLED", std::nullopt);
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    aws::InstanceMetadataCredentialsProvider provider;
    const aws::Credentials c = provider.credentials();
    EXPECT_EQ(c.access_key_id, "AKIDIMDS");
    EXPECT_EQ(c.secret_access_key, secret);
    EXPECT_EQ(c.session_token, session_token);
    ASSERT_TRUE(c.expiration.has_value());
    EXPECT_EQ(imds.token_requests(), 1);
    EXPECT_EQ(imds.credential_requests(), 1);
    EXPECT_EQ(imds.requests(), 3);   // PUT token, GET role, GET credentials
    provider.credentials();
    EXPECT_EQ(imds.requests(), 3);   // cached
}

TEST(InstanceMetadataCredentials, RefreshesBeforeExpiryReusingTheSessionToken) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    MetadataService imds;
    const auto now = std::chrono::system_clock::now();
    imds.add_document(credentials_document("AKIDFIRST", now + 4min));    // inside the 5-minute window
    imds.add_document(credentials_document("AKIDSECOND", now + 6h));
    env.set("AWS_EC2_METADATA_DISABLED", std::nullopt);
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    aws::InstanceMetadataCredentialsProvider provider({.refresh_before = 300s, .retry_interval = 0s});
    EXPECT_EQ(provider.credentials().access_key_id, "AKIDFIRST");    // nothing cached: fetched
    EXPECT_EQ(provider.credentials().access_key_id, "AKIDSECOND");   // due for refresh: fetched again
    EXPECT_EQ(provider.credentials().access_key_id, "AKIDSECOND");   // fresh: cached
    EXPECT_EQ(provider.fetches(), 2u);
    EXPECT_EQ(imds.credential_requests(), 2);
    EXPECT_EQ(imds.token_requests(), 1);   // the 6-hour session token was reused
}

TEST(InstanceMetadataCredentials, AnExpiredSessionTokenIsReplaced) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    MetadataService imds;
    const auto now = std::chrono::system_clock::now();
    imds.add_document(credentials_document("AKIDFIRST", now + 1min));
    imds.add_document(credentials_document("AKIDSECOND", now + 6h));
    env.set("AWS_EC2_METADATA_DISABLED", std::nullopt);
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    aws::InstanceMetadataCredentialsProvider provider({.refresh_before = 300s, .retry_interval = 0s});
    EXPECT_EQ(provider.credentials().access_key_id, "AKIDFIRST");
    imds.rotate_token();
    EXPECT_EQ(provider.credentials().access_key_id, "AKIDSECOND");
    EXPECT_EQ(imds.token_requests(), 2);
}

TEST(InstanceMetadataCredentials, DisabledMeansUnavailableWithoutAnyRequest) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    MetadataService imds;
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    env.set("AWS_EC2_METADATA_DISABLED", "TRUE");
    aws::InstanceMetadataCredentialsProvider provider;
    const std::string what = what_of([&] { provider.credentials(); });
    EXPECT_THAT(what, HasSubstr("AWS_EC2_METADATA_DISABLED"));
    EXPECT_EQ(imds.requests(), 0);
}

TEST(InstanceMetadataCredentials, AMachineWithoutTheServiceIsUnavailableQuickly) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    std::string url;
    {
        MetadataService gone;
        url = gone.url();
    }   // nothing listens there any more
    env.set("AWS_EC2_METADATA_DISABLED", std::nullopt);
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", url);
    aws::InstanceMetadataCredentialsProvider provider;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(provider.credentials(), aws::CredentialsUnavailableError);
    // Remembered for retry_interval (10 s): the second call costs nothing.
    EXPECT_THROW(provider.credentials(), aws::CredentialsUnavailableError);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
    EXPECT_EQ(provider.fetches(), 1u);
}

TEST(InstanceMetadataCredentials, NoRoleMeansUnavailable) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    MetadataService imds;
    imds.set_role(std::nullopt);
    env.set("AWS_EC2_METADATA_DISABLED", std::nullopt);
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    aws::InstanceMetadataCredentialsProvider provider;
    const std::string what = what_of([&] { provider.credentials(); });
    EXPECT_THAT(what, HasSubstr("no IAM role"));
}

TEST(InstanceMetadataCredentials, ErrorsShowNoSecret) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    MetadataService imds;
    imds.add_document(R"({"Code":"Failure )" + std::string(secret) + R"(","AccessKeyId":"AKID","SecretAccessKey":")" +
                      secret + "\"}");
    env.set("AWS_EC2_METADATA_DISABLED", std::nullopt);
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    aws::InstanceMetadataCredentialsProvider provider;
    const std::string what = what_of([&] { provider.credentials(); });
    EXPECT_THAT(what, HasSubstr("Code"));
    EXPECT_THAT(what, HasSubstr("app-role"));
    expect_no_secrets(what);
}

// ---- refreshing ---------------------------------------------------------------------------------

/** A source whose fetch takes `delay` and hands out "AKID<n>", expiring after `lifetime`. */
class SlowSource : public aws::RefreshingCredentialsProvider {
public:
    SlowSource(std::chrono::milliseconds delay, std::chrono::seconds lifetime, aws::RefreshOptions options = {})
        : RefreshingCredentialsProvider(options), delay_(delay), lifetime_(lifetime) {}
    std::atomic<bool> failing{false};
    std::atomic<int> calls{0};

protected:
    aws::Credentials fetch() override {
        const int n = calls.fetch_add(1) + 1;
        std::this_thread::sleep_for(delay_);
        if (failing.load()) throw dynantic::Error(dynantic::errc::credentials, {{}, {}, {}, "source down", 0, {}});
        aws::Credentials c{"AKID" + std::to_string(n), secret, session_token, std::chrono::system_clock::now() + lifetime_};
        return c;
    }
    std::string_view source() const noexcept override { return "test source"; }

private:
    std::chrono::milliseconds delay_;
    std::chrono::seconds lifetime_;
};

TEST(RefreshingCredentials, OneThreadRefreshesWhileTheOthersUseTheCurrentCredentials) {
    // Credentials valid for 2 minutes are always inside the 5-minute window: each call wants a
    // refresh, but only one runs at a time and nobody waits for it.
    SlowSource source(300ms, 120s, {.refresh_before = 300s, .retry_interval = 0s});
    EXPECT_EQ(source.credentials().access_key_id, "AKID1");
    std::vector<std::thread> threads;
    std::atomic<int> slow_calls{0};
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            const auto start = std::chrono::steady_clock::now();
            const auto c = source.shared_credentials();
            EXPECT_TRUE(c->access_key_id == "AKID1" || c->access_key_id == "AKID2") << c->access_key_id;
            if (std::chrono::steady_clock::now() - start > 200ms) slow_calls.fetch_add(1);
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(source.calls.load(), 2);      // the first fetch and one refresh
    EXPECT_LE(slow_calls.load(), 1);        // only the refresher waited
}

TEST(RefreshingCredentials, ExpiredCredentialsMakeEveryoneWaitForOneFetch) {
    SlowSource source(200ms, 1s, {.refresh_before = 0s, .retry_interval = 0s});
    EXPECT_EQ(source.credentials().access_key_id, "AKID1");
    std::this_thread::sleep_for(1100ms);   // expired
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] { EXPECT_EQ(source.shared_credentials()->access_key_id, "AKID2"); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(source.calls.load(), 2);
}

TEST(RefreshingCredentials, AFailedRefreshKeepsValidCredentialsAndLogsNoSecret) {
    std::mutex mutex;
    std::vector<std::string> lines;
    dynantic::set_log_sink([&](dynantic::LogLevel, std::string_view line) {
        const std::lock_guard lock(mutex);
        lines.emplace_back(line);
    }, dynantic::LogLevel::debug);
    SlowSource source(0ms, 120s, {.refresh_before = 300s, .retry_interval = 0s});
    EXPECT_EQ(source.credentials().access_key_id, "AKID1");
    source.failing = true;
    EXPECT_EQ(source.credentials().access_key_id, "AKID1");   // refresh failed; the old ones still work
    EXPECT_EQ(source.calls.load(), 2);
    dynantic::set_log_sink(nullptr);
    bool warned = false;
    for (const auto& line : lines) {
        expect_no_secrets(line);
        EXPECT_THAT(line, Not(HasSubstr("AKID1")));
        warned = warned || line.find("refreshing credentials from test source failed") != std::string::npos;
    }
    EXPECT_TRUE(warned);
}

TEST(RefreshingCredentials, WithoutValidCredentialsTheFailureIsRemembered) {
    SlowSource source(0ms, 3600s, {.refresh_before = 300s, .retry_interval = 60s});
    source.failing = true;
    EXPECT_THROW(source.credentials(), dynantic::Error);
    EXPECT_THROW(source.credentials(), dynantic::Error);
    EXPECT_EQ(source.calls.load(), 1);
}

// ---- chain --------------------------------------------------------------------------------------

class CountingProvider : public aws::CredentialsProvider {
public:
    enum class Mode { ok, unavailable, broken };
    CountingProvider(Mode mode, std::string id) : mode_(mode), id_(std::move(id)) {}
    aws::Credentials credentials() override {
        calls.fetch_add(1);
        if (mode_ == Mode::unavailable)
            throw aws::CredentialsUnavailableError({{}, {}, {}, id_ + " has nothing", 0, {}});
        if (mode_ == Mode::broken) throw dynantic::Error(dynantic::errc::credentials, {{}, {}, {}, id_ + " is broken", 0, {}});
        return {id_, secret, {}, {}};
    }
    std::atomic<int> calls{0};

private:
    Mode mode_;
    std::string id_;
};

TEST(CredentialsProviderChain, TakesTheFirstThatHasCredentialsAndRemembersIt) {
    auto a = std::make_shared<CountingProvider>(CountingProvider::Mode::unavailable, "A");
    auto b = std::make_shared<CountingProvider>(CountingProvider::Mode::ok, "B");
    auto c = std::make_shared<CountingProvider>(CountingProvider::Mode::ok, "C");
    aws::CredentialsProviderChain chain({a, b, c});
    EXPECT_EQ(chain.credentials().access_key_id, "B");
    EXPECT_EQ(chain.credentials().access_key_id, "B");
    EXPECT_EQ(a->calls.load(), 1);
    EXPECT_EQ(b->calls.load(), 2);
    EXPECT_EQ(c->calls.load(), 0);
}

TEST(CredentialsProviderChain, ListsWhyEachHadNothing) {
    aws::CredentialsProviderChain chain({std::make_shared<CountingProvider>(CountingProvider::Mode::unavailable, "A"),
                                         std::make_shared<CountingProvider>(CountingProvider::Mode::unavailable, "B")});
    try {
        chain.credentials();
        FAIL() << "no error";
    } catch (const aws::CredentialsUnavailableError& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("no AWS credentials found: A has nothing; B has nothing"));
    }
}

TEST(CredentialsProviderChain, ABrokenProviderStopsTheSearch) {
    auto c = std::make_shared<CountingProvider>(CountingProvider::Mode::ok, "C");
    aws::CredentialsProviderChain chain({std::make_shared<CountingProvider>(CountingProvider::Mode::broken, "A"), c});
    const std::string what = what_of([&] { chain.credentials(); });
    EXPECT_THAT(what, HasSubstr("A is broken"));
    EXPECT_EQ(c->calls.load(), 0);
}

TEST(DefaultCredentialsProvider, FollowsTheSdkOrder) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    MetadataService imds;
    imds.add_document(credentials_document("AKIDIMDS", std::chrono::system_clock::now() + 6h));
    ContainerEndpoint container("");
    env.set("AWS_EC2_METADATA_DISABLED", std::nullopt);
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    EXPECT_EQ(aws::default_credentials_provider()->credentials().access_key_id, "AKIDIMDS");

    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url());
    EXPECT_EQ(aws::default_credentials_provider()->credentials().access_key_id, "AKIDCONTAINER");

    dir.write("credentials", "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n");
    EXPECT_EQ(aws::default_credentials_provider()->credentials().access_key_id, "AKIDPROFILE");

    env.set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", secret);
    EXPECT_EQ(aws::default_credentials_provider()->credentials().access_key_id, "AKIDENV");
}

TEST(DefaultCredentialsProvider, SaysWhereItLookedWhenNothingIsFound) {
    TempDir dir;
    Env env;
    isolate(env, dir);
    const std::string what = what_of([] { aws::default_credentials_provider()->credentials(); });
    EXPECT_THAT(what, HasSubstr("AWS_ACCESS_KEY_ID"));
    EXPECT_THAT(what, HasSubstr("profile 'default'"));
    EXPECT_THAT(what, HasSubstr("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    EXPECT_THAT(what, HasSubstr("AWS_EC2_METADATA_DISABLED"));
}

TEST(DefaultCredentialsProvider, NoProviderPutsTheSecretInAnError) {
    // Each provider, configured with the secret somewhere and failing: the secret never shows.
    TempDir dir;
    Env env;
    isolate(env, dir);
    {
        Env e;
        e.set("AWS_SECRET_ACCESS_KEY", secret).set("AWS_SESSION_TOKEN", session_token);
        expect_no_secrets(what_of([] { aws::default_credentials_provider()->credentials(); }));
    }
    {
        dir.write("credentials", "[default]\naws_secret_access_key = " + std::string(secret) + "\n");
        expect_no_secrets(what_of([] { aws::default_credentials_provider()->credentials(); }));
        std::filesystem::remove(dir.path() / "credentials");
    }
    {
        ContainerEndpoint container("container-auth-token-value");
        container.set_document(std::string(secret), 403);
        Env e;
        e.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url())
            .set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-value");
        expect_no_secrets(what_of([] { aws::default_credentials_provider()->credentials(); }));
    }
    {
        MetadataService imds;
        imds.add_document("{\"AccessKeyId\":\"" + std::string(secret) + "\",\"SecretAccessKey\":\"" + secret +
                          "\",\"Expiration\":\"" + session_token + "\"}");
        Env e;
        e.set("AWS_EC2_METADATA_DISABLED", std::nullopt).set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
        expect_no_secrets(what_of([] { aws::default_credentials_provider()->credentials(); }));
    }
}

}  // namespace
