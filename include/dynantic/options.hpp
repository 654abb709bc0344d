// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The option types of the operations: reads (`GetOptions`), conditional writes
    (`WriteOptions`, `ReturnValues`), table administration (`CreateTableOptions`, ...), batches
    (`BatchOptions`), transactions (`TransactOptions`) and tables (`TableOptions`). Plain
    aggregates, no dependencies beyond the standard library, capacity.hpp and progress.hpp. */

#include <dynantic/capacity.hpp>
#include <dynantic/progress.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dynantic {

/** Options of `Table::get` (GetItem) and `batch_get` (BatchGetItem). */
struct GetOptions {
    bool consistent_read = false;  ///< strongly consistent read (ConsistentRead)
    /** Ask for the consumed capacity (ReturnConsumedCapacity); it is added to
        `*consumed_capacity` when that is not null (and reported to the metrics hook). */
    ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
    /** Where the capacity of the call is added (`+=`; every chunk and retry of a `batch_get`);
        null: nowhere. The caller keeps it alive during the call; not synchronised. */
    ConsumedCapacity* consumed_capacity = nullptr;
};

/** Options of conditional writes (`save`, `create`, `remove`, and their operation values). */
struct WriteOptions {
    /** On a failed condition, return the item's current attributes in
        `ConditionalCheckFailedError::item()` (ReturnValuesOnConditionCheckFailure = ALL_OLD). */
    bool return_item_on_condition_failure = false;
    /** For models with a version attribute: add the version condition (default). The version
        is incremented either way. */
    bool check_version = true;
    /** PutItem and DeleteItem: return the item the write replaced or deleted, decoded, in
        `WriteResult::old_item` (ReturnValues = ALL_OLD). Such a write is not resent after an
        attempt whose answer was lost (the resend's answer would not be the first one's): it
        fails with that attempt's error instead. */
    bool return_old_item = false;
    /** Ask for the consumed capacity (ReturnConsumedCapacity): `WriteResult::capacity`,
        `UpdateResult::capacity`. */
    ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
};

/** Which attributes an UpdateItem returns (ReturnValues). */
enum class ReturnValues { none, all_old, updated_old, all_new, updated_new };

/** The wire name of a `ReturnValues`: "NONE", "ALL_OLD", ... */
constexpr std::string_view to_string(ReturnValues r) noexcept {
    constexpr std::string_view names[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"};
    return names[static_cast<int>(r)];
}

/** Capacity mode of a new table (BillingMode). */
struct ProvisionedThroughput {
    std::int64_t read_capacity_units = 5;   ///< ReadCapacityUnits, per table and per index
    std::int64_t write_capacity_units = 5;  ///< WriteCapacityUnits, per table and per index
};

/** What a table's stream records (StreamSpecification.StreamViewType). */
enum class StreamView { none, keys_only, new_image, old_image, new_and_old_images };

/** Options of `Table::create_table`. */
struct CreateTableOptions {
    bool wait = true;                          ///< block until the table and its indexes are ACTIVE
    std::chrono::seconds timeout{300};         ///< give up waiting after this long
    /** Provisioned capacity; empty: on-demand (PAY_PER_REQUEST). */
    std::optional<ProvisionedThroughput> provisioned{};
    StreamView stream = StreamView::none;      ///< a DynamoDB stream, when not `none`
    /** Enable TTL on the schema's TTL attribute after creating the table (UpdateTimeToLive). */
    bool enable_ttl = true;
    /** Called after each DescribeTable while waiting: the table and its global indexes ACTIVE so
        far, of all; empty = none. See progress.hpp. */
    ProgressCallback progress{};
};

/** A table's time-to-live setting (DescribeTimeToLive). */
struct TimeToLive {
    std::string status{};        ///< "ENABLED", "DISABLED", "ENABLING", "DISABLING"
    std::string attribute_name{};  ///< empty when disabled
};

/** How a batch operation retries the work DynamoDB leaves unprocessed (`UnprocessedItems`,
    `UnprocessedKeys`, or a throttling error for a whole request after the client's own retries):
    exponential backoff with full jitter, each delay random in
    [0, min(max_delay, base_delay * 2^(retry - 1))]. With the defaults, a chunk is given up on
    after at most about 6.4 s of waiting. See batch.hpp. */
struct BatchOptions {
    unsigned max_attempts = 8;                   ///< sends of one chunk's work in all, first included; 0 = 1
    std::chrono::milliseconds base_delay{50};    ///< cap of the first retry's delay
    std::chrono::milliseconds max_delay{5'000};  ///< cap on any one delay
    /** Longest time for the whole batch call, every chunk, retry and delay included; 0: no
        bound on the whole. Each chunk (25 writes, 100 keys) with its retries is also bounded by
        the client's `ClientOptions::call_timeout` (when set), as one call and its attempts are.
        Each request gets the time left as its call timeout, and no retry is begun whose delay
        would reach a deadline: the work not done is in the `BatchError`. */
    std::chrono::milliseconds timeout{0};
    /** Ask for the consumed capacity of every request (ReturnConsumedCapacity). */
    ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
    /** Where the capacity is added (`+=`), summed over every chunk and every retry of
        unprocessed work; also on a `BatchError` (what was consumed before it). Null: nowhere. */
    ConsumedCapacity* consumed_capacity = nullptr;
};

/** Options of `transact_write`, `transact_get` and `Transaction` (transaction.hpp). */
struct TransactOptions {
    /** TransactWriteItems' idempotency token (1 to 36 characters). Empty: a random UUID per
        call (per `Transaction`), which is what you want unless you retry a call yourself
        within DynamoDB's 10-minute idempotency window. */
    std::string client_request_token{};
    unsigned max_attempts = 5;                   ///< sends in all of a transaction cancelled for a retryable reason; 0 = 1
    std::chrono::milliseconds base_delay{50};    ///< cap of the first retry's delay (full jitter)
    std::chrono::milliseconds max_delay{2'000};  ///< cap on any one delay
    /** Longest time for the whole call, retries of a cancelled transaction and their delays
        included; 0: the client's `ClientOptions::call_timeout` (0 there too: bounded by
        `max_attempts` only). */
    std::chrono::milliseconds timeout{0};
    /** Ask for the consumed capacity (ReturnConsumedCapacity). */
    ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
    /** Where the capacity is added (`+=`), summed over the retries of a cancelled
        transaction (a cancelled request reports none). Null: nowhere. */
    ConsumedCapacity* consumed_capacity = nullptr;
};

/** Options of a `Table<Model>` (table.hpp). */
struct TableOptions {
    /** On a write (`save`, `create`, `remove`, `remove_item`, `update(...).execute()`, their
        `try_` forms and `execute`) that fails with TableNotFoundError (ResourceNotFoundException:
        nothing was written), create the table from the schema (`create_table(create_table)`,
        waiting until it is ACTIVE), then send the write once more. Each table is created at most
        once per process (keyed by endpoint, region and table name; threads that find it missing
        together wait for the one that creates it; a table another process creates meanwhile is
        waited for). Off by default: creating tables is usually a deployment's job. */
    bool create_table_on_first_write = false;
    /** How such a table is created. The wait is bounded by the smaller of `timeout` and the
        client's `call_timeout` (when set), rounded up to whole seconds. */
    CreateTableOptions create_table{};
};

}  // namespace dynantic
