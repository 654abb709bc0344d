// expect-error: every member of a model must appear in BOOST_DESCRIBE_STRUCT
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
struct Address { std::string city; std::string forgotten; };
BOOST_DESCRIBE_STRUCT(Address, (), (city))
struct A { std::string id; Address address; };
BOOST_DESCRIBE_STRUCT(A, (), (id, address))
auto item = dynantic::to_item(A{});
