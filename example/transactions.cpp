// transactions: all-or-nothing writes and consistent reads across tables (TransactWriteItems,
// TransactGetItems).
//
// A money transfer between two accounts that also records the transfer, in two tables. Shows:
// `transact_write` with conditional updates, a transfer refused as a whole when one condition
// fails (TransactionCanceledError names the failing action), `transact_get` returning a typed
// tuple, and the explicit `Transaction` object that collects actions and sends them only at
// `commit()`. Each step checks its result and the program exits with 1 on a wrong one, so it
// runs in the test suite too. Run it with `scripts/demo.sh transactions`.
#include <dynantic/dynantic.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace dy = dynantic;

namespace bank {

struct Account {
    std::string account_id;
    std::string owner;
    std::int64_t balance_cents = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (account_id, owner, balance_cents))
constexpr auto dynantic_schema(const Account*) { return dy::table("example-accounts").partition_key(&Account::account_id); }

struct Transfer {
    std::string transfer_id;
    std::string from;
    std::string to;
    std::int64_t amount_cents = 0;
};
BOOST_DESCRIBE_STRUCT(Transfer, (), (transfer_id, from, to, amount_cents))
constexpr auto dynantic_schema(const Transfer*) { return dy::table("example-transfers").partition_key(&Transfer::transfer_id); }

}  // namespace bank

using bank::Account;
using bank::Transfer;

namespace {
void check(bool ok, const char* what) {
    std::cout << (ok ? "  ok: " : "  WRONG: ") << what << '\n';
    if (!ok) std::exit(1);
}

// Moves `amount` from one account to the other and records it: three actions, applied together
// or not at all. The debit is conditional, so a balance never goes below zero, and the transfer
// record may be written only once (its id makes the whole transfer idempotent).
void transfer(const dy::Client& client, const Transfer& t) {
    dy::transact_write(client, {
        dy::update<Account>(t.from)
            .add(&Account::balance_cents, -t.amount_cents)
            .when(dy::field(&Account::balance_cents) >= t.amount_cents),
        dy::update<Account>(t.to).add(&Account::balance_cents, t.amount_cents),
        dy::put(t).when(dy::field(&Transfer::transfer_id).not_exists()),
    });
}
}  // namespace

int main() try {
    dy::Client client;   // from the environment; transactions take the client explicitly
    dy::Table<Account> accounts{client};
    dy::Table<Transfer> transfers{client};
    if (accounts.table_exists()) accounts.delete_table();
    if (transfers.table_exists()) transfers.delete_table();
    accounts.create_table();
    transfers.create_table();
    accounts.save({"alice", "Alice", 10'000});
    accounts.save({"bob", "Bob", 500});

    std::cout << "a transfer of 30.00 from alice to bob:\n";
    transfer(client, {"t-1", "alice", "bob", 3'000});
    // Both accounts as of one instant: a std::tuple of std::optional, typed by the models.
    auto [alice, bob] = dy::transact_get(client, dy::get<Account>("alice"), dy::get<Account>("bob"));
    check(alice && alice->balance_cents == 7'000 && bob && bob->balance_cents == 3'500, "alice 70.00, bob 35.00");

    std::cout << "a transfer bob cannot cover is refused as a whole:\n";
    try {
        transfer(client, {"t-2", "bob", "alice", 999'900});
        check(false, "the transfer should have been refused");
    } catch (const dy::TransactionCanceledError& e) {
        // One reason per action, in order: here the first (bob's debit) failed its condition.
        check(e.failed_actions() == std::vector<std::size_t>{0}, "the debit of bob (action 0) failed its condition");
        check(e.reasons()[0].code == "ConditionalCheckFailed", "reason: ConditionalCheckFailed");
    }
    check(!transfers.get("t-2") && accounts.get("bob")->balance_cents == 3'500, "nothing of it was applied");

    std::cout << "replaying transfer t-1 changes nothing (its record exists):\n";
    try {
        transfer(client, {"t-1", "alice", "bob", 3'000});
        check(false, "the replay should have been refused");
    } catch (const dy::TransactionCanceledError& e) {
        check(e.failed_actions() == std::vector<std::size_t>{2}, "the transfer record (action 2) already exists");
    }

    std::cout << "a Transaction object: collect actions, then commit() once:\n";
    {
        auto tx = dy::transaction(client);
        tx.put(Account{"carol", "Carol", 0});
        tx.check<Account>("alice", dy::field(&Account::owner) == "Alice");   // a condition, no write
        tx.remove<Transfer>("t-1");
        check(!accounts.get("carol"), "nothing is sent before commit()");
        tx.commit();   // a scope left without commit() discards the actions
    }
    check(accounts.get("carol").has_value() && !transfers.get("t-1"), "carol added and t-1 removed together");

    accounts.delete_table();
    transfers.delete_table();
    return 0;
} catch (const dy::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
