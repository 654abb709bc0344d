// expect-error: use_view<cfk::EmailKeys>, false>.*this index does not hold every attribute the type read needs
#include <dynantic/table.hpp>
#include <boost/describe.hpp>
#include <string>
namespace cfk {
struct Account {
    std::string id;
    std::string email;
    int balance = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, email, balance))
struct EmailKeys {
    std::string id;
    std::string email;
};
BOOST_DESCRIBE_STRUCT(EmailKeys, (), (id, email))
struct EmailBalance {
    std::string email;
    int balance = 0;   // not in the KEYS_ONLY index
};
BOOST_DESCRIBE_STRUCT(EmailBalance, (), (email, balance))
constexpr auto dynantic_schema(const Account*) {
    return dynantic::table("accounts").partition_key(&Account::id).global_index("ByEmail", &Account::email,
                                                                                 dynantic::keys_only<EmailKeys>());
}
}  // namespace cfk
void f(dynantic::Table<cfk::Account>& t) { (void)t.query_index<"ByEmail", cfk::EmailBalance>("a@b.c"); }
