// The GoogleTest helpers live in dynantic::testkit, so a test file may say
// `using namespace dynantic;` and still write GoogleTest's names as `testing::...` (with the
// helpers in dynantic::testing that was ambiguous). Also: the deprecated dynantic::testing names
// of <dynantic/testing/...> (kept for one release) still name the same entities.
#include <dynantic/testkit/mock_transport.hpp>

#include <dynantic/dynantic.hpp>
#include <dynantic/testkit/dry_run.hpp>
#include <dynantic/testkit/local_dynamodb.hpp>
#include <dynantic/testkit/scoped_table.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

using namespace dynantic;   // the point of this file: no ambiguity with ::testing below
using testing::_;           // GoogleTest's, unqualified
using testing::Return;

namespace testkit_ns {
struct Note {
    std::string id;
    std::string text;
};
BOOST_DESCRIBE_STRUCT(Note, (), (id, text))
constexpr auto dynantic_schema(const Note*) { return table("notes").partition_key(&Note::id); }
}  // namespace testkit_ns

TEST(TestkitNamespace, UsingNamespaceDynanticLeavesGoogleTestsTestingUnambiguous) {
    auto transport = std::make_shared<testkit::MockTransport>();
    EXPECT_CALL(*transport, send(_, testkit::IsOperation("GetItem")))
        .WillOnce(Return(testkit::ok_response(R"({"Item":{"id":{"S":"n1"},"text":{"S":"hi"}}})")));
    Table<testkit_ns::Note> notes{testkit::mock_client(transport)};
    std::optional<testkit_ns::Note> got = notes.get("n1");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->text, "hi");
    testing::Mock::VerifyAndClearExpectations(transport.get());
}

// The deprecated names, included through their old paths, with the warning silenced here only.
#include <dynantic/testing/dry_run.hpp>
#include <dynantic/testing/local_dynamodb.hpp>
#include <dynantic/testing/mock_transport.hpp>
#include <dynantic/testing/scoped_table.hpp>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
namespace old = ::dynantic::testing;

static_assert(std::is_same_v<old::MockTransport, testkit::MockTransport>);
static_assert(std::is_same_v<old::LocalDynamoDB, testkit::LocalDynamoDB>);
static_assert(std::is_same_v<old::LocalDynamoDBOptions, testkit::LocalDynamoDBOptions>);
static_assert(std::is_same_v<old::ScopedTable<testkit_ns::Note>, testkit::ScopedTable<testkit_ns::Note>>);
static_assert(std::is_same_v<old::ScopedTableOptions, testkit::ScopedTableOptions>);
static_assert(std::is_same_v<old::DryRun, testkit::DryRun>);

TEST(TestkitNamespace, DeprecatedTestingNamesStillWork) {
    auto transport = std::make_shared<old::MockTransport>();
    EXPECT_CALL(*transport, send(::testing::_, old::IsOperation("GetItem")))
        .WillOnce(::testing::Return(old::ok_response("{}")));
    Table<testkit_ns::Note> notes{old::mock_client(transport)};
    EXPECT_FALSE(notes.get("n1"));

    const auto request = notes.update("n1").set(&testkit_ns::Note::text, "x").to_request();
    EXPECT_EQ(old::dry_run(request).target, testkit::dry_run(request).target);
    EXPECT_EQ(old::golden_text(request), testkit::golden_text(request));
    EXPECT_EQ(old::canonical_json(request.body), testkit::canonical_json(request.body));
    EXPECT_EQ(old::target_prefix, testkit::target_prefix);
    EXPECT_EQ(old::error_response(400, "ValidationException", "m").status, 400u);
    EXPECT_EQ(old::test_endpoint(), testkit::test_endpoint());
    EXPECT_EQ(old::unique_table_prefix("x").rfind("x-", 0), 0u);
}
#pragma GCC diagnostic pop
