// expect-error: a view member is not a member of the model
#include "model_fixture.hpp"
#include <optional>
namespace cf {
struct UserCard {
    std::string id;
    std::string nickname;   // User has no member `nickname`
};
BOOST_DESCRIBE_STRUCT(UserCard, (), (id, nickname))
}  // namespace cf
void f(dynantic::Table<cf::User>& t) { (void)t.get<cf::UserCard>("u1"); }
