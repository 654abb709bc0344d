// expect-error: must give every described enumerator exactly one value
#include <dynantic/codec/item.hpp>
#include <boost/describe.hpp>
#include <array>
#include <utility>
namespace shop {
enum class Status { active, on_hold, closed };
BOOST_DESCRIBE_ENUM(Status, active, on_hold, closed)
constexpr auto dynantic_enum_values(const Status*) {   // `closed` has no value
    return std::to_array<std::pair<Status, std::string_view>>({{Status::active, "ACTIVE"}, {Status::on_hold, "ON_HOLD"}});
}
}  // namespace shop
void f(boost::json::value& out) { dynantic::to_attribute(shop::Status::closed, out); }
