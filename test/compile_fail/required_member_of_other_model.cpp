// expect-error: a required member must be a member of the model
#include "model_fixture.hpp"
constexpr auto s = dynantic::table("users").partition_key(&cf::User::id).required(&cf::User::email, &cf::Other::age);
