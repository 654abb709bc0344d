// expect-error: has no member named .*partition_key
#include <dynantic/schema.hpp>
#include <boost/describe.hpp>
struct A { std::string id; std::string other; };
BOOST_DESCRIBE_STRUCT(A, (), (id, other))
constexpr auto s = dynantic::table("a").partition_key(&A::id).partition_key(&A::other);
