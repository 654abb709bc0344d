// expect-error: a partition key must map to S, N or B
#include <dynantic/schema.hpp>
#include <boost/describe.hpp>
struct A { bool id = false; };
BOOST_DESCRIBE_STRUCT(A, (), (id))
constexpr auto s = dynantic::table("a").partition_key(&A::id);
