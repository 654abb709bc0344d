// expect-error: a set's elements must map to S, N or B
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
#include <set>
#include <vector>
struct A { std::string id; std::set<std::vector<int>> groups; };
BOOST_DESCRIBE_STRUCT(A, (), (id, groups))
auto item = dynantic::to_item(A{});
