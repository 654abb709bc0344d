// expect-error: no index with this name is declared
#include "model_fixture.hpp"
void f(dynantic::Table<cf::User>& t) { t.query_index<"Nope">("x"); }
