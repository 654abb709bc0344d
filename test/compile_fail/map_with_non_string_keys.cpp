// expect-error: a map member must have std::string keys
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
#include <map>
struct A { std::string id; std::map<int, std::string> names; };
BOOST_DESCRIBE_STRUCT(A, (), (id, names))
auto item = dynantic::to_item(A{});
