// expect-error: add.field, value. is DynamoDB.s ADD, for a number or a set field only
// The update value (operations/update.hpp) states the fix as the table's builder does.
#include "model_fixture.hpp"
void f() { dynantic::op::Update<cf::User>("u1").add(&cf::User::email, std::string("x")); }
