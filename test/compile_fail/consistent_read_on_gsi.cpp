// expect-error: no matching function for call to .*consistent_read
#include "model_fixture.hpp"
namespace cf {
struct Ev { std::string id; std::string kind; };
BOOST_DESCRIBE_STRUCT(Ev, (), (id, kind))
constexpr auto dynantic_schema(const Ev*) { return dynantic::table("ev").partition_key(&Ev::id).global_index("ByKind", &Ev::kind); }
}
void f(dynantic::Table<cf::Ev>& t) { t.query_index<"ByKind">("x").consistent_read(); }
