// SPDX-License-Identifier: BSL-1.0
#pragma once
// The User-Agent header the client sends, in the AWS SDKs' format (private to src/).

#include <dynantic/aws/retry.hpp>

#include <string>
#include <string_view>

namespace dynantic::detail {

/** "dynantic/<version> ua/2.1 os/<os>#<release> lang/cpp#<standard> md/compiler#<name>-<version>
    md/arch#<machine> [exec-env/<AWS_EXECUTION_ENV>] cfg/retry-mode#<mode> [app/<AWS_SDK_UA_APP_ID>]",
    the fields of the AWS SDKs' user agent (botocore, aws-sdk-cpp, the SDK for JavaScript v3);
    characters outside the HTTP token set are replaced by '-'. Computed once per client. */
std::string user_agent(aws::RetryMode mode);

/** `text` with every character outside the HTTP token set (RFC 9110: alphanumerics and
    !#$%&'*+-.^_`|~) replaced by '-'; `keep_hash` keeps '#' as the name/value separator. */
std::string user_agent_token(std::string_view text, bool keep_hash = false);

}  // namespace dynantic::detail
