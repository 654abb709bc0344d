#pragma once
/** @file
    AWS credentials and where they come from. */

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace dynantic::aws {

/** An access key pair, with a session token for temporary credentials. Printing it shows the
    access key id only; the secret and the token never reach a stream, log or message. */
struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;   ///< empty for long-term credentials
    /** When temporary credentials stop working; empty = never. */
    std::optional<std::chrono::system_clock::time_point> expiration;

    friend std::ostream& operator<<(std::ostream& os, const Credentials& c) {
        return os << "Credentials{access_key_id=" << c.access_key_id << ", secret=<redacted>}";
    }
};

/** Supplies credentials for each request. Implementations are thread-safe.
    @throws Error (errc::credentials) when none can be had. */
class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    virtual Credentials credentials() = 0;
};

/** Always the same credentials. */
class StaticCredentialsProvider : public CredentialsProvider {
public:
    explicit StaticCredentialsProvider(Credentials c) : credentials_(std::move(c)) {}
    Credentials credentials() override { return credentials_; }

private:
    Credentials credentials_;
};

/** `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, read at each call.
    @throws Error (errc::credentials) if either key variable is unset or empty. */
class EnvironmentCredentialsProvider : public CredentialsProvider {
public:
    Credentials credentials() override;
};

/** The default chain used by a `Client` without explicit credentials: the environment. */
std::shared_ptr<CredentialsProvider> default_credentials_provider();

}  // namespace dynantic::aws
