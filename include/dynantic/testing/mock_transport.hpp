// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Deprecated path and names, kept for one release: include
    `<dynantic/testkit/mock_transport.hpp>` and use `dynantic::testkit::` instead.
    `dynantic::testing` made `testing::` ambiguous with GoogleTest's `::%testing` wherever
    `using namespace dynantic;` was in scope; the names below still work and each use warns
    (`-Wdeprecated-declarations`). */

#include <dynantic/testkit/mock_transport.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic::testing {

/// @cond INTERNAL
#define DYNANTIC_TESTING_DEPRECATED(name) [[deprecated("dynantic::testing::" name " is deprecated: use dynantic::testkit::" name " from <dynantic/testkit/...>")]]
/// @endcond

/** Deprecated: use `dynantic::testkit::MockTransport`. */
using MockTransport DYNANTIC_TESTING_DEPRECATED("MockTransport") = testkit::MockTransport;

/** Deprecated: use `dynantic::testkit::ok_response`. */
DYNANTIC_TESTING_DEPRECATED("ok_response") inline http::HttpResponse ok_response(std::string body, bool with_crc = true) {
    return testkit::ok_response(std::move(body), with_crc);
}
/** Deprecated: use `dynantic::testkit::error_response`. */
DYNANTIC_TESTING_DEPRECATED("error_response") inline http::HttpResponse error_response(
    unsigned status, std::string_view code, std::string_view message) {
    return testkit::error_response(status, code, message);
}
/** Deprecated: use `dynantic::testkit::mock_client`. */
DYNANTIC_TESTING_DEPRECATED("mock_client") inline Client mock_client(std::shared_ptr<http::Transport> transport,
                                                                     ClientOptions options = {}) {
    return testkit::mock_client(std::move(transport), std::move(options));
}
/** Deprecated: use `dynantic::testkit::operation_of`. */
DYNANTIC_TESTING_DEPRECATED("operation_of") inline std::string_view operation_of(const http::HttpRequest& request) {
    return testkit::operation_of(request);
}
/** Deprecated: use `dynantic::testkit::body_of`. */
DYNANTIC_TESTING_DEPRECATED("body_of") inline boost::json::object body_of(const http::HttpRequest& request) {
    return testkit::body_of(request);
}
/** Deprecated: use `dynantic::testkit::IsOperation`. */
template <class Operation>
DYNANTIC_TESTING_DEPRECATED("IsOperation") auto IsOperation(Operation operation) {
    return testkit::IsOperation(std::move(operation));
}

/// @cond INTERNAL
#undef DYNANTIC_TESTING_DEPRECATED
/// @endcond

}  // namespace dynantic::testing
