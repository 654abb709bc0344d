#pragma once
// GoogleTest fixture for integration tests against DynamoDB Local (or any endpoint named by
// DYNANTIC_TEST_ENDPOINT). Skips when no endpoint is set, unless DYNANTIC_REQUIRE_INTEGRATION=1.
#include "support/test_env.hpp"

#include <dynantic/client.hpp>
#include <dynantic/table.hpp>
#include <dynantic/testkit/scoped_table.hpp>

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

/** A model's table, created on construction with the given client (`ScopedTable<Account>
    accounts(client()); accounts->save(a);`) and deleted on destruction: the public
    `dynantic::testkit::ScopedTable`. */
using testkit::ScopedTable;

}  // namespace dynantic::test
