// expect-error: no matching function for call to .*add
#include "model_fixture.hpp"
void f(dynantic::Table<cf::User>& users) { users.update("u1").add(&cf::User::email, std::string("x")); }
