// Batch reads and writes against DynamoDB Local: a thousand items across many chunks, both key
// shapes, the buffered writer, and versioned models.
#include <dynantic/batch.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>

#include <algorithm>
#include <optional>

namespace dy = dynantic;

namespace batchit {
struct Item {
    std::string id;
    std::int64_t n = 0;
    std::string payload;
    bool operator==(const Item&) const = default;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, n, payload))
constexpr auto dynantic_schema(const Item*) { return dy::table("items").partition_key(&Item::id); }

struct Reading {
    std::string sensor;
    std::int64_t seq = 0;
    double value = 0;
    bool operator==(const Reading&) const = default;
};
BOOST_DESCRIBE_STRUCT(Reading, (), (sensor, seq, value))
constexpr auto dynantic_schema(const Reading*) {
    return dy::table("readings").partition_key(&Reading::sensor).sort_key(&Reading::seq);
}

struct Doc {
    std::string id;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (id, version))
constexpr auto dynantic_schema(const Doc*) { return dy::table("docs").partition_key(&Doc::id).version(&Doc::version); }
}  // namespace batchit

using batchit::Doc;
using batchit::Item;
using batchit::Reading;

namespace {
std::vector<Item> make_items(std::size_t n) {
    std::vector<Item> items;
    for (std::size_t i = 0; i < n; ++i)
        items.push_back({"item-" + std::to_string(i), static_cast<std::int64_t>(i), std::string(200, char('a' + i % 26))});
    return items;
}
std::vector<std::string> ids_of(const std::vector<Item>& items) {
    std::vector<std::string> ids;
    for (const auto& i : items) ids.push_back(i.id);
    return ids;
}
}  // namespace

class BatchIT : public dy::test::DynamoDBTest {};

TEST_F(BatchIT, ThousandItemsSaveGetRemoveRoundTripAcrossChunks) {
    dy::test::ScopedTable<Item> items(client());
    const auto all = make_items(1000);
    items->batch_save(all);  // 40 BatchWriteItem requests

    std::vector<std::string> keys = ids_of(all);
    std::reverse(keys.begin(), keys.end());
    keys.push_back("item-does-not-exist");
    keys.push_back("item-7");  // a duplicate is read once
    const std::vector<Item> got = items->batch_get(keys, {.consistent_read = true});  // 10 BatchGetItem requests
    ASSERT_EQ(got.size(), 1000u);
    std::vector<Item> expected(all.rbegin(), all.rend());
    EXPECT_EQ(got, expected);  // in the order of the keys

    items->batch_remove(ids_of(all));
    EXPECT_TRUE(items->batch_get(ids_of(all), {.consistent_read = true}).empty());
}

TEST_F(BatchIT, CompositeKeysRoundTrip) {
    dy::test::ScopedTable<Reading> readings(client());
    std::vector<Reading> all;
    std::vector<std::pair<std::string, std::int64_t>> keys;
    for (std::int64_t i = 0; i < 1000; ++i) {
        all.push_back({"s" + std::to_string(i % 7), i, i * 0.5});
        keys.emplace_back(all.back().sensor, i);
    }
    readings->batch_save(all);
    EXPECT_EQ(readings->batch_get(keys, {.consistent_read = true}), all);
    readings->batch_remove(keys);
    EXPECT_TRUE(readings->batch_get(keys, {.consistent_read = true}).empty());
}

TEST_F(BatchIT, WriterMixesPutsAndDeletesInOrder) {
    dy::test::ScopedTable<Item> items(client());
    const auto all = make_items(60);
    {
        auto w = items->batch_writer();
        for (const auto& i : all) w.save(i);
        for (int i = 0; i < 10; ++i) w.remove("item-" + std::to_string(i));
        w.save({"item-0", -1, "again"});  // after its delete: a second write to a buffered key flushes first
    }
    const auto got = items->batch_get(ids_of(all), {.consistent_read = true});
    ASSERT_EQ(got.size(), 51u);
    EXPECT_EQ(got.front(), (Item{"item-0", -1, "again"}));
    EXPECT_EQ(got[1].id, "item-10");
}

TEST_F(BatchIT, VersionedSaveStoresAndSetsTheNextVersion) {
    dy::test::ScopedTable<Doc> docs(client());
    std::vector<Doc> all{{"d1", 0}, {"d2", 6}};
    docs->batch_save(all);
    EXPECT_EQ(all[0].version, 1);
    EXPECT_EQ(all[1].version, 7);
    const auto got = docs->batch_get(std::vector<std::string>{"d1", "d2"}, {.consistent_read = true});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].version, 1);
    EXPECT_EQ(got[1].version, 7);
    docs->save(all[0]);  // the in-memory version matches the stored one: the checked save succeeds
    EXPECT_EQ(all[0].version, 2);
}

TEST_F(BatchIT, MissingTableIsReportedUnchanged) {
    const dy::Table<Item> missing(client());
    EXPECT_THROW(missing.batch_save(make_items(3)), dy::TableNotFoundError);
    EXPECT_THROW((void)missing.batch_get(std::vector<std::string>{"x"}), dy::TableNotFoundError);
}
