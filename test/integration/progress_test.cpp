// Progress callbacks and the metrics hook against DynamoDB Local: a batch of many items, a
// parallel scan, waiting for a new table with a global index, and one metrics record per call.
#include <dynantic/progress.hpp>

#include <dynantic/batch.hpp>
#include <dynantic/metrics.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>

#include <mutex>
#include <string>
#include <vector>

namespace dy = dynantic;

namespace progressit {
struct Item {
    std::string id;
    std::string kind;
    std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, kind, n))
constexpr auto dynantic_schema(const Item*) {
    return dy::table("progress-items").partition_key(&Item::id).global_index("ByKind", &Item::kind, &Item::n);
}
}  // namespace progressit

using progressit::Item;

namespace {
std::vector<Item> make_items(int n) {
    std::vector<Item> items;
    for (int i = 0; i < n; ++i) items.push_back({"item-" + std::to_string(i), i % 2 ? "odd" : "even", i});
    return items;
}
}  // namespace

class ProgressIT : public dy::test::DynamoDBTest {};

TEST_F(ProgressIT, CreateTableBatchesAndParallelScanReportProgress) {
    std::vector<dy::Progress> created;
    dy::CreateTableOptions create;
    create.progress = [&](const dy::Progress& p) { created.push_back(p); };
    dy::Table<Item> items{client()};
    items.create_table(create);
    ASSERT_FALSE(created.empty());
    EXPECT_EQ(created.back().operation, "CreateTable");
    EXPECT_EQ(created.back().total, 2u);   // the table and its global index
    EXPECT_EQ(created.back().done, 2u);
    EXPECT_EQ(created.back().pages, created.size());

    std::vector<dy::Progress> saved;
    items.batch_save(make_items(260), {}, [&](const dy::Progress& p) { saved.push_back(p); });
    ASSERT_GE(saved.size(), 11u);   // 260 items, 25 a request
    EXPECT_EQ(saved.back().done, 260u);
    EXPECT_EQ(saved.back().total, 260u);
    EXPECT_EQ(saved.back().pages, saved.size());
    for (std::size_t i = 1; i < saved.size(); ++i) EXPECT_GE(saved[i].done, saved[i - 1].done);

    std::vector<std::string> keys;
    for (int i = 0; i < 150; ++i) keys.push_back("item-" + std::to_string(i * 2));   // 130 exist
    std::vector<dy::Progress> read;
    EXPECT_EQ(items.batch_get(keys, {}, {}, [&](const dy::Progress& p) { read.push_back(p); }).size(), 130u);
    ASSERT_FALSE(read.empty());
    EXPECT_EQ(read.back().done, 150u);
    EXPECT_EQ(read.back().items, 130u);

    std::mutex mutex;
    std::vector<dy::Progress> scanned;
    const auto all = items.scan().page_size(20).parallel(4, [&](const dy::Progress& p) {
        const std::lock_guard lock(mutex);   // (the library calls one at a time already)
        scanned.push_back(p);
    });
    EXPECT_EQ(all.size(), 260u);
    ASSERT_FALSE(scanned.empty());
    EXPECT_EQ(scanned.back().done, 4u);
    EXPECT_EQ(scanned.back().total, 4u);
    EXPECT_EQ(scanned.back().items, 260u);
    EXPECT_GE(scanned.back().pages, 13u);   // 260 items, at most 20 a page

    const auto counted = items.scan().page_size(50).filter(dy::field(&Item::kind) == "odd").all_with_counts();
    EXPECT_EQ(counted.items.size(), 130u);
    EXPECT_EQ(counted.count, 130u);
    EXPECT_EQ(counted.scanned_count, 260u);
    EXPECT_GE(counted.pages, 6u);
    items.delete_table();
}

TEST_F(ProgressIT, MetricsHookSeesEachCallOnce) {
    struct Seen {
        std::string operation;
        bool ok;
        unsigned attempts, status;
        std::size_t sent, received;
        std::optional<double> capacity;
    };
    std::mutex mutex;
    std::vector<Seen> seen;
    dy::ClientOptions options;
    options.table_prefix = client().table_name("");   // this test's unique prefix
    options.metrics = [&](const dy::CallMetrics& m) {
        const std::lock_guard lock(mutex);
        seen.push_back({std::string(m.operation), m.ok(), m.attempts, m.http_status, m.bytes_sent, m.bytes_received,
                        m.consumed_capacity});
    };
    dy::Table<Item> items{dy::test::integration_client(options)};
    items.create_table();
    const auto before = seen.size();
    items.save({"a", "odd", 1});
    (void)items.get("a");
    items.query_index<"ByKind">("odd").return_consumed_capacity().all();
    EXPECT_THROW(items.create({"a", "odd", 1}), dy::ConditionalCheckFailedError);
    ASSERT_EQ(seen.size(), before + 4);   // one record per call
    const std::vector<std::string> operations{"PutItem", "GetItem", "Query", "PutItem"};
    for (std::size_t i = 0; i < 4; ++i) {
        const Seen& m = seen[before + i];
        EXPECT_EQ(m.operation, operations[i]);
        EXPECT_EQ(m.ok, i < 3);
        EXPECT_EQ(m.attempts, 1u);
        EXPECT_EQ(m.status, i < 3 ? 200u : 400u);
        EXPECT_GT(m.sent, 0u);
        EXPECT_GT(m.received, 0u);
    }
    EXPECT_FALSE(seen[before + 1].capacity);   // not asked for
    EXPECT_TRUE(seen[before + 2].capacity);    // ReturnConsumedCapacity = TOTAL
    items.delete_table();
}
