// Asynchronous batches (Table::async_batch_get/save/remove) against DynamoDB Local: several
// chunks, duplicates and missing keys, views, versioned items, a future and a coroutine.
#include <dynantic/asio.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/describe.hpp>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace dy = dynantic;
namespace asio = boost::asio;

namespace asyncbatch {
struct Item {
    std::string group;
    std::int64_t n = 0;
    std::string label;
};
BOOST_DESCRIBE_STRUCT(Item, (), (group, n, label))
constexpr auto dynantic_schema(const Item*) { return dy::table("async_items").partition_key(&Item::group).sort_key(&Item::n); }
struct Label {   // a view of Item
    std::string group;
    std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(Label, (), (group, n))
struct Doc {   // versioned
    std::string id;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (id, version))
constexpr auto dynantic_schema(const Doc*) { return dy::table("async_docs").partition_key(&Doc::id).version(&Doc::version); }
}  // namespace asyncbatch

using asyncbatch::Doc;
using asyncbatch::Item;
using asyncbatch::Label;

class AsyncBatchIT : public dy::test::DynamoDBTest {};

TEST_F(AsyncBatchIT, SaveGetRemoveInChunks) {
    dy::test::ScopedTable<Item> items(client());
    const dy::Table<Item>& t = items.table();
    std::vector<Item> many;
    for (std::int64_t i = 0; i < 60; ++i) many.push_back({"g", i, "l" + std::to_string(i)});   // 3 BatchWriteItem requests
    t.async_batch_save(many, asio::use_future).get();
    EXPECT_EQ(t.query("g").count(), 60u);

    std::vector<std::pair<std::string, std::int64_t>> keys;
    for (std::int64_t i = 0; i < 150; ++i) keys.emplace_back("g", i % 70);   // duplicates, and 10 missing keys
    asio::io_context ioc;
    std::exception_ptr failure;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            std::vector<Item> got = co_await t.async_batch_get(keys, asio::use_awaitable);
            EXPECT_EQ(got.size(), 60u);
            std::set<std::int64_t> seen;
            for (const auto& x : got) seen.insert(x.n);
            EXPECT_EQ(seen.size(), 60u);
            if (!got.empty()) {
                EXPECT_EQ(got.front().n, 0);   // in the keys' order
                EXPECT_EQ(got.front().label, "l0");
            }
            dy::ConsumedCapacity capacity;
            const dy::GetOptions consistent{.consistent_read = true,
                                            .return_consumed_capacity = dy::ReturnConsumedCapacity::total,
                                            .consumed_capacity = &capacity};
            std::vector<Label> labels = co_await t.async_batch_get<Label>(keys, consistent, dy::BatchOptions{}, asio::use_awaitable);
            EXPECT_EQ(labels.size(), 60u);
            EXPECT_GT(capacity.capacity_units, 0.0);
            std::vector<std::pair<std::string, std::int64_t>> first_half;
            for (std::int64_t i = 0; i < 30; ++i) first_half.emplace_back("g", i);
            co_await t.async_batch_remove(first_half, asio::use_awaitable);
        },
        [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    EXPECT_EQ(t.query("g").count(), 30u);

    // Two items with one key: refused before sending, through the completion.
    std::vector<Item> twice{{"g", 100, "a"}, {"g", 100, "b"}};
    auto refused = t.async_batch_save(twice, asio::use_future);
    EXPECT_THROW(refused.get(), dy::ValidationError);
}

TEST_F(AsyncBatchIT, VersionedItemsGetTheirVersions) {
    dy::test::ScopedTable<Doc> docs(client());
    std::vector<Doc> many;
    for (int i = 0; i < 30; ++i) many.push_back({"d" + std::to_string(i), 0});
    docs->async_batch_save(many, asio::use_future).get();
    for (const auto& d : many) EXPECT_EQ(d.version, 1);
    EXPECT_EQ(docs->get("d7")->version, 1);
}
