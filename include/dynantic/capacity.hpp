// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Consumed capacity: what a call asks for (`ReturnConsumedCapacity`: TOTAL, or INDEXES for the
    per-table and per-index breakdown) and what it gets back (`ConsumedCapacity`), summed over
    every request the library sends for one call (the chunks and retries of a batch, the pages
    of `all()`). Plain aggregates; standard library only.

    @code
    dy::WriteResult<User> r = users.save(u, {.return_consumed_capacity = dy::ReturnConsumedCapacity::indexes});
    double units = r.capacity->capacity_units;                     // the whole call
    double gsi = r.capacity->tables.at("users").global_secondary_indexes.at("ByEmail").capacity_units;
    @endcode
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ConsumedCapacity.html */

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace dynantic {

/** How much consumed capacity a call asks DynamoDB to report (`ReturnConsumedCapacity`). */
enum class ReturnConsumedCapacity {
    none,     ///< not asked (the default; the parameter is not sent)
    total,    ///< TOTAL: the units of the call, per table
    indexes,  ///< INDEXES: also the units of the table itself and of each index it updated or read
};

/** The wire name of a `ReturnConsumedCapacity`: "NONE", "TOTAL", "INDEXES". */
constexpr std::string_view to_string(ReturnConsumedCapacity r) noexcept {
    constexpr std::string_view names[] = {"NONE", "TOTAL", "INDEXES"};
    return names[static_cast<int>(r)];
}

/** Capacity units (DynamoDB's `Capacity`): read and write units are 0 when DynamoDB does not
    split them (it reports only `CapacityUnits` for most calls). */
struct CapacityUnits {
    double capacity_units = 0;        ///< CapacityUnits: read + write units
    double read_capacity_units = 0;   ///< ReadCapacityUnits, when reported
    double write_capacity_units = 0;  ///< WriteCapacityUnits, when reported

    /** Adds `other`'s units. */
    CapacityUnits& operator+=(const CapacityUnits& other) noexcept {
        capacity_units += other.capacity_units;
        read_capacity_units += other.read_capacity_units;
        write_capacity_units += other.write_capacity_units;
        return *this;
    }
    friend bool operator==(const CapacityUnits&, const CapacityUnits&) = default;
};

/** The units one table's share of a call consumed. With `ReturnConsumedCapacity::indexes`,
    also the table's own units and each index's, by index name (DynamoDB's `Table`,
    `GlobalSecondaryIndexes` and `LocalSecondaryIndexes`); empty with `total`. */
struct TableCapacity : CapacityUnits {
    CapacityUnits table;   ///< the base table's own units (INDEXES only)
    std::map<std::string, CapacityUnits, std::less<>> global_secondary_indexes;  ///< by index name (INDEXES only)
    std::map<std::string, CapacityUnits, std::less<>> local_secondary_indexes;   ///< by index name (INDEXES only)

    /** Adds `other`'s units, index by index. */
    TableCapacity& operator+=(const TableCapacity& other);
    friend bool operator==(const TableCapacity&, const TableCapacity&) = default;
};

/** The capacity a call consumed: its total (the base `CapacityUnits`) and each table's share,
    by the table name sent (the client's prefix included). Summed over every request the
    library sent for the call: the chunks and the retries of unprocessed items of a batch, the
    retries of a cancelled transaction, the pages of a query or scan. A request that failed
    reports nothing (DynamoDB sends no capacity with an error). */
struct ConsumedCapacity : CapacityUnits {
    std::map<std::string, TableCapacity, std::less<>> tables;   ///< by table name

    /** Adds `other`'s units, table by table and index by index. */
    ConsumedCapacity& operator+=(const ConsumedCapacity& other);
    friend bool operator==(const ConsumedCapacity&, const ConsumedCapacity&) = default;
};

}  // namespace dynantic
