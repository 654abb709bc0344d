// expect-error: the sort key must be a member of the same model as the partition key
#include <dynantic/schema.hpp>
#include <boost/describe.hpp>
struct A { std::string id; std::string sk; };
BOOST_DESCRIBE_STRUCT(A, (), (id, sk))
struct B { std::string sk; };
BOOST_DESCRIBE_STRUCT(B, (), (sk))
constexpr auto s = dynantic::table("a").partition_key(&A::id).sort_key(&B::sk);
