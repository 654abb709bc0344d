// expect-error: add.field, value. is DynamoDB.s ADD, for a number or a set field only: use set.field, value.
#include "model_fixture.hpp"
void f(dynantic::Table<cf::User>& users) { users.update("u1").add(&cf::User::email, std::string("x")); }
