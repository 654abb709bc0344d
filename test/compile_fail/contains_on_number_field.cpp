// expect-error: static assertion failed: dynantic: contains.. needs a string, set or list field, and this field is a number; compare the number instead
#include "model_fixture.hpp"
auto c = dynantic::field(&cf::User::age).contains(1);
