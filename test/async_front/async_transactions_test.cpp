// Asynchronous transactions (dynantic/asio/transaction.hpp) against DynamoDB Local:
// async_transact_write (applied, refused with its reasons), async_transact_get (typed tuple),
// through a coroutine and a future.
#include <dynantic/asio.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/describe.hpp>

#include <optional>
#include <string>

namespace dy = dynantic;
namespace asio = boost::asio;

namespace asynctx {
struct Account {
    std::string account_id;
    std::int64_t balance = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (account_id, balance))
constexpr auto dynantic_schema(const Account*) { return dy::table("async_accounts").partition_key(&Account::account_id); }
struct Transfer {
    std::string transfer_id;
    std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Transfer, (), (transfer_id, amount))
constexpr auto dynantic_schema(const Transfer*) { return dy::table("async_transfers").partition_key(&Transfer::transfer_id); }
}  // namespace asynctx

using asynctx::Account;
using asynctx::Transfer;

class AsyncTransactionsIT : public dy::test::DynamoDBTest {};

TEST_F(AsyncTransactionsIT, WriteThenReadAsOneInstant) {
    dy::test::ScopedTable<Account> accounts(client());
    dy::test::ScopedTable<Transfer> transfers(client());
    accounts->save({"a", 100});
    accounts->save({"b", 0});
    const dy::Client c = client();
    asio::io_context ioc;
    std::exception_ptr failure;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            const Transfer t{"t1", 30};
            std::vector<dy::WriteAction> actions{
                dy::update<Account>("a").add(&Account::balance, -30).when(dy::field(&Account::balance) >= 30),
                dy::update<Account>("b").add(&Account::balance, 30),
                dy::put(t).when(dy::field(&Transfer::transfer_id).not_exists())};
            co_await dy::asio::async_transact_write(c, actions, asio::use_awaitable);
            auto [a, b, rec] = co_await dy::asio::async_transact_get(c, dy::get<Account>("a"), dy::get<Account>("b"),
                                                                     dy::get<Transfer>("t1"), asio::use_awaitable);
            EXPECT_EQ(a ? a->balance : -1, 70);
            EXPECT_EQ(b ? b->balance : -1, 30);
            EXPECT_EQ(rec ? rec->amount : -1, 30);

            // The same transfer again: refused as a whole, the reasons naming the failing action.
            bool refused = false;
            try {
                co_await dy::asio::async_transact_write(c, actions, asio::use_awaitable);
            } catch (const dy::TransactionCanceledError& e) {
                refused = true;
                EXPECT_EQ(e.reasons().size(), 3u);   // (no ASSERT_ in a coroutine)
                if (e.reasons().size() == 3) {
                    EXPECT_FALSE(e.reasons()[0].failed());
                    EXPECT_TRUE(e.reasons()[2].failed());
                    EXPECT_EQ(e.reasons()[2].table, c.table_name("async_transfers"));
                }
            }
            EXPECT_TRUE(refused);
        },
        [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    EXPECT_EQ(accounts->get("a")->balance, 70);

    // A future, with options (consumed capacity) and a missing item.
    dy::ConsumedCapacity capacity;
    const dy::TransactOptions options{.return_consumed_capacity = dy::ReturnConsumedCapacity::total,
                                      .consumed_capacity = &capacity};
    auto [a, none] = dy::asio::async_transact_get(c, options, dy::get<Account>("a"), dy::get<Account>("zz"), asio::use_future).get();
    EXPECT_EQ(a ? a->balance : -1, 70);
    EXPECT_FALSE(none.has_value());
    EXPECT_GT(capacity.capacity_units, 0.0);
    // Refused before sending: two actions on one item.
    std::vector<dy::WriteAction> twice{dy::update<Account>("a").add(&Account::balance, 1),
                                       dy::update<Account>("a").add(&Account::balance, 2)};
    auto refused = dy::asio::async_transact_write(c, twice, asio::use_future);
    EXPECT_THROW(refused.get(), dy::ValidationError);
}

TEST_F(AsyncTransactionsIT, ATransactionBuilderCommitsAsynchronously) {
    dy::test::ScopedTable<Account> accounts(client());
    accounts->save({"a", 10});
    dy::Transaction tx(client());
    tx.put(Account{"b", 5});
    tx.add(dy::update<Account>("a").add(&Account::balance, -5));
    EXPECT_FALSE(tx.committed());
    tx.async_commit(asio::use_future).get();
    EXPECT_TRUE(tx.committed());
    EXPECT_EQ(accounts->get("a")->balance, 5);
    EXPECT_EQ(accounts->get("b")->balance, 5);
    // Committed already: refused through the completion, as commit() would throw.
    auto again = tx.async_commit(asio::use_future);
    EXPECT_THROW(again.get(), dy::ValidationError);

    // Refused by DynamoDB: commit()'s error, nothing applied, the transaction not committed.
    dy::Transaction refused(client());
    refused.check<Account>("zz", dy::field(&Account::balance) >= 0);
    refused.put(Account{"c", 1});
    EXPECT_THROW(refused.async_commit(asio::use_future).get(), dy::TransactionCanceledError);
    EXPECT_FALSE(refused.committed());
    EXPECT_FALSE(accounts->get("c"));

    // In a coroutine, and an empty transaction (no request) completes too.
    dy::Transaction empty(client());
    dy::Transaction more(client());
    more.put(Account{"d", 7});
    asio::io_context ioc;
    std::exception_ptr failure;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            co_await empty.async_commit(asio::use_awaitable);
            co_await more.async_commit(asio::use_awaitable);
        },
        [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    EXPECT_TRUE(empty.committed());
    EXPECT_TRUE(more.committed());
    EXPECT_EQ(accounts->get("d")->balance, 7);
}
