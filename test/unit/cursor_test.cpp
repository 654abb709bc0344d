#include <dynantic/query.hpp>

#include <dynantic/table.hpp>

#include "support/recording_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

// Cursors are bound to what produced them: model type, table, index, operation (query or scan,
// and the scan segment), partition key value, sort key condition and direction. A cursor from
// anything else is refused before sending, signed or not.

namespace dy = dynantic;
namespace json = boost::json;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace cursortest {
struct Event {
    std::string user;
    std::int64_t seq = 0;
    std::string kind;
    std::string day;
};
BOOST_DESCRIBE_STRUCT(Event, (), (user, seq, kind, day))
constexpr auto dynantic_schema(const Event*) {
    return dy::table("events").partition_key(&Event::user).sort_key(&Event::seq).global_index("ByKind", &Event::kind,
                                                                                                &Event::day);
}
/** Another model stored in the same table, with the same key. */
struct Note {
    std::string user;
    std::int64_t seq = 0;
    std::string text;
};
BOOST_DESCRIBE_STRUCT(Note, (), (user, seq, text))
constexpr auto dynantic_schema(const Note*) { return dy::table("events").partition_key(&Note::user).sort_key(&Note::seq); }
}  // namespace cursortest

using cursortest::Event;
using cursortest::Note;

namespace {

/** Every page: one item of partition u1 and a LastEvaluatedKey holding the table and index keys
    (a superset is not accepted, so the key depends on the request: table or index). */
RecordingServer pages() {
    return RecordingServer([](const RecordedRequest& r, std::size_t i) {
        const bool index = r.body.contains("IndexName");
        const std::string seq = std::to_string(10 + i);
        std::string key = R"({"user":{"S":"u1"},"seq":{"N":")" + seq + R"("})";
        if (index) key += R"(,"kind":{"S":"k"},"day":{"S":"d"})";
        key += "}";
        return dy::test::ok_response(R"({"Items":[{"user":{"S":"u1"},"seq":{"N":")" + seq +
                                     R"("},"kind":{"S":"k"},"day":{"S":"d"},"text":{"S":"t"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":)" +
                                     key + "}");
    });
}

dy::ClientOptions with_secret(std::string secret) {
    dy::ClientOptions o;
    o.cursor_secret = std::move(secret);
    return o;
}

/** `f` must throw ValidationError "invalid cursor: ..." without sending anything. */
template <class F>
std::string refused(const RecordingServer& server, F&& f) {
    const std::size_t before = server.requests().size();
    try {
        f();
        ADD_FAILURE() << "cursor accepted";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(server.requests().size(), before) << "a request was sent: " << e.what();
        EXPECT_NE(std::string(e.what()).find("invalid cursor: "), std::string::npos) << e.what();
        return e.what();
    }
    return {};
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

class CursorBinding : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(CursorBinding, QueryCursorIsRefusedByAnyOtherRead) {
    auto server = pages();
    const dy::Table<Event> events(server.client(with_secret(GetParam())));
    const dy::Table<Note> notes(server.client(with_secret(GetParam())));
    const auto first = events.query("u1").gt(0).page();
    ASSERT_TRUE(first.next_cursor);
    const std::string& c = *first.next_cursor;
    const std::string why = GetParam().empty() ? "made for another read" : "signature does not match";
    EXPECT_TRUE(contains(refused(server, [&] { events.query("u2").gt(0).page(c); }), why));
    EXPECT_TRUE(contains(refused(server, [&] { events.query("u1").gt(0).reverse().page(c); }), why));
    EXPECT_TRUE(contains(refused(server, [&] { events.query("u1").gt(1).page(c); }), why));
    EXPECT_TRUE(contains(refused(server, [&] { events.query("u1").ge(0).page(c); }), why));
    EXPECT_TRUE(contains(refused(server, [&] { events.query("u1").page(c); }), why));
    EXPECT_TRUE(contains(refused(server, [&] { events.query_index<"ByKind">("k").page(c); }), why));
    EXPECT_TRUE(contains(refused(server, [&] { events.scan().page(c); }), why));
    EXPECT_TRUE(contains(refused(server, [&] { notes.query("u1").gt(0).page(c); }), why));
    const std::string what = refused(server, [&] { events.query("u2").gt(0).page(c); });
    EXPECT_TRUE(contains(what, "Query on table 'events': invalid cursor")) << what;
    // The same read resumes exactly after the key.
    const std::size_t before = server.requests().size();
    const auto second = events.query("u1").gt(0).page(c);
    ASSERT_EQ(server.requests().size(), before + 1);
    EXPECT_EQ(server.requests().back().body.at("ExclusiveStartKey"), json::parse(R"({"user":{"S":"u1"},"seq":{"N":"10"}})"));
    ASSERT_EQ(second.items.size(), 1u);
    // A filter or a page size may change between pages: they are not part of the binding.
    EXPECT_NO_THROW(events.query("u1").gt(0).page_size(5).filter(dy::field(&Event::day) == "d").page(c));
}

TEST_P(CursorBinding, IndexAndScanCursorsAreBoundToTheirIndexAndSegment) {
    auto server = pages();
    const dy::Table<Event> events(server.client(with_secret(GetParam())));
    const auto by_kind = events.query_index<"ByKind">("k").page();
    ASSERT_TRUE(by_kind.next_cursor);
    refused(server, [&] { events.query_index<"ByKind">("other").page(by_kind.next_cursor); });
    refused(server, [&] { events.scan_index<"ByKind">().page(by_kind.next_cursor); });
    EXPECT_NO_THROW(events.query_index<"ByKind">("k").page(by_kind.next_cursor));

    const auto seg = events.scan().segment(0, 2).page();
    ASSERT_TRUE(seg.next_cursor);
    refused(server, [&] { events.scan().segment(1, 2).page(seg.next_cursor); });
    refused(server, [&] { events.scan().segment(0, 3).page(seg.next_cursor); });
    refused(server, [&] { events.scan().page(seg.next_cursor); });
    refused(server, [&] { events.scan_index<"ByKind">().segment(0, 2).page(seg.next_cursor); });
    EXPECT_NO_THROW(events.scan().segment(0, 2).page(seg.next_cursor));
}

INSTANTIATE_TEST_SUITE_P(SignedAndUnsigned, CursorBinding, ::testing::Values(std::string(), std::string("s3cret")));

TEST(Cursor, UnsignedCursorsAreCheckedForShape) {
    auto server = pages();
    const dy::Table<Event> events(server.client());
    const auto query = events.query("u1");
    const std::string binding = query.spec().binding;
    // The right binding, but not the table's key.
    auto shape = [&](std::string_view key) {
        return refused(server, [&] { events.query("u1").page(dy::detail::encode_cursor(json::parse(key).as_object(), binding, "")); });
    };
    EXPECT_TRUE(contains(shape("{}"), "not a key of this table or index: key attribute 'user' is missing"));
    EXPECT_TRUE(contains(shape(R"({"user":{"S":"u1"},"seq":{"S":"1"}})"), "key attribute 'seq' must be N, found S"));
    EXPECT_TRUE(contains(shape(R"({"user":{"S":"u1"},"seq":{"N":"1"},"x":{"S":"y"}})"), "attribute 'x' is not a key attribute"));
    // A key of another partition, under this query's binding.
    EXPECT_TRUE(contains(shape(R"({"user":{"S":"u2"},"seq":{"N":"1"}})"), "made for another partition key value"));
    // Not a cursor, or one of an older version (no binding).
    refused(server, [&] { events.query("u1").page("not a cursor!"); });
    refused(server, [&] { events.query("u1").page("eyJ1c2VyIjp7IlMiOiJ1MSJ9fQ"); });
    // Signed and unsigned do not mix.
    const std::string signed_cursor = dy::detail::encode_cursor(json::parse(R"({"user":{"S":"u1"},"seq":{"N":"1"}})").as_object(), binding, "k");
    EXPECT_TRUE(contains(refused(server, [&] { events.query("u1").page(signed_cursor); }), "no cursor secret is configured"));
    const dy::Table<Event> with_key(server.client(with_secret("k")));
    const std::string unsigned_cursor = dy::detail::encode_cursor(json::parse(R"({"user":{"S":"u1"},"seq":{"N":"1"}})").as_object(), binding, "");
    EXPECT_TRUE(contains(refused(server, [&] { with_key.query("u1").page(unsigned_cursor); }), "it is not signed"));
    EXPECT_NO_THROW(events.query("u1").page(unsigned_cursor));
    EXPECT_NO_THROW(with_key.query("u1").page(signed_cursor));
}
