#pragma once
/** @file
    Per-call metrics: `ClientOptions::metrics` is called once for every `Client::call` (one
    DynamoDB operation, all its retries included) with what a dashboard wants: operation, table,
    latency, attempts, why it retried, HTTP status, bytes and consumed capacity. The same kind of
    record as the AWS SDK for Java's `MetricPublisher` or aws-sdk-cpp's monitoring interface.

    @code
    dy::Client client{{.metrics = [](const dy::CallMetrics& m) {
        calls_total.labels(m.operation, m.ok() ? "ok" : m.aws_code).inc();
        latency_seconds.labels(m.operation).observe(std::chrono::duration<double>(m.latency).count());
    }}};
    @endcode

    The hook runs on the calling thread, after the call's last attempt and before the call
    returns or throws, so it should be quick (increment counters; hand anything slow to another
    thread). It must be thread-safe when the client is used from several threads. An exception it
    throws is caught and logged (`LogLevel::warn`), never passed to the caller. The record holds
    no request or item values, only names and numbers. */

#include <dynantic/aws/retry.hpp>
#include <dynantic/operation.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

namespace dynantic {

/** One `Client::call`, as the metrics hook sees it. The string views are valid only during the
    hook's call: copy what you keep. */
struct CallMetrics {
    std::string_view operation;   ///< the DynamoDB operation: "GetItem", "BatchWriteItem", ...
    /** `operation` as an `Operation`; `std::nullopt` for a name sent through `Client::call`'s
        string overload that `Operation` lacks. */
    std::optional<Operation> operation_id() const noexcept { return operation_from_string(operation); }
    /** The table the request names (with the client's table prefix): its `TableName`; for
        BatchGetItem and BatchWriteItem the tables of `RequestItems`, for TransactWriteItems and
        TransactGetItems those of the actions' `TableName`s. A request on several tables gives
        their names in request order, each once, joined by "," (a label that still tells the
        tables apart; the library's own batches name one table each). Empty for operations on no
        table (ListTables). */
    std::string_view table;
    /** Wall time of the whole call: signing, every attempt, backoff delays and parsing. */
    std::chrono::nanoseconds latency{0};
    /** Requests sent: 1, plus one per retry; 0 when none was (credentials could not be loaded). */
    unsigned attempts = 0;
    /** Why each retry happened, in order (`attempts - 1` entries when the call ended after a
        retry): `throttling`, `transient` (5xx, network, CRC32 mismatch, transaction conflict) or
        `timeout`. `retry_reason_name` gives a label for each. */
    std::vector<aws::RetryReason> retry_reasons;
    /** HTTP status of the last response; 0 when no response arrived. */
    unsigned http_status = 0;
    /** Request body bytes handed to the transport, summed over attempts (HTTP headers and TLS
        framing not counted). */
    std::size_t bytes_sent = 0;
    /** Response body bytes received, summed over attempts. */
    std::size_t bytes_received = 0;
    /** Capacity units the response reports (`ConsumedCapacity`, summed over its tables for batch
        and transaction calls); set only when the request asked for it
        (`ReturnConsumedCapacity`) and the call succeeded. */
    std::optional<double> consumed_capacity;
    /** Empty on success; else the code of the `dynantic::Error` the call throws (compare with
        `dynantic::errc` or `dynantic::condition`). */
    std::error_code error;
    /** DynamoDB's error code when the call failed with one ("ConditionalCheckFailedException");
        empty otherwise. */
    std::string_view aws_code;

    /** True when the call returned a response. */
    bool ok() const noexcept { return !error; }
};

/** The metrics hook of `ClientOptions::metrics`; empty = no metrics (and no clock reads). */
using MetricsHook = std::function<void(const CallMetrics&)>;

/** A label for a retry reason: "throttling", "transient", "timeout" ("none" for `none`). */
std::string_view retry_reason_name(aws::RetryReason reason) noexcept;

namespace detail {
/** The `CapacityUnits` of a response's `ConsumedCapacity` (an object, or an array of them for
    batch and transaction calls, summed); `std::nullopt` when the response has none. */
std::optional<double> consumed_capacity_units(const boost::json::object& response) noexcept;
/** Logs (`LogLevel::warn`) that a user callback (`who`: "the metrics hook") threw `error`, which
    was ignored. Never throws. */
void log_callback_exception(std::string_view who, std::exception_ptr error) noexcept;
}  // namespace detail

}  // namespace dynantic
