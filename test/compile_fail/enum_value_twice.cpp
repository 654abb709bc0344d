// expect-error: no two enumerators the same value
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
#include <array>
#include <utility>
namespace shop {
enum class Level { low, high };
BOOST_DESCRIBE_ENUM(Level, low, high)
constexpr auto dynantic_enum_values(const Level*) {
    return std::to_array<std::pair<Level, int>>({{Level::low, 1}, {Level::high, 1}});
}
}  // namespace shop
void f(boost::json::value& out) { dynantic::to_attribute(shop::Level::high, out); }
