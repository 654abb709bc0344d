// expect-error: an INCLUDE index names its non-key members: pass include
#include <dynantic/table.hpp>
#include <boost/describe.hpp>
#include <string>
namespace cfi {
struct Account {
    std::string id;
    std::string email;
    std::string owner;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, email, owner))
constexpr auto dynantic_schema(const Account*) {
    // INCLUDE needs the attributes it copies: include(&Account::owner) says which.
    return dynantic::table("accounts").partition_key(&Account::id).global_index("ByEmail", &Account::email,
                                                                                 dynantic::Projection::include);
}
}  // namespace cfi
void f(dynantic::Table<cfi::Account>& t) { (void)t.scan(); }
