// expect-error: no matching function for call to .*gt
#include "model_fixture.hpp"
namespace cf {
struct Ev { std::string id; long seq = 0; };
BOOST_DESCRIBE_STRUCT(Ev, (), (id, seq))
constexpr auto dynantic_schema(const Ev*) { return dynantic::table("ev").partition_key(&Ev::id).sort_key(&Ev::seq); }
}
void f(dynantic::Table<cf::Ev>& t) { t.query("x").gt(std::string("seven")); }
