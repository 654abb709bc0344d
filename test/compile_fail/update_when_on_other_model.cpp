// expect-error: this condition names fields of another model: build it from this table.s model
// An update's condition takes only conditions on the updated model's fields (or untyped ones).
#include "model_fixture.hpp"
void f(dynantic::Table<cf::User>& users) { users.update("u1").set(&cf::User::age, 3).when(dynantic::field(&cf::Other::age) == 3); }
