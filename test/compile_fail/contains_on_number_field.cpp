// expect-error: no matching function for call to .*contains
#include "model_fixture.hpp"
auto c = dynantic::field(&cf::User::age).contains(1);
