// expect-error: the version attribute cannot be a key attribute
#include "model_fixture.hpp"
constexpr auto s = dynantic::table("t").partition_key(&cf::User::version).version(&cf::User::version);
