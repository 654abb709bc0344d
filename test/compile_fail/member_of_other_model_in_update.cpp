// expect-error: no matching function for call to .*set
#include "model_fixture.hpp"
void f(dynantic::Table<cf::User>& users) { users.update("u1").set(&cf::Other::age, 3); }
