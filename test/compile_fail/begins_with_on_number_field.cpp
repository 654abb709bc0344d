// expect-error: static assertion failed: dynantic: begins_with.. needs a string or binary field, and this field is a number; compare the number instead
#include "model_fixture.hpp"
auto c = dynantic::field(&cf::User::age).begins_with(1);
