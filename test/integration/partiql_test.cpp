// PartiQL against DynamoDB Local: SELECT, INSERT, UPDATE and DELETE with `?` parameters of every
// wire type, NextToken pagination, a batch with a failing statement, and a transaction whose
// condition fails (nothing written), all on a table whose name carries the test's prefix.
#include <dynantic/partiql.hpp>

#include "support/dynamodb_fixture.hpp"

#include <dynantic/codec/bytes.hpp>
#include <dynantic/codec/containers.hpp>
#include <dynantic/codec/sets.hpp>

#include <boost/describe.hpp>
#include <gmock/gmock.h>

namespace dy = dynantic;
using ::testing::HasSubstr;

namespace partiqlit {
struct Thing {
    std::string pk;
    std::int64_t sk = 0;
    std::string s;
    double n = 0;
    bool b = false;
    dy::Bytes bin;
    std::vector<std::string> list;
    std::map<std::string, std::int64_t> map;
    std::set<std::string> ss;
    std::set<std::int64_t> ns;
    std::set<dy::Bytes> bs;
    std::optional<std::string> maybe;
};
BOOST_DESCRIBE_STRUCT(Thing, (), (pk, sk, s, n, b, bin, list, map, ss, ns, bs, maybe))
constexpr auto dynantic_schema(const Thing*) { return dy::table("things").partition_key(&Thing::pk).sort_key(&Thing::sk); }

bool operator==(const Thing& a, const Thing& b) {
    return a.pk == b.pk && a.sk == b.sk && a.s == b.s && a.n == b.n && a.b == b.b && a.bin == b.bin && a.list == b.list &&
           a.map == b.map && a.ss == b.ss && a.ns == b.ns && a.bs == b.bs && a.maybe == b.maybe;
}
}  // namespace partiqlit
using partiqlit::Thing;

namespace {
Thing sample(std::string pk, std::int64_t sk) {
    const dy::Bytes bytes{std::byte{0}, std::byte{0xff}, std::byte{7}};
    return Thing{std::move(pk), sk, "text", 2.5, true, bytes, {"a", "b"}, {{"x", 1}}, {"s1", "s2"}, {3, 4}, {bytes}, std::nullopt};
}
Thing sample(std::string pk, std::int64_t sk, std::string s, double n) {
    Thing t = sample(std::move(pk), sk);
    t.s = std::move(s);
    t.n = n;
    return t;
}
/** INSERT of a whole Thing, every attribute a parameter. */
dy::Statement insert(const std::string& table, const Thing& t) {
    return dy::statement("INSERT INTO " + table +
                             " VALUE {'pk': ?, 'sk': ?, 's': ?, 'n': ?, 'b': ?, 'bin': ?, 'list': ?, 'map': ?, "
                             "'ss': ?, 'ns': ?, 'bs': ?, 'maybe': ?}",
                         t.pk, t.sk, t.s, t.n, t.b, t.bin, t.list, t.map, t.ss, t.ns, t.bs, t.maybe);
}
}  // namespace

class PartiqlIT : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        things.emplace(client());
        table = dy::partiql_table<Thing>(client());
    }
    void TearDown() override { things.reset(); }

    std::optional<dy::test::ScopedTable<Thing>> things;
    std::string table;   // quoted, with the test's prefix
};

TEST_F(PartiqlIT, InsertWithParametersOfEveryWireTypeThenSelect) {
    const Thing t = sample("p1", 1);
    EXPECT_EQ(table, "\"" + (*things)->name() + "\"");
    dy::execute_statement<Thing>(client(), insert(table, t)).execute();

    // Stored as the model stores it: the table API reads it back equal.
    const auto got = (*things)->get("p1", 1, {.consistent_read = true});
    ASSERT_TRUE(got);
    EXPECT_TRUE(*got == t);

    // SELECT with parameters, decoded into the model.
    const auto rows = dy::execute_statement<Thing>(client(), "SELECT * FROM " + table + " WHERE pk = ? AND sk = ?", "p1", 1).all();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0] == t);
    // Parameters compared against each wire type select the item.
    EXPECT_EQ(dy::execute_statement<Thing>(client(), "SELECT * FROM " + table + " WHERE pk = ? AND b = ? AND bin = ? AND n = ?",
                                           "p1", true, t.bin, 2.5)
                  .all()
                  .size(),
              1u);
    EXPECT_TRUE(dy::execute_statement<Thing>(client(), "SELECT * FROM " + table + " WHERE pk = ? AND s = ?", "p1", "other")
                    .all()
                    .empty());
}

TEST_F(PartiqlIT, UpdateAndDelete) {
    (*things)->save(sample("p1", 1));
    dy::execute_statement<Thing>(client(), "UPDATE " + table + " SET s = ? SET n = n + ? WHERE pk = ? AND sk = ?", "changed", 1.5,
                                 "p1", 1)
        .execute();
    auto got = (*things)->get("p1", 1, {.consistent_read = true});
    ASSERT_TRUE(got);
    EXPECT_EQ(got->s, "changed");
    EXPECT_EQ(got->n, 4.0);

    // A condition in WHERE that does not hold: ConditionalCheckFailedError naming the table.
    try {
        dy::execute_statement<Thing>(client(), "DELETE FROM " + table + " WHERE pk = ? AND sk = ? AND s = ?", "p1", 1, "wrong")
            .execute();
        FAIL() << "deleted";
    } catch (const dy::ConditionalCheckFailedError& e) {
        EXPECT_EQ(e.operation(), "ExecuteStatement");
        EXPECT_EQ(e.table(), (*things)->name());
    }
    EXPECT_TRUE((*things)->get("p1", 1, {.consistent_read = true}));
    dy::execute_statement<Thing>(client(), "DELETE FROM " + table + " WHERE pk = ? AND sk = ?", "p1", 1).execute();
    EXPECT_FALSE((*things)->get("p1", 1, {.consistent_read = true}));
}

TEST_F(PartiqlIT, PaginationWithNextToken) {
    for (int i = 0; i < 7; ++i) (*things)->save(sample("p", i));
    auto q = dy::execute_statement<Thing>(client(), "SELECT * FROM " + table + " WHERE pk = ?", "p").page_size(3).consistent_read();
    // Page by page: the NextToken goes back in.
    std::vector<std::int64_t> seen;
    std::optional<std::string> token;
    int pages = 0;
    do {
        const auto page = q.page(token);
        for (const auto& t : page.items) seen.push_back(t.sk);
        token = page.next_cursor;
        ASSERT_LT(++pages, 10);
    } while (token);
    EXPECT_GE(pages, 3);
    EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6}));
    // Lazily, all pages.
    EXPECT_EQ(q.all().size(), 7u);
}

TEST_F(PartiqlIT, BatchWithAFailingStatementReportsEachOne) {
    (*things)->save(sample("exists", 1));
    const auto results = dy::batch_execute_statement<Thing>(client(), {
        insert(table, sample("new1", 1, "a", 1)),
        insert(table, sample("exists", 1, "dup", 1)),   // DuplicateItem
        insert(table, sample("new2", 2, "b", 2)),
    });
    ASSERT_EQ(results.size(), 3u);
    EXPECT_FALSE(results[0].failed());
    ASSERT_TRUE(results[1].failed());
    EXPECT_EQ(results[1].error->code, "DuplicateItem");
    EXPECT_FALSE(results[2].failed());
    EXPECT_TRUE((*things)->get("new1", 1, {.consistent_read = true}));
    EXPECT_TRUE((*things)->get("new2", 2, {.consistent_read = true}));
    EXPECT_EQ((*things)->get("exists", 1, {.consistent_read = true})->s, "text");   // untouched

    // Reads in a batch: found, not found.
    const std::string select = "SELECT * FROM " + table + " WHERE pk = ? AND sk = ?";
    const auto reads = dy::batch_execute_statement<Thing>(client(), {dy::statement(select, "new2", 2), dy::statement(select, "none", 9)});
    ASSERT_EQ(reads.size(), 2u);
    ASSERT_TRUE(reads[0].item);
    EXPECT_EQ(reads[0].item->s, "b");
    EXPECT_FALSE(reads[1].failed());
    EXPECT_FALSE(reads[1].item);
}

TEST_F(PartiqlIT, TransactionWithAFailingConditionWritesNothing) {
    (*things)->save(sample("acc", 1));
    const std::string update = "UPDATE " + table + " SET n = ? WHERE pk = ? AND sk = ? AND n = ?";
    try {
        dy::execute_transaction(client(), {insert(table, sample("tx", 1, "t", 0)),
                                           dy::statement(update, 10.0, "acc", 1, 99.0)});   // n is 2.5, not 99
        FAIL() << "committed";
    } catch (const dy::TransactionCanceledError& e) {
        EXPECT_EQ(e.failed_actions(), (std::vector<std::size_t>{1}));
        EXPECT_EQ(e.reasons()[1].code, "ConditionalCheckFailed");
        EXPECT_EQ(e.reasons()[1].operation, "UPDATE");
    }
    EXPECT_FALSE((*things)->get("tx", 1, {.consistent_read = true}));
    EXPECT_EQ((*things)->get("acc", 1, {.consistent_read = true})->n, 2.5);

    // The same statements with the right condition commit together.
    dy::execute_transaction(client(), {insert(table, sample("tx", 1, "t", 0)), dy::statement(update, 10.0, "acc", 1, 2.5)});
    EXPECT_TRUE((*things)->get("tx", 1, {.consistent_read = true}));
    EXPECT_EQ((*things)->get("acc", 1, {.consistent_read = true})->n, 10.0);

    // A read transaction, typed.
    const std::string select = "SELECT * FROM " + table + " WHERE pk = ? AND sk = ?";
    const auto items = dy::execute_transaction<Thing>(client(), {dy::statement(select, "tx", 1), dy::statement(select, "none", 1)});
    ASSERT_EQ(items.size(), 2u);
    ASSERT_TRUE(items[0]);
    EXPECT_EQ(items[0]->s, "t");
    EXPECT_FALSE(items[1]);
}
