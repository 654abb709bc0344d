#include <dynantic/detail/response.hpp>

#include <dynantic/batch.hpp>
#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include "support/recording_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <exception>
#include <string>

// Malformed responses: every shape the library reads is checked before use, and a malformed one
// is an Error (errc::invalid_response) naming the operation, the table and what was wrong, never
// an item value; nothing crashes, no std:: exception escapes, nothing is dropped silently.

namespace dy = dynantic;
namespace json = boost::json;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace resptest {
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
}  // namespace resptest

using resptest::Event;

namespace {

// Values that must never appear in a message.
constexpr const char* secret_pk = "pk-SECRET-7f3a";
constexpr const char* secret_kind = "kind-SECRET-91b2";

std::string item_json(int seq) {
    return std::string(R"({"user":{"S":")") + secret_pk + R"("},"seq":{"N":")" + std::to_string(seq) +
           R"("},"kind":{"S":")" + secret_kind + R"("},"day":{"S":"2024-01-01"}})";
}
std::string key_json(int seq) { return std::string(R"({"user":{"S":")") + secret_pk + R"("},"seq":{"N":")" + std::to_string(seq) + R"("}})"; }

dy::http::HttpResponse ok(std::string body) { return dy::test::ok_response(std::move(body)); }

/** Runs `f`, which must throw an Error with errc::invalid_response (not a subclass such as
    DecodeError), and returns its what(). */
template <class F>
std::string invalid_response(F&& f) {
    try {
        f();
    } catch (const dy::DecodeError& e) {
        ADD_FAILURE() << "DecodeError instead of invalid_response: " << e.what();
        return {};
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::invalid_response) << e.what();
        EXPECT_EQ(typeid(e), typeid(dy::Error)) << e.what();
        const std::string what = e.what();
        EXPECT_EQ(what.find(secret_pk), std::string::npos) << what;
        EXPECT_EQ(what.find(secret_kind), std::string::npos) << what;
        EXPECT_NE(what.find("invalid response: "), std::string::npos) << what;
        return what;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "std:: exception escaped: " << e.what();
        return {};
    }
    ADD_FAILURE() << "nothing was thrown";
    return {};
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

/** A server answering every request with `body`. */
RecordingServer always(std::string body) {
    return RecordingServer([body = std::move(body)](const RecordedRequest&, std::size_t) { return ok(body); });
}

dy::Table<Event> events(const RecordingServer& server, std::string secret = {}) {
    dy::ClientOptions o;
    o.cursor_secret = std::move(secret);
    return dy::Table<Event>(server.client(o));
}

}  // namespace

// ----- point 1: a non-object among Items -----

TEST(MalformedQueryPage, NonObjectItemIsAnErrorOnEveryPath) {
    const std::string page = R"({"Items":[)" + item_json(1) + "," + "7," + item_json(3) +
                             R"(],"Count":3,"ScannedCount":3,"LastEvaluatedKey":)" + key_json(3) + "}";
    {
        auto server = always(page);
        const auto what = invalid_response([&] { events(server).query(secret_pk).limit(5).page(); });
        EXPECT_TRUE(contains(what, "Query on table 'events': invalid response: Items[1] is a number, not an object")) << what;
        EXPECT_EQ(server.requests().size(), 1u);
    }
    {
        auto server = always(page);
        const auto what = invalid_response([&] { events(server).query(secret_pk).page(); });
        EXPECT_TRUE(contains(what, "Items[1] is a number, not an object")) << what;
        EXPECT_EQ(server.requests().size(), 1u);
    }
    {
        // Iteration hands out the good item, then stops with the error (not silently).
        auto server = always(page);
        auto q = events(server).query(secret_pk);
        std::vector<std::int64_t> seen;
        const auto what = invalid_response([&] {
            for (const Event& e : q) seen.push_back(e.seq);
        });
        EXPECT_TRUE(contains(what, "Items[1]")) << what;
        EXPECT_EQ(seen, std::vector<std::int64_t>{1});
        EXPECT_EQ(server.requests().size(), 1u);
    }
    {
        auto server = always(page);
        const auto what = invalid_response([&] { events(server).scan().all(); });
        EXPECT_TRUE(contains(what, "Scan on table 'events': invalid response: Items[1]")) << what;
        EXPECT_EQ(server.requests().size(), 1u);
    }
    {
        auto server = always(page);
        invalid_response([&] { events(server).query(secret_pk).one(); });   // the second item is the bad one
        auto bad_first = always(R"({"Items":[null,)" + item_json(1) + R"(],"Count":2,"ScannedCount":2})");
        const auto what = invalid_response([&] { events(bad_first).query(secret_pk).first(); });
        EXPECT_TRUE(contains(what, "Items[0] is null, not an object")) << what;
    }
}

// ----- point 2: every member of a Query/Scan page -----

TEST(MalformedQueryPage, WrongTypesAndMissingMembers) {
    struct Case {
        std::string body;
        std::string expected;
    };
    const Case cases[] = {
        {R"({"Items":"nope","Count":0,"ScannedCount":0})", "Items is a string, not an array"},
        {R"({"Count":5,"ScannedCount":5})", "Items is missing although Count is 5"},
        {R"({"Items":[],"Count":0,"ScannedCount":0,"LastEvaluatedKey":"garbage"})",
         "LastEvaluatedKey is a string, not an object"},
        {R"({"Items":[],"Count":0,"ScannedCount":0,"LastEvaluatedKey":null})", "LastEvaluatedKey is null, not an object"},
        {R"({"Items":[],"Count":-5,"ScannedCount":0})", "Count is negative"},
        {R"({"Items":[],"Count":0,"ScannedCount":-1})", "ScannedCount is negative"},
        {R"({"Items":[],"Count":0.5,"ScannedCount":0})", "Count is a number with a fraction or exponent"},
        {R"({"Items":[],"Count":"0","ScannedCount":0})", "Count is a string, not a non-negative integer"},
        {R"({"Items":[)" + item_json(1) + R"(],"Count":2,"ScannedCount":2})", "Count is 2 but Items holds 1 entries"},
        {R"({"Items":[],"Count":0,"LastEvaluatedKey":{}})", "LastEvaluatedKey: key attribute 'user' is missing"},
        {R"({"Items":[],"Count":0,"LastEvaluatedKey":{"user":{"S":"x"},"seq":{"S":"1"}}})",
         "LastEvaluatedKey: key attribute 'seq' must be N, found S"},
        {R"({"Items":[],"Count":0,"LastEvaluatedKey":{"user":{"S":"x"},"seq":{"N":1}}})",
         "LastEvaluatedKey: key attribute 'seq' must be N, found a non-string payload"},
        {R"({"Items":[],"Count":0,"LastEvaluatedKey":{"user":{"S":"x"},"seq":{"N":"1"},"day":{"S":"d"}}})",
         "LastEvaluatedKey: attribute 'day' is not a key attribute"},
        {R"({"Items":[],"Count":0,"ConsumedCapacity":"lots"})", "ConsumedCapacity is a string, not an object"},
    };
    for (const auto& c : cases) {
        auto server = always(c.body);
        const auto what = invalid_response([&] { events(server).query(secret_pk).all(); });
        EXPECT_TRUE(contains(what, "Query on table 'events': invalid response: " + c.expected)) << c.body << "\n" << what;
        EXPECT_EQ(server.requests().size(), 1u) << c.body;
    }
}

TEST(MalformedQueryPage, IndexLastEvaluatedKeyMustHoldTheIndexAndTableKeys) {
    // A GSI page's LastEvaluatedKey holds the index keys and the table keys.
    auto server = always(R"({"Items":[],"Count":0,"LastEvaluatedKey":)" + key_json(1) + "}");
    const auto what = invalid_response([&] { events(server).query_index<"ByKind">("k").all(); });
    EXPECT_TRUE(contains(what, "LastEvaluatedKey: key attribute 'kind' is missing")) << what;
    // The same key with the index attributes is accepted and followed.
    RecordingServer good([](const RecordedRequest&, std::size_t i) {
        return ok(i == 0 ? R"({"Items":[],"Count":0,"LastEvaluatedKey":{"user":{"S":"u"},"seq":{"N":"1"},"kind":{"S":"k"},"day":{"S":"d"}}})"
                         : R"({"Items":[],"Count":0})");
    });
    EXPECT_TRUE(events(good).query_index<"ByKind">("k").all().empty());
    EXPECT_EQ(good.requests().size(), 2u);
}

TEST(MalformedQueryPage, CountChecksItsPages) {
    auto server = always(R"({"Count":-5,"ScannedCount":0})");
    const auto what = invalid_response([&] { events(server).query(secret_pk).count(); });
    EXPECT_TRUE(contains(what, "Query on table 'events': invalid response: Count is negative")) << what;
    auto lek = always(R"({"Count":1,"ScannedCount":1,"LastEvaluatedKey":"garbage"})");
    invalid_response([&] { events(lek).scan().count(); });
    EXPECT_EQ(lek.requests().size(), 1u);
}

// ----- point 3: a repeated LastEvaluatedKey ends the read -----

TEST(RepeatedLastEvaluatedKey, EndsEveryKindOfRead) {
    const std::string page = R"({"Items":[)" + item_json(1) + R"(],"Count":1,"ScannedCount":1,"LastEvaluatedKey":)" +
                             key_json(1) + "}";
    const std::string expected = "LastEvaluatedKey repeats the ExclusiveStartKey just sent (request 2 of this read)";
    auto check = [&](auto read, std::size_t requests) {
        auto server = always(page);
        const auto what = invalid_response([&] { read(events(server)); });
        EXPECT_TRUE(contains(what, "invalid response: LastEvaluatedKey repeats the ExclusiveStartKey")) << what;
        EXPECT_EQ(server.requests().size(), requests) << what;
        return what;
    };
    EXPECT_TRUE(contains(check([](auto t) { t.query(secret_pk).all(); }, 2), expected));
    EXPECT_TRUE(contains(check([](auto t) { t.query(secret_pk).count(); }, 2), expected));
    EXPECT_TRUE(contains(check([](auto t) { t.scan().all(); }, 2), "Scan on table 'events'"));
    EXPECT_TRUE(contains(check([](auto t) { t.scan().count(); }, 2), expected));
    check([](auto t) {
        for (const Event& e : t.query(secret_pk)) (void)e;
    }, 2);
    check([](auto t) { t.query(secret_pk).limit(10).page(); }, 2);
    // Parallel scan: each of the 2 segments stops after its second request.
    check([](auto t) { t.scan().parallel(2); }, 4);
    // page() resuming from a cursor whose key the server sends back: stopped after one request.
    {
        auto server = always(page);
        auto table = events(server);
        const auto first = table.query(secret_pk).limit(1).page();   // one request, cursor = key of item 1
        ASSERT_TRUE(first.next_cursor);
        const auto what = invalid_response([&] { table.query(secret_pk).limit(1).page(first.next_cursor); });
        EXPECT_TRUE(contains(what, "(request 1 of this read)")) << what;
        EXPECT_EQ(server.requests().size(), 2u);
    }
}

// ----- GetItem, UpdateItem -----

TEST(MalformedResponse, GetItemWithANonObjectItem) {
    auto server = always(R"({"Item":"text"})");
    const auto what = invalid_response([&] { events(server).get(secret_pk, 1); });
    EXPECT_TRUE(contains(what, "GetItem on table 'events': invalid response: Item is a string, not an object")) << what;
    EXPECT_EQ(server.requests().size(), 1u);
    auto none = always("{}");
    EXPECT_FALSE(events(none).get(secret_pk, 1));   // no Item: no item
    auto bad_item = always(R"({"Item":{"user":{"S":"x"},"seq":{"S":"one"}}})");
    EXPECT_THROW(events(bad_item).get(secret_pk, 1), dy::DecodeError);
}

TEST(MalformedResponse, UpdateItemWithNonObjectAttributes) {
    auto server = always(R"({"Attributes":[1,2]})");
    const auto what = invalid_response([&] {
        events(server).update(secret_pk, 1).set(&Event::day, "d").returning(dy::ReturnValues::all_new).execute();
    });
    EXPECT_TRUE(contains(what, "UpdateItem on table 'events': invalid response: Attributes is an array, not an object "
                               "(the update was applied)"))
        << what;
    EXPECT_EQ(server.requests().size(), 1u);
}

// ----- BatchGetItem -----

TEST(MalformedResponse, BatchGetItem) {
    const std::vector<std::pair<std::string, std::int64_t>> keys{{secret_pk, 1}, {secret_pk, 2}};
    struct Case {
        std::string body;
        std::string expected;
    };
    const Case cases[] = {
        {R"({"Responses":"x"})", "Responses is a string, not an object"},
        {R"({"Responses":{"events":{}}})", "Responses.events is an object, not an array"},
        {R"({"Responses":{"events":[7]}})", "Responses['events'][0] is a number, not an object"},
        {R"({"Responses":{"events":[)" + item_json(9) + "]}}",
         "Responses['events'][0] is not one of the 2 requested in this request"},
        {R"({"Responses":{"events":[]},"UnprocessedKeys":{"events":{}}})", "UnprocessedKeys['events'].Keys is missing"},
        {R"({"Responses":{"events":[]},"UnprocessedKeys":{"events":{"Keys":"k"}}})",
         "UnprocessedKeys['events'].Keys is a string, not an array"},
        {R"({"Responses":{"events":[]},"UnprocessedKeys":{"events":{"Keys":[)" + key_json(5) + "]}}}",
         "UnprocessedKeys['events'].Keys[0] is not one of the 2 requested in this request"},
        {R"({"Responses":{"events":[]},"UnprocessedKeys":[]})", "UnprocessedKeys is an array, not an object"},
    };
    for (const auto& c : cases) {
        auto server = always(c.body);
        const auto what = invalid_response([&] { events(server).batch_get(keys); });
        EXPECT_TRUE(contains(what, "BatchGetItem on table 'events': invalid response: " + c.expected)) << c.body << "\n" << what;
        EXPECT_EQ(server.requests().size(), 1u) << c.body;
    }
}

TEST(MalformedResponse, BatchGetItemAfterAGoodChunkKeepsWhatWasRead) {
    // 150 keys: the first chunk of 100 is read, the second answer is malformed. The BatchError
    // carries the 100 items read and the 50 keys not read.
    std::vector<std::pair<std::string, std::int64_t>> keys;
    for (int i = 0; i < 150; ++i) keys.emplace_back(secret_pk, i);
    RecordingServer server([](const RecordedRequest& r, std::size_t index) {
        if (index > 0) return ok(R"({"Responses":{"events":"broken"}})");
        std::string items;
        for (const auto& k : r.body.at("RequestItems").at("events").at("Keys").as_array()) {
            if (!items.empty()) items += ",";
            items += item_json(std::stoi(std::string(k.at("seq").at("N").as_string())));
        }
        return ok(R"({"Responses":{"events":[)" + items + "]}}");
    });
    try {
        events(server).batch_get(keys);
        FAIL() << "no error";
    } catch (const dy::BatchError& e) {
        EXPECT_EQ(e.code(), dy::errc::batch_incomplete);
        EXPECT_EQ(e.retrieved().size(), 100u);
        EXPECT_EQ(e.unprocessed().size(), 50u);
        ASSERT_TRUE(e.cause());
        EXPECT_TRUE(contains(e.what(), "invalid response: Responses.events is a string, not an array")) << e.what();
        EXPECT_FALSE(contains(e.what(), secret_pk));
    }
    EXPECT_EQ(server.requests().size(), 2u);
}

// ----- BatchWriteItem -----

TEST(MalformedResponse, BatchWriteItemKeepsEveryRequestNotKnownToBeApplied) {
    const std::vector<Event> items{{secret_pk, 1, secret_kind, "d"}, {secret_pk, 2, secret_kind, "d"}};
    struct Case {
        std::string body;
        std::string expected;
    };
    const Case cases[] = {
        {R"({"UnprocessedItems":"x"})", "UnprocessedItems is a string, not an object"},
        {R"({"UnprocessedItems":{"events":{}}})", "UnprocessedItems.events is an object, not an array"},
        {R"({"UnprocessedItems":{"events":[1]}})", "UnprocessedItems['events'][0] is a number, not an object"},
        {R"({"UnprocessedItems":{"events":[{"PutRequest":{"Item":)" + item_json(7) + "}}]}}",
         "UnprocessedItems['events'][0] is not one of the 2 requested in this request"},
        {R"({"UnprocessedItems":{"events":[{"Other":{}}]}})",
         "UnprocessedItems['events'][0] is not one of the 2 requested in this request"},
    };
    for (const auto& c : cases) {
        auto server = always(c.body);
        try {
            events(server).batch_save(items, {.max_attempts = 3, .base_delay = std::chrono::milliseconds(0)});
            ADD_FAILURE() << "no error for " << c.body;
        } catch (const dy::BatchError& e) {
            // The answer tells nothing reliable: both requests may or may not have been applied.
            EXPECT_EQ(e.unprocessed().size(), 2u) << c.body;
            ASSERT_TRUE(e.cause());
            try {
                std::rethrow_exception(e.cause());
            } catch (const dy::Error& cause) {
                EXPECT_EQ(cause.code(), dy::errc::invalid_response);
                EXPECT_TRUE(contains(cause.what(), "BatchWriteItem on table 'events': invalid response: " + c.expected))
                    << cause.what();
            }
            EXPECT_FALSE(contains(e.what(), secret_pk)) << e.what();
            EXPECT_FALSE(contains(e.what(), secret_kind)) << e.what();
        }
        EXPECT_EQ(server.requests().size(), 1u) << c.body;
    }
}

// ----- TransactGetItems, TransactWriteItems -----

TEST(MalformedResponse, TransactGetItemsResponses) {
    struct Case {
        std::string body;
        std::string expected;
    };
    const Case cases[] = {
        {R"({})", "Responses holds 0 entries for 2 gets"},
        {R"({"Responses":{}})", "Responses is an object, not an array"},
        {R"({"Responses":[{}]})", "Responses holds 1 entries for 2 gets"},
        {R"({"Responses":[{},{},{}]})", "Responses holds 3 entries for 2 gets"},
        {R"({"Responses":[{},5]})", "Responses[1] is a number, not an object"},
        {R"({"Responses":[{"Item":"x"},{}]})", "Responses[0].Item is a string, not an object"},
    };
    for (const auto& c : cases) {
        auto server = always(c.body);
        const auto what = invalid_response(
            [&] { dy::transact_get(server.client(), dy::get<Event>(secret_pk, 1), dy::get<Event>(secret_pk, 2)); });
        EXPECT_TRUE(contains(what, "TransactGetItems")) << what;
        EXPECT_TRUE(contains(what, "invalid response: " + c.expected)) << c.body << "\n" << what;
        EXPECT_EQ(server.requests().size(), 1u) << c.body;
    }
    auto good = always(R"({"Responses":[{"Item":)" + item_json(1) + "},{}]}");
    const auto [a, b] = dy::transact_get(good.client(), dy::get<Event>(secret_pk, 1), dy::get<Event>(secret_pk, 2));
    EXPECT_TRUE(a);
    EXPECT_FALSE(b);
}

namespace {
dy::http::HttpResponse canceled(std::string reasons) {
    dy::http::HttpResponse r;
    r.status = 400;
    r.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","message":"Transaction cancelled")" +
             (reasons.empty() ? std::string() : ",\"CancellationReasons\":" + reasons) + "}";
    return r;
}
}  // namespace

TEST(MalformedResponse, TransactionCancellationReasons) {
    struct Case {
        std::string reasons;
        std::string expected;
    };
    const Case cases[] = {
        {"", "CancellationReasons holds 0 entries for 2 actions"},
        {R"([{"Code":"None"}])", "CancellationReasons holds 1 entries for 2 actions"},
        {R"("x")", "CancellationReasons is not an array"},
        {R"([{"Code":"None"},7])", "CancellationReasons[1] is not an object"},
        {R"([{"Code":"None"},{"Message":"m"}])", "CancellationReasons[1].Code is missing"},
        {R"([{"Code":"None"},{"Code":"ConditionalCheckFailed","Item":"x"}])", "CancellationReasons[1].Item is not an object"},
    };
    for (const auto& c : cases) {
        RecordingServer server([&](const RecordedRequest&, std::size_t) { return canceled(c.reasons); });
        const auto what = invalid_response([&] {
            dy::transact_write(server.client(), {dy::put(Event{secret_pk, 1, secret_kind, "d"}), dy::remove<Event>(secret_pk, 2)});
        });
        EXPECT_TRUE(contains(what, "TransactWriteItems: TransactionCanceledException: invalid response: " + c.expected))
            << c.reasons << "\n" << what;
        EXPECT_EQ(server.requests().size(), 1u) << c.reasons;
    }
}

// ----- DescribeTable -----

TEST(MalformedResponse, DescribeTable) {
    struct Case {
        std::string body;
        std::string expected;
    };
    const Case cases[] = {
        {R"({})", "Table is missing"},
        {R"({"Table":"x"})", "Table is a string, not an object"},
        {R"({"Table":{"KeySchema":[1]}})", "Table.KeySchema[0] is a number, not an object"},
        {R"({"Table":{"KeySchema":[{"AttributeName":"user"}]}})", "Table.KeySchema[0].KeyType is missing"},
        {R"({"Table":{"AttributeDefinitions":[{"AttributeName":"user","AttributeType":1}]}})",
         "Table.AttributeDefinitions[0].AttributeType is not a string"},
        {R"({"Table":{"GlobalSecondaryIndexes":[{"IndexName":"ByKind","IndexStatus":5}]}})",
         "Table.GlobalSecondaryIndexes[0].IndexStatus is not a string"},
    };
    for (const auto& c : cases) {
        auto server = always(c.body);
        const auto what = invalid_response([&] { events(server).describe_table(); });
        EXPECT_TRUE(contains(what, "DescribeTable on table 'events': invalid response: " + c.expected)) << c.body << "\n" << what;
        EXPECT_EQ(server.requests().size(), 1u) << c.body;
    }
}

TEST(MalformedResponse, TableExistsWithAMalformedIndexList) {
    // Was a std::invalid_argument from the wait loop of create_table() and from table_exists().
    auto server = always(R"({"Table":{"TableStatus":"ACTIVE","GlobalSecondaryIndexes":[7]}})");
    const auto what = invalid_response([&] { events(server).table_exists(); });
    EXPECT_TRUE(contains(what, "DescribeTable on table 'events': invalid response: Table.GlobalSecondaryIndexes[0] is a "
                               "number, not an object"))
        << what;
    EXPECT_EQ(server.requests().size(), 1u);
}

// ----- the shape helpers -----

TEST(ResponseShape, KeyShapeProblems) {
    const std::vector<dy::detail::KeyAttribute> key{{"pk", dy::AttributeType::S}, {"sk", dy::AttributeType::N}};
    auto problem = [&](std::string_view text) { return dy::detail::key_shape_problem(json::parse(text).as_object(), key); };
    EXPECT_EQ(problem(R"({"pk":{"S":"a"},"sk":{"N":"1"}})"), "");
    EXPECT_EQ(problem(R"({"pk":{"S":"a"}})"), "key attribute 'sk' is missing");
    EXPECT_EQ(problem(R"({"pk":"a","sk":{"N":"1"}})"), "key attribute 'pk' must be S, found a string");
    EXPECT_EQ(problem(R"({"pk":{"S":"a","N":"1"},"sk":{"N":"1"}})"), "key attribute 'pk' must be S, found a malformed AttributeValue");
    EXPECT_EQ(problem(R"({"pk":{"B":"YQ=="},"sk":{"N":"1"}})"), "key attribute 'pk' must be S, found B");
    EXPECT_EQ(problem(R"({"pk":{"S":"a"},"sk":{"N":"1"},"x":{"S":"v"}})"), "attribute 'x' is not a key attribute");
}
