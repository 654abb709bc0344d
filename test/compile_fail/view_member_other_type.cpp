// expect-error: a view member's type does not fit the model member of the same name
#include "model_fixture.hpp"
namespace cf {
struct UserAge {
    std::string id;
    std::string age;   // User::age is an int (N); a string is S
};
BOOST_DESCRIBE_STRUCT(UserAge, (), (id, age))
}  // namespace cf
void f(dynantic::Table<cf::User>& t) { (void)t.query<cf::UserAge>("u1").all(); }
