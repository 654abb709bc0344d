// expect-error: a model member has a type with no attribute_traits specialization
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
struct Opaque { int x = 0; };
struct A { std::string id; Opaque o; };
BOOST_DESCRIBE_STRUCT(A, (), (id, o))
auto item = dynantic::to_item(A{});
