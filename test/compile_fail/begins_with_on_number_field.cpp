// expect-error: no matching function for call to .*begins_with
#include "model_fixture.hpp"
auto c = dynantic::field(&cf::User::age).begins_with(1);
