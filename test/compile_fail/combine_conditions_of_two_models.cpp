// expect-error: cannot combine conditions on fields of different models
#include "model_fixture.hpp"
auto c = dynantic::field(&cf::User::age) == 1 && dynantic::field(&cf::Other::age) == 2;
