#pragma once
/** @file
    `ScopedTable<Model>`: the model's table, created for one test under a unique name and
    deleted when the test ends, so tests never see each other's items and may run in parallel.

    @code
    TEST(Users, SaveThenGet) {
        DYNANTIC_SKIP_WITHOUT_DYNAMODB();
        dynantic::testkit::ScopedTable<User> users;      // CreateTable "dyt-<pid>-<n>-<rand>-users"
        users->save({"u1", "Ann"});
        EXPECT_TRUE(users->get("u1"));
    }                                                    // DeleteTable
    @endcode

    The unique part is a table prefix of the table's own client (`ClientOptions::table_prefix`),
    so the model's schema is unchanged and every operation through `table()` or `client()`
    (queries, indexes, batch and transaction calls made with that client) uses the scoped name.

    Header-only; link the CMake target `dynantic::testing`. */

#include <dynantic/client.hpp>
#include <dynantic/error.hpp>
#include <dynantic/table.hpp>
#include <dynantic/testkit/local_dynamodb.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

#include <unistd.h>

namespace dynantic::testkit {

/** A table-name prefix unique to this process and call: "<stem>-<pid>-<counter>-<random>-"
    (letters, digits and '-', as DynamoDB table names allow). */
inline std::string unique_table_prefix(std::string_view stem = "dyt") {
    static std::atomic<unsigned> counter{0};
    static const unsigned salt = std::random_device{}() & 0xffffu;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "-%ld-%u-%04x-", static_cast<long>(::getpid()), counter.fetch_add(1), salt);
    return std::string(stem) + buffer;
}

/** Settings of `ScopedTable`. */
struct ScopedTableOptions {
    CreateTableOptions create{};   ///< how `CreateTable` waits
    bool delete_at_end = true;     ///< false: leave the table behind (to inspect it)
};

/** `Model`'s table under a unique name for the life of this object: CreateTable on
    construction (by default waiting until ACTIVE, see `ScopedTableOptions::create`), DeleteTable
    on destruction (see the file comment). Not copyable. */
template <class Model>
class ScopedTable {
public:
    /** Creates the table on the test endpoint (`test_client_options()`).
        @throws std::runtime_error when no endpoint is configured (DYNANTIC_TEST_ENDPOINT unset):
                a scoped table never falls back to the regional AWS endpoint. Guard the test with
                `DYNANTIC_SKIP_WITHOUT_DYNAMODB()`.
        @throws Error when CreateTable fails. */
    ScopedTable() : ScopedTable(checked_test_options()) {}

    /** Creates the table with a client built from `options`, whose `table_prefix` gets a unique
        part appended (`options.table_prefix + unique_table_prefix()`). */
    explicit ScopedTable(ClientOptions options, ScopedTableOptions scoped = {})
        : client_(with_unique_prefix(std::move(options))), table_(client_), scoped_(scoped) {
        table_.create_table(scoped_.create);
    }

    /** Creates the table with `client` as it is: its table prefix should already be unique
        (a test fixture's per-test client, say). */
    explicit ScopedTable(Client client, ScopedTableOptions scoped = {})
        : client_(std::move(client)), table_(client_), scoped_(scoped) {
        table_.create_table(scoped_.create);
    }

    /** Deletes the table (DeleteTable, waiting until it is gone). A failure is reported with
        ADD_FAILURE, except that a table the test already deleted is fine. */
    ~ScopedTable() {
        if (!scoped_.delete_at_end) return;
        try {
            table_.delete_table();
        } catch (const TableNotFoundError&) {
        } catch (const std::exception& e) {
            ADD_FAILURE() << "ScopedTable: could not delete table " << table_.name() << ": " << e.what();
        }
    }

    ScopedTable(const ScopedTable&) = delete;
    ScopedTable& operator=(const ScopedTable&) = delete;

    /** The typed table. */
    const Table<Model>& table() const noexcept { return table_; }
    /** The typed table's members: `users->save(u)`. */
    const Table<Model>* operator->() const noexcept { return &table_; }
    /** The typed table, as `table()`. */
    const Table<Model>& operator*() const noexcept { return table_; }
    /** The client with the unique prefix, for other operations on the same tables. */
    const Client& client() const noexcept { return client_; }
    /** The table name sent to DynamoDB (prefix included). */
    std::string name() const { return table_.name(); }

private:
    static ClientOptions checked_test_options() {
        if (!test_endpoint())
            throw std::runtime_error(
                "dynantic::testkit::ScopedTable: no DynamoDB endpoint; set DYNANTIC_TEST_ENDPOINT, register "
                "LocalDynamoDB with DYNANTIC_DYNAMODB_LOCAL_JAR, or use DYNANTIC_SKIP_WITHOUT_DYNAMODB()");
        return test_client_options();
    }
    static ClientOptions with_unique_prefix(ClientOptions options) {
        options.table_prefix += unique_table_prefix();
        return options;
    }

    Client client_;
    Table<Model> table_;
    ScopedTableOptions scoped_;
};

}  // namespace dynantic::testkit
