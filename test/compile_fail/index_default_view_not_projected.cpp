// expect-error: the index's default view has a member the index does not hold
#include <dynantic/table.hpp>
#include <boost/describe.hpp>
#include <string>
namespace cfd {
struct Account {
    std::string id;
    std::string email;
    std::string owner;
    int balance = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, email, owner, balance))
struct EmailCard {
    std::string email;
    std::string owner;
    int balance = 0;   // the index includes only `owner`
};
BOOST_DESCRIBE_STRUCT(EmailCard, (), (email, owner, balance))
constexpr auto dynantic_schema(const Account*) {
    return dynantic::table("accounts").partition_key(&Account::id).global_index(
        "ByEmail", &Account::email, dynantic::include<EmailCard>(&Account::owner));
}
}  // namespace cfd
void f(dynantic::Table<cfd::Account>& t) { (void)t.query_index<"ByEmail">("a@b.c"); }
