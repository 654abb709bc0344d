// expect-error: declare every member of the view std::optional
#include "model_fixture.hpp"
namespace cf {
struct Ages {
    int age = 0;   // UPDATED_* may not return it: must be std::optional<int>
};
BOOST_DESCRIBE_STRUCT(Ages, (), (age))
}  // namespace cf
void f(dynantic::Table<cf::User>& t) { (void)t.update("u1").set(&cf::User::age, 3).execute().as<cf::Ages>(); }
