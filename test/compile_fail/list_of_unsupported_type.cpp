// expect-error: a list's element type has no attribute_traits specialization
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
#include <vector>
struct Opaque { int x = 0; };
struct A { std::string id; std::vector<Opaque> items; };
BOOST_DESCRIBE_STRUCT(A, (), (id, items))
auto item = dynantic::to_item(A{});
