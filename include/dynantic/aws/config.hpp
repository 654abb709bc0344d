// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Region and endpoint from the environment, as the AWS SDKs resolve them
    (https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html and
    https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html). Variables that
    are set but empty count as unset. */

#include <dynantic/http/endpoint.hpp>

#include <string>
#include <string_view>

namespace dynantic::aws {

/** `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the `region` of the active profile
    (`AWS_PROFILE`, else "default") in the shared config file (`AWS_CONFIG_FILE`, else
    `~/.aws/config`; sections `[profile name]` and `[default]`), else "us-east-1".
    @throws Error (errc::configuration) naming the variable, or the file and profile, if the
            value is not a region name (letters, digits and '-'), or if the config file has a
            malformed line. */
std::string resolve_region();

/** The DynamoDB endpoint for `region`: `AWS_ENDPOINT_URL_DYNAMODB`, else `AWS_ENDPOINT_URL`,
    else "https://dynamodb.<region>.amazonaws.com" ("amazonaws.com.cn" for "cn-" regions).
    @throws Error (errc::configuration) if the chosen variable is not an `http[s]://host[:port]`
            URL (the message names the variable), or `region` is empty or not letters, digits
            and '-'. */
http::Endpoint resolve_endpoint(std::string_view region);

}  // namespace dynantic::aws
