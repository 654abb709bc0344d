// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Deprecated path and names, kept for one release: include
    `<dynantic/testkit/local_dynamodb.hpp>` and use `dynantic::testkit::` instead.
    `dynantic::testing` made `testing::` ambiguous with GoogleTest's `::%testing` wherever
    `using namespace dynantic;` was in scope; the names below still work and each use warns
    (`-Wdeprecated-declarations`). `DYNANTIC_SKIP_WITHOUT_DYNAMODB()` is unchanged. */

#include <dynantic/testkit/local_dynamodb.hpp>

#include <optional>
#include <string>

namespace dynantic::testing {

/// @cond INTERNAL
#define DYNANTIC_TESTING_DEPRECATED(name) [[deprecated("dynantic::testing::" name " is deprecated: use dynantic::testkit::" name " from <dynantic/testkit/...>")]]
/// @endcond

/** Deprecated: use `dynantic::testkit::test_endpoint`. */
DYNANTIC_TESTING_DEPRECATED("test_endpoint") inline std::optional<std::string> test_endpoint() {
    return testkit::test_endpoint();
}
/** Deprecated: use `dynantic::testkit::test_client_options`. */
DYNANTIC_TESTING_DEPRECATED("test_client_options") inline ClientOptions test_client_options() {
    return testkit::test_client_options();
}
/** Deprecated: use `dynantic::testkit::LocalDynamoDBOptions`. */
using LocalDynamoDBOptions DYNANTIC_TESTING_DEPRECATED("LocalDynamoDBOptions") = testkit::LocalDynamoDBOptions;
/** Deprecated: use `dynantic::testkit::LocalDynamoDB`. */
using LocalDynamoDB DYNANTIC_TESTING_DEPRECATED("LocalDynamoDB") = testkit::LocalDynamoDB;

/// @cond INTERNAL
#undef DYNANTIC_TESTING_DEPRECATED
/// @endcond

}  // namespace dynantic::testing
