// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The exception hierarchy. Every failure of the library is an exception derived from
    `dynantic::Error` (a `std::system_error`) that names the DynamoDB operation, the table and
    the cause. Subclasses exist only where callers branch; everything else is told apart by
    `code()` (a `dynantic::errc`) or grouped by `dynantic::condition` without `dynamic_cast`:

        catch (const dy::Error& e) { if (e.code() == dy::condition::retryable) ...; }

    Error codes from DynamoDB follow
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html and the
    per-operation error lists of the API reference. */

#include <dynantic/operation.hpp>

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace dynantic {

/** What went wrong, one value per cause the library can tell apart. */
enum class errc {
    // Sent by DynamoDB (the part of "__type" after '#').
    conditional_check_failed = 1,      ///< ConditionalCheckFailedException
    resource_not_found,                ///< ResourceNotFoundException (table or index missing)
    resource_in_use,                   ///< ResourceInUseException (e.g. table already exists)
    validation,                        ///< ValidationException, or refused before sending
    provisioned_throughput_exceeded,   ///< ProvisionedThroughputExceededException
    throttling,                        ///< ThrottlingException
    request_limit_exceeded,            ///< RequestLimitExceeded
    limit_exceeded,                    ///< LimitExceededException
    item_collection_size_limit_exceeded,
    transaction_canceled,              ///< TransactionCanceledException
    transaction_conflict,              ///< TransactionConflictException
    transaction_in_progress,           ///< TransactionInProgressException
    idempotent_parameter_mismatch,     ///< IdempotentParameterMismatchException
    access_denied,                     ///< AccessDeniedException
    unrecognized_client,               ///< UnrecognizedClientException
    invalid_signature,                 ///< InvalidSignatureException
    expired_token,                     ///< ExpiredTokenException
    missing_authentication_token,      ///< MissingAuthenticationTokenException
    internal_server_error,             ///< InternalServerError (HTTP 500)
    service_unavailable,               ///< ServiceUnavailable (HTTP 503)
    unknown_service_error,             ///< any other error code DynamoDB sends
    // Raised on this side of the wire.
    network,                           ///< connect, read or write failed; no usable response
    timeout,                           ///< connect or attempt deadline passed
    tls,                               ///< TLS handshake or certificate verification failed
    crc32_mismatch,                    ///< response body does not match its x-amz-crc32 header
    invalid_response,                  ///< response is not the JSON DynamoDB sends
    decode,                            ///< an item does not match its C++ model
    credentials,                       ///< no credentials could be found or loaded
    configuration,                     ///< invalid endpoint, region or option
    batch_incomplete,                  ///< batch work remained after every retry
    /** A conditional write was resent after an attempt whose outcome is unknown, and the
        resend's condition failed on an item that does not show this call's write: the write
        may or may not have been applied (`WriteOutcomeUnknownError`). */
    outcome_unknown,
    /** The call was cancelled by its caller (an Asio cancellation slot, or
        `CallOptions::stop`) before a response arrived; a `TransportError` whose
        `request_sent()` says whether the request had gone out. Never retried. */
    cancelled,
};

/** Groups of `errc` a caller can test with `e.code() == condition::x`. */
enum class condition {
    retryable = 1,   ///< throttling, 5xx, network, timeout, CRC mismatch, transaction conflict or in progress
    throttling,      ///< the request rate or capacity was exceeded
    client_error,    ///< the request was wrong: retrying it unchanged fails again
    server_error,    ///< DynamoDB failed (5xx)
    transport,       ///< network, timeout or TLS: the request may or may not have been applied
};

}  // namespace dynantic

namespace std {
template <>
struct is_error_code_enum<dynantic::errc> : true_type {};
template <>
struct is_error_condition_enum<dynantic::condition> : true_type {};
}  // namespace std

namespace dynantic {

/** The `std::error_category` of `errc` ("dynantic"). */
const std::error_category& error_category() noexcept;
/** `e` in `error_category()`; lets `errc` values convert to `std::error_code`. */
std::error_code make_error_code(errc e) noexcept;
/** `c` in `error_category()`; lets `condition` values be compared with codes (`code() == condition::retryable`). */
std::error_condition make_error_condition(condition c) noexcept;

/** The fields every error carries. Strings are empty and `http_status` 0 where not known. */
struct ErrorInfo {
    std::string operation{};    ///< DynamoDB operation, e.g. "PutItem"
    std::string table{};        ///< table name, without decoration
    std::string aws_code{};     ///< e.g. "ConditionalCheckFailedException"; empty for local errors
    std::string message{};      ///< the cause, as DynamoDB or the library states it
    unsigned http_status = 0;   ///< 0 when no response arrived
    std::string request_id{};   ///< x-amzn-RequestId
};

namespace detail {
/** The context of errors of `operation` on `table` (the name sent, prefix included). */
inline ErrorInfo operation_context(Operation operation, std::string_view table = {}) {
    return ErrorInfo{std::string(to_string(operation)), std::string(table), {}, {}, 0, {}};
}
}  // namespace detail

/** Root of all exceptions thrown by dynantic.
    `what()` reads "PutItem on table 'users': ConditionalCheckFailedException: The conditional
    request failed" (parts that are unknown are left out). It never contains credentials. */
class Error : public std::system_error {
public:
    /** An error with `code` (an `errc` or any other code) and the context in `info`. */
    Error(std::error_code code, ErrorInfo info);
    /** An error with the dynantic code `code` and the context in `info`. */
    Error(errc code, ErrorInfo info) : Error(make_error_code(code), std::move(info)) {}

    /** "<operation> on table '<table>': <aws code>: <message>" (unknown parts left out). */
    const char* what() const noexcept override { return what_.c_str(); }
    /** The DynamoDB operation, e.g. "PutItem"; empty for errors outside a call. */
    std::string_view operation() const noexcept { return info_.operation; }
    /** `operation()` as an `Operation`; `std::nullopt` when empty or not a DynamoDB operation
        (a PartiQL verb, "key", ...). */
    std::optional<Operation> operation_id() const noexcept { return operation_from_string(info_.operation); }
    /** The table name (`ErrorInfo::table`); empty when the operation names none. */
    std::string_view table() const noexcept { return info_.table; }
    /** DynamoDB's error code, e.g. "ConditionalCheckFailedException"; empty for local errors. */
    std::string_view aws_code() const noexcept { return info_.aws_code; }
    /** The cause alone, without operation and table. */
    std::string_view message() const noexcept { return info_.message; }
    /** The HTTP status of the response; 0 when no response arrived. */
    unsigned http_status() const noexcept { return info_.http_status; }
    /** DynamoDB's `x-amzn-RequestId`, for AWS support; empty when unknown. */
    std::string_view request_id() const noexcept { return info_.request_id; }
    /** All the fields above. */
    const ErrorInfo& info() const noexcept { return info_; }
    /** True when retrying the same request may succeed (`code() == condition::retryable`). */
    bool retryable() const noexcept;

private:
    ErrorInfo info_;
    std::string what_;
};

/** A condition expression evaluated to false (ConditionalCheckFailedException). `item()` holds
    the item's current attributes when the request asked for them with
    `ReturnValuesOnConditionCheckFailure = ALL_OLD` and the item exists. */
class ConditionalCheckFailedError : public Error {
public:
    /** `item`: the item's current attributes (DynamoDB JSON), when the response had them. */
    ConditionalCheckFailedError(ErrorInfo info, std::optional<boost::json::object> item = {});
    /** The item's current attributes (DynamoDB JSON; decode with `from_item<Model>`), if sent. */
    const std::optional<boost::json::object>& item() const noexcept { return item_; }

private:
    std::optional<boost::json::object> item_;
};

/** The table (or index) does not exist, or is not ACTIVE (ResourceNotFoundException). */
class TableNotFoundError : public Error {
public:
    /** Code `errc::resource_not_found`. */
    explicit TableNotFoundError(ErrorInfo info) : Error(errc::resource_not_found, std::move(info)) {}
};

/** The request is invalid: refused by DynamoDB (ValidationException) or by the library before
    sending (empty key, item too large, ...). Retrying it unchanged fails again. */
class ValidationError : public Error {
public:
    /** Code `errc::validation`. */
    explicit ValidationError(ErrorInfo info) : Error(errc::validation, std::move(info)) {}
};

/** Provisioned capacity exceeded (ProvisionedThroughputExceededException); retryable. */
class ProvisionedThroughputExceededError : public Error {
public:
    /** Code `errc::provisioned_throughput_exceeded`. */
    explicit ProvisionedThroughputExceededError(ErrorInfo info)
        : Error(errc::provisioned_throughput_exceeded, std::move(info)) {}
};

/** Request rate too high (ThrottlingException, RequestLimitExceeded); retryable. */
class ThrottlingError : public Error {
public:
    /** `code`: `errc::throttling` or `errc::request_limit_exceeded`. */
    ThrottlingError(errc code, ErrorInfo info) : Error(code, std::move(info)) {}
};

/** Another transaction is writing the same item (TransactionConflictException); retryable. */
class TransactionConflictError : public Error {
public:
    /** Code `errc::transaction_conflict`. */
    explicit TransactionConflictError(ErrorInfo info)
        : Error(errc::transaction_conflict, std::move(info)) {}
};

/** A transaction with the same client request token is still running
    (TransactionInProgressException); retryable. */
class TransactionInProgressError : public Error {
public:
    /** Code `errc::transaction_in_progress`. */
    explicit TransactionInProgressError(ErrorInfo info)
        : Error(errc::transaction_in_progress, std::move(info)) {}
};

/** Why one action of a cancelled transaction failed: one entry of the
    `CancellationReasons` DynamoDB sends with TransactionCanceledException, in the order of the
    transaction's actions.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html */
struct CancellationReason {
    std::string code{};      ///< "None", "ConditionalCheckFailed", "TransactionConflict", "ValidationError", ...
    std::string message{};   ///< DynamoDB's explanation; empty for "None"
    /** The item's attributes, when the action asked for them
        (ReturnValuesOnConditionCheckFailure = ALL_OLD) and its condition failed. Decode with
        `from_item<Model>(*item)`. */
    std::optional<boost::json::object> item{};
    /** What the action was, filled in by `transact_write` / `transact_get`: "Put", "Delete",
        "Update", "ConditionCheck" or "Get"; empty when the error came from `Client::call`. */
    std::string operation{};
    std::string table{};     ///< the action's table; empty when unknown (as `operation`)

    /** True unless `code` is "None" (the action did not cause the cancellation). */
    bool failed() const noexcept { return !code.empty() && code != "None"; }
};

/** A transaction was cancelled (TransactionCanceledException): nothing was written. `reasons()`
    has one entry per action, in order; `what()` names each failing action by index, kind and
    table, e.g. "TransactWriteItems: TransactionCanceledException: action 1 (ConditionCheck on
    table 'accounts') failed: ConditionalCheckFailed: The conditional request failed". */
class TransactionCanceledError : public Error {
public:
    /** `reasons`: one per action of the transaction, in order. */
    TransactionCanceledError(ErrorInfo info, std::vector<CancellationReason> reasons);
    /** One reason per action, in the order of the transaction's actions. */
    const std::vector<CancellationReason>& reasons() const noexcept { return reasons_; }
    /** Indexes of the actions whose reason is not "None". */
    std::vector<std::size_t> failed_actions() const;

private:
    std::vector<CancellationReason> reasons_;
};

/** A response item does not match its C++ model: a required attribute is missing, has another
    wire type, or holds an unparsable value. The message names the attribute, the expected and
    the found type. */
class DecodeError : public Error {
public:
    /** Code `errc::decode`. */
    explicit DecodeError(ErrorInfo info) : Error(errc::decode, std::move(info)) {}
};

/** A conditional write (PutItem, UpdateItem or DeleteItem with a condition) may or may not
    have been applied. An attempt's outcome was unknown (a 5xx, a connection lost after the
    request went out, a lost or corrupted answer), so the write was resent, asking for the item
    on a failed condition (`ReturnValuesOnConditionCheckFailure = ALL_OLD`); the resend's
    condition failed, and the item DynamoDB returned is not what this call wrote (another writer
    changed it between the attempts, or the earlier attempt was not applied at all). When the
    item does show this call's write, the call reports success instead (see README, "Errors").

    `code()` is `errc::outcome_unknown`; `request_sent()` is always true; `item()` holds the
    item DynamoDB returned as raw item JSON (decode it with `from_item<Model>`), empty when no
    item exists. `what()` never quotes item values. */
class WriteOutcomeUnknownError : public Error {
public:
    /** Code `errc::outcome_unknown`; `item` is the item the resend found (raw item JSON),
        `std::nullopt` when no item has the key. */
    WriteOutcomeUnknownError(ErrorInfo info, std::optional<boost::json::object> item)
        : Error(errc::outcome_unknown, std::move(info)), item_(std::move(item)) {}
    /** Always true: the write reached DynamoDB at least once. */
    bool request_sent() const noexcept { return true; }
    /** The item's attributes as the resend found them; empty when no item has the key. */
    const std::optional<boost::json::object>& item() const noexcept { return item_; }

private:
    std::optional<boost::json::object> item_;
};

/** No response could be had: connection refused or reset, timeout, TLS failure. `code()` is
    `errc::network`, `errc::timeout` or `errc::tls`.

    `request_sent()` tells whether the server may have received the request: false when the
    failure came before the request was completely handed to the connection (DNS resolution,
    connect, TLS handshake, waiting for a pooled connection, or a write that failed part-way,
    which leaves the server an incomplete message it cannot act on); true otherwise (the request
    went out and no complete response came back). A write whose error has `request_sent()` true
    may or may not have been applied; one with false was not. */
class TransportError : public Error {
public:
    /** `code`: `errc::network`, `errc::timeout` or `errc::tls`; `request_sent` as `request_sent()`. */
    TransportError(errc code, ErrorInfo info, bool request_sent = true)
        : Error(code, std::move(info)), request_sent_(request_sent) {}
    /** False only when the request certainly did not reach the server (see the class comment). */
    bool request_sent() const noexcept { return request_sent_; }

private:
    bool request_sent_;
};

namespace detail {
/** Throws the exception class that matches `info.aws_code` (the part after '#'). `body` is the
    parsed error response, when there is one: TransactionCanceledException reads its
    `CancellationReasons` from it. */
[[noreturn]] void throw_service_error(ErrorInfo info, std::optional<boost::json::object> item = {},
                                      const boost::json::object* body = nullptr);
/** The `CancellationReasons` of a TransactionCanceledException response body (empty if none).
    When `problem` is given, the first shape error found is stored there (a reason that is not an
    object, a `Code` that is not a string, ...): names and positions only, never values. */
std::vector<CancellationReason> parse_cancellation_reasons(const boost::json::object& body,
                                                           std::string* problem = nullptr);
/** "action 1 (ConditionCheck on table 'accounts') failed: ConditionalCheckFailed: <message>;
    action 3 ..." for every failing reason (index, and kind and table where known). */
std::string describe_cancellation(const std::vector<CancellationReason>& reasons);
/** Maps an AWS error code ("ValidationException") to `errc`. */
errc errc_from_aws_code(std::string_view aws_code, unsigned http_status) noexcept;
}  // namespace detail

}  // namespace dynantic
