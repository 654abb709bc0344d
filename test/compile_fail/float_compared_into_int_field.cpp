// expect-error: no match for .*operator==.*Field<cf::User, int>
#include "model_fixture.hpp"
auto c = dynantic::field(&cf::User::age) == 2.5;
