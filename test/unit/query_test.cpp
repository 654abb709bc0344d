#include <dynantic/query.hpp>

#include <dynantic/table.hpp>

#include "support/mock_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;
using ::testing::_;
using ::testing::Invoke;

namespace querytest {
struct Event {
    std::string user;
    std::int64_t seq = 0;
    std::string kind;
    std::string day;
    int score = 0;
};
BOOST_DESCRIBE_STRUCT(Event, (), (user, seq, kind, day, score))
/** What the KEYS_ONLY index ByKind holds: its reads return this view. */
struct EventKeys {
    std::string user;
    std::int64_t seq = 0;
    std::string kind;
    std::string day;
};
BOOST_DESCRIBE_STRUCT(EventKeys, (), (user, seq, kind, day))
constexpr auto dynantic_schema(const Event*) {
    return dy::table("events")
        .partition_key(&Event::user)
        .sort_key(&Event::seq)
        .global_index("ByKind", &Event::kind, &Event::day, dy::keys_only<EventKeys>())
        .local_index("ByScore", &Event::score);
}
}  // namespace querytest

using querytest::Event;

namespace {
dy::Table<Event> offline(std::shared_ptr<dy::test::MockTransport> t = std::make_shared<dy::test::MockTransport>(),
                         std::string secret = {}) {
    dy::ClientOptions o;
    o.cursor_secret = std::move(secret);
    return dy::Table<Event>(dy::test::mock_client(std::move(t), o));
}

json::object event_item(std::int64_t seq) {
    return json::parse(R"({"user":{"S":"u1"},"seq":{"N":")" + std::to_string(seq) +
                       R"("},"kind":{"S":"click"},"day":{"S":"2024-01-01"},"score":{"N":"1"}})")
        .as_object();
}

/** A response page with items seq in [from, to) and, if `more`, a LastEvaluatedKey: the key of
    its last item, or for an empty page (all filtered out) of item `from`. */
dy::http::HttpResponse page_of(std::int64_t from, std::int64_t to, bool more) {
    json::object body;
    json::array items;
    for (auto i = from; i < to; ++i) items.push_back(event_item(i));
    body["Count"] = items.size();
    body["ScannedCount"] = items.size() + 1;
    body["Items"] = std::move(items);
    const std::int64_t last = to > from ? to - 1 : from;
    if (more) body["LastEvaluatedKey"] = json::parse(R"({"user":{"S":"u1"},"seq":{"N":")" + std::to_string(last) + R"("}})");
    return dy::test::ok_response(json::serialize(body));
}
}  // namespace

TEST(Query, KeyConditionAndFilterRender) {
    const auto req = offline()
                         .query("u1")
                         .between(10, 20)
                         .filter(dy::field(&Event::kind) == "click")
                         .filter(dy::attr("score") > 2)
                         .reverse()
                         .consistent_read()
                         .limit(5)
                         .to_request();
    EXPECT_EQ(req.operation, "Query");
    EXPECT_EQ(json::serialize(req.body), json::serialize(json::parse(R"({"TableName":"events",
        "FilterExpression":"#n2 = :v3 AND #n3 > :v4",
        "KeyConditionExpression":"#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2",
        "ScanIndexForward":false,"ConsistentRead":true,
        "ExpressionAttributeNames":{"#n0":"user","#n1":"seq","#n2":"kind","#n3":"score"},
        "ExpressionAttributeValues":{":v0":{"S":"u1"},":v1":{"N":"10"},":v2":{"N":"20"},":v3":{"S":"click"},":v4":{"N":"2"}},
        "Limit":5})")));
}

TEST(Query, EverySortKeyOperator) {
    auto t = offline();
    auto text = [&](auto q) { return std::string(q.to_request().body.at("KeyConditionExpression").as_string()); };
    EXPECT_EQ(text(t.query("u").eq(1)), "#n0 = :v0 AND #n1 = :v1");
    EXPECT_EQ(text(t.query("u").lt(1)), "#n0 = :v0 AND #n1 < :v1");
    EXPECT_EQ(text(t.query("u").le(1)), "#n0 = :v0 AND #n1 <= :v1");
    EXPECT_EQ(text(t.query("u").gt(1)), "#n0 = :v0 AND #n1 > :v1");
    EXPECT_EQ(text(t.query("u").ge(1)), "#n0 = :v0 AND #n1 >= :v1");
    EXPECT_EQ(text(t.query_index<"ByKind">("click").begins_with("2024-")), "#n0 = :v0 AND begins_with(#n1, :v1)");
}

TEST(Query, IndexQueriesNameTheIndex) {
    const auto req = offline().query_index<"ByKind">("click").after("2024-01-01").to_request();
    EXPECT_EQ(req.body.at("IndexName"), "ByKind");
    // A KEYS_ONLY index reads into its default view: its attributes are projected.
    EXPECT_EQ(req.body.at("ExpressionAttributeNames"), json::parse(R"({"#n0":"kind","#n1":"day","#n2":"user","#n3":"seq"})"));
    EXPECT_EQ(req.body.at("ProjectionExpression"), "#n2, #n3, #n0, #n1");
    const auto lsi = offline().query_index<"ByScore">("u1").ge(3).consistent_read().to_request();
    EXPECT_EQ(lsi.body.at("IndexName"), "ByScore");
    EXPECT_EQ(lsi.body.at("ConsistentRead"), true);
}

TEST(Query, EmptyPartitionKeyIsRefused) { EXPECT_THROW(offline().query(""), dy::ValidationError); }

TEST(Query, CreateTableDeclaresIndexes) {
    EXPECT_EQ(offline().create_table_request().body, json::parse(R"({"TableName":"events",
        "AttributeDefinitions":[{"AttributeName":"user","AttributeType":"S"},{"AttributeName":"seq","AttributeType":"N"},
                                {"AttributeName":"kind","AttributeType":"S"},{"AttributeName":"day","AttributeType":"S"},
                                {"AttributeName":"score","AttributeType":"N"}],
        "KeySchema":[{"AttributeName":"user","KeyType":"HASH"},{"AttributeName":"seq","KeyType":"RANGE"}],
        "GlobalSecondaryIndexes":[{"IndexName":"ByKind","KeySchema":[{"AttributeName":"kind","KeyType":"HASH"},
            {"AttributeName":"day","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
        "LocalSecondaryIndexes":[{"IndexName":"ByScore","KeySchema":[{"AttributeName":"user","KeyType":"HASH"},
            {"AttributeName":"score","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],
        "BillingMode":"PAY_PER_REQUEST"})"));
}

TEST(Query, IterationFollowsPagesLazily) {
    auto t = std::make_shared<dy::test::MockTransport>();
    std::vector<json::object> sent;
    EXPECT_CALL(*t, send(_, _))
        .WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) { sent.push_back(json::parse(r.body).as_object()); return page_of(0, 3, true); }))
        .WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) { sent.push_back(json::parse(r.body).as_object()); return page_of(3, 3, true); }))
        .WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) { sent.push_back(json::parse(r.body).as_object()); return page_of(3, 5, false); }));
    std::vector<std::int64_t> seen;
    auto q = offline(t).query("u1");
    auto it = q.begin();
    EXPECT_EQ(sent.size(), 1u);  // only the first page so far
    for (; it != q.end(); ++it) seen.push_back(it->seq);
    EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_FALSE(sent[0].contains("ExclusiveStartKey"));
    EXPECT_EQ(sent[1].at("ExclusiveStartKey"), json::parse(R"({"user":{"S":"u1"},"seq":{"N":"2"}})"));
}

TEST(Query, LimitStopsMidPageAndCursorResumesAfterLastItem) {
    auto t = std::make_shared<dy::test::MockTransport>();
    json::object second_request;
    EXPECT_CALL(*t, send(_, _))
        .WillOnce(Invoke([&](auto&&, auto&&) { return page_of(0, 5, true); }))
        .WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) {
            second_request = json::parse(r.body).as_object();
            return page_of(2, 4, false);
        }));
    auto table = offline(t, "s3cret");
    auto first = table.query("u1").limit(2).page();
    ASSERT_EQ(first.items.size(), 2u);
    ASSERT_TRUE(first.next_cursor);
    auto second = table.query("u1").limit(2).page(first.next_cursor);
    EXPECT_EQ(second_request.at("ExclusiveStartKey"), json::parse(R"({"user":{"S":"u1"},"seq":{"N":"1"}})"));
    EXPECT_EQ(second.items.front().seq, 2);
    EXPECT_FALSE(second.next_cursor);
}

TEST(Query, LargePagesDecodeAndTheirKeyOutlivesThePage) {
    // Each page is parsed into its own arena, released when the next page arrives; the items and
    // the LastEvaluatedKey (copied out of the arena) must survive that, page after page.
    auto t = std::make_shared<dy::test::MockTransport>();
    std::vector<json::object> sent;
    EXPECT_CALL(*t, send(_, _))
        .WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) { sent.push_back(json::parse(r.body).as_object()); return page_of(0, 300, true); }))
        .WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) { sent.push_back(json::parse(r.body).as_object()); return page_of(300, 600, true); }))
        .WillOnce(Invoke([&](auto&&, const dy::http::HttpRequest& r) { sent.push_back(json::parse(r.body).as_object()); return page_of(600, 601, false); }));
    auto table = offline(t);
    const auto page = table.query("u1").page();
    ASSERT_EQ(page.items.size(), 300u);
    EXPECT_EQ(page.items.back().seq, 299);
    EXPECT_EQ(page.items.back().day, "2024-01-01");
    ASSERT_TRUE(page.next_cursor);
    std::int64_t expected = 300;
    for (const Event& e : table.query("u1").limit(301).page(page.next_cursor).items) EXPECT_EQ(e.seq, expected++);
    EXPECT_EQ(expected, 601);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[2].at("ExclusiveStartKey"), json::parse(R"({"user":{"S":"u1"},"seq":{"N":"599"}})"));
}

TEST(Query, ManyPagesOfOneQueryRestartTheirArena) {
    // One pager's arena is restarted for every page: Boost.JSON 1.81's monotonic_resource::release
    // kept doubling its block size, so page n asked for a block of 2^n KiB (std::bad_alloc by
    // about page 40).
    auto t = std::make_shared<dy::test::MockTransport>();
    std::int64_t pages = 0;
    EXPECT_CALL(*t, send(_, _)).Times(80).WillRepeatedly(Invoke([&](auto&&, auto&&) {
        const std::int64_t from = 20 * pages++;
        return page_of(from, from + 20, pages < 80);
    }));
    std::int64_t expected = 0;
    for (const Event& e : offline(t).query("u1")) EXPECT_EQ(e.seq, expected++);
    EXPECT_EQ(expected, 80 * 20);
}

TEST(Query, TamperedOrForeignCursorIsRefused) {
    auto table = offline(std::make_shared<dy::test::MockTransport>(), "s3cret");
    const std::string cursor = dy::detail::encode_cursor(json::parse(R"({"user":{"S":"u1"},"seq":{"N":"1"}})").as_object(),
                                                         "events||events", "s3cret");
    std::string tampered = cursor;
    tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
    EXPECT_THROW(table.query("u1").page(tampered), dy::ValidationError);
    // The same key replayed against an index query: bound to another index.
    EXPECT_THROW(table.query_index<"ByKind">("click").page(cursor), dy::ValidationError);
    EXPECT_THROW(table.query("u1").page("not a cursor!"), dy::ValidationError);
    // Unsigned cursors are refused when a secret is configured.
    EXPECT_THROW(table.query("u1").page(dy::detail::encode_cursor(json::object{}, "events||events", "")),
                 dy::ValidationError);
}

TEST(Query, OneFirstAndCount) {
    auto t = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*t, send(_, _))
        .WillOnce(Invoke([](auto&&, auto&&) { return page_of(0, 1, false); }))
        .WillOnce(Invoke([](auto&&, auto&&) { return page_of(0, 2, false); }))
        .WillOnce(Invoke([](auto&&, auto&&) { return page_of(0, 0, false); }))
        .WillOnce(Invoke([](auto&&, const dy::http::HttpRequest& r) {
            EXPECT_EQ(json::parse(r.body).at("Select"), "COUNT");
            return dy::test::ok_response(R"({"Count":7,"ScannedCount":9,"LastEvaluatedKey":{"user":{"S":"u1"},"seq":{"N":"7"}}})");
        }))
        .WillOnce(Invoke([](auto&&, auto&&) { return dy::test::ok_response(R"({"Count":3,"ScannedCount":3})"); }));
    auto table = offline(t);
    EXPECT_EQ(table.query("u1").one().seq, 0);
    EXPECT_THROW(table.query("u1").one(), dy::ValidationError);
    EXPECT_EQ(table.query("u1").first(), std::nullopt);
    EXPECT_EQ(table.query("u1").count(), 10u);
}

TEST(Scan, SegmentsAndIndexes) {
    auto req = offline().scan().segment(1, 4).filter(dy::field(&Event::score) >= 1).to_request();
    EXPECT_EQ(req.operation, "Scan");
    EXPECT_EQ(req.body.at("Segment"), 1);
    EXPECT_EQ(req.body.at("TotalSegments"), 4);
    EXPECT_EQ(req.body.at("FilterExpression"), "#n0 >= :v0");
    EXPECT_EQ(offline().scan_index<"ByKind">().to_request().body.at("IndexName"), "ByKind");
    EXPECT_THROW(offline().scan().segment(4, 4), dy::ValidationError);
}
