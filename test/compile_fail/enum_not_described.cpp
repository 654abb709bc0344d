// expect-error: a model member has a type with no attribute_traits specialization
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
enum class Color { red, green };
struct A { std::string id; Color color{}; };
BOOST_DESCRIBE_STRUCT(A, (), (id, color))
auto item = dynantic::to_item(A{});
