// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    AWS credentials and where they come from: explicit, the environment, the shared
    `credentials`/`config` files, the container credentials endpoint (ECS, EKS Pod Identity) and
    the EC2 instance metadata service (IMDSv2), chained in that order by
    `default_credentials_provider()` as the AWS SDKs do.

    Temporary credentials are cached and refreshed before they expire (by default 5 minutes
    before), by one thread while the others go on with the current ones. Providers are
    thread-safe. No message, log line or `what()` of this layer ever contains a secret access
    key, session token or authorization token.

    @see https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html */

#include <dynantic/error.hpp>
#include <dynantic/http/transport.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic::aws {

/** An access key pair, with a session token for temporary credentials. Printing it shows the
    access key id only; the secret and the token never reach a stream, log or message. */
struct Credentials {
    std::string access_key_id;   ///< e.g. "AKIDEXAMPLE"; appears in the Authorization header
    std::string secret_access_key;   ///< never sent, logged or printed
    std::string session_token;   ///< empty for long-term credentials
    /** When temporary credentials stop working; empty = never. */
    std::optional<std::chrono::system_clock::time_point> expiration;

    friend std::ostream& operator<<(std::ostream& os, const Credentials& c) {
        return os << "Credentials{access_key_id=" << c.access_key_id << ", secret=<redacted>}";
    }
};

/** Supplies credentials for each request. Implementations are thread-safe.
    @throws Error (errc::credentials) when none can be had; `CredentialsUnavailableError` when
            the provider's source is simply absent (so a chain tries the next one). */
class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    /** The credentials to sign the next request with. */
    virtual Credentials credentials() = 0;
    /** The same, shared. `Client` calls this before every attempt: providers that cache
        override it to hand out their copy without allocating. The default wraps
        `credentials()`. */
    virtual std::shared_ptr<const Credentials> shared_credentials();
    /** The credentials when they can be had at once, without I/O or waiting for another thread
        (static keys, environment variables, a cached copy that needs no refresh); null
        otherwise. The asynchronous API (`dynantic/asio/call.hpp`) signs with these on the
        caller's executor and calls `shared_credentials()` on the client's own thread when
        this is null. The default returns null (always fetched off the executor).
        @throws as `shared_credentials()` for a source that is absent or broken. */
    virtual std::shared_ptr<const Credentials> cached_credentials() { return nullptr; }
};

/** A provider's source is absent (no variables, no file, no profile, no metadata service): a
    chain goes on to its next provider. Any other error of a provider stops the chain, because
    a source that is configured but broken should be fixed rather than silently replaced by
    another identity. `code()` is `errc::credentials`. */
class CredentialsUnavailableError : public Error {
public:
    /** Code `errc::credentials`. */
    explicit CredentialsUnavailableError(ErrorInfo info) : Error(errc::credentials, std::move(info)) {}
};

/** Always the same credentials. */
class StaticCredentialsProvider : public CredentialsProvider {
public:
    /** Always returns `c`. */
    explicit StaticCredentialsProvider(Credentials c);
    Credentials credentials() override { return *credentials_; }
    std::shared_ptr<const Credentials> shared_credentials() override { return credentials_; }
    std::shared_ptr<const Credentials> cached_credentials() override { return credentials_; }

private:
    std::shared_ptr<const Credentials> credentials_;
};

/** The short form of `std::make_shared<StaticCredentialsProvider>(Credentials{...})`, for
    `ClientOptions::credentials`: `{.credentials = dynantic::aws::static_credentials("AKID", "secret")}`.
    `session_token` is for temporary credentials (empty: long-term keys). */
std::shared_ptr<CredentialsProvider> static_credentials(std::string access_key_id, std::string secret_access_key,
                                                        std::string session_token = {});

/** `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, read at each call.
    @throws CredentialsUnavailableError if both key variables are unset or empty;
            Error (errc::credentials) if only one of them is set. */
class EnvironmentCredentialsProvider : public CredentialsProvider {
public:
    Credentials credentials() override;
    /** Re-reads the variables and returns the cached copy while they are unchanged. */
    std::shared_ptr<const Credentials> shared_credentials() override;
    /** Reading the variables does no I/O: the same as `shared_credentials()`. */
    std::shared_ptr<const Credentials> cached_credentials() override { return shared_credentials(); }

private:
    std::mutex mutex_;
    std::shared_ptr<const Credentials> cached_;   // guarded by mutex_
};

/** A profile of the shared files: `aws_access_key_id`, `aws_secret_access_key` and
    `aws_session_token` from the credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default
    `~/.aws/credentials`, sections `[name]`), else from the config file (`AWS_CONFIG_FILE`,
    default `~/.aws/config`, sections `[profile name]` and `[default]`). The profile is the one
    given, else `AWS_PROFILE`, else "default". The files are read at the first call that finds
    the profile, and not again.
    @throws CredentialsUnavailableError if neither file has the profile;
            Error (errc::credentials) if the profile lacks a key, or relies on a source dynantic
            does not implement (`role_arn`, `credential_process`, `sso_*`, `web_identity_token_file`),
            naming the file and setting but never a value. */
class ProfileCredentialsProvider : public CredentialsProvider {
public:
    /** `profile` empty: `AWS_PROFILE`, else "default" (read at the first call). */
    explicit ProfileCredentialsProvider(std::string profile = {});
    Credentials credentials() override { return *shared_credentials(); }
    std::shared_ptr<const Credentials> shared_credentials() override;
    /** The credentials once the files were read; null before. */
    std::shared_ptr<const Credentials> cached_credentials() override;

private:
    std::string profile_;
    std::mutex mutex_;
    std::shared_ptr<const Credentials> cached_;   // guarded by mutex_
};

/** When cached temporary credentials are refreshed. */
struct RefreshOptions {
    /** Refresh this long before `expiration`. Until the credentials expire, one thread refreshes
        while the others keep using them; after, callers wait for the refresh. */
    std::chrono::seconds refresh_before{300};
    /** After a failed fetch, wait this long before fetching again: meanwhile callers get the
        current credentials while they are valid, else the error of that fetch. Also the least
        time between fetches when a fetch returns credentials already inside `refresh_before`.
        0 = no wait. */
    std::chrono::seconds retry_interval{10};
};

/** Base of providers whose credentials expire: caches what `fetch()` returns and calls it again
    `refresh_before` the expiration, from a single thread at a time. Credentials without an
    expiration are kept for good. Derive from it for a source of your own. */
class RefreshingCredentialsProvider : public CredentialsProvider {
public:
    /** `options`: when to refresh and how long to wait after a failed refresh. */
    explicit RefreshingCredentialsProvider(RefreshOptions options = {});
    ~RefreshingCredentialsProvider() override;
    Credentials credentials() override { return *shared_credentials(); }
    std::shared_ptr<const Credentials> shared_credentials() override;
    /** The cached credentials while they need no refresh (or another thread refreshes them and
        they are still valid); null when a caller would fetch or wait. */
    std::shared_ptr<const Credentials> cached_credentials() override;
    /** Calls to `fetch()` so far (successful or not). */
    std::uint64_t fetches() const noexcept { return fetches_.load(std::memory_order_relaxed); }

protected:
    /** Gets fresh credentials from the source. Never called by two threads at once.
        @throws CredentialsUnavailableError or Error (errc::credentials); messages must not
                contain secrets. */
    virtual Credentials fetch() = 0;
    /** What the source is, for log lines: "instance metadata", "container endpoint". */
    virtual std::string_view source() const noexcept = 0;

private:
    using Clock = std::chrono::system_clock;
    RefreshOptions options_;
    std::mutex mutex_;
    struct RefreshSignal;                          // a condition variable, defined in the library
    std::unique_ptr<RefreshSignal> refreshed_;     // notified when a fetch ends
    std::shared_ptr<const Credentials> current_;   // guarded by mutex_
    bool refreshing_ = false;                      // guarded by mutex_
    std::uint64_t generation_ = 0;                 // guarded by mutex_: completed fetches
    std::exception_ptr last_error_;                // guarded by mutex_: of the last fetch, if it failed
    Clock::time_point next_attempt_{};             // guarded by mutex_
    std::atomic<std::uint64_t> fetches_{0};
};

/** The container credentials endpoint of ECS tasks and EKS Pod Identity:
    `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (appended to http://169.254.170.2), else
    `AWS_CONTAINER_CREDENTIALS_FULL_URI` (http only to loopback addresses and the ECS/EKS
    link-local endpoints; https anywhere), with the `Authorization` header from
    `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read at each fetch) or
    `AWS_CONTAINER_AUTHORIZATION_TOKEN`. The JSON answer has `AccessKeyId`, `SecretAccessKey`,
    `Token` and `Expiration`. Connect timeout 1 s, response timeout 2 s, 2 attempts.
    @throws CredentialsUnavailableError if neither URI variable is set; Error (errc::credentials)
            if the endpoint cannot be reached or answers something else. */
class ContainerCredentialsProvider : public RefreshingCredentialsProvider {
public:
    /** `transport` null: a BeastTransport with the timeouts above. */
    explicit ContainerCredentialsProvider(RefreshOptions options = {},
                                          std::shared_ptr<http::Transport> transport = nullptr);

protected:
    Credentials fetch() override;
    std::string_view source() const noexcept override { return "container endpoint"; }

private:
    std::shared_ptr<http::Transport> transport_;
};

/** The EC2 instance metadata service, IMDSv2 only: PUT /latest/api/token (a session token valid
    6 hours, reused), then GET /latest/meta-data/iam/security-credentials/ for the role name and
    `GET .../<role>` for the credentials. `AWS_EC2_METADATA_DISABLED=true` turns it off;
    `AWS_EC2_METADATA_SERVICE_ENDPOINT` replaces http://169.254.169.254 (e.g. a loopback test
    server). Timeouts of 1 s and a single attempt, so a machine without the service loses at
    most about a second once per `RefreshOptions::retry_interval`.
    @throws CredentialsUnavailableError if disabled, unreachable, or no role is attached;
            Error (errc::credentials) for other failures. */
class InstanceMetadataCredentialsProvider : public RefreshingCredentialsProvider {
public:
    /** `transport` null: a BeastTransport with the timeouts above. */
    explicit InstanceMetadataCredentialsProvider(RefreshOptions options = {},
                                                 std::shared_ptr<http::Transport> transport = nullptr);

protected:
    Credentials fetch() override;
    std::string_view source() const noexcept override { return "instance metadata"; }

private:
    std::shared_ptr<http::Transport> transport_;
    // Touched by fetch() only, which never runs on two threads at once.
    std::string token_;
    std::chrono::steady_clock::time_point token_expires_{};
};

/** Tries its providers in order. The first to return credentials is remembered and asked
    directly from then on (as the SDKs do), so a chain costs nothing after its first success.
    A provider that throws `CredentialsUnavailableError` is skipped; any other error stops the
    search.
    @throws CredentialsUnavailableError listing why each provider had nothing, when none had. */
class CredentialsProviderChain : public CredentialsProvider {
public:
    /** `providers`, tried in this order (null entries are dropped). */
    explicit CredentialsProviderChain(std::vector<std::shared_ptr<CredentialsProvider>> providers);
    Credentials credentials() override { return *shared_credentials(); }
    std::shared_ptr<const Credentials> shared_credentials() override;
    /** The chosen provider's `cached_credentials()`; null before one was chosen. */
    std::shared_ptr<const Credentials> cached_credentials() override;

private:
    std::vector<std::shared_ptr<CredentialsProvider>> providers_;
    std::atomic<int> chosen_{-1};
};

/** The default chain used by a `Client` without explicit credentials: environment, shared files
    (profile from `AWS_PROFILE`), container endpoint, instance metadata. Each call builds a new
    chain with caches of its own. */
std::shared_ptr<CredentialsProvider> default_credentials_provider();

}  // namespace dynantic::aws
