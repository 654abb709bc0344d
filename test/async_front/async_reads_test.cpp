// Asynchronous pagination (dynantic/asio.hpp) against DynamoDB Local: async_page with cursors
// (the same pages and cursors as page()), async_all, async_first, async_count, the Pager (async_next, async_next_page),
// Query and Scan page values, and table management (create, describe, exists, delete).
#include <dynantic/asio.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/describe.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dy = dynantic;
namespace asio = boost::asio;
using dy::field;

namespace asyncreads {
struct Event {
    std::string stream;
    std::int64_t seq = 0;
    std::string kind;
    std::string body;
};
BOOST_DESCRIBE_STRUCT(Event, (), (stream, seq, kind, body))
constexpr auto dynantic_schema(const Event*) {
    return dy::table("async_events").partition_key(&Event::stream).sort_key(&Event::seq).global_index("ByKind", &Event::kind, &Event::seq);
}
}  // namespace asyncreads

using asyncreads::Event;

namespace {
template <class F>
void run_coroutine(F f) {
    asio::io_context ioc;
    std::exception_ptr failure;
    asio::co_spawn(ioc, std::move(f), [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
}
constexpr std::int64_t events = 45;
}  // namespace

class AsyncReadsIT : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (!dy::test::integration_endpoint()) return;
        table_.emplace(client());
        for (std::int64_t i = 0; i < events; ++i) (*table_)->save({"s", i, i % 3 ? "b" : "a", "x"});
        (*table_)->save({"other", 0, "a", "y"});
    }
    void TearDown() override { table_.reset(); }
    const dy::Table<Event>& events_table() const { return table_->table(); }
    std::optional<dy::test::ScopedTable<Event>> table_;
};

TEST_F(AsyncReadsIT, PagesWithCursorsMatchTheSynchronousOnes) {
    const auto& t = events_table();
    run_coroutine([&]() -> asio::awaitable<void> {
        // limit(10): pages of 10 items over as many requests as needed; page_size(4) makes several.
        auto q = t.query("s").limit(10).page_size(4);
        std::optional<std::string> cursor;
        std::vector<std::int64_t> seen;
        int pages = 0;
        do {
            auto page = co_await q.async_page(cursor, asio::use_awaitable);
            const auto sync_page = q.page(cursor);   // the same page and cursor as the synchronous read
            EXPECT_EQ(page.items.size(), sync_page.items.size());
            EXPECT_EQ(page.next_cursor, sync_page.next_cursor);
            EXPECT_LE(page.items.size(), 10u);
            for (const auto& e : page.items) seen.push_back(e.seq);
            cursor = page.next_cursor;
            ++pages;
        } while (cursor && pages < 20);
        EXPECT_EQ(pages, 5);   // 45 items: 4 full pages and one of 5
        EXPECT_EQ(seen.size(), static_cast<std::size_t>(events));   // (no ASSERT_ in a coroutine)
        for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], static_cast<std::int64_t>(i));

        // Without a limit: one DynamoDB page (Limit = page_size) per call, with a filter.
        auto filtered = t.query("s").page_size(9).filter(field(&Event::kind) == "a");
        auto first = co_await filtered.async_page(asio::use_awaitable);
        EXPECT_EQ(first.scanned_count, 9u);
        EXPECT_EQ(first.items.size(), 3u);   // seq 0, 3, 6
        EXPECT_TRUE(first.next_cursor.has_value());

        // A cursor of another read is refused before sending, through the completion.
        bool refused = false;
        try {
            auto other = t.query("other");
            const std::optional<std::string> foreign = first.next_cursor;
            co_await other.async_page(foreign, asio::use_awaitable);
        } catch (const dy::ValidationError&) {
            refused = true;
        }
        EXPECT_TRUE(refused);
    });
}

TEST_F(AsyncReadsIT, PagerIteratesEveryItemOnePageAtATime) {
    const auto& t = events_table();
    run_coroutine([&]() -> asio::awaitable<void> {
        auto pager = t.query("s").page_size(7).async_pager();
        std::int64_t expected = 0;
        while (std::optional<Event> e = co_await pager.async_next(asio::use_awaitable)) {
            EXPECT_EQ(e->seq, expected);
            ++expected;
        }
        EXPECT_EQ(expected, events);
        EXPECT_FALSE(pager.cursor().has_value());

        // A limit is honoured across pages; a scan of an index, page by page.
        auto limited = t.query("s").page_size(7).limit(10).async_pager();
        int n = 0;
        while (co_await limited.async_next(asio::use_awaitable)) ++n;
        EXPECT_EQ(n, 10);
        auto scan = t.scan_index<"ByKind">().page_size(8).async_pager();
        std::size_t scanned = 0, pages = 0;
        while (auto page = co_await scan.async_next_page(asio::use_awaitable)) {
            scanned += page->size();
            ++pages;
        }
        EXPECT_EQ(scanned, static_cast<std::size_t>(events) + 1);
        EXPECT_GE(pages, 6u);
    });
}

TEST_F(AsyncReadsIT, AllAndPageValuesWithFutures) {
    const auto& t = events_table();
    std::vector<Event> all = t.query("s").filter(field(&Event::kind) == "b").async_all(asio::use_future).get();
    EXPECT_EQ(all.size(), 30u);
    std::vector<Event> scanned = t.scan().async_all(asio::use_future).get();
    EXPECT_EQ(scanned.size(), static_cast<std::size_t>(events) + 1);
    // One Query page value, then the next from its LastEvaluatedKey.
    auto page = t.async_execute(t.query("s").page_size(20).operation(), asio::use_future).get();
    EXPECT_EQ(page.items.size(), 20u);
    ASSERT_TRUE(page.last_evaluated_key.has_value());
    auto next = t.async_execute(t.query("s").page_size(20).operation(page.last_evaluated_key), asio::use_future).get();
    ASSERT_FALSE(next.items.empty());
    EXPECT_EQ(next.items.front().seq, 20);
    auto scan_page = t.async_execute(t.scan().page_size(5).operation(), asio::use_future).get();
    EXPECT_EQ(scan_page.items.size(), 5u);
}

TEST_F(AsyncReadsIT, FirstAndCountAsTheSynchronousOnes) {
    const auto& t = events_table();
    // A future: the count over several pages, with a filter, capped by a limit.
    EXPECT_EQ(t.query("s").page_size(10).async_count(asio::use_future).get(), static_cast<std::size_t>(events));
    EXPECT_EQ(t.query("s").filter(field(&Event::kind) == "a").async_count(asio::use_future).get(),
              t.query("s").filter(field(&Event::kind) == "a").count());
    EXPECT_EQ(t.query("s").limit(12).page_size(5).async_count(asio::use_future).get(), 12u);
    dy::ConsumedCapacity capacity;
    EXPECT_EQ(t.scan().return_consumed_capacity(dy::ReturnConsumedCapacity::total, &capacity).async_count(asio::use_future).get(),
              static_cast<std::size_t>(events) + 1);
    EXPECT_GT(capacity.capacity_units, 0);
    run_coroutine([&]() -> asio::awaitable<void> {
        const std::optional<Event> first = co_await t.query("s").reverse().async_first(asio::use_awaitable);
        EXPECT_EQ(first ? first->seq : -1, events - 1);
        // Seq 44 and 43 are of kind "b": two empty filtered pages before the item.
        const std::optional<Event> filtered =
            co_await t.query("s").reverse().filter(field(&Event::kind) == "a").async_first(asio::use_awaitable);
        EXPECT_EQ(filtered ? filtered->seq : -1, 42);
        EXPECT_FALSE(co_await t.query("nobody").async_first(asio::use_awaitable));
        EXPECT_EQ(co_await t.query("nobody").async_count(asio::use_awaitable), 0u);
    });
}

TEST_F(AsyncReadsIT, TableManagement) {
    dy::ClientOptions options;
    options.table_prefix = dy::test::unique_table_name("asyncadmin") + "-";
    const dy::Table<Event> t(dy::test::integration_client(options));
    run_coroutine([&]() -> asio::awaitable<void> {
        EXPECT_FALSE(co_await t.async_table_exists(asio::use_awaitable));
        co_await t.async_create_table(asio::use_awaitable);   // waits until ACTIVE
        EXPECT_TRUE(co_await t.async_table_exists(asio::use_awaitable));
        boost::json::object described = co_await t.async_describe_table(asio::use_awaitable);
        EXPECT_EQ(described.at("TableStatus").as_string(), "ACTIVE");
        EXPECT_TRUE(t.verify_table().empty());
        co_await t.async_wait_until_active(std::chrono::seconds(10), asio::use_awaitable);
        bool exists_error = false;
        try {
            co_await t.async_create_table(asio::use_awaitable);
        } catch (const dy::Error& e) {
            exists_error = e.code() == dy::errc::resource_in_use;
        }
        EXPECT_TRUE(exists_error);
        co_await t.async_delete_table(std::chrono::seconds(30), asio::use_awaitable);
        EXPECT_FALSE(co_await t.async_table_exists(asio::use_awaitable));
        bool missing = false;
        try {
            co_await t.async_describe_table(asio::use_awaitable);
        } catch (const dy::TableNotFoundError&) {
            missing = true;
        }
        EXPECT_TRUE(missing);
    });
}
