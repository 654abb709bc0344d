// Transactions against DynamoDB Local: a bank transfer across two tables with balance
// conditions, failures that leave everything untouched and name the failing action, typed
// transactional reads, the scoped transaction object, and idempotency tokens.
#include <dynantic/transaction.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>

#include <stdexcept>

namespace dy = dynantic;
using dy::field;

namespace transactit {
struct Account {
    std::string id;
    std::string owner;
    std::int64_t balance = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, owner, balance))
constexpr auto dynantic_schema(const Account*) { return dy::table("accounts").partition_key(&Account::id); }

struct Transfer {
    std::string id;
    std::string from;
    std::string to;
    std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Transfer, (), (id, from, to, amount))
constexpr auto dynantic_schema(const Transfer*) { return dy::table("transfers").partition_key(&Transfer::id); }

struct Doc {
    std::string id;
    std::string text;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (id, text, version))
constexpr auto dynantic_schema(const Doc*) { return dy::table("docs").partition_key(&Doc::id).version(&Doc::version); }
}  // namespace transactit

using transactit::Account;
using transactit::Doc;
using transactit::Transfer;

class TransactIT : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        accounts.emplace(client());
        transfers.emplace(client());
        (*accounts)->save({"alice", "Alice", 100});
        (*accounts)->save({"bob", "Bob", 20});
    }
    void TearDown() override {
        transfers.reset();
        accounts.reset();
    }

    /** Moves `amount` from one account to the other and records the transfer, all or nothing. */
    void transfer(const std::string& id, const std::string& from, const std::string& to, std::int64_t amount) {
        dy::transact_write(client(), {
            dy::update<Account>(from).add(&Account::balance, -amount).when(field(&Account::balance) >= amount),
            dy::update<Account>(to).add(&Account::balance, amount).when(dy::attr("id").exists()),
            dy::put(Transfer{id, from, to, amount}).if_absent(),
        });
    }
    std::int64_t balance(const std::string& id) const {
        const auto a = (*accounts)->get(id, {.consistent_read = true});
        return a ? a->balance : -1;
    }

    std::optional<dy::test::ScopedTable<Account>> accounts;
    std::optional<dy::test::ScopedTable<Transfer>> transfers;
};

TEST_F(TransactIT, BankTransferMovesMoneyAtomically) {
    transfer("t1", "alice", "bob", 30);
    EXPECT_EQ(balance("alice"), 70);
    EXPECT_EQ(balance("bob"), 50);
    const auto t = (*transfers)->get("t1", {.consistent_read = true});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->amount, 30);
}

TEST_F(TransactIT, FailedBalanceConditionLeavesBothAccountsUntouchedAndNamesTheAction) {
    try {
        transfer("t2", "bob", "alice", 500);
        FAIL() << "no error";
    } catch (const dy::TransactionCanceledError& e) {
        ASSERT_EQ(e.reasons().size(), 3u);
        EXPECT_EQ(e.failed_actions(), std::vector<std::size_t>{0});
        EXPECT_EQ(e.reasons()[0].code, "ConditionalCheckFailed");
        EXPECT_EQ(e.reasons()[0].operation, "Update");
        EXPECT_EQ(e.reasons()[0].table, (*accounts)->name());
        const std::string what = e.what();
        EXPECT_NE(what.find("action 0 (Update on table '" + (*accounts)->name() + "') failed: ConditionalCheckFailed"),
                  std::string::npos)
            << what;
    }
    EXPECT_EQ(balance("alice"), 100);
    EXPECT_EQ(balance("bob"), 20);
    EXPECT_FALSE((*transfers)->get("t2", {.consistent_read = true}));
}

TEST_F(TransactIT, ReplayedTransferIdIsRefusedByItsCondition) {
    transfer("t3", "alice", "bob", 10);
    EXPECT_THROW(transfer("t3", "alice", "bob", 10), dy::TransactionCanceledError);
    EXPECT_EQ(balance("alice"), 90);
    EXPECT_EQ(balance("bob"), 30);
}

TEST_F(TransactIT, ConditionCheckCanReturnTheItem) {
    try {
        dy::transact_write(client(), {dy::check<Account>("bob", field(&Account::balance) > 1000).return_item_on_condition_failure(),
                                      dy::update<Account>("alice").add(&Account::balance, 1)});
        FAIL() << "no error";
    } catch (const dy::TransactionCanceledError& e) {
        ASSERT_FALSE(e.reasons().empty());
        ASSERT_TRUE(e.reasons()[0].item);
        EXPECT_EQ(dy::from_item<Account>(*e.reasons()[0].item).balance, 20);
    }
    EXPECT_EQ(balance("alice"), 100);
}

TEST_F(TransactIT, GetReadsPresentAndMissingItemsAcrossTwoTables) {
    transfer("t4", "alice", "bob", 5);
    const auto [a, t] = dy::transact_get(client(), dy::get<Account>("alice"), dy::get<Transfer>("t4"));
    ASSERT_TRUE(a);
    EXPECT_EQ(a->balance, 95);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->to, "bob");
    const auto [nobody, none, bob] =
        dy::transact_get(client(), dy::get<Account>("carol"), dy::get<Transfer>("t-missing"), dy::get<Account>("bob"));
    EXPECT_FALSE(nobody);
    EXPECT_FALSE(none);
    ASSERT_TRUE(bob);
    EXPECT_EQ(bob->balance, 25);
}

TEST_F(TransactIT, ScopedTransactionCommitsOnceOrNotAtAll) {
    try {
        auto tx = dy::transaction(client());
        tx.put(Account{"carol", "Carol", 1});
        throw std::runtime_error("changed my mind");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(balance("carol"), -1);

    auto tx = dy::transaction(client());
    tx.put(Account{"carol", "Carol", 1});
    tx.remove<Account>("bob");
    tx.check<Account>("alice", field(&Account::balance) == 100);
    tx.commit();
    EXPECT_EQ(balance("carol"), 1);
    EXPECT_EQ(balance("bob"), -1);
}

TEST_F(TransactIT, SameTokenAppliesOnce) {
    const dy::TransactOptions options{.client_request_token = "dynantic-it-" + dy::detail::random_token().substr(0, 20)};
    const std::vector<dy::WriteAction> add_five{dy::update<Account>("alice").add(&Account::balance, 5)};
    dy::transact_write(client(), add_five, options);
    dy::transact_write(client(), add_five, options);  // a retry of the same call
    EXPECT_EQ(balance("alice"), 105);
}

TEST_F(TransactIT, VersionedPutChecksTheVersion) {
    dy::test::ScopedTable<Doc> docs(client());
    Doc d{"d1", "first", 0};
    dy::transact_save(client(), d);
    EXPECT_EQ(d.version, 1);
    Doc stale = d;
    d.text = "second";
    dy::transact_write(client(), {dy::put(d)});
    EXPECT_EQ(d.version, 2);
    stale.text = "lost update";
    EXPECT_THROW(dy::transact_write(client(), {dy::put(stale)}), dy::TransactionCanceledError);
    EXPECT_EQ(stale.version, 1);
    EXPECT_EQ(docs->get("d1", {.consistent_read = true})->text, "second");
}
