// expect-error: this condition names fields of another model: build it from this table.s model
#include "model_fixture.hpp"
void f(dynantic::Table<cf::User>& users, const cf::User& u) { users.save(u, dynantic::field(&cf::Other::age) == 3); }
