// Conditional writes whose answer is lost after DynamoDB Local applied them: a proxy in front of
// DynamoDB Local forwards the first attempt, lets it be applied, and loses the answer (reset,
// closed connection, HTTP 500, wrong x-amz-crc32). The client resends asking for the item on a
// failed condition (ALL_OLD) and recognises its own write: the call succeeds, the item and the
// caller's object hold the new version. When another writer changed the item between the two
// attempts (written straight to DynamoDB Local by the proxy's hook), the call throws
// WriteOutcomeUnknownError carrying the item, never ConditionalCheckFailedError.
#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include "support/dynamodb_fixture.hpp"
#include "support/fault_proxy.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace dy = dynantic;
using dy::field;

namespace ambiguous {
struct Note {
    std::string id;
    std::string text;
    std::int64_t hits = 0;
};
BOOST_DESCRIBE_STRUCT(Note, (), (id, text, hits))
constexpr auto dynantic_schema(const Note*) { return dy::table("notes").partition_key(&Note::id); }

struct Doc {
    std::string id;
    std::string text;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (id, text, version))
constexpr auto dynantic_schema(const Doc*) { return dy::table("docs").partition_key(&Doc::id).version(&Doc::version); }
}  // namespace ambiguous

namespace {

using ambiguous::Doc;
using ambiguous::Note;
using dy::test::AnswerLoss;
using dy::test::FaultProxy;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr std::string_view secret = "other-writer-secret-text";

class AmbiguousWrite : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        proxy_.emplace(*dy::test::integration_endpoint());
    }

    FaultProxy& proxy() { return *proxy_; }

    /** A client whose requests go through the proxy, with the test's table prefix. */
    dy::Client proxied() {
        dy::ClientOptions options;
        options.endpoint = proxy_->url();
        options.table_prefix = client().table_name("");
        options.retry.base_delay = 1ms;
        return dy::test::integration_client(std::move(options));
    }

    /** The `index`-th forwarded request's body asks for the item on a failed condition. */
    bool asks_for_item(std::size_t index) {
        const auto requests = proxy_->forwarded();
        if (index >= requests.size()) return false;
        const auto body = boost::json::parse(requests[index].body).as_object();
        const auto* r = body.if_contains("ReturnValuesOnConditionCheckFailure");
        return r != nullptr && r->is_string() && r->get_string() == "ALL_OLD";
    }

private:
    std::optional<FaultProxy> proxy_;
};

template <class Model>
std::optional<Model> stored(const dy::test::ScopedTable<Model>& table, const std::string& id) {
    return table->get(id, {.consistent_read = true});
}

TEST_F(AmbiguousWrite, CreateWhoseAnswerWasLostSucceeds) {
    dy::test::ScopedTable<Note> notes(client());
    proxy().lose_answers(1, AnswerLoss::reset, "PutItem");
    const dy::Table<Note> through(proxied());
    EXPECT_NO_THROW(through.create(Note{"n1", "hello", 0}));
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    EXPECT_FALSE(asks_for_item(0));
    EXPECT_TRUE(asks_for_item(1));
    const auto item = stored(notes, "n1");
    ASSERT_TRUE(item);
    EXPECT_EQ(item->text, "hello");
}

TEST_F(AmbiguousWrite, CreateOverwrittenBetweenAttemptsIsOutcomeUnknown) {
    dy::test::ScopedTable<Note> notes(client());
    const dy::Table<Note> direct(client());
    proxy().lose_answers(1, AnswerLoss::internal_error, "PutItem",
                         [&] { direct.save(Note{"n1", std::string(secret), 7}); });
    const dy::Table<Note> through(proxied());
    try {
        through.create(Note{"n1", "hello", 0});
        ADD_FAILURE() << "create succeeded although another writer replaced the item";
    } catch (const dy::WriteOutcomeUnknownError& e) {
        EXPECT_EQ(e.code(), dy::errc::outcome_unknown);
        EXPECT_TRUE(e.request_sent());
        ASSERT_TRUE(e.item());
        EXPECT_EQ(dy::from_item<Note>(*e.item()).text, secret);
        EXPECT_THAT(e.what(), Not(HasSubstr(std::string(secret))));
        EXPECT_THAT(e.what(), HasSubstr("may or may not have been applied"));
        EXPECT_EQ(e.operation(), "PutItem");
    } catch (const dy::ConditionalCheckFailedError& e) {
        ADD_FAILURE() << "ConditionalCheckFailedError: " << e.what();
    }
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    EXPECT_EQ(stored(notes, "n1")->text, secret);
}

TEST_F(AmbiguousWrite, SaveWithConditionWhoseAnswerWasLostSucceeds) {
    dy::test::ScopedTable<Note> notes(client());
    notes->save(Note{"n1", "a", 0});
    proxy().lose_answers(1, AnswerLoss::internal_error, "PutItem");
    const dy::Table<Note> through(proxied());
    EXPECT_NO_THROW(through.save(Note{"n1", "b", 1}, field(&Note::text) == "a"));
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    EXPECT_TRUE(asks_for_item(1));
    const auto item = stored(notes, "n1");
    EXPECT_EQ(item->text, "b");
    EXPECT_EQ(item->hits, 1);
}

TEST_F(AmbiguousWrite, VersionedSaveWhoseAnswerWasCorruptSucceeds) {
    dy::test::ScopedTable<Doc> docs(client());
    Doc d{"d1", "first", 0};
    docs->save(d);
    ASSERT_EQ(d.version, 1);
    proxy().lose_answers(1, AnswerLoss::bad_crc32, "PutItem");
    const dy::Table<Doc> through(proxied());
    d.text = "second";
    EXPECT_NO_THROW(through.save(d));
    EXPECT_EQ(d.version, 2);
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    const auto item = stored(docs, "d1");
    EXPECT_EQ(item->text, "second");
    EXPECT_EQ(item->version, 2);
}

TEST_F(AmbiguousWrite, VersionedSaveChangedBetweenAttemptsIsOutcomeUnknown) {
    dy::test::ScopedTable<Doc> docs(client());
    Doc d{"d1", "first", 0};
    docs->save(d);
    const dy::Table<Doc> direct(client());
    proxy().lose_answers(1, AnswerLoss::reset, "PutItem", [&] {
        Doc other{"d1", std::string(secret), 1};
        direct.save(other, {.check_version = false});   // stores version 2 with other content
    });
    const dy::Table<Doc> through(proxied());
    d.text = "second";
    EXPECT_THROW(through.save(d), dy::WriteOutcomeUnknownError);
    EXPECT_EQ(d.version, 1);   // not known to be written: the caller's object keeps its version
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    const auto item = stored(docs, "d1");
    EXPECT_EQ(item->text, secret);
    EXPECT_EQ(item->version, 2);
}

TEST_F(AmbiguousWrite, VersionedUpdateItemWhoseAnswerWasLostSucceeds) {
    dy::test::ScopedTable<Doc> docs(client());
    Doc d{"d1", "first", 0};
    docs->save(d);
    proxy().lose_answers(1, AnswerLoss::close, "UpdateItem");
    const dy::Table<Doc> through(proxied());
    dy::UpdateResult<Doc> result;
    EXPECT_NO_THROW(result = through.update_item(d).set(&Doc::text, "updated").returning(dy::ReturnValues::all_new).execute());
    EXPECT_EQ(d.version, 2);
    ASSERT_TRUE(result.item);
    EXPECT_EQ(result.item->text, "updated");
    EXPECT_EQ(result.item->version, 2);
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    EXPECT_TRUE(asks_for_item(1));
    const auto item = stored(docs, "d1");
    EXPECT_EQ(item->text, "updated");
    EXPECT_EQ(item->version, 2);
}

TEST_F(AmbiguousWrite, VersionedUpdateItemChangedBetweenAttemptsIsOutcomeUnknown) {
    dy::test::ScopedTable<Doc> docs(client());
    Doc d{"d1", "first", 0};
    docs->save(d);
    const dy::Table<Doc> direct(client());
    proxy().lose_answers(1, AnswerLoss::internal_error, "UpdateItem", [&] {
        Doc other{"d1", std::string(secret), 1};
        direct.save(other, {.check_version = false});
    });
    const dy::Table<Doc> through(proxied());
    try {
        through.update_item(d).set(&Doc::text, "updated").execute();
        ADD_FAILURE() << "update succeeded although another writer changed the item";
    } catch (const dy::WriteOutcomeUnknownError& e) {
        ASSERT_TRUE(e.item());
        EXPECT_EQ(dy::from_item<Doc>(*e.item()).version, 2);
        EXPECT_THAT(e.what(), Not(HasSubstr(std::string(secret))));
    }
    EXPECT_EQ(d.version, 1);
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    EXPECT_EQ(stored(docs, "d1")->text, secret);
}

TEST_F(AmbiguousWrite, UpdateWithConditionWhoseAnswerWasLostSucceeds) {
    dy::test::ScopedTable<Note> notes(client());
    notes->save(Note{"n1", "a", 0});
    proxy().lose_answers(1, AnswerLoss::internal_error, "UpdateItem");
    const dy::Table<Note> through(proxied());
    EXPECT_NO_THROW(through.update("n1").set(&Note::text, "b").when(field(&Note::text) == "a").execute());
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    EXPECT_TRUE(asks_for_item(1));
    EXPECT_EQ(stored(notes, "n1")->text, "b");
}

TEST_F(AmbiguousWrite, RemoveWithConditionWhoseAnswerWasLostSucceeds) {
    dy::test::ScopedTable<Note> notes(client());
    notes->save(Note{"n1", "a", 0});
    proxy().lose_answers(1, AnswerLoss::close, "DeleteItem");
    const dy::Table<Note> through(proxied());
    EXPECT_NO_THROW(through.remove("n1", field(&Note::text) == "a"));
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    EXPECT_TRUE(asks_for_item(1));
    EXPECT_FALSE(stored(notes, "n1"));
}

TEST_F(AmbiguousWrite, RemoveRecreatedBetweenAttemptsIsOutcomeUnknown) {
    dy::test::ScopedTable<Note> notes(client());
    notes->save(Note{"n1", "a", 0});
    const dy::Table<Note> direct(client());
    proxy().lose_answers(1, AnswerLoss::reset, "DeleteItem", [&] { direct.save(Note{"n1", std::string(secret), 0}); });
    const dy::Table<Note> through(proxied());
    try {
        through.remove("n1", field(&Note::text) == "a");
        ADD_FAILURE() << "remove succeeded although the item was written again";
    } catch (const dy::WriteOutcomeUnknownError& e) {
        ASSERT_TRUE(e.item());
        EXPECT_EQ(dy::from_item<Note>(*e.item()).text, secret);
        EXPECT_EQ(e.operation(), "DeleteItem");
    }
    EXPECT_EQ(proxy().forwarded_count(), 2u);
    EXPECT_EQ(stored(notes, "n1")->text, secret);
}

TEST_F(AmbiguousWrite, FailedConditionWithoutALostAnswerIsStillConditionalCheckFailed) {
    dy::test::ScopedTable<Note> notes(client());
    notes->save(Note{"n1", "a", 0});
    const dy::Table<Note> through(proxied());
    EXPECT_THROW(through.create(Note{"n1", "b", 0}), dy::ConditionalCheckFailedError);
    EXPECT_EQ(proxy().forwarded_count(), 1u);
    EXPECT_FALSE(asks_for_item(0));
}

TEST_F(AmbiguousWrite, AddWithoutConditionIsNeverResent) {
    dy::test::ScopedTable<Note> notes(client());
    notes->save(Note{"n1", "a", 0});
    proxy().lose_answers(1, AnswerLoss::internal_error, "UpdateItem");
    const dy::Table<Note> through(proxied());
    try {
        through.update("n1").add(&Note::hits, 1).execute();
        ADD_FAILURE() << "a lost answer was reported as success";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::internal_server_error);
    }
    EXPECT_EQ(proxy().forwarded_count(), 1u);
    EXPECT_EQ(stored(notes, "n1")->hits, 1);   // applied once
}

TEST_F(AmbiguousWrite, TransactionResentWithItsTokenAppliesOnce) {
    dy::test::ScopedTable<Note> notes(client());
    notes->save(Note{"n1", "a", 0});
    proxy().lose_answers(1, AnswerLoss::reset, "TransactWriteItems");
    const dy::Client through = proxied();
    EXPECT_NO_THROW(dy::transact_write(through, {dy::update<Note>("n1").add(&Note::hits, 1).when(field(&Note::text) == "a")}));
    const auto requests = proxy().forwarded();
    ASSERT_EQ(requests.size(), 2u);
    const auto first = boost::json::parse(requests[0].body).as_object();
    const auto second = boost::json::parse(requests[1].body).as_object();
    ASSERT_TRUE(first.contains("ClientRequestToken"));
    EXPECT_EQ(first.at("ClientRequestToken"), second.at("ClientRequestToken"));
    EXPECT_EQ(stored(notes, "n1")->hits, 1);   // applied once: the resend was recognised by its token
}

}  // namespace
