// expect-error: include\(\) lists non-key members only
#include <dynantic/table.hpp>
#include <boost/describe.hpp>
#include <string>
namespace cfk2 {
struct Account {
    std::string id;
    std::string email;
    std::string owner;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, email, owner))
constexpr auto dynantic_schema(const Account*) {
    // An index always holds the table's and its own keys: `id` is the table's partition key.
    return dynantic::table("accounts").partition_key(&Account::id).global_index(
        "ByEmail", &Account::email, dynantic::include(&Account::owner, &Account::id));
}
}  // namespace cfk2
void f(dynantic::Table<cfk2::Account>& t) { (void)t.scan(); }
