// expect-error: two members of a model are stored under the same attribute name
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
namespace m {
struct A { std::string id; std::string created_at; std::string createdAt; };
BOOST_DESCRIBE_STRUCT(A, (), (id, created_at, createdAt))
constexpr auto dynantic_attribute_names(const A*) {
    return dynantic::attribute_names(dynantic::rename(&A::created_at, "createdAt"));
}
}  // namespace m
auto item = dynantic::to_item(m::A{});
