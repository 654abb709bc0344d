// StreamReader against a scripted Streams API (mock transport): the X-Amz-Target and endpoint of
// Streams calls, shard lineage (a parent read to its end before its children), DescribeStream
// and GetRecords pagination, the caller's limits, LATEST positions, failures kept, and positions
// unchanged after a failed request. DynamoDB Local's streams have one shard, so lineage is proven
// here; test/integration/stream_reader_test.cpp reads real records from DynamoDB Local.
#include <dynantic/streams/reader.hpp>

#include <dynantic/testkit/mock_transport.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

namespace dy = dynantic;
namespace dyt = dynantic::testkit;
namespace json = boost::json;
using ::testing::_;
using ::testing::HasSubstr;

namespace streamread {
struct Note {
    std::string id;
    std::string text;
};
BOOST_DESCRIBE_STRUCT(Note, (), (id, text))
constexpr auto dynantic_schema(const Note*) { return dy::table("notes").partition_key(&Note::id); }
}  // namespace streamread
using streamread::Note;

namespace {

constexpr std::string_view arn = "arn:aws:dynamodb:us-east-1:000000000000:table/notes/stream/2024-06-01T00:00:00.000";

json::object record(const std::string& seq, const std::string& id, const std::string& text) {
    json::object r = json::parse(R"({"eventID":"e","eventName":"INSERT","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
        "dynamodb":{"ApproximateCreationDateTime":1717243200,"SizeBytes":10,"StreamViewType":"NEW_IMAGE"}})").as_object();
    r["eventID"] = "e" + seq;
    auto& d = r["dynamodb"].as_object();
    d["SequenceNumber"] = seq;
    d["Keys"] = json::object{{"id", json::object{{"S", id}}}};
    d["NewImage"] = json::object{{"id", json::object{{"S", id}}}, {"text", json::object{{"S", text}}}};
    return r;
}

/** A stream of shards, each a list of records; closed shards end, open ones may grow. Iterators
    are "<shard>#<position>"; GetRecords serves at most `page` records per call. */
class FakeStreams {
public:
    struct Shard {
        std::string id;
        std::string parent;
        bool closed = false;
        std::vector<json::object> records;
    };
    std::vector<Shard> shards;
    std::size_t shards_per_page = 100;
    std::size_t page = 1000;
    std::vector<std::string> calls;   ///< "Operation[:detail]" in order
    int fail_get_records_at = -1;     ///< the n-th GetRecords (0-based) answers 500 ... every time
    int get_records_calls = 0;
    bool stream_enabled = true;
    std::chrono::milliseconds get_records_delay{0};   ///< each GetRecords takes this long

    dy::http::HttpResponse handle(const dy::http::Endpoint&, const dy::http::HttpRequest& r) {
        const std::lock_guard lock(mutex_);
        const std::string target(dy::http::find_header(r.headers, "X-Amz-Target"));
        const json::object body = dyt::body_of(r);
        const std::string op(dyt::operation_of(r));
        if (op == "DescribeTable") {
            EXPECT_EQ(target, "DynamoDB_20120810.DescribeTable");
            calls.push_back(op);
            json::object t{{"TableName", body.at("TableName")}, {"TableStatus", "ACTIVE"}};
            if (stream_enabled) {
                t["LatestStreamArn"] = arn;
                t["StreamSpecification"] = json::object{{"StreamEnabled", true}, {"StreamViewType", "NEW_IMAGE"}};
            }
            return dyt::ok_response(json::serialize(json::object{{"Table", t}}));
        }
        EXPECT_TRUE(target.starts_with("DynamoDBStreams_20120810.")) << target;
        if (op == "DescribeStream") {
            EXPECT_EQ(body.at("StreamArn").as_string(), arn);
            std::size_t start = 0;
            if (const auto* s = body.if_contains("ExclusiveStartShardId")) {
                while (start < shards.size() && shards[start].id != s->as_string()) ++start;
                ++start;
            }
            calls.push_back("DescribeStream:" + std::to_string(start));
            json::array list;
            std::size_t i = start;
            for (; i < shards.size() && list.size() < shards_per_page; ++i) {
                json::object s{{"ShardId", shards[i].id}};
                if (!shards[i].parent.empty()) s["ParentShardId"] = shards[i].parent;
                json::object range{{"StartingSequenceNumber", "1"}};
                if (shards[i].closed) range["EndingSequenceNumber"] = "999";
                s["SequenceNumberRange"] = range;
                list.push_back(s);
            }
            json::object d{{"StreamArn", arn}, {"StreamStatus", "ENABLED"}, {"Shards", list}};
            if (i < shards.size()) d["LastEvaluatedShardId"] = shards[i - 1].id;
            return dyt::ok_response(json::serialize(json::object{{"StreamDescription", d}}));
        }
        if (op == "GetShardIterator") {
            const std::string shard(body.at("ShardId").as_string());
            const std::string type(body.at("ShardIteratorType").as_string());
            calls.push_back("GetShardIterator:" + shard + ":" + type);
            const Shard& s = find(shard);
            std::size_t pos = 0;
            if (type == "LATEST") pos = s.records.size();
            if (type == "AFTER_SEQUENCE_NUMBER") {
                const std::string seq(body.at("SequenceNumber").as_string());
                while (pos < s.records.size() && s.records[pos].at("dynamodb").at("SequenceNumber").as_string() != seq) ++pos;
                ++pos;
            }
            return dyt::ok_response(json::serialize(json::object{{"ShardIterator", shard + "#" + std::to_string(pos)}}));
        }
        if (op == "GetRecords") {
            const int n = get_records_calls++;
            if (get_records_delay.count() > 0) std::this_thread::sleep_for(get_records_delay);
            if (fail_get_records_at >= 0 && n >= fail_get_records_at)
                return dyt::error_response(400, "LimitExceededException", "too many requests");
            const std::string it(body.at("ShardIterator").as_string());
            const auto hash = it.find('#');
            const std::string shard = it.substr(0, hash);
            std::size_t pos = std::stoul(it.substr(hash + 1));
            calls.push_back("GetRecords:" + shard + ":" + std::to_string(pos));
            const Shard& s = find(shard);
            const std::size_t limit = std::min<std::size_t>(page, body.at("Limit").to_number<std::size_t>());
            json::array out;
            while (pos < s.records.size() && out.size() < limit) out.push_back(s.records[pos++]);
            json::object response{{"Records", out}};
            if (!(s.closed && pos >= s.records.size())) response["NextShardIterator"] = shard + "#" + std::to_string(pos);
            return dyt::ok_response(json::serialize(response));
        }
        ADD_FAILURE() << "unexpected " << target;
        return dyt::error_response(400, "UnknownOperationException", "no");
    }

    std::shared_ptr<dyt::MockTransport> transport() {
        auto t = std::make_shared<dyt::MockTransport>();
        EXPECT_CALL(*t, send(_, _)).WillRepeatedly([this](const auto& ep, const auto& r) { return handle(ep, r); });
        return t;
    }

private:
    const Shard& find(const std::string& id) const {
        for (const auto& s : shards)
            if (s.id == id) return s;
        throw std::runtime_error("no shard " + id);
    }
    std::mutex mutex_;
};

std::vector<std::string> texts(const dy::StreamBatch<Note>& b) {
    std::vector<std::string> out;
    for (const auto& r : b.records) out.push_back(r.new_image ? r.new_image->text : "?");
    return out;
}

}  // namespace

TEST(StreamReader, ParentsBeforeChildrenAcrossDescribeStreamPages) {
    FakeStreams fake;
    // Listed child first: the reader must still read the parent to its end before it.
    fake.shards = {{"child", "parent", false, {record("5", "a", "a2"), record("6", "b", "b2")}},
                   {"parent", "", true, {record("1", "a", "a1"), record("2", "b", "b1"), record("3", "c", "c1")}},
                   {"other", "", false, {record("4", "d", "d1")}}};
    fake.shards_per_page = 1;   // three DescribeStream pages
    fake.page = 2;              // the parent takes two GetRecords
    const auto client = dyt::mock_client(fake.transport());

    dy::StreamReader<Note> reader(client);
    EXPECT_EQ(reader.stream_arn(), arn);
    const dy::StreamBatch<Note> batch = reader.read();
    EXPECT_TRUE(batch.caught_up);
    EXPECT_TRUE(batch.failures.empty());
    EXPECT_EQ(texts(batch), (std::vector<std::string>{"a1", "b1", "c1", "d1", "a2", "b2"}));
    EXPECT_EQ(batch.records[0].key, "a");
    EXPECT_EQ(batch.records[0].sequence_number, "1");

    // Three pages of shards, then the parent (two pages, no NextShardIterator at its end) before the child.
    const auto& c = fake.calls;
    EXPECT_NE(std::find(c.begin(), c.end(), "DescribeStream:2"), c.end());
    const auto parent_end = std::find(c.begin(), c.end(), "GetRecords:parent:2");
    const auto child_start = std::find(c.begin(), c.end(), "GetShardIterator:child:TRIM_HORIZON");
    ASSERT_NE(parent_end, c.end());
    ASSERT_NE(child_start, c.end());
    EXPECT_LT(parent_end - c.begin(), child_start - c.begin());

    // Nothing new: an empty read, caught up. New records in the open shards come next time.
    EXPECT_TRUE(reader.read().records.empty());
    fake.shards[0].records.push_back(record("7", "e", "e2"));
    EXPECT_EQ(texts(reader.read()), (std::vector<std::string>{"e2"}));
}

TEST(StreamReader, LatestSkipsWhatWasWrittenBeforeTheReader) {
    FakeStreams fake;
    fake.shards = {{"old", "", true, {record("1", "a", "old")}}, {"open", "old", false, {record("2", "a", "before")}}};
    const auto client = dyt::mock_client(fake.transport());
    dy::StreamReader<Note> reader(client, {.start = dy::StreamStart::latest});
    fake.shards[1].records.push_back(record("3", "a", "after"));
    EXPECT_EQ(texts(reader.read()), (std::vector<std::string>{"after"}));
}

TEST(StreamReader, StopsAtMaxRecordsAndContinuesWhereItStopped) {
    FakeStreams fake;
    fake.shards = {{"s", "", false, {}}};
    for (int i = 1; i <= 7; ++i) fake.shards[0].records.push_back(record(std::to_string(i), "k", "t" + std::to_string(i)));
    const auto client = dyt::mock_client(fake.transport());
    dy::StreamReader<Note> reader(client);
    const auto first = reader.read({.max_records = 3});
    EXPECT_FALSE(first.caught_up);
    EXPECT_EQ(texts(first), (std::vector<std::string>{"t1", "t2", "t3"}));
    const auto rest = reader.read({.max_records = 0});
    EXPECT_TRUE(rest.caught_up);
    EXPECT_EQ(texts(rest), (std::vector<std::string>{"t4", "t5", "t6", "t7"}));
}

TEST(StreamReader, TimeLimitBoundsAStreamThatNeverEnds) {
    FakeStreams fake;
    fake.shards = {{"s", "", false, {}}};
    for (int i = 1; i <= 50; ++i) fake.shards[0].records.push_back(record(std::to_string(i), "k", "t"));
    fake.page = 1;   // one record per request of 5 ms: 250 ms to catch up
    fake.get_records_delay = std::chrono::milliseconds(5);
    const auto client = dyt::mock_client(fake.transport());
    dy::StreamReader<Note> reader(client);
    const auto batch = reader.read({.max_records = 0, .time_limit = std::chrono::milliseconds(20)});
    EXPECT_FALSE(batch.caught_up);
    EXPECT_GE(batch.records.size(), 1u);
    EXPECT_LT(batch.records.size(), 50u);
    // The rest comes with the following reads, nothing skipped.
    std::size_t total = batch.records.size();
    for (int i = 0; i < 100 && total < 50; ++i) total += reader.read({.max_records = 0, .time_limit = std::chrono::milliseconds(20)}).records.size();
    EXPECT_EQ(total, 50u);
}

TEST(StreamReader, RecordsThatDoNotFitAreReportedNotDropped) {
    FakeStreams fake;
    json::object bad = record("2", "b", "x");
    bad["dynamodb"].as_object()["NewImage"].as_object()["text"] = json::object{{"N", "12345"}};
    fake.shards = {{"s", "", false, {record("1", "a", "ok"), bad, record("3", "c", "ok too")}}};
    const auto client = dyt::mock_client(fake.transport());
    dy::StreamReader<Note> reader(client);
    const auto batch = reader.read();
    EXPECT_EQ(texts(batch), (std::vector<std::string>{"ok", "ok too"}));
    ASSERT_EQ(batch.failures.size(), 1u);
    EXPECT_EQ(batch.failures[0].sequence_number, "2");
    EXPECT_EQ(batch.failures[0].event_id, "e2");
    EXPECT_THAT(std::string(batch.failures[0].error.what()), HasSubstr("GetRecords on table 'notes'"));
    EXPECT_THAT(std::string(batch.failures[0].error.what()), HasSubstr("NewImage: attribute 'text'"));
    EXPECT_THAT(std::string(batch.failures[0].error.what()), ::testing::Not(HasSubstr("12345")));
}

TEST(StreamReader, AFailedRequestLeavesThePositionsUnchanged) {
    FakeStreams fake;
    fake.shards = {{"s", "", false, {record("1", "a", "t1"), record("2", "b", "t2"), record("3", "c", "t3")}}};
    fake.page = 1;
    fake.fail_get_records_at = 2;   // the third GetRecords fails (after two records were read)
    const auto client = dyt::mock_client(fake.transport());
    dy::StreamReader<Note> reader(client);
    try {
        (void)reader.read();
        FAIL() << "no error";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.operation(), "GetRecords");
        EXPECT_EQ(e.table(), "notes");
        EXPECT_EQ(e.aws_code(), "LimitExceededException");
    }
    fake.fail_get_records_at = -1;
    EXPECT_EQ(texts(reader.read()), (std::vector<std::string>{"t1", "t2", "t3"}));   // read again, none lost
}

TEST(StreamReader, TableWithoutAStreamIsAClearError) {
    FakeStreams fake;
    fake.stream_enabled = false;
    const auto client = dyt::mock_client(fake.transport());
    try {
        dy::StreamReader<Note> reader(client);
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.table(), "notes");
        EXPECT_THAT(std::string(e.what()), HasSubstr("no stream enabled"));
    }
}

TEST(StreamReader, StreamsCallsGoToTheStreamsEndpointOfARegion) {
    auto transport = std::make_shared<dyt::MockTransport>();
    std::vector<std::pair<std::string, std::string>> seen;   // host, target
    EXPECT_CALL(*transport, send(_, _)).WillRepeatedly([&](const dy::http::Endpoint& ep, const dy::http::HttpRequest& r) {
        seen.emplace_back(ep.host, std::string(dy::http::find_header(r.headers, "X-Amz-Target")));
        return dyt::ok_response("{}");
    });
    dy::ClientOptions options;
    options.region = "eu-west-1";
    options.endpoint = "https://dynamodb.eu-west-1.amazonaws.com";
    const auto client = dyt::mock_client(transport, options);
    client.call("ListStreams", {}, {.service = dy::Service::streams});
    client.call("ListTables", {});
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], (std::pair<std::string, std::string>{"streams.dynamodb.eu-west-1.amazonaws.com", "DynamoDBStreams_20120810.ListStreams"}));
    EXPECT_EQ(seen[1], (std::pair<std::string, std::string>{"dynamodb.eu-west-1.amazonaws.com", "DynamoDB_20120810.ListTables"}));
    // Any other endpoint (DynamoDB Local) serves both.
    const auto local = dyt::mock_client(transport);
    local.call("ListStreams", {}, {.service = dy::Service::streams});
    EXPECT_EQ(seen[2].first, "127.0.0.1");
}
