// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Batch reads and writes of one model's table that never lose an item.

    @code
    std::vector<User> got = users.batch_get({"u1", "u2", "u3"});     // BatchGetItem, 100 a request
    users.batch_save(many);                                          // BatchWriteItem, 25 a request
    users.batch_remove(std::vector<std::string>{"u1", "u2"});
    {
        auto w = users.batch_writer();   // puts and deletes, sent 25 at a time
        w.save(x);
        w.remove("u9");
        w.flush();                       // optional: also at scope end
    }
    @endcode

    What DynamoDB leaves unprocessed (`UnprocessedItems`, `UnprocessedKeys`, or a throttling
    error for a whole request after the client's own retries) is sent again with exponential
    backoff and full jitter, bounded by `BatchOptions` (options.hpp): `max_attempts` and the
    client's `call_timeout` per chunk, `timeout` for the whole batch. If work still remains, or a
    later request fails, a `BatchError` carries exactly the requests not known to be applied
    (and, for reads, the items already read), so the caller can retry them: batch puts and
    deletes are idempotent. If the very first request fails, nothing was done and its own error
    (ValidationError, TableNotFoundError, TransportError, ...) is thrown unchanged.

    Consumed capacity: `BatchOptions{.return_consumed_capacity = ReturnConsumedCapacity::total,
    .consumed_capacity = &c}` adds the units of every request (each chunk and each retry) to `c`
    (capacity.hpp), also when a `BatchError` ends the call.

    DynamoDB cannot attach conditions to batch writes: versioned models are written without a
    version check (see `Table::batch_save`); use `transact_write` (transaction.hpp) or `save`
    when the check matters.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */

#include <dynantic/batch_error.hpp>
#include <dynantic/batch_writer.hpp>
#include <dynantic/table.hpp>   // the batch members of Table (batch_get, batch_save, ...)
