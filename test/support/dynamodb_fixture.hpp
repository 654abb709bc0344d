#pragma once
// GoogleTest fixture for integration tests against DynamoDB Local (or any endpoint named by
// DYNANTIC_TEST_ENDPOINT). Skips when no endpoint is set, unless DYNANTIC_REQUIRE_INTEGRATION=1.
#include "support/test_env.hpp"

#include <dynantic/client.hpp>
#include <dynantic/table.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <utility>

namespace dynantic::test {

/** A client for the integration endpoint, with dummy credentials when the environment has none
    (DynamoDB Local checks that a signature is present, not that it is valid; it does require an
    access key id of letters and digits only). */
Client integration_client(ClientOptions options = {});

class DynamoDBTest : public ::testing::Test {
protected:
    void SetUp() override;
    /** A client whose table prefix is unique to this test, so tests never share tables. */
    const Client& client() const { return *client_; }

private:
    std::optional<Client> client_;
};

/** Creates a model's table on construction and deletes it on destruction (errors on deletion
    are ignored, so a failing test still cleans up what it can):
    `ScopedTable<Account> accounts(client()); accounts->save(a);` */
template <class Model>
class ScopedTable {
public:
    explicit ScopedTable(Client client) : table_(std::move(client)) { table_.create_table(); }
    ~ScopedTable() {
        try {
            table_.delete_table();
        } catch (const std::exception&) {
        }
    }
    ScopedTable(const ScopedTable&) = delete;
    ScopedTable& operator=(const ScopedTable&) = delete;

    const Table<Model>& operator*() const noexcept { return table_; }
    const Table<Model>* operator->() const noexcept { return &table_; }

private:
    Table<Model> table_;
};

}  // namespace dynantic::test
