// Positive control for the compile-fail cases: the shared fixture and correct uses compile.
#include "../model_fixture.hpp"

namespace {
[[maybe_unused]] void correct_uses(dynantic::Table<cf::User>& users, const cf::User& u) {
    users.save(u, dynantic::field(&cf::User::age) == 3);
    users.update("u1").add(&cf::User::age, 1).set(&cf::User::email, std::string("x")).execute();
    [[maybe_unused]] auto c = dynantic::field(&cf::User::tags).contains("vip") && dynantic::field(&cf::User::email).begins_with("a");
}
}  // namespace
