// expect-error: no matching function for call to .*save
#include "model_fixture.hpp"
void f(dynantic::Table<cf::User>& users, const cf::User& u) { users.save(u, dynantic::field(&cf::Other::age) == 3); }
