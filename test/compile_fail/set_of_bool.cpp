// expect-error: a set's elements must map to S, N or B
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
#include <set>
struct A { std::string id; std::set<bool> flags; };
BOOST_DESCRIBE_STRUCT(A, (), (id, flags))
auto item = dynantic::to_item(A{});
