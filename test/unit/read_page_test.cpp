// Query and Scan pages as operation values (operations/read_page.hpp): pure rendering for a table
// name, pure decoding with every page check, and builders kept as values and run later.
#include <dynantic/operations/read_page.hpp>

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

namespace readpagetest {
struct Event {
    std::string user;
    std::int64_t seq = 0;
    std::string kind;
    std::string day;
};
BOOST_DESCRIBE_STRUCT(Event, (), (user, seq, kind, day))
constexpr auto dynantic_schema(const Event*) {
    return dy::table("events").partition_key(&Event::user).sort_key(&Event::seq).global_index("ByKind", &Event::kind, &Event::day);
}
}  // namespace readpagetest

using readpagetest::Event;

namespace {
json::object parse(std::string_view text) { return json::parse(text).as_object(); }

/** `f()` throws dynantic::Error with errc::invalid_response whose message contains `what`. */
template <class F>
void expect_invalid_response(F f, std::string_view what) {
    try {
        f();
        ADD_FAILURE() << "no error";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::make_error_code(dy::errc::invalid_response)) << e.what();
        EXPECT_NE(std::string(e.message()).find(what), std::string::npos) << e.what();
        EXPECT_EQ(e.operation(), "Query");
        EXPECT_EQ(e.table(), "events");
    }
}

constexpr std::string_view two_items = R"({"Items":[
    {"user":{"S":"u1"},"seq":{"N":"1"},"kind":{"S":"a"},"day":{"S":"d1"}},
    {"user":{"S":"u1"},"seq":{"N":"2"},"kind":{"S":"b"},"day":{"S":"d2"}}],
    "Count":2,"ScannedCount":5,"LastEvaluatedKey":{"user":{"S":"u1"},"seq":{"N":"2"}},
    "ConsumedCapacity":{"TableName":"events","CapacityUnits":1.5}})";
}  // namespace

TEST(ReadPage, AQueryBuiltWithoutAClientRendersAsTheTablesQuery) {
    // The same query, from a value built without any table, and from a table: the same body.
    auto value = dy::query<Event>("u1").between(10, 20).filter(dy::field(&Event::kind) == "click").reverse().limit(5);
    const dy::op::QueryPage<Event> page = value.operation();
    const dy::OperationRequest request = page.render("events");
    EXPECT_EQ(request.operation, "Query");
    EXPECT_EQ(json::serialize(request.body), json::serialize(json::parse(R"({"TableName":"events",
        "FilterExpression":"#n2 = :v3",
        "KeyConditionExpression":"#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2","ScanIndexForward":false,
        "ExpressionAttributeNames":{"#n0":"user","#n1":"seq","#n2":"kind"},
        "ExpressionAttributeValues":{":v0":{"S":"u1"},":v1":{"N":"10"},":v2":{"N":"20"},":v3":{"S":"click"}},
        "Limit":5})")));
    const auto table = dy::Table<Event>(dy::test::mock_client(std::make_shared<dy::test::MockTransport>()));
    EXPECT_EQ(json::serialize(table.query("u1").between(10, 20).filter(dy::field(&Event::kind) == "click").reverse().limit(5)
                                  .to_request().body),
              json::serialize(request.body));
}

TEST(ReadPage, APageAfterAKeyCarriesTheStartKeyAndTheSmallerLimit) {
    const auto start = parse(R"({"user":{"S":"u1"},"seq":{"N":"7"}})");
    const auto page = dy::query<Event>("u1").page_size(10).limit(3).operation(start);
    EXPECT_EQ(page.request().exclusive_start_key, start);
    const auto body = page.render("p-events").body;
    EXPECT_EQ(body.at("TableName"), "p-events");
    EXPECT_EQ(body.at("ExclusiveStartKey"), start);
    EXPECT_EQ(body.at("Limit"), 3);
    // ExclusiveStartKey and Limit come last, as the pager sends them.
    EXPECT_EQ(std::prev(body.end())->key(), "Limit");
    EXPECT_EQ(std::prev(body.end(), 2)->key(), "ExclusiveStartKey");
}

TEST(ReadPage, AScanPageRendersSegmentConsistencyCapacityAndIndex) {
    const auto body = dy::scan_index<Event, "ByKind">().segment(1, 4).return_consumed_capacity().operation().render("events").body;
    EXPECT_EQ(json::serialize(body), json::serialize(json::parse(R"({"TableName":"events","IndexName":"ByKind",
        "ReturnConsumedCapacity":"TOTAL","Segment":1,"TotalSegments":4})")));
    const auto consistent = dy::scan<Event>().consistent_read().operation();
    EXPECT_EQ(consistent.render("events").operation, "Scan");
    EXPECT_EQ(consistent.render("events").body.at("ConsistentRead"), true);
}

TEST(ReadPage, TheProjectionSlotRendersAProjectionExpressionExceptWhenCounting) {
    auto page = dy::query<Event>("u1").operation();
    page.request().projection = {dy::Path("kind"), dy::Path("day")};
    const auto body = page.render("events").body;
    EXPECT_EQ(body.at("ProjectionExpression"), "#n1, #n2");
    EXPECT_EQ(body.at("ExpressionAttributeNames"), json::parse(R"({"#n0":"user","#n1":"kind","#n2":"day"})"));
    page.request().select_count = true;
    const auto counting = page.render("events").body;
    EXPECT_FALSE(counting.contains("ProjectionExpression"));
    EXPECT_EQ(counting.at("Select"), "COUNT");
}

TEST(ReadPage, DecodeGivesTypedItemsTheKeyTheCountsAndTheCapacity) {
    const auto page = dy::query<Event>("u1").return_consumed_capacity().operation();
    const dy::op::Page<Event> p = page.decode(parse(two_items), "events");
    ASSERT_EQ(p.items.size(), 2u);
    EXPECT_EQ(p.items[1].seq, 2);
    EXPECT_EQ(p.items[1].kind, "b");
    EXPECT_EQ(p.count, 2u);
    EXPECT_EQ(p.scanned_count, 5u);
    ASSERT_TRUE(p.last_evaluated_key.has_value());
    EXPECT_EQ(*p.last_evaluated_key, parse(R"({"user":{"S":"u1"},"seq":{"N":"2"}})"));
    EXPECT_EQ(p.consumed_capacity, 1.5);
    // Not asked for: not reported.
    EXPECT_FALSE(dy::query<Event>("u1").operation().decode(parse(two_items), "events").consumed_capacity.has_value());
    // The last page: no key.
    EXPECT_FALSE(page.decode(parse(R"({"Items":[],"Count":0,"ScannedCount":3})"), "events").last_evaluated_key.has_value());
}

TEST(ReadPage, IndexesCapacityIsAskedForAndDecodedPerIndex) {
    const auto page = dy::query_index<Event, "ByKind">("click").return_consumed_capacity(dy::ReturnConsumedCapacity::indexes).operation();
    EXPECT_EQ(page.render("events").body.at("ReturnConsumedCapacity"), "INDEXES");
    const dy::op::Page<Event> p = page.decode(parse(R"({"Items":[],"Count":0,"ScannedCount":0,
        "ConsumedCapacity":{"TableName":"events","CapacityUnits":2.5,"Table":{"CapacityUnits":0},
        "GlobalSecondaryIndexes":{"ByKind":{"CapacityUnits":2.5}}}})"), "events");
    ASSERT_TRUE(p.capacity.has_value());
    EXPECT_EQ(p.consumed_capacity, 2.5);
    EXPECT_DOUBLE_EQ(p.capacity->capacity_units, 2.5);
    EXPECT_DOUBLE_EQ(p.capacity->tables.at("events").global_secondary_indexes.at("ByKind").capacity_units, 2.5);
    // Asked for but not reported: an empty report, not a missing one.
    const auto none = page.decode(parse(R"({"Items":[],"Count":0,"ScannedCount":0})"), "events");
    ASSERT_TRUE(none.capacity.has_value());
    EXPECT_TRUE(none.capacity->tables.empty());
    // `none` sends nothing.
    EXPECT_FALSE(dy::query<Event>("u1").return_consumed_capacity(dy::ReturnConsumedCapacity::none).operation()
                     .render("events").body.contains("ReturnConsumedCapacity"));
}

TEST(ReadPage, DecodeRefusesAPageThatDoesNotAdvance) {
    const auto start = parse(R"({"user":{"S":"u1"},"seq":{"N":"2"}})");
    const auto page = dy::query<Event>("u1").operation(start);
    expect_invalid_response([&] { (void)page.decode(parse(two_items), "events"); }, "repeats the ExclusiveStartKey");
}

TEST(ReadPage, DecodeChecksEveryMember) {
    const auto page = dy::query<Event>("u1").operation();
    expect_invalid_response([&] { (void)page.decode(parse(R"({"Items":[],"Count":1})"), "events"); }, "Count is 1");
    expect_invalid_response([&] { (void)page.decode(parse(R"({"Count":2})"), "events"); }, "Items is missing");
    expect_invalid_response([&] { (void)page.decode(parse(R"({"Items":[1],"Count":1})"), "events"); }, "Items[0]");
    expect_invalid_response(
        [&] { (void)page.decode(parse(R"({"Items":[],"Count":0,"LastEvaluatedKey":{"user":{"S":"u1"}}})"), "events"); },
        "LastEvaluatedKey");
    expect_invalid_response(
        [&] { (void)page.decode(parse(R"({"Items":[],"Count":0,"ConsumedCapacity":{"CapacityUnits":"x"}})"), "events"); },
        "CapacityUnits");
    // An index's LastEvaluatedKey holds the table's and the index's keys.
    const auto by_kind = dy::query_index<Event, "ByKind">("a").operation();
    EXPECT_NO_THROW((void)by_kind.decode(
        parse(R"({"Items":[],"Count":0,"LastEvaluatedKey":{"user":{"S":"u1"},"seq":{"N":"2"},"kind":{"S":"a"},"day":{"S":"d"}}})"),
        "events"));
    EXPECT_THROW((void)by_kind.decode(parse(R"({"Items":[],"Count":0,"LastEvaluatedKey":{"user":{"S":"u1"},"seq":{"N":"2"}}})"),
                                      "events"),
                 dy::Error);
}

TEST(ReadPage, AQueryValueKeptAndCopiedRunsLaterThroughATable) {
    auto t = std::make_shared<dy::test::MockTransport>();
    std::vector<json::object> sent;
    EXPECT_CALL(*t, send(_, _)).Times(3).WillRepeatedly(Invoke([&](auto&&, const dy::http::HttpRequest& r) {
        sent.push_back(json::parse(r.body).as_object());
        return dy::test::ok_response(std::string(sent.size() == 2 ? R"({"Items":[],"Count":0})" : two_items));
    }));
    const auto kept = dy::query<Event>("u1").gt(0);   // no client, no table
    const auto copy = kept;
    const dy::Table<Event> events(dy::test::mock_client(t));
    const std::vector<Event> all = events.execute(copy);   // two pages: the second is the last
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(sent[1].at("ExclusiveStartKey"), parse(R"({"user":{"S":"u1"},"seq":{"N":"2"}})"));
    const dy::op::Page<Event> one = events.execute(kept.operation());
    EXPECT_EQ(one.items.size(), 2u);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0].at("TableName"), "events");
    EXPECT_EQ(sent[0], sent[2]);   // the same value, the same request
}
