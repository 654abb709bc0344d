#include <dynantic/testkit/scoped_table.hpp>

#include <dynantic/testkit/local_dynamodb.hpp>

#include "support/test_env.hpp"

#include <boost/describe.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace dy = dynantic;
namespace dyt = dynantic::testkit;

// Registered before main, as a user's suite may do it: attaches to DYNANTIC_TEST_ENDPOINT, or
// starts DynamoDB Local from DYNANTIC_DYNAMODB_LOCAL_JAR for this whole test program.
static ::testing::Environment* const local_dynamodb = ::testing::AddGlobalTestEnvironment(new dyt::LocalDynamoDB);

namespace scopedtest {
struct Note {
    std::string id;
    std::string text;
    std::optional<int> stars;
};
BOOST_DESCRIBE_STRUCT(Note, (), (id, text, stars))
constexpr auto dynantic_schema(const Note*) { return dy::table("notes").partition_key(&Note::id); }
}  // namespace scopedtest

using scopedtest::Note;

#define SKIP_OR_FAIL_WITHOUT_DYNAMODB()                                                             \
    do {                                                                                            \
        if (!dyt::test_endpoint() && dy::test::integration_required())                              \
            FAIL() << "DYNANTIC_REQUIRE_INTEGRATION=1 but DYNANTIC_TEST_ENDPOINT is not set";       \
        DYNANTIC_SKIP_WITHOUT_DYNAMODB();                                                           \
    } while (false)

TEST(ScopedTable, CreatesAUniqueTableAndDeletesItAtTheEnd) {
    SKIP_OR_FAIL_WITHOUT_DYNAMODB();
    std::string name;
    {
        dyt::ScopedTable<Note> notes;
        name = notes.name();
        EXPECT_TRUE(name.starts_with("dyt-")) << name;
        EXPECT_TRUE(name.ends_with("-notes")) << name;
        EXPECT_TRUE(notes->table_exists());
        notes->save({"n1", "hello", 5});
        const auto got = notes->get("n1");
        ASSERT_TRUE(got);
        EXPECT_EQ(got->text, "hello");
        EXPECT_EQ(got->stars, 5);
        EXPECT_EQ(notes.client().table_name("notes"), name);
    }
    // Gone: a table bound to the same name no longer exists.
    dy::ClientOptions options = dyt::test_client_options();
    options.table_prefix = name.substr(0, name.size() - std::string("notes").size());
    EXPECT_FALSE(dy::Table<Note>(dy::Client(options)).table_exists());
}

TEST(ScopedTable, TwoScopedTablesOfOneModelAreIsolated) {
    SKIP_OR_FAIL_WITHOUT_DYNAMODB();
    dyt::ScopedTable<Note> a;
    dyt::ScopedTable<Note> b;
    EXPECT_NE(a.name(), b.name());
    a->save({"same-id", "in a", std::nullopt});
    EXPECT_FALSE(b->get("same-id"));
    EXPECT_TRUE(a->get("same-id"));
}

TEST(ScopedTable, ToleratesATableTheTestDeleted) {
    SKIP_OR_FAIL_WITHOUT_DYNAMODB();
    dyt::ScopedTable<Note> notes;
    notes->delete_table();
}

TEST(LocalDynamoDB, ExportsTheEndpoint) {
    SKIP_OR_FAIL_WITHOUT_DYNAMODB();
    const auto* env = dynamic_cast<const dyt::LocalDynamoDB*>(local_dynamodb);
    ASSERT_NE(env, nullptr);
    EXPECT_EQ(env->endpoint(), *dyt::test_endpoint());
}
