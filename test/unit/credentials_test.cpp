#include <dynantic/aws/credentials.hpp>

#include "support/scoped_env.hpp"

#include <dynantic/error.hpp>

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
