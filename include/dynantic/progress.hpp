#pragma once
/** @file
    Progress of long operations, for a progress bar or a log line: `batch_save`, `batch_remove`
    and `batch_get` of many items (their last argument), parallel scans
    (`Scan::parallel(n, progress)`), and waiting for a new table to become ACTIVE
    (`CreateTableOptions::progress`).

    @code
    users.batch_save(many, {}, [](const dy::Progress& p) {
        std::printf("\r%zu/%zu items, %zu requests", p.done, p.total, p.pages);
    });
    @endcode

    The callback runs on the thread doing the work (for a parallel scan: on the segment threads,
    one call at a time, never two at once). An exception it throws is caught and logged
    (`LogLevel::warn`): it neither stops the operation nor loses its work. */

#include <cstddef>
#include <functional>
#include <string_view>

namespace dynantic {

/** Where a long operation stands. What `done` and `total` count depends on the operation:

    | operation | `done` / `total` | `pages` | `items` |
    |---|---|---|---|
    | BatchWriteItem (`batch_save`, `batch_remove`) | writes known applied / writes | requests sent | = `done` |
    | BatchGetItem (`batch_get`) | keys answered (found or absent) / distinct keys | requests sent | items found |
    | Scan (`parallel(n, progress)`) | segments finished / segments | pages read, all segments | items read |
    | CreateTable (waiting until ACTIVE) | table and global indexes ACTIVE / table + global indexes | DescribeTable polls | 0 |

    Called after each request; the last call has `done == total` when the operation succeeds. */
struct Progress {
    std::string_view operation;   ///< "BatchWriteItem", "BatchGetItem", "Scan" or "CreateTable"
    std::size_t done = 0;         ///< units finished (see the table)
    std::size_t total = 0;        ///< units in all
    std::size_t pages = 0;        ///< DynamoDB requests made so far
    std::size_t items = 0;        ///< items written or read so far
};

/** A progress callback; empty = none. */
using ProgressCallback = std::function<void(const Progress&)>;

namespace detail {
/** Calls `callback` (when set) with `progress`; an exception from it is caught and logged. */
void report_progress(const ProgressCallback& callback, const Progress& progress) noexcept;
}  // namespace detail

}  // namespace dynantic
