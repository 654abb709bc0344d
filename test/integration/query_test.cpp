// Queries, scans, indexes and pagination against DynamoDB Local, with items large enough that
// DynamoDB pages by its 1 MB limit, not only by Limit.
#include <dynantic/query.hpp>

#include <dynantic/table.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>

#include <algorithm>
#include <mutex>
#include <optional>
#include <set>

namespace dy = dynantic;
using dy::field;

namespace queryit {
struct Doc {
    std::string owner;
    std::int64_t seq = 0;
    std::string kind;      // GSI partition key
    std::string day;       // GSI sort key
    std::int64_t rank = 0; // LSI sort key
    std::string payload;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (owner, seq, kind, day, rank, payload))
constexpr auto dynantic_schema(const Doc*) {
    return dy::table("docs")
        .partition_key(&Doc::owner)
        .sort_key(&Doc::seq)
        .global_index("ByKind", &Doc::kind, &Doc::day)
        .local_index("ByRank", &Doc::rank);
}
/** Another model of the same table, with the same key: its reads must not accept Doc's cursors. */
struct DocSummary {
    std::string owner;
    std::int64_t seq = 0;
    std::string kind;
};
BOOST_DESCRIBE_STRUCT(DocSummary, (), (owner, seq, kind))
constexpr auto dynantic_schema(const DocSummary*) {
    return dy::table("docs").partition_key(&DocSummary::owner).sort_key(&DocSummary::seq);
}
}  // namespace queryit

using queryit::Doc;
using queryit::DocSummary;

namespace {
constexpr std::int64_t big_items = 260;     // 260 x ~10 KB = ~2.6 MB in one partition: 3 DynamoDB pages
const std::string payload(10 * 1024, 'x');

std::string day_of(std::int64_t i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "2024-01-%02d", static_cast<int>(i % 28 + 1));
    return buf;
}
}  // namespace

class QueryIT : public dy::test::DynamoDBTest {
protected:
    // One data set for the whole suite: filling it takes most of the time.
    static void SetUpTestSuite() {
        if (!dy::test::integration_endpoint()) return;
        dy::ClientOptions options;
        options.table_prefix = dy::test::unique_table_name("query") + "-";
        suite_docs.emplace(dy::test::integration_client(options));
        suite_docs->create_table();
        for (std::int64_t i = 0; i < big_items; ++i)
            suite_docs->save({"big", i, i % 2 ? "odd" : "even", day_of(i), big_items - i, payload});
        for (std::int64_t i = 0; i < 30; ++i) suite_docs->save({"small", i, i % 3 ? "b" : "a", day_of(i), i % 5, "p"});
    }
    static void TearDownTestSuite() {
        if (suite_docs) suite_docs->delete_table();
        suite_docs.reset();
    }
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        ASSERT_TRUE(suite_docs.has_value());
        docs = *suite_docs;
    }
    static inline std::optional<dy::Table<Doc>> suite_docs;
    dy::Table<Doc> docs;
};

TEST_F(QueryIT, EveryItemOnceInOrderAcrossMegabytePagesBothDirections) {
    std::vector<std::int64_t> forward, backward;
    for (const Doc& d : docs.query("big")) forward.push_back(d.seq);
    for (const Doc& d : docs.query("big").reverse()) backward.push_back(d.seq);
    ASSERT_EQ(forward.size(), static_cast<std::size_t>(big_items));
    for (std::int64_t i = 0; i < big_items; ++i) EXPECT_EQ(forward[static_cast<std::size_t>(i)], i);
    std::reverse(backward.begin(), backward.end());
    EXPECT_EQ(backward, forward);
    // DynamoDB itself split the partition into pages (no Limit was sent).
    const auto first = docs.query("big").page();
    EXPECT_LT(first.items.size(), static_cast<std::size_t>(big_items));
    EXPECT_TRUE(first.next_cursor.has_value());
}

TEST_F(QueryIT, LimitAcrossPagesAndResumeFromCursorNeitherSkipsNorRepeats) {
    std::vector<std::int64_t> seen;
    std::optional<std::string> cursor;
    int pages = 0;
    do {
        auto page = docs.query("big").limit(37).page(cursor);
        EXPECT_LE(page.items.size(), 37u);
        for (const auto& d : page.items) seen.push_back(d.seq);
        cursor = page.next_cursor;
        ++pages;
    } while (cursor && pages < 100);
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(big_items));
    for (std::int64_t i = 0; i < big_items; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
    EXPECT_EQ(docs.query("big").limit(5).all().size(), 5u);
    EXPECT_EQ(docs.query("big").limit(100).page_size(7).all().size(), 100u);
}

TEST_F(QueryIT, SortKeyConditionsAndFilters) {
    EXPECT_EQ(docs.query("small").between(10, 19).all().size(), 10u);
    EXPECT_EQ(docs.query("small").lt(3).all().size(), 3u);
    EXPECT_EQ(docs.query("small").le(3).all().size(), 4u);
    EXPECT_EQ(docs.query("small").gt(27).all().size(), 2u);
    EXPECT_EQ(docs.query("small").ge(27).all().size(), 3u);
    EXPECT_EQ(docs.query("small").eq(4).one().seq, 4);
    EXPECT_EQ(docs.query("small").filter(field(&Doc::kind) == "a").all().size(), 10u);
    EXPECT_EQ(docs.query("small").filter(field(&Doc::kind) == "a").filter(field(&Doc::rank) > 1).all().size(), 6u);
    EXPECT_EQ(docs.query("small").filter(field(&Doc::kind) == "a").count(), 10u);
    EXPECT_EQ(docs.query("big").count(), static_cast<std::size_t>(big_items));
    EXPECT_EQ(docs.query("small").first()->seq, 0);
    EXPECT_EQ(docs.query("small").reverse().first()->seq, 29);
    EXPECT_FALSE(docs.query("nobody").first());
}

TEST_F(QueryIT, FilterThatDiscardsWholePagesStillFindsTheMatch) {
    // Only seq 255 (rank 5) matches; the first pages come back empty after the filter.
    // (DynamoDB refuses filters on key attributes in a Query.) DynamoDB Local applies its 1 MB
    // page limit after the filter, unlike DynamoDB, so page_size forces the pages here.
    const auto all = docs.query("big").filter(field(&Doc::rank) == 5).page_size(50).all();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].seq, 255);
    EXPECT_EQ(docs.query("big").filter(field(&Doc::rank) == 5).all().size(), 1u);
    const auto first_page = docs.query("big").filter(field(&Doc::rank) == 5).page_size(50).page();
    EXPECT_TRUE(first_page.items.empty());
    EXPECT_TRUE(first_page.next_cursor.has_value());
    EXPECT_GT(first_page.scanned_count, 0u);
}

TEST_F(QueryIT, GlobalAndLocalSecondaryIndexes) {
    const auto a = docs.query_index<"ByKind">("a").all();
    EXPECT_EQ(a.size(), 10u);
    for (const auto& d : a) EXPECT_EQ(d.kind, "a");
    EXPECT_TRUE(std::is_sorted(a.begin(), a.end(), [](const Doc& x, const Doc& y) { return x.day < y.day; }));
    EXPECT_EQ(docs.query_index<"ByKind">("a").begins_with("2024-01-0").all().size(),
              static_cast<std::size_t>(std::count_if(a.begin(), a.end(), [](const Doc& d) { return d.day < "2024-01-10"; })));
    const auto ranked = docs.query_index<"ByRank">("small").eq(0).all();
    EXPECT_EQ(ranked.size(), 6u);
    const auto by_rank = docs.query_index<"ByRank">("big").limit(3).all();
    ASSERT_EQ(by_rank.size(), 3u);
    EXPECT_EQ(by_rank[0].rank, 1);
    // Paging through a GSI with mid-page stops: every "odd" big item exactly once.
    std::set<std::int64_t> odd;
    std::optional<std::string> cursor;
    do {
        auto page = docs.query_index<"ByKind">("odd").limit(11).page(cursor);
        for (const auto& d : page.items) EXPECT_TRUE(odd.insert(d.seq).second) << d.seq;
        cursor = page.next_cursor;
    } while (cursor);
    EXPECT_EQ(odd.size(), static_cast<std::size_t>(big_items / 2));
}

TEST_F(QueryIT, TamperedCursorRejected) {
    dy::ClientOptions options;
    options.cursor_secret = "k3y";
    dy::Table<Doc> signed_docs(dy::test::integration_client([&] {
        auto o = options;
        o.table_prefix = docs.client().table_name("");
        return o;
    }()));
    auto page = signed_docs.query("small").limit(5).page();
    ASSERT_TRUE(page.next_cursor);
    EXPECT_EQ(signed_docs.query("small").limit(5).page(page.next_cursor).items.front().seq, 5);
    std::string tampered = *page.next_cursor;
    tampered[2] = tampered[2] == 'a' ? 'b' : 'a';
    EXPECT_THROW(signed_docs.query("small").page(tampered), dy::ValidationError);
    EXPECT_THROW(signed_docs.query_index<"ByKind">("a").page(page.next_cursor), dy::ValidationError);
}

TEST_F(QueryIT, ScanAndParallelScanCoverEveryItemOnce) {
    const auto total = static_cast<std::size_t>(big_items) + 30;
    EXPECT_EQ(docs.scan().count(), total);
    EXPECT_EQ(docs.scan().filter(field(&Doc::owner) == "small").all().size(), 30u);
    const auto all = docs.scan().parallel(4);
    EXPECT_EQ(all.size(), total);
    std::set<std::pair<std::string, std::int64_t>> keys;
    for (const auto& d : all) EXPECT_TRUE(keys.insert({d.owner, d.seq}).second);
    EXPECT_EQ(keys.size(), total);
    EXPECT_EQ(docs.scan_index<"ByKind">().count(), total);
    EXPECT_EQ(docs.scan().limit(7).all().size(), 7u);
}

TEST_F(QueryIT, CursorFromAnotherReadIsRefusedBeforeSendingAndAGoodOneResumesExactly) {
    for (const std::string secret : {"", "k3y"}) {
        SCOPED_TRACE(secret.empty() ? "unsigned cursors" : "signed cursors");
        dy::ClientOptions options;
        options.cursor_secret = secret;
        options.table_prefix = docs.client().table_name("");
        const dy::Table<Doc> t(dy::test::integration_client(options));
        const dy::Table<DocSummary> summaries(dy::test::integration_client(options));
        const auto first = t.query("small").gt(2).limit(5).page();
        ASSERT_EQ(first.items.size(), 5u);
        ASSERT_TRUE(first.next_cursor);
        const std::string& c = *first.next_cursor;
        auto refused = [&](auto read) {
            try {
                read();
                ADD_FAILURE() << "cursor accepted";
            } catch (const dy::ValidationError& e) {
                EXPECT_TRUE(e.aws_code().empty()) << "refused by DynamoDB, not before sending: " << e.what();
                EXPECT_NE(std::string(e.what()).find("invalid cursor: "), std::string::npos) << e.what();
            }
        };
        refused([&] { t.query("big").gt(2).limit(5).page(c); });                      // another partition
        refused([&] { t.query("small").gt(2).reverse().limit(5).page(c); });          // another direction
        refused([&] { t.query("small").gt(3).limit(5).page(c); });                    // another sort key condition
        refused([&] { t.query("small").limit(5).page(c); });                          // no sort key condition
        refused([&] { t.query_index<"ByRank">("small").limit(5).page(c); });          // an index
        refused([&] { t.query_index<"ByKind">("a").limit(5).page(c); });              // another index
        refused([&] { t.scan().limit(5).page(c); });                                  // a scan
        refused([&] { summaries.query("small").gt(2).limit(5).page(c); });           // another model
        // The read that made it resumes right after its last item.
        const auto second = t.query("small").gt(2).limit(5).page(c);
        std::vector<std::int64_t> seqs;
        for (const auto& d : second.items) seqs.push_back(d.seq);
        EXPECT_EQ(seqs, (std::vector<std::int64_t>{8, 9, 10, 11, 12}));
        // Scan cursors are bound to their segment.
        const auto seg = t.scan().segment(0, 2).limit(3).page();
        ASSERT_TRUE(seg.next_cursor);
        refused([&] { t.scan().segment(1, 2).limit(3).page(seg.next_cursor); });
        refused([&] { t.scan().limit(3).page(seg.next_cursor); });
        refused([&] { t.query("small").limit(3).page(seg.next_cursor); });
        std::set<std::pair<std::string, std::int64_t>> keys;
        for (const auto& d : seg.items) keys.insert({d.owner, d.seq});
        for (const auto& d : t.scan().segment(0, 2).limit(3).page(seg.next_cursor).items)
            EXPECT_TRUE(keys.insert({d.owner, d.seq}).second) << "repeated " << d.owner << " " << d.seq;
        EXPECT_EQ(keys.size(), 6u);
    }
}

TEST_F(QueryIT, AQueryValueBuiltWithoutATableRunsLaterThroughOne) {
    // Built and copied with no table and no client; the table (and its prefix) comes later.
    const auto stored = dy::query<Doc>("small").between(3, 9).filter(field(&Doc::kind) == "b");
    const auto kept = stored;
    const std::vector<Doc> items = docs.execute(kept);
    std::vector<std::int64_t> seqs;
    for (const Doc& d : items) seqs.push_back(d.seq);
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{4, 5, 7, 8}));   // 3, 6, 9 are kind "a"
    EXPECT_EQ(kept.bind(docs).count(), 4u);
    // Its page values, sent one by one through the table, walk the same items.
    std::vector<std::int64_t> paged;
    auto two_per_page = stored;
    two_per_page.page_size(2);
    std::optional<boost::json::object> start;
    int pages = 0;
    do {
        const dy::op::Page<Doc> page = docs.execute(two_per_page.operation(start));
        for (const Doc& d : page.items) paged.push_back(d.seq);
        start = page.last_evaluated_key;
        ASSERT_LT(++pages, 10);
    } while (start);
    EXPECT_EQ(paged, seqs);
    EXPECT_GE(pages, 3);   // 7 items evaluated, 2 per page
    // A scan value of the index too.
    const auto scan = dy::scan_index<Doc, "ByKind">().filter(field(&Doc::owner) == "small");
    EXPECT_EQ(docs.execute(scan).size(), 30u);
}
