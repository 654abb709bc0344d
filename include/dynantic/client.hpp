// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `Client`: one DynamoDB JSON 1.0 call is `call(operation, request) -> response`. It signs the
    request (SigV4, service `dynamodb`), sends it, retries what may be retried, verifies
    `x-amz-crc32` when present and maps errors to exceptions. A `Client` is a cheap handle:
    copies share one configuration, credentials provider and connection pool, and may be used
    from many threads at once.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html */

#include <dynantic/aws/credentials.hpp>
#include <dynantic/aws/retry.hpp>
#include <dynantic/error.hpp>
#include <dynantic/operation.hpp>
#include <dynantic/http/transport.hpp>
#include <dynantic/metrics.hpp>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

namespace dynantic {

namespace detail {
struct ClientAccess;
}

using aws::RetryMode;
using aws::RetryOptions;

/** Client settings. Empty strings and null pointers mean "from the environment".

    Defaults, and why:
    - Credentials: the AWS SDKs' chain — environment, shared files (`AWS_PROFILE`), container
      endpoint, EC2 instance metadata (IMDSv2) — with temporary credentials refreshed 5 minutes
      before they expire (`aws::default_credentials_provider()`).
    - Retries (`retry`): the SDKs' "standard" mode — 3 attempts in all; full-jitter exponential
      backoff from 25 ms (transient errors: 5xx, network, CRC32 mismatch, transaction conflict)
      or 500 ms (throttling), capped at 20 s; a retry quota of 500 tokens per client (a retry
      costs 5, 10 after a timeout; each successful call gives back 1, or what its retry took).
      3 attempts rather than DynamoDB's legacy 10 (with a 25 ms base) because the quota and
      the backoff make a few attempts enough and keep a failing call's latency bounded; set
      `retry.max_attempts = 10` for the legacy behaviour, `retry.mode = RetryMode::adaptive`
      to also rate-limit the client once DynamoDB throttles it.
    - A failed attempt whose request may have been applied (a 5xx, a lost or corrupted response)
      is retried only for idempotent calls (`CallOptions::idempotent`); throttling, transaction
      conflicts and failures before the request was sent are retried for every call. A write
      that asks for old values (`ReturnValues` ALL_OLD or UPDATED_OLD, or UPDATED_NEW with a
      condition) is never resent after such a failure: the resend's answer would not be the
      first attempt's.
    - A conditional write (PutItem, UpdateItem, DeleteItem with a condition) resent after such
      a failure asks for the item on a failed condition (`ReturnValuesOnConditionCheckFailure =
      ALL_OLD`). If the resend's condition fails and the item shows this call's write (PutItem:
      the item equals the one written; DeleteItem: no item is left; UpdateItem:
      `CallOptions::recognizes_write`), the call succeeds; otherwise it throws
      `WriteOutcomeUnknownError`, never `ConditionalCheckFailedError`.
    - Timeouts (`http`): 3 s to connect (DNS, TCP, TLS), 10 s per attempt for the response, no
      limit on the whole call unless `call_timeout` is set.
    - TLS: certificates and host names verified; the CA bundle is `http.tls.ca_file`, else
      `AWS_CA_BUNDLE`, else the system store.
    - Connections: at most 64 per endpoint, idle ones closed after 30 s (`http.pool`). */
struct ClientOptions {
    std::string region{};     ///< empty: AWS_REGION, AWS_DEFAULT_REGION, the config file, else "us-east-1"
    std::string endpoint{};   ///< empty: AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, else regional
    /** null: the default chain; fixed keys: `aws::static_credentials("AKID", "secret")`. */
    std::shared_ptr<aws::CredentialsProvider> credentials{};
    std::shared_ptr<http::Transport> transport{};             ///< null: a BeastTransport(http)
    /** For the default transport. An empty `http.tls.ca_file` is filled from `AWS_CA_BUNDLE`. */
    http::TransportOptions http{};
    RetryOptions retry{};   ///< attempts, backoff and quota (defaults above)
    /** Longest time for a whole call, all attempts and delays included; 0 = no limit. An attempt
        in flight is cut short at the deadline (a `TransportError`, errc::timeout; the Beast
        transport checks it before every socket read and write, so the call ends within one
        read step of it whatever the server sends), and no retry is begun whose backoff delay
        would reach it. Credentials are fetched outside this bound. */
    std::chrono::milliseconds call_timeout{0};
    std::string table_prefix{};  ///< prepended to every table name, e.g. "test-"
    /** Key for signing pagination cursors (HMAC-SHA256); empty = cursors are not signed. */
    std::string cursor_secret{};
    /** Called once per `Client::call`, retries included, with its `CallMetrics` (metrics.hpp);
        empty = none. An exception it throws is caught and logged, never passed on. */
    MetricsHook metrics{};
};

/** Which JSON 1.0 API a call is for. Both are signed for the service `dynamodb`.
    - `dynamodb`: `X-Amz-Target: DynamoDB_20120810.<Operation>`, the client's endpoint.
    - `streams`: the DynamoDB Streams API, `X-Amz-Target: DynamoDBStreams_20120810.<Operation>`;
      sent to `streams.dynamodb.<region>.amazonaws.com` when the client uses AWS's regional
      endpoint, else to the client's endpoint (DynamoDB Local serves both on one port).
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html */
enum class Service { dynamodb, streams };

/** The `X-Amz-Target` prefix of a service: "DynamoDB_20120810." or "DynamoDBStreams_20120810.". */
constexpr std::string_view target_prefix(Service service) noexcept {
    return service == Service::streams ? "DynamoDBStreams_20120810." : "DynamoDB_20120810.";
}

/** Per-call settings. */
struct CallOptions {
    /** False for requests that must not be sent twice when the outcome of an attempt is
        unknown (a connection lost after the request went out, a 5xx, a corrupted response),
        e.g. an UpdateItem with ADD. Such failures are then surfaced instead of retried. */
    bool idempotent = true;
    /** Replaces `ClientOptions::call_timeout` for this call when not 0. */
    std::chrono::milliseconds timeout{0};
    /** Where the returned object is allocated (Boost.JSON storage); default: the default
        resource. A `boost::json::monotonic_resource` makes parsing a response much cheaper (one
        arena instead of an allocation per value); the caller keeps a non-owning resource alive
        as long as the response. */
    boost::json::storage_ptr storage{};
    /** For a conditional UpdateItem: recognises this call's own write in an item. When an
        attempt's outcome was unknown and a resend's condition then fails, `call` passes it the
        item DynamoDB returned; true means the item holds what this update writes, so the earlier
        attempt was applied and the call succeeds. Empty: such an UpdateItem ends in
        `WriteOutcomeUnknownError`. PutItem (the item equals the one written) and DeleteItem (no
        item is left) are recognised without it. `Table::update` and `update_item` set it. */
    std::function<bool(const boost::json::object& item)> recognizes_write{};
    /** The API the operation belongs to (see `Service`). */
    Service service = Service::dynamodb;
    /** When set, the body of a successful response is handed to it as text instead of being
        parsed, and `call` returns an empty object (in `storage`): a reader that decodes the text
        itself (Query and Scan pages, decoded straight into models). It returns false for a body
        that is not a JSON object, which `call` then reports as for an unparsable body
        (errc::invalid_response); it must not throw but `std::bad_alloc`. */
    std::function<bool(std::string_view body)> read_body{};
    /** Stops the call when stop is requested (`std::jthread::get_stop_token()`,
        `std::stop_source::get_token()`): checked before each attempt; it ends a backoff or
        rate-limiter wait at once, and an attempt in flight on the Beast transport at once while
        connecting, sending or receiving (the connection is then closed). The call throws
        `TransportError` (`errc::cancelled`), whose `request_sent()` says whether the request had
        gone out; a write stopped after its request was sent, or after an earlier attempt's
        outcome was unknown, throws `WriteOutcomeUnknownError` instead (it may have been
        applied). Empty (the default): the call cannot be stopped. The asynchronous API uses
        Asio's cancellation slots instead (`dynantic/asio/call.hpp`). */
    std::stop_token stop{};
};

/** A DynamoDB client: signs, sends and retries JSON 1.0 calls (see the file comment). Copies share one configuration and connection pool; thread-safe. */
class Client {
public:
    /** A client configured from the environment (region, endpoint, credentials). */
    Client();
    /** A client configured by `options`; what they leave empty comes from the environment. @throws Error (errc::configuration) for an unusable endpoint or region. */
    explicit Client(ClientOptions options);

    /** Sends one DynamoDB operation ("PutItem", "GetItem", ...) and returns the response body.
        The table named in the error is the request's `TableName`, when it has one.
        Retries follow `ClientOptions::retry` (see `ClientOptions`); each retry is logged at
        `LogLevel::warn` with its reason, each call at `debug` (or `info` when it needed retries
        or failed): "GetItem on table 'users': HTTP 200, 1 attempt, 3 ms", "PutItem on table
        'users': failed: ConditionalCheckFailedException (HTTP 400) [conditional check failed],
        1 attempt, 4 ms" (with "; not retried: <why>" when the failure was retryable).
        @throws ConditionalCheckFailedError, TableNotFoundError, ValidationError,
                WriteOutcomeUnknownError (see `ClientOptions`),
                ProvisionedThroughputExceededError, ThrottlingError, TransactionConflictError,
                Error for other service errors (after retries where retryable);
                TransportError when no usable response arrived, stating the time actually
                waited and whether the request had been sent, e.g. "PutItem on table 'x': timed
                out after 2003 ms (request timeout 2000 ms) waiting for the response from
                127.0.0.1:8000; the request had been sent (3 attempts)"; a call stopped by its
                timeout adds "; stopped by the call's timeout of 5000 ms after 5004 ms";
                Error (errc::crc32_mismatch, errc::invalid_response) for a corrupt response;
                Error (errc::credentials). */
    boost::json::object call(Operation operation, const boost::json::object& request, CallOptions options = {}) const;
    /** As above, for an operation named by a string (one `Operation` lacks): the escape hatch.
        A name that is an `Operation`'s gets the same rules as the typed overload. */
    boost::json::object call(std::string_view operation, const boost::json::object& request,
                             CallOptions options = {}) const;

    /** The table name sent for a model's table: the prefix plus `name`. */
    std::string table_name(std::string_view name) const;

    /** `ClientOptions::call_timeout` (0: no limit). */
    std::chrono::milliseconds call_timeout() const noexcept;
    /** The region requests are signed for, e.g. "us-east-1". */
    const std::string& region() const noexcept;
    /** The key pagination cursors are signed with (empty: unsigned). */
    const std::string& cursor_secret() const noexcept;
    /** Where requests go: scheme, host and port. */
    const http::Endpoint& endpoint() const noexcept;
    /** The transport. */
    const std::shared_ptr<http::Transport>& transport() const noexcept;
    /** Connection counters of the transport (opened, reused, idle); zeros for a transport that
        keeps none. */
    http::TransportStats transport_stats() const;

private:
    struct Impl;
    friend struct detail::ClientAccess;   // the call plan and the asynchronous calls (src/)
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
    /** Makes `client` the current client of this thread until destroyed. */
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
