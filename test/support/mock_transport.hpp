#pragma once
// The GoogleMock Transport and response helpers now live in the public testing header
// <dynantic/testing/mock_transport.hpp>; this include keeps the old dynantic::test names working.
#include <dynantic/testing/mock_transport.hpp>

namespace dynantic::test {

using testing::error_response;
using testing::mock_client;
using testing::MockTransport;
using testing::ok_response;

}  // namespace dynantic::test
