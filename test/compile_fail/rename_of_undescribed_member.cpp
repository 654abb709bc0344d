// expect-error: a renamed member is not listed in BOOST_DESCRIBE_STRUCT
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
namespace m {
struct B { std::string other; };
struct A { std::string id; };
BOOST_DESCRIBE_STRUCT(A, (), (id))
constexpr auto dynantic_attribute_names(const A*) {
    return dynantic::attribute_names(dynantic::rename(&B::other, "x"));
}
}  // namespace m
auto item = dynantic::to_item(m::A{});
