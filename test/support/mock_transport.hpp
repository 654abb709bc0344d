#pragma once
// The GoogleMock Transport and response helpers now live in the public testing header
// <dynantic/testkit/mock_transport.hpp>; this include keeps the old dynantic::test names working.
#include <dynantic/testkit/mock_transport.hpp>

namespace dynantic::test {

using testkit::error_response;
using testkit::mock_client;
using testkit::MockTransport;
using testkit::ok_response;

}  // namespace dynantic::test
