// expect-error: this index does not hold every attribute the type read needs
#include <dynantic/table.hpp>
#include <boost/describe.hpp>
#include <string>
namespace cfm {
struct Account {
    std::string id;
    std::string email;
    int balance = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, email, balance))
constexpr auto dynantic_schema(const Account*) {
    return dynantic::table("accounts").partition_key(&Account::id).global_index("ByEmail", &Account::email,
                                                                                 dynantic::Projection::keys_only);
}
}  // namespace cfm
// No view named and none declared for the index: the model is read, which the index cannot serve.
void f(dynantic::Table<cfm::Account>& t) { (void)t.query_index<"ByEmail">("a@b.c").all(); }
