// expect-error: static assertion failed: dynantic: begins_with.prefix. in a key condition needs a string or binary sort key, and this sort key is a number: query a numeric range with between
#include "model_fixture.hpp"
namespace cf {
struct Reading { std::string sensor; long at = 0; };
BOOST_DESCRIBE_STRUCT(Reading, (), (sensor, at))
constexpr auto dynantic_schema(const Reading*) { return dynantic::table("readings").partition_key(&Reading::sensor).sort_key(&Reading::at); }
}
void f(dynantic::Table<cf::Reading>& t) { (void)t.query("s1").begins_with(17); }
