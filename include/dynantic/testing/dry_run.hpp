// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Deprecated path and names, kept for one release: include `<dynantic/testkit/dry_run.hpp>`
    and use `dynantic::testkit::` instead. `dynantic::testing` made `testing::` ambiguous with
    GoogleTest's `::%testing` wherever `using namespace dynantic;` was in scope; the names below
    still work and each use warns (`-Wdeprecated-declarations`). */

#include <dynantic/testkit/dry_run.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace dynantic::testing {

/// @cond INTERNAL
#define DYNANTIC_TESTING_DEPRECATED(name) [[deprecated("dynantic::testing::" name " is deprecated: use dynantic::testkit::" name " from <dynantic/testkit/...>")]]
/// @endcond

/** Deprecated: use `dynantic::testkit::target_prefix`. */
DYNANTIC_TESTING_DEPRECATED("target_prefix") inline constexpr std::string_view target_prefix = testkit::target_prefix;
/** Deprecated: use `dynantic::testkit::DryRun`. */
using DryRun DYNANTIC_TESTING_DEPRECATED("DryRun") = testkit::DryRun;

/** Deprecated: use `dynantic::testkit::canonical_json`. */
DYNANTIC_TESTING_DEPRECATED("canonical_json") inline std::string canonical_json(const boost::json::value& v) {
    return testkit::canonical_json(v);
}
/** Deprecated: use `dynantic::testkit::dry_run`. */
DYNANTIC_TESTING_DEPRECATED("dry_run") inline testkit::DryRun dry_run(const OperationRequest& request) {
    return testkit::dry_run(request);
}
/** Deprecated: use `dynantic::testkit::golden_text`. */
DYNANTIC_TESTING_DEPRECATED("golden_text") inline std::string golden_text(const OperationRequest& request) {
    return testkit::golden_text(request);
}
/** Deprecated: use `dynantic::testkit::matches_golden_file`. */
DYNANTIC_TESTING_DEPRECATED("matches_golden_file") inline ::testing::AssertionResult matches_golden_file(
    const OperationRequest& request, const std::filesystem::path& path) {
    return testkit::matches_golden_file(request, path);
}

/// @cond INTERNAL
#undef DYNANTIC_TESTING_DEPRECATED
/// @endcond

}  // namespace dynantic::testing
