#pragma once
// Helpers shared by the test suite: fixture data, the DynamoDB Local endpoint, unique names.
#include <optional>
#include <string>
#include <string_view>

namespace dynantic::test {

/** The path of test/data/<name>. */
std::string data_path(std::string_view name);

/** Contents of test/data/<name>; fails the test if unreadable. */
std::string read_data_file(std::string_view name);

/** The endpoint of the DynamoDB server for integration tests: DYNANTIC_TEST_ENDPOINT, else
    AWS_ENDPOINT_URL_DYNAMODB, else AWS_ENDPOINT_URL; empty if none is set. */
std::optional<std::string> integration_endpoint();

/** True when integration tests must not be skipped (DYNANTIC_REQUIRE_INTEGRATION=1). */
bool integration_required();

/** A table name unique to this process and call: "<prefix>-<pid>-<counter>-<random>". */
std::string unique_table_name(std::string_view prefix);

}  // namespace dynantic::test
