// expect-error: the partition key member is not listed in BOOST_DESCRIBE_STRUCT
#include <dynantic/schema.hpp>
#include <boost/describe.hpp>
struct A { std::string id; std::string name; };
BOOST_DESCRIBE_STRUCT(A, (), (name))
constexpr auto s = dynantic::table("a").partition_key(&A::id);
