#pragma once
/** @file
    `Client`: one DynamoDB JSON 1.0 call is `call(operation, request) -> response`. It signs the
    request (SigV4, service `dynamodb`), sends it, retries what may be retried, verifies
    `x-amz-crc32` when present and maps errors to exceptions. A `Client` is a cheap handle:
    copies share one configuration, credentials provider and connection pool, and may be used
    from many threads at once.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html */

#include <dynantic/aws/credentials.hpp>
#include <dynantic/error.hpp>
#include <dynantic/http/transport.hpp>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace dynantic {

/** How failed attempts are retried: exponential backoff with full jitter,
    delay = random(0, min(max_delay, base_delay * 2^attempt)). */
struct RetryOptions {
    unsigned max_attempts = 3;                   ///< attempts in all, including the first; 1 = no retry
    std::chrono::milliseconds base_delay{25};    ///< before the first retry, at most
    std::chrono::milliseconds max_delay{20'000}; ///< cap on any one delay
};

/** Client settings. Empty strings and null pointers mean "from the environment". */
struct ClientOptions {
    std::string region;     ///< empty: AWS_REGION, AWS_DEFAULT_REGION, else "us-east-1"
    std::string endpoint;   ///< empty: AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, else regional
    std::shared_ptr<aws::CredentialsProvider> credentials;  ///< null: the default chain
    std::shared_ptr<http::Transport> transport;             ///< null: a BeastTransport(http)
    http::TransportOptions http;                            ///< for the default transport
    RetryOptions retry;
    std::string table_prefix;  ///< prepended to every table name, e.g. "test-"
    /** Key for signing pagination cursors (HMAC-SHA256); empty = cursors are not signed. */
    std::string cursor_secret;
};

/** Per-call settings. */
struct CallOptions {
    /** False for requests that must not be sent twice when the outcome of an attempt is
        unknown (a connection lost after the request went out), e.g. an UpdateItem with ADD. */
    bool idempotent = true;
    /** Where the returned object is allocated (Boost.JSON storage); default: the default
        resource. A `boost::json::monotonic_resource` makes parsing a response much cheaper (one
        arena instead of an allocation per value); the caller keeps a non-owning resource alive
        as long as the response. */
    boost::json::storage_ptr storage{};
};

class Client {
public:
    /** A client configured from the environment (region, endpoint, credentials). */
    Client();
    explicit Client(ClientOptions options);

    /** Sends one DynamoDB operation ("PutItem", "GetItem", ...) and returns the response body.
        The table named in the error is the request's `TableName`, when it has one.
        @throws ConditionalCheckFailedError, TableNotFoundError, ValidationError,
                ProvisionedThroughputExceededError, ThrottlingError, TransactionConflictError,
                Error for other service errors (after retries where retryable);
                TransportError when no response arrived; Error (errc::crc32_mismatch,
                errc::invalid_response) for a corrupt response; Error (errc::credentials). */
    boost::json::object call(std::string_view operation, const boost::json::object& request,
                             CallOptions options = {}) const;

    /** The table name sent for a model's table: the prefix plus `name`. */
    std::string table_name(std::string_view name) const;

    const std::string& region() const noexcept;
    /** The key pagination cursors are signed with (empty: unsigned). */
    const std::string& cursor_secret() const noexcept;
    const http::Endpoint& endpoint() const noexcept;
    /** The transport, e.g. to read its connection counters. */
    const std::shared_ptr<http::Transport>& transport() const noexcept;

private:
    struct Impl;
    static std::shared_ptr<const Impl> make_impl(ClientOptions options);
    std::shared_ptr<const Impl> impl_;
};

/** The client used where none is given: the innermost `use_client` override on this thread,
    else a process-wide client built from the environment on first use. */
Client current_client();

/** Installs `client` as this thread's current client until the guard is destroyed. Guards
    nest; destroy them in reverse order (as scopes do). */
class [[nodiscard]] ClientOverride {
public:
    explicit ClientOverride(Client client);
    ~ClientOverride();
    ClientOverride(const ClientOverride&) = delete;
    ClientOverride& operator=(const ClientOverride&) = delete;

private:
    Client client_;
    const ClientOverride* previous_;
    friend Client current_client();
};

/** `auto guard = dynantic::use_client(c);` — scoped, nestable, thread-local override. */
inline ClientOverride use_client(Client client) { return ClientOverride(std::move(client)); }

}  // namespace dynantic
