// StreamReader against DynamoDB Local's Streams API: a table created with a stream, written to,
// and its records read back typed (INSERT, MODIFY, REMOVE with their images), LATEST positions,
// KEYS_ONLY streams, a polymorphic table with an item of an unknown subtype, and a table
// without a stream.
#include <dynantic/streams/reader.hpp>

#include "support/animals.hpp"
#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <gmock/gmock.h>

#include <thread>
#include <variant>

namespace dy = dynantic;
using ::testing::HasSubstr;

namespace streamit {
struct Note {
    std::string id;
    std::string text;
    std::int64_t edits = 0;
};
BOOST_DESCRIBE_STRUCT(Note, (), (id, text, edits))
constexpr auto dynantic_schema(const Note*) { return dy::table("notes").partition_key(&Note::id); }

using dynantic::test::zoo::Animal;   // test/support/animals.hpp
using dynantic::test::zoo::Cat;
using dynantic::test::zoo::Dog;
}  // namespace streamit

using streamit::Animal;
using streamit::Cat;
using streamit::Dog;
using streamit::Note;

namespace {

dy::testkit::ScopedTableOptions with_stream(dy::StreamView view) {
    dy::testkit::ScopedTableOptions o;
    o.create.stream = view;
    return o;
}

/** Reads until `n` records (and failures) arrived or 10 s passed: DynamoDB Local publishes
    records shortly after the write. */
template <class Model>
dy::StreamBatch<Model> read_at_least(dy::StreamReader<Model>& reader, std::size_t n) {
    dy::StreamBatch<Model> all;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (all.records.size() + all.failures.size() < n && std::chrono::steady_clock::now() < until) {
        auto b = reader.read({.max_records = 100, .time_limit = std::chrono::seconds(5)});
        for (auto& r : b.records) all.records.push_back(std::move(r));
        for (auto& f : b.failures) all.failures.push_back(std::move(f));
        all.caught_up = b.caught_up;
        if (all.records.size() + all.failures.size() < n) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return all;
}

}  // namespace

class StreamReaderIT : public dy::test::DynamoDBTest {};

TEST_F(StreamReaderIT, ReadsInsertModifyRemoveTyped) {
    dy::test::ScopedTable<Note> notes(client(), with_stream(dy::StreamView::new_and_old_images));
    notes->save({"n1", "first", 0});
    notes->update("n1").set(&Note::text, "second").add(&Note::edits, 1).execute();
    notes->save({"n2", "other", 0});
    notes->remove("n1");

    dy::StreamReader<Note> reader(client());
    EXPECT_THAT(reader.stream_arn(), HasSubstr(notes->name()));
    const auto batch = read_at_least(reader, 4);
    EXPECT_TRUE(batch.failures.empty());
    ASSERT_EQ(batch.records.size(), 4u);

    const auto& insert = batch.records[0];
    EXPECT_EQ(insert.event_name, dy::StreamEventName::insert);
    EXPECT_EQ(insert.key, "n1");
    EXPECT_EQ(insert.view_type, dy::StreamView::new_and_old_images);
    ASSERT_TRUE(insert.new_image);
    EXPECT_EQ(insert.new_image->text, "first");
    EXPECT_FALSE(insert.old_image);
    EXPECT_GT(insert.size_bytes, 0);
    EXPECT_FALSE(insert.sequence_number.empty());
    EXPECT_GT(insert.approximate_creation_time.time_since_epoch().count(), 0);

    const auto& modify = batch.records[1];
    EXPECT_EQ(modify.event_name, dy::StreamEventName::modify);
    ASSERT_TRUE(modify.old_image && modify.new_image);
    EXPECT_EQ(modify.old_image->text, "first");
    EXPECT_EQ(modify.new_image->text, "second");
    EXPECT_EQ(modify.new_image->edits, 1);

    EXPECT_EQ(batch.records[2].event_name, dy::StreamEventName::insert);
    EXPECT_EQ(batch.records[2].key, "n2");

    const auto& remove = batch.records[3];
    EXPECT_EQ(remove.event_name, dy::StreamEventName::remove);
    EXPECT_FALSE(remove.new_image);
    ASSERT_TRUE(remove.old_image);
    EXPECT_EQ(remove.old_image->text, "second");
    EXPECT_FALSE(remove.expired_by_ttl());

    // Nothing more: the next read returns nothing, caught up.
    const auto again = reader.read();
    EXPECT_TRUE(again.records.empty());
    EXPECT_TRUE(again.caught_up);

    // A second reader from TRIM_HORIZON sees the same records again.
    dy::StreamReader<Note> second(client());
    EXPECT_EQ(read_at_least(second, 4).records.size(), 4u);
}

TEST_F(StreamReaderIT, LatestReadsOnlyWhatComesAfterTheReader) {
    dy::test::ScopedTable<Note> notes(client(), with_stream(dy::StreamView::new_image));
    notes->save({"before", "x", 0});
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    dy::StreamReader<Note> reader(client(), {.start = dy::StreamStart::latest});
    notes->save({"after", "y", 0});
    const auto batch = read_at_least(reader, 1);
    ASSERT_EQ(batch.records.size(), 1u);
    EXPECT_EQ(batch.records[0].key, "after");
    ASSERT_TRUE(batch.records[0].new_image);
    EXPECT_EQ(batch.records[0].new_image->text, "y");
}

TEST_F(StreamReaderIT, KeysOnlyStreamHasNoImages) {
    dy::test::ScopedTable<Note> notes(client(), with_stream(dy::StreamView::keys_only));
    notes->save({"k1", "x", 0});
    dy::StreamReader<Note> reader(client());
    const auto batch = read_at_least(reader, 1);
    ASSERT_EQ(batch.records.size(), 1u);
    EXPECT_EQ(batch.records[0].view_type, dy::StreamView::keys_only);
    EXPECT_EQ(batch.records[0].key, "k1");
    EXPECT_FALSE(batch.records[0].new_image);
    EXPECT_FALSE(batch.records[0].old_image);
}

TEST_F(StreamReaderIT, MaxRecordsBoundsARead) {
    dy::test::ScopedTable<Note> notes(client(), with_stream(dy::StreamView::new_image));
    for (int i = 0; i < 5; ++i) notes->save({"m" + std::to_string(i), "x", 0});
    dy::StreamReader<Note> reader(client());
    ASSERT_EQ(read_at_least(reader, 5).records.size(), 5u);   // all five are in the stream now
    dy::StreamReader<Note> bounded(client());
    const auto first = bounded.read({.max_records = 2});
    EXPECT_EQ(first.records.size(), 2u);
    EXPECT_FALSE(first.caught_up);
    const auto rest = read_at_least(bounded, 3);
    ASSERT_EQ(rest.records.size(), 3u);
    EXPECT_EQ(rest.records[0].key, "m2");
}

TEST_F(StreamReaderIT, PolymorphicTableWithAnUnknownSubtype) {
    dy::test::ScopedTable<Animal> animals(client(), with_stream(dy::StreamView::new_image));
    dy::Table<Dog>(client()).save(Dog{{"rex", "", "Rex"}, true});
    // An item written by another program, of a subtype this one does not know.
    auto body = boost::json::parse(R"({"Item":{"id":{"S":"nemo"},"kind":{"S":"FISH"},"name":{"S":"Nemo"}}})").as_object();
    body["TableName"] = animals->name();
    client().call("PutItem", body);
    dy::Table<Cat>(client()).save(Cat{{"tom", "", "Tom"}, 7});

    dy::StreamReader<Animal> reader(client());
    const auto batch = read_at_least(reader, 3);
    ASSERT_EQ(batch.records.size(), 2u);
    ASSERT_EQ(batch.failures.size(), 1u);
    ASSERT_TRUE(batch.records[0].new_image && std::holds_alternative<Dog>(*batch.records[0].new_image));
    ASSERT_TRUE(batch.records[1].new_image && std::holds_alternative<Cat>(*batch.records[1].new_image));
    EXPECT_EQ(std::get<Cat>(*batch.records[1].new_image).lives, 7);
    const std::string what = batch.failures[0].error.what();
    EXPECT_THAT(what, HasSubstr("GetRecords on table '" + animals->name() + "'"));
    EXPECT_THAT(what, HasSubstr("sequence number " + batch.failures[0].sequence_number));
    EXPECT_THAT(what, HasSubstr("unknown entity type " + dynantic::redacted("FISH")));
    EXPECT_THAT(what, ::testing::Not(HasSubstr("Nemo")));
}

TEST_F(StreamReaderIT, TableWithoutAStream) {
    dy::test::ScopedTable<Note> notes(client());
    EXPECT_THROW(dy::StreamReader<Note>{client()}, dy::ValidationError);
}
