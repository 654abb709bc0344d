// expect-error: a required member is not listed in BOOST_DESCRIBE_STRUCT
#include <dynantic/schema.hpp>
#include <boost/describe.hpp>
struct A { std::string id; std::string hidden; };
BOOST_DESCRIBE_STRUCT(A, (), (id))
constexpr auto s = dynantic::table("a").partition_key(&A::id).required(&A::hidden);
