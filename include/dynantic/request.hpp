// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `OperationRequest`: one DynamoDB operation ready to send — the dry run every builder offers
    (`to_request()`, `put_request()`, ...), for golden tests and tooling. */

#include <dynantic/operation.hpp>

#include <boost/json/object.hpp>

#include <string>

namespace dynantic {

/** The operation (its name is the `X-Amz-Target` suffix, e.g. "PutItem") and the JSON request
    body. `Client::call(request.operation, request.body)` sends it. */
struct OperationRequest {
    Operation operation;        ///< e.g. `Operation::PutItem`; `to_string` gives "PutItem"
    boost::json::object body;   ///< the request JSON, as sent
};

}  // namespace dynantic
