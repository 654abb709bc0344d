// expect-error: set.field, value.: the value does not fit the field.s type
#include "model_fixture.hpp"
void f(dynantic::Table<cf::User>& users) { users.update("u1").set(&cf::User::age, std::string("old")); }
