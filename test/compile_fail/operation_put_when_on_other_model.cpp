// expect-error: this condition names fields of another model: build it from this table.s model
// An operation value built without a client checks its condition's model too.
#include "model_fixture.hpp"
void f(const cf::User& u) { dynantic::op::Put<cf::User>(u).when(dynantic::field(&cf::Other::age) == 3); }
