// Progress callbacks of long operations (progress.hpp): batch writes and reads, parallel scans,
// waiting for CreateTable; and DynamoDB's Count/ScannedCount through `all_with_counts()`.
#include <dynantic/progress.hpp>

#include <dynantic/batch.hpp>
#include <dynantic/log.hpp>
#include <dynantic/query.hpp>
#include <dynantic/table.hpp>

#include "support/recording_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace progressunit {
struct Item {
    std::string id;
    std::string kind;
    int n = 0;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, kind, n))
constexpr auto dynantic_schema(const Item*) {
    return dy::table("items").partition_key(&Item::id).global_index("ByKind", &Item::kind, &Item::n);
}
}  // namespace progressunit

using progressunit::Item;

namespace {

struct Step {
    std::string operation;
    std::size_t done, total, pages, items;
    bool operator==(const Step&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Step& s) {
    return os << s.operation << ' ' << s.done << '/' << s.total << " pages " << s.pages << " items " << s.items;
}

dy::ProgressCallback recorder(std::vector<Step>& steps) {
    return [&steps](const dy::Progress& p) { steps.push_back({std::string(p.operation), p.done, p.total, p.pages, p.items}); };
}

std::vector<Item> make_items(int n) {
    std::vector<Item> out;
    for (int i = 0; i < n; ++i) out.push_back({"i" + std::to_string(i), "k", i});
    return out;
}

json::object item_json(int i) { return dy::to_item(Item{"i" + std::to_string(i), "k", i}); }

}  // namespace

TEST(Progress, BatchSaveReportsWritesAppliedAfterEachRequest) {
    // The first request leaves its last 5 writes unprocessed; the retry applies them.
    RecordingServer server([](const RecordedRequest& r, std::size_t i) {
        json::object response{{"UnprocessedItems", json::object{}}};
        if (i == 0) {
            const auto& sent = r.body.at("RequestItems").at("items").as_array();
            json::array rest(sent.end() - 5, sent.end());
            response["UnprocessedItems"] = {{"items", rest}};
        }
        return dy::test::ok_response(json::serialize(response));
    });
    dy::Table<Item> items{server.client()};
    std::vector<Step> steps;
    dy::BatchOptions options;
    options.base_delay = std::chrono::milliseconds(1);
    items.batch_save(make_items(60), options, recorder(steps));
    EXPECT_EQ(steps, (std::vector<Step>{{"BatchWriteItem", 20, 60, 1, 20},
                                        {"BatchWriteItem", 25, 60, 2, 25},
                                        {"BatchWriteItem", 50, 60, 3, 50},
                                        {"BatchWriteItem", 60, 60, 4, 60}}));
}

TEST(Progress, BatchGetReportsKeysAnsweredAndItemsFound) {
    // 150 keys: two requests (100 + 50); key i30 does not exist.
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        json::array found;
        for (const auto& key : r.body.at("RequestItems").at("items").at("Keys").as_array()) {
            const std::string id(key.at("id").at("S").as_string());
            if (id != "i30") found.push_back(item_json(std::stoi(id.substr(1))));
        }
        return dy::test::ok_response(json::serialize(json::object{{"Responses", {{"items", found}}}}));
    });
    dy::Table<Item> items{server.client()};
    std::vector<std::string> keys;
    for (int i = 0; i < 150; ++i) keys.push_back("i" + std::to_string(i));
    std::vector<Step> steps;
    EXPECT_EQ(items.batch_get(keys, {}, {}, recorder(steps)).size(), 149u);
    EXPECT_EQ(steps, (std::vector<Step>{{"BatchGetItem", 100, 150, 1, 99}, {"BatchGetItem", 150, 150, 2, 149}}));
}

TEST(Progress, AThrowingCallbackNeitherStopsNorLosesTheBatch) {
    RecordingServer server([](const RecordedRequest&, std::size_t) {
        return dy::test::ok_response(R"({"UnprocessedItems":{}})");
    });
    dy::Table<Item> items{server.client()};
    int calls = 0;
    const auto throwing = [&](const dy::Progress&) {
        ++calls;
        throw std::runtime_error("progress bar closed");
    };
    std::vector<std::string> lines;
    dy::set_log_sink([&](dy::LogLevel, std::string_view line) { lines.emplace_back(line); }, dy::LogLevel::warn);
    EXPECT_NO_THROW(items.batch_save(make_items(30), {}, throwing));
    dy::set_log_sink(nullptr);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(server.requests().size(), 2u);   // both chunks sent
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0], "a progress callback threw; ignored: progress bar closed");
}

TEST(Progress, ParallelScanReportsSegmentsPagesAndItemsOneCallAtATime) {
    // Each of 3 segments has two pages: 2 items, then 1. The segments run on their own threads.
    auto transport = std::make_shared<::testing::NiceMock<dy::test::MockTransport>>();
    ON_CALL(*transport, send(::testing::_, ::testing::_))
        .WillByDefault([](const dy::http::Endpoint&, const dy::http::HttpRequest& request) {
            const json::object body = json::parse(request.body).as_object();
            const int segment = static_cast<int>(body.at("Segment").as_int64());
            const bool second = body.contains("ExclusiveStartKey");
            json::array page;
            for (int k = 0; k < (second ? 1 : 2); ++k) page.push_back(item_json(segment * 10 + k + (second ? 5 : 0)));
            json::object response{{"Count", page.size()}, {"ScannedCount", page.size()}, {"Items", page}};
            if (!second) response["LastEvaluatedKey"] = {{"id", {{"S", "s" + std::to_string(segment)}}}};
            return dy::test::ok_response(json::serialize(response));
        });
    dy::Table<Item> items{dy::test::mock_client(transport)};
    std::vector<Step> steps;
    std::atomic<int> inside{0};
    bool overlapped = false;
    const auto result = items.scan().parallel(3, [&](const dy::Progress& p) {
        if (inside.fetch_add(1) != 0) overlapped = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));   // widen any overlap
        steps.push_back({std::string(p.operation), p.done, p.total, p.pages, p.items});
        inside.fetch_sub(1);
    });
    EXPECT_EQ(result.size(), 9u);
    EXPECT_FALSE(overlapped);
    ASSERT_EQ(steps.size(), 9u);   // 6 pages and 3 segments finished
    EXPECT_EQ(steps.back(), (Step{"Scan", 3, 3, 6, 9}));
    for (std::size_t i = 1; i < steps.size(); ++i) {   // totals only grow
        EXPECT_GE(steps[i].done, steps[i - 1].done);
        EXPECT_GE(steps[i].pages, steps[i - 1].pages);
        EXPECT_GE(steps[i].items, steps[i - 1].items);
    }
}

TEST(Progress, CreateTableReportsTheTableAndIndexesActive) {
    std::size_t describes = 0;
    RecordingServer server([&](const RecordedRequest& r, std::size_t) {
        if (r.operation == "CreateTable") return dy::test::ok_response("{}");
        ++describes;
        const char* table = describes == 1 ? "CREATING" : "ACTIVE";
        const char* index = describes <= 2 ? "CREATING" : "ACTIVE";
        json::object t{{"TableStatus", table},
                       {"GlobalSecondaryIndexes", json::array{json::object{{"IndexName", "ByKind"}, {"IndexStatus", index}}}}};
        return dy::test::ok_response(json::serialize(json::object{{"Table", t}}));
    });
    dy::Table<Item> items{server.client()};
    std::vector<Step> steps;
    dy::CreateTableOptions options;
    options.progress = recorder(steps);
    items.create_table(options);
    EXPECT_EQ(steps, (std::vector<Step>{{"CreateTable", 0, 2, 1, 0}, {"CreateTable", 1, 2, 2, 0}, {"CreateTable", 2, 2, 3, 0}}));
}

TEST(ReadCounts, AllWithCountsSumsCountAndScannedCountOverPages) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        const bool second = r.body.contains("ExclusiveStartKey");
        json::object response;
        json::array page;
        for (int k = 0; k < (second ? 1 : 2); ++k) page.push_back(item_json(second ? 9 : k));
        response["Items"] = page;
        response["Count"] = page.size();
        response["ScannedCount"] = second ? 4 : 5;
        response["ConsumedCapacity"] = {{"TableName", "items"}, {"CapacityUnits", 1.5}};
        if (!second) response["LastEvaluatedKey"] = {{"id", {{"S", "i1"}}}};
        return dy::test::ok_response(json::serialize(response));
    });
    dy::Table<Item> items{server.client()};
    const auto result = items.query("x").filter(dy::field(&Item::n) > 0).return_consumed_capacity().all_with_counts();
    EXPECT_EQ(result.items.size(), 3u);
    EXPECT_EQ(result.count, 3u);
    EXPECT_EQ(result.scanned_count, 9u);
    EXPECT_EQ(result.pages, 2u);
    ASSERT_TRUE(result.consumed_capacity);
    EXPECT_DOUBLE_EQ(*result.consumed_capacity, 3.0);
    // all() is unchanged: the same items.
    EXPECT_EQ(items.query("x").all().size(), 3u);

    // A limit that stops inside a page: items up to the limit, Count of what DynamoDB returned.
    const auto limited = items.query("x").limit(1).all_with_counts();
    EXPECT_EQ(limited.items.size(), 1u);
    EXPECT_EQ(limited.pages, 1u);
}
