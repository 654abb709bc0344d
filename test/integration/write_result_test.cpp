// Write results against DynamoDB Local: the old item and the consumed capacity each write kind
// returns, the non-throwing forms on both outcomes, and create-table-on-first-write.
#include <dynantic/write_result.hpp>

#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace dy = dynantic;

namespace writeresultit {
struct Player {
    std::string id;
    std::string name;
    int score = 0;
    bool operator==(const Player&) const = default;
};
BOOST_DESCRIBE_STRUCT(Player, (), (id, name, score))
constexpr auto dynantic_schema(const Player*) {
    return dy::table("players").partition_key(&Player::id).global_index("ByName", &Player::name);
}

struct Account {
    std::string id;
    std::int64_t balance = 0;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, balance, version))
constexpr auto dynantic_schema(const Account*) {
    return dy::table("accounts").partition_key(&Account::id).version(&Account::version);
}
}  // namespace writeresultit

using writeresultit::Account;
using writeresultit::Player;

using WriteResultIT = dy::test::DynamoDBTest;

namespace {
constexpr auto indexes = dy::ReturnConsumedCapacity::indexes;
constexpr auto total = dy::ReturnConsumedCapacity::total;
}  // namespace

TEST_F(WriteResultIT, SaveReturnsTheReplacedItemAndTheCapacityPerIndex) {
    dy::test::ScopedTable<Player> players(client());
    const std::string table = players->name();
    const auto first = players->save({"p1", "ann", 1}, {.return_old_item = true, .return_consumed_capacity = indexes});
    EXPECT_FALSE(first.old_item);
    ASSERT_TRUE(first.capacity);
    // A new item with the index key: one unit for the table, one for the index.
    EXPECT_DOUBLE_EQ(first.capacity->capacity_units, 2);
    EXPECT_DOUBLE_EQ(first.capacity->tables.at(table).table.capacity_units, 1);
    EXPECT_DOUBLE_EQ(first.capacity->tables.at(table).global_secondary_indexes.at("ByName").capacity_units, 1);

    const auto second = players->save({"p1", "bob", 2}, {.return_old_item = true, .return_consumed_capacity = indexes});
    ASSERT_TRUE(second.old_item);
    EXPECT_EQ(*second.old_item, (Player{"p1", "ann", 1}));
    ASSERT_TRUE(second.capacity);
    // The index key changed: the index deletes the old entry and writes the new one.
    EXPECT_DOUBLE_EQ(second.capacity->tables.at(table).global_secondary_indexes.at("ByName").capacity_units, 2);

    // Not asked: nothing returned.
    const auto plain = players->save({"p1", "cy", 3});
    EXPECT_FALSE(plain.old_item);
    EXPECT_FALSE(plain.capacity);
}

TEST_F(WriteResultIT, CreateRemoveAndRemoveItemReturnOldItemsAndCapacity) {
    dy::test::ScopedTable<Player> players(client());
    const auto created = players->create({"p1", "ann", 1}, {.return_consumed_capacity = total});
    ASSERT_TRUE(created.capacity);
    EXPECT_GT(created.capacity->capacity_units, 0);
    EXPECT_TRUE(created.capacity->tables.at(players->name()).global_secondary_indexes.empty());   // TOTAL: no breakdown

    const auto removed = players->remove("p1", {.return_old_item = true, .return_consumed_capacity = total});
    ASSERT_TRUE(removed.old_item);
    EXPECT_EQ(*removed.old_item, (Player{"p1", "ann", 1}));
    EXPECT_TRUE(removed.capacity);
    const auto none = players->remove("p1", {.return_old_item = true});
    EXPECT_FALSE(none.old_item);

    players->save({"p2", "bo", 5});
    const auto by_item = players->remove_item({"p2", "", 0}, dy::field(&Player::score) == 5, {.return_old_item = true});
    ASSERT_TRUE(by_item.old_item);
    EXPECT_EQ(by_item.old_item->name, "bo");
}

TEST_F(WriteResultIT, ExecuteOfOperationValuesReturnsTheOldItem) {
    dy::test::ScopedTable<Player> players(client());
    const Player a{"p1", "ann", 1}, b{"p1", "bob", 2};
    players->save(a);
    const auto put = players->execute(dy::op::Put<Player>(b).return_old_item().return_consumed_capacity());
    ASSERT_TRUE(put.old_item);
    EXPECT_EQ(*put.old_item, a);
    EXPECT_TRUE(put.capacity);
    const auto del = players->execute(dy::op::Delete<Player>("p1").return_old_item());
    ASSERT_TRUE(del.old_item);
    EXPECT_EQ(*del.old_item, b);
}

TEST_F(WriteResultIT, UpdateGetBatchesAndTransactionsReportCapacity) {
    dy::test::ScopedTable<Player> players(client());
    const std::string table = players->name();
    players->save({"p1", "ann", 1});
    const auto updated = players->update("p1").set(&Player::name, "zed").return_consumed_capacity(indexes).execute();
    ASSERT_TRUE(updated.capacity);
    EXPECT_EQ(updated.capacity->tables.at(table).global_secondary_indexes.count("ByName"), 1u);

    dy::ConsumedCapacity got;
    EXPECT_TRUE(players->get("p1", {.return_consumed_capacity = total, .consumed_capacity = &got}));
    EXPECT_DOUBLE_EQ(got.capacity_units, 0.5);   // an eventually consistent read of a small item

    std::vector<Player> many;
    for (int i = 0; i < 30; ++i) many.push_back({"b" + std::to_string(i), "n" + std::to_string(i), i});
    dy::ConsumedCapacity written;
    players->batch_save(many, {.return_consumed_capacity = indexes, .consumed_capacity = &written});
    // 30 new items in two requests, each one unit for the table and one for the index.
    EXPECT_DOUBLE_EQ(written.capacity_units, 60);
    EXPECT_DOUBLE_EQ(written.tables.at(table).table.capacity_units, 30);

    dy::ConsumedCapacity read;
    std::vector<std::string> keys;
    for (const auto& p : many) keys.push_back(p.id);
    EXPECT_EQ(players->batch_get(keys, {}, {.return_consumed_capacity = total, .consumed_capacity = &read}).size(), 30u);
    EXPECT_DOUBLE_EQ(read.capacity_units, 15);

    dy::ConsumedCapacity removed;
    players->batch_remove(keys, {.return_consumed_capacity = total, .consumed_capacity = &removed});
    EXPECT_DOUBLE_EQ(removed.capacity_units, 60);

    {
        dy::ConsumedCapacity before = removed;
        dy::BatchWriter<Player> writer(*players, {.return_consumed_capacity = total, .consumed_capacity = &removed});
        writer.save({"w1", "w", 1});
        writer.flush();
        EXPECT_GT(removed.capacity_units, before.capacity_units);
    }

    dy::ConsumedCapacity tx;
    const Player t{"t1", "tx", 1};
    dy::transact_write(client(), {dy::put(t)}, {.return_consumed_capacity = total, .consumed_capacity = &tx});
    EXPECT_GT(tx.capacity_units, 0);
    EXPECT_EQ(tx.tables.count(table), 1u);
    dy::ConsumedCapacity txr;
    auto [p] = dy::transact_get(client(), dy::TransactOptions{.return_consumed_capacity = total, .consumed_capacity = &txr},
                                dy::get<Player>("t1"));
    EXPECT_TRUE(p);
    EXPECT_GT(txr.capacity_units, 0);
}

TEST_F(WriteResultIT, TryCreateOnBothOutcomes) {
    dy::test::ScopedTable<Player> players(client());
    const auto created = players->try_create({"p1", "ann", 1});
    EXPECT_TRUE(created.applied);
    EXPECT_FALSE(created.current_item);
    const auto exists = players->try_create({"p1", "bob", 2}, {.return_item_on_condition_failure = true});
    EXPECT_FALSE(exists.applied);
    ASSERT_TRUE(exists.current_item);
    EXPECT_EQ(*exists.current_item, (Player{"p1", "ann", 1}));
    EXPECT_EQ(players->get("p1")->name, "ann");   // not overwritten
}

TEST_F(WriteResultIT, TrySaveAndTryRemoveOnBothOutcomes) {
    dy::test::ScopedTable<Player> players(client());
    players->save({"p1", "ann", 1});
    const auto no = players->try_save({"p1", "ann", 9}, dy::field(&Player::score) == 5);
    EXPECT_FALSE(no.applied);
    EXPECT_FALSE(no.current_item);   // not asked
    const auto yes = players->try_save({"p1", "ann", 9}, dy::field(&Player::score) == 1, {.return_old_item = true});
    EXPECT_TRUE(yes.applied);
    ASSERT_TRUE(yes.result.old_item);
    EXPECT_EQ(yes.result.old_item->score, 1);

    const auto kept = players->try_remove("p1", dy::field(&Player::score) == 1, {.return_item_on_condition_failure = true});
    EXPECT_FALSE(kept.applied);
    ASSERT_TRUE(kept.current_item);
    EXPECT_EQ(kept.current_item->score, 9);
    const auto gone = players->try_remove("p1", dy::field(&Player::score) == 9, {.return_old_item = true});
    EXPECT_TRUE(gone.applied);
    ASSERT_TRUE(gone.result.old_item);
    EXPECT_FALSE(players->get("p1"));
}

TEST_F(WriteResultIT, VersionedTryFormsAndUpdateTryExecuteOnBothOutcomes) {
    dy::test::ScopedTable<Account> accounts(client());
    Account a{"a1", 10, 0};
    accounts->save(a);   // version 1
    Account stale = a;
    a.balance = 20;
    ASSERT_TRUE(accounts->try_save(a).applied);   // version 2
    stale.balance = 99;
    const auto lost = accounts->try_save(stale, {.return_item_on_condition_failure = true});
    EXPECT_FALSE(lost.applied);
    EXPECT_EQ(stale.version, 1);   // unchanged: not written
    ASSERT_TRUE(lost.current_item);
    EXPECT_EQ(lost.current_item->balance, 20);
    EXPECT_FALSE(accounts->try_remove_item(stale).applied);

    const auto short_of_funds = accounts->update("a1").add(&Account::balance, -50)
                                    .when(dy::field(&Account::balance) >= 50)
                                    .return_item_on_condition_failure()
                                    .try_execute();
    EXPECT_FALSE(short_of_funds.applied);
    ASSERT_TRUE(short_of_funds.current_item);
    EXPECT_EQ(short_of_funds.current_item->balance, 20);
    const auto paid = accounts->update("a1").add(&Account::balance, -5).when(dy::field(&Account::balance) >= 5)
                          .returning(dy::ReturnValues::all_new).try_execute();
    EXPECT_TRUE(paid.applied);
    ASSERT_TRUE(paid.result.item);
    EXPECT_EQ(paid.result.item->balance, 15);
    EXPECT_TRUE(accounts->try_remove_item(*accounts->get("a1")).applied);
}

TEST_F(WriteResultIT, CreateTableOnFirstWriteFromTwoThreads) {
    const dy::Table<Player> probe(client());
    ASSERT_FALSE(probe.table_exists());
    const dy::Table<Player> players(client(), dy::TableOptions{.create_table_on_first_write = true});
    std::atomic<int> saved{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            players.save({"p" + std::to_string(t), "n", t});
            ++saved;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(saved.load(), 2);
    EXPECT_TRUE(probe.table_exists());
    EXPECT_TRUE(probe.verify_table().empty());   // created from the schema, index included
    EXPECT_TRUE(players.get("p0"));
    EXPECT_TRUE(players.get("p1"));
    // Updates and the try forms go through the same path; the table now exists.
    EXPECT_TRUE(players.try_create({"p2", "n", 2}).applied);
    players.update("p2").set(&Player::score, 7).execute();
    EXPECT_EQ(players.get("p2")->score, 7);
    probe.delete_table();
}

TEST_F(WriteResultIT, WithoutTheOptionAWriteToAMissingTableThrows) {
    const dy::Table<Player> players(client());
    EXPECT_THROW(players.save({"p1", "n", 1}), dy::TableNotFoundError);
    EXPECT_FALSE(players.table_exists());
}

TEST_F(WriteResultIT, QueryOfAnIndexSumsTheCapacityByIndexOverPages) {
    dy::test::ScopedTable<Player> players(client());
    const std::string table = players->name();
    std::vector<Player> many;
    for (int i = 0; i < 12; ++i) many.push_back({"q" + std::to_string(i), "same", i});
    players->batch_save(many);

    dy::ConsumedCapacity sink;
    const auto r = players->query_index<"ByName">("same").page_size(5).return_consumed_capacity(indexes, &sink).all_with_counts();
    EXPECT_EQ(r.items.size(), 12u);
    EXPECT_EQ(r.pages, 3u);   // 5 + 5 + 2
    ASSERT_TRUE(r.capacity);
    ASSERT_TRUE(r.consumed_capacity);
    EXPECT_GT(r.capacity->capacity_units, 0);
    EXPECT_DOUBLE_EQ(*r.consumed_capacity, r.capacity->capacity_units);
    // Read from the index only: its units are the whole call's, summed over the three pages.
    EXPECT_DOUBLE_EQ(r.capacity->tables.at(table).global_secondary_indexes.at("ByName").capacity_units,
                     r.capacity->capacity_units);
    EXPECT_EQ(sink, *r.capacity);   // the sink saw every page

    // One page: the page's own capacity; TOTAL: no per-index breakdown.
    const auto page = players->query_index<"ByName">("same").page_size(5).return_consumed_capacity().page();
    ASSERT_TRUE(page.capacity);
    EXPECT_GT(page.capacity->capacity_units, 0);
    EXPECT_LT(page.capacity->capacity_units, r.capacity->capacity_units);
    EXPECT_TRUE(page.capacity->tables.at(table).global_secondary_indexes.empty());

    // Iteration and a parallel scan report through the sink alone.
    dy::ConsumedCapacity iterated;
    std::size_t seen = 0;
    for (const auto& p : players->query_index<"ByName">("same").page_size(5).return_consumed_capacity(total, &iterated)) {
        EXPECT_EQ(p.name, "same");
        ++seen;
    }
    EXPECT_EQ(seen, 12u);
    EXPECT_DOUBLE_EQ(iterated.capacity_units, r.capacity->capacity_units);
    dy::ConsumedCapacity scanned;
    EXPECT_EQ(players->scan().return_consumed_capacity(total, &scanned).parallel(3).size(), 12u);
    EXPECT_GT(scanned.capacity_units, 0);

    // Not asked: nothing reported.
    const auto plain = players->query_index<"ByName">("same").all_with_counts();
    EXPECT_FALSE(plain.capacity);
    EXPECT_FALSE(plain.consumed_capacity);
}

TEST_F(WriteResultIT, CreateTableOnFirstWriteOfABatch) {
    const dy::Table<Player> probe(client());
    ASSERT_FALSE(probe.table_exists());
    const dy::Table<Player> players(client(), dy::TableOptions{.create_table_on_first_write = true});
    std::vector<Player> many;
    for (int i = 0; i < 30; ++i) many.push_back({"b" + std::to_string(i), "n", i});
    players.batch_save(many);   // two requests; the first finds the table missing
    EXPECT_TRUE(probe.table_exists());
    EXPECT_TRUE(probe.verify_table().empty());
    EXPECT_EQ(players.scan().all().size(), 30u);
    probe.delete_table();
}

TEST_F(WriteResultIT, WithoutTheOptionABatchToAMissingTableThrows) {
    const dy::Table<Player> players(client());
    std::vector<Player> many{{"b1", "n", 1}};
    EXPECT_THROW(players.batch_save(many), dy::TableNotFoundError);
    EXPECT_THROW(players.batch_remove(std::vector<std::string>{"b1"}), dy::TableNotFoundError);
    EXPECT_FALSE(players.table_exists());
}
