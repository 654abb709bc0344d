// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Deprecated path and names, kept for one release: include `<dynantic/testkit/scoped_table.hpp>`
    and use `dynantic::testkit::` instead. `dynantic::testing` made `testing::` ambiguous with
    GoogleTest's `::%testing` wherever `using namespace dynantic;` was in scope; the names below
    still work and each use warns (`-Wdeprecated-declarations`). */

#include <dynantic/testing/local_dynamodb.hpp>
#include <dynantic/testkit/scoped_table.hpp>

#include <string>
#include <string_view>

namespace dynantic::testing {

/// @cond INTERNAL
#define DYNANTIC_TESTING_DEPRECATED(name) [[deprecated("dynantic::testing::" name " is deprecated: use dynantic::testkit::" name " from <dynantic/testkit/...>")]]
/// @endcond

/** Deprecated: use `dynantic::testkit::unique_table_prefix`. */
DYNANTIC_TESTING_DEPRECATED("unique_table_prefix") inline std::string unique_table_prefix(std::string_view stem = "dyt") {
    return testkit::unique_table_prefix(stem);
}
/** Deprecated: use `dynantic::testkit::ScopedTableOptions`. */
using ScopedTableOptions DYNANTIC_TESTING_DEPRECATED("ScopedTableOptions") = testkit::ScopedTableOptions;
/** Deprecated: use `dynantic::testkit::ScopedTable`. */
template <class Model>
using ScopedTable DYNANTIC_TESTING_DEPRECATED("ScopedTable") = testkit::ScopedTable<Model>;

/// @cond INTERNAL
#undef DYNANTIC_TESTING_DEPRECATED
/// @endcond

}  // namespace dynantic::testing
