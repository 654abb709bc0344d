// expect-error: every member of a model must appear in BOOST_DESCRIBE_STRUCT
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
struct A { std::string id; int forgotten = 0; };
BOOST_DESCRIBE_STRUCT(A, (), (id))
auto item = dynantic::to_item(A{});
