// expect-error: dynantic::testing::MockTransport is deprecated: use dynantic::testkit::MockTransport
// The old dynantic::testing names (kept for one release) warn on every use; this case is built
// with -Werror=deprecated-declarations, so the warning is what fails it.
#include <dynantic/testing/mock_transport.hpp>

#include <memory>

void f() { auto transport = std::make_shared<dynantic::testing::MockTransport>(); }
