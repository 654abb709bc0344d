// expect-error: this condition names fields of another model: build it from this table.s model
// A transaction's put takes only conditions on the put model's fields.
#include <dynantic/transaction.hpp>
#include <boost/describe.hpp>
#include <string>

namespace cft {
struct Account { std::string id; int balance = 0; };
BOOST_DESCRIBE_STRUCT(Account, (), (id, balance))
constexpr auto dynantic_schema(const Account*) { return dynantic::table("accounts").partition_key(&Account::id); }
struct Other { std::string id; int balance = 0; };
BOOST_DESCRIBE_STRUCT(Other, (), (id, balance))
constexpr auto dynantic_schema(const Other*) { return dynantic::table("others").partition_key(&Other::id); }
}  // namespace cft

void f(const cft::Account& a) { dynantic::transact_write({dynantic::put(a).when(dynantic::field(&cft::Other::balance) > 0)}); }
