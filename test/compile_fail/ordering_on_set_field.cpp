// expect-error: no match for .*operator<
#include "model_fixture.hpp"
auto c = dynantic::field(&cf::User::tags) < std::set<std::string>{"a"};
