// The DynamoDB stream handler of example/lambda/ on recorded stream events (test/data/streams/):
// typed records one by one, partial batch failures for records that throw or do not decode
// (a malformed record, an unknown polymorphic subtype), stop-at-first-failure and keep-going
// modes, the deadline, malformed events; and the customers_stream program through the runtime
// loop against a loopback Runtime API, with DynamoDB mocked.
#include "support/animals.hpp"
#include "customers_stream.hpp"   // example/lambda/customers_stream.hpp
#include "runtime.hpp"            // example/lambda/runtime.hpp
#include "stream_handler.hpp"     // example/lambda/stream_handler.hpp

#include "lambda/fake_runtime_api.hpp"

#include <dynantic/testkit/mock_transport.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <variant>
#include "support/test_env.hpp"

namespace {

namespace dy = dynantic;
namespace dyt = dynantic::testkit;
namespace json = boost::json;
using customers_stream::Customer;
using lambda_test::FakeRuntimeApi;
using lambda_test::in_a_minute;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Return;

std::string event_file(const char* name) {
    std::ifstream in(dynantic::test::data_path("streams/" + std::string(name)));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/** The event with only its first `n` records. */
std::string first_records(const std::string& event, std::size_t n) {
    json::value v = json::parse(event);
    v.at("Records").as_array().resize(n);
    return json::serialize(v);
}

std::vector<std::string> failed_ids(const lambda::StreamEventResult& r) {
    std::vector<std::string> out;
    for (const auto& f : r.failed) out.push_back(f.sequence_number);
    return out;
}

using dynantic::test::zoo::Animal;   // test/support/animals.hpp
using dynantic::test::zoo::Cat;
using dynantic::test::zoo::Dog;

}  // namespace

TEST(LambdaStreamHandler, HandsOutTypedRecordsInOrder) {
    std::vector<std::string> seen;
    const auto result = lambda::handle_stream_event<Customer>(event_file("customers_event.json"), [&](const dy::StreamRecord<Customer>& r) {
        std::string line(dy::to_string(r.event_name));
        line += " " + r.key;
        if (r.expired_by_ttl()) line += " ttl";
        if (r.new_image) line += " new:" + r.new_image->tier;
        if (r.old_image) line += " old:" + r.old_image->tier;
        seen.push_back(line);
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"INSERT c-100 new:gold", "MODIFY c-100 new:platinum old:gold",
                                              "REMOVE c-200 old:silver", "REMOVE c-100 ttl old:platinum"}));
    EXPECT_EQ(result.records, 4u);
    EXPECT_EQ(result.processed, 4u);
    EXPECT_TRUE(result.failed.empty());
    EXPECT_EQ(result.response(), R"({"batchItemFailures":[]})");
}

TEST(LambdaStreamHandler, StopsAtTheFirstRecordThatThrows) {
    std::vector<std::string> seen;
    const auto result = lambda::handle_stream_event<Customer>(event_file("customers_event.json"), [&](const dy::StreamRecord<Customer>& r) {
        seen.push_back(r.sequence_number);
        if (r.event_name == dy::StreamEventName::modify) throw std::runtime_error("search index unavailable");
    });
    EXPECT_EQ(seen.size(), 2u);   // the records after the failure are left for the retry
    EXPECT_EQ(result.processed, 1u);
    EXPECT_EQ(result.skipped, 2u);
    EXPECT_EQ(failed_ids(result), (std::vector<std::string>{"100000000000000000002"}));
    EXPECT_EQ(result.failed[0].event_id, "2a7b4c3d0e9f5a6b9c8d7e6f5a4b3c2d");
    EXPECT_EQ(result.failed[0].error.type, "std::runtime_error");
    EXPECT_EQ(json::parse(result.response()),
              json::parse(R"({"batchItemFailures":[{"itemIdentifier":"100000000000000000002"}]})"));
}

TEST(LambdaStreamHandler, KeepGoingReportsEveryFailure) {
    std::size_t calls = 0;
    const auto result = lambda::handle_stream_event<Customer>(
        event_file("customers_event.json"),
        [&](const dy::StreamRecord<Customer>& r) {
            ++calls;
            if (r.event_name == dy::StreamEventName::remove) throw std::runtime_error("no");
        },
        {.after_failure = lambda::AfterFailure::keep_going});
    EXPECT_EQ(calls, 4u);
    EXPECT_EQ(result.processed, 2u);
    EXPECT_EQ(failed_ids(result), (std::vector<std::string>{"100000000000000000003", "100000000000000000004"}));
}

TEST(LambdaStreamHandler, UnknownSubtypeFailsOnlyItsRecord) {
    std::vector<std::string> kinds;
    const auto on_record = [&](const dy::StreamRecord<Animal>& r) {
        if (!r.new_image) kinds.push_back("none");
        else kinds.push_back(std::visit([](const auto& a) { return a.kind; }, *r.new_image));
    };
    const auto result = lambda::handle_stream_event<Animal>(event_file("animals_event.json"), on_record,
                                                            {.after_failure = lambda::AfterFailure::keep_going});
    EXPECT_EQ(kinds, (std::vector<std::string>{"DOG", "CAT", "none"}));
    EXPECT_EQ(failed_ids(result), (std::vector<std::string>{"200000000000000000002"}));
    EXPECT_EQ(result.failed[0].error.type, "dynantic::DecodeError");
    EXPECT_THAT(result.failed[0].error.message, HasSubstr("record a2 (sequence number 200000000000000000002)"));
    EXPECT_THAT(result.failed[0].error.message, HasSubstr("unknown entity type " + dynantic::redacted("FISH")));
    EXPECT_THAT(result.failed[0].error.message, Not(HasSubstr("Nemo")));

    // Ordered mode: the Dog is processed, the batch is retried from the unknown record.
    kinds.clear();
    const auto stopped = lambda::handle_stream_event<Animal>(event_file("animals_event.json"), on_record);
    EXPECT_EQ(kinds, (std::vector<std::string>{"DOG"}));
    EXPECT_EQ(failed_ids(stopped), (std::vector<std::string>{"200000000000000000002"}));
}

TEST(LambdaStreamHandler, MalformedRecordsAreBatchItemFailures) {
    // The first six records of the malformed event each carry a SequenceNumber.
    const std::string event = first_records(event_file("malformed_event.json"), 6);
    std::vector<std::string> processed;
    const auto result = lambda::handle_stream_event<Customer>(
        event, [&](const dy::StreamRecord<Customer>& r) { processed.push_back(r.event_id); },
        {.after_failure = lambda::AfterFailure::keep_going});
    EXPECT_EQ(processed, (std::vector<std::string>{"m5"}));
    EXPECT_EQ(failed_ids(result), (std::vector<std::string>{"300000000000000000001", "300000000000000000002", "300000000000000000003",
                                                            "300000000000000000004", "300000000000000000006"}));
    for (const auto& f : result.failed) {
        EXPECT_EQ(f.error.type, "dynantic::DecodeError");
        EXPECT_THAT(f.error.message, HasSubstr("record " + f.event_id + " (sequence number " + f.sequence_number + ")"));
        EXPECT_THAT(f.error.message, Not(HasSubstr("4111111111111111")));
    }
}

TEST(LambdaStreamHandler, AMalformedEventFailsTheInvocation) {
    const auto nothing = [](const dy::StreamRecord<Customer>&) { ADD_FAILURE() << "called"; };
    // A record without a SequenceNumber cannot be reported alone.
    try {
        (void)lambda::handle_stream_event<Customer>(event_file("malformed_event.json"), nothing);
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.operation(), "StreamEvent");
        EXPECT_THAT(std::string(e.what()), HasSubstr("record 6 (eventID m7) has no dynamodb.SequenceNumber"));
    }
    EXPECT_THROW((void)lambda::handle_stream_event<Customer>("not json", nothing), dy::DecodeError);
    EXPECT_THROW((void)lambda::handle_stream_event<Customer>(R"({"httpMethod":"GET"})", nothing), dy::DecodeError);
    EXPECT_THROW((void)lambda::handle_stream_event<Customer>(R"({"Records":[1]})", nothing), dy::DecodeError);
    const auto empty = lambda::handle_stream_event<Customer>(R"({"Records":[]})", nothing);
    EXPECT_EQ(empty.response(), R"({"batchItemFailures":[]})");
}

TEST(LambdaStreamHandler, RecordsNotBegunByTheDeadlineAreLeftForTheRetry) {
    std::size_t calls = 0;
    const auto result = lambda::handle_stream_event<Customer>(
        event_file("customers_event.json"), [&](const dy::StreamRecord<Customer>&) { ++calls; },
        {.deadline = std::chrono::system_clock::now() - std::chrono::seconds(1)});
    EXPECT_EQ(calls, 0u);
    EXPECT_EQ(failed_ids(result), (std::vector<std::string>{"100000000000000000001"}));
    EXPECT_EQ(result.skipped, 4u);
}

// The stream program (customers_stream) behind the runtime loop: stream events in, PutItem calls
// (mocked) out, partial batch responses back to Lambda.
TEST(LambdaCustomersStream, RecordsChangesAndReportsFailuresThroughTheRuntime) {
    const std::string ok_event = event_file("customers_event.json");
    const std::string bad_record_event = first_records(event_file("malformed_event.json"), 1);   // m1 does not decode
    const std::string bad_event = event_file("malformed_event.json");                           // m7: no SequenceNumber
    FakeRuntimeApi api({{"ok", ok_event, "", in_a_minute()},
                        {"bad-record", bad_record_event, "", in_a_minute()},
                        {"bad-event", bad_event, "", in_a_minute()}});

    auto ddb = std::make_shared<dyt::MockTransport>();
    std::vector<json::object> puts;
    EXPECT_CALL(*ddb, send(_, dyt::IsOperation("PutItem")))
        .Times(4)
        .WillRepeatedly([&](const auto&, const dy::http::HttpRequest& r) {
            puts.push_back(dyt::body_of(r));
            if (puts.size() == 2)   // recorded by an earlier delivery: not a failure
                return dyt::error_response(400, "ConditionalCheckFailedException", "The conditional request failed");
            return dyt::ok_response("{}");
        });
    const dy::Table<customers_stream::Change> changes(dyt::mock_client(ddb));

    lambda::RuntimeClient runtime({.api = api.api()});
    const auto result = lambda::run(runtime, [&](const lambda::Invocation& inv) {
        return customers_stream::handle_event(changes, inv.payload, {.deadline = inv.deadline - std::chrono::seconds(2)});
    });
    EXPECT_EQ(result.invocations, 3u);
    EXPECT_EQ(result.errors, 1u);

    ASSERT_EQ(puts.size(), 4u);
    std::vector<std::string> kinds;
    for (const auto& p : puts) {
        EXPECT_EQ(p.at("TableName"), "customer_changes");
        EXPECT_THAT(std::string(p.at("ConditionExpression").as_string()), HasSubstr("attribute_not_exists"));
        kinds.push_back(std::string(p.at("Item").at("change").at("S").as_string()));
    }
    EXPECT_EQ(kinds, (std::vector<std::string>{"created", "updated", "deleted", "expired"}));
    EXPECT_EQ(puts[3].at("Item").at("sequence_number"), json::parse(R"({"S":"100000000000000000004"})"));
    EXPECT_EQ(puts[1].at("Item").at("tier"), json::parse(R"({"S":"platinum"})"));

    const auto posts = api.posts();
    ASSERT_EQ(posts.size(), 3u);
    EXPECT_EQ(posts[0].target, "/2018-06-01/runtime/invocation/ok/response");
    EXPECT_EQ(json::parse(posts[0].body), json::parse(R"({"batchItemFailures":[]})"));
    EXPECT_EQ(posts[1].target, "/2018-06-01/runtime/invocation/bad-record/response");
    EXPECT_EQ(json::parse(posts[1].body), json::parse(R"({"batchItemFailures":[{"itemIdentifier":"300000000000000000001"}]})"));
    EXPECT_EQ(posts[2].target, "/2018-06-01/runtime/invocation/bad-event/error");
    EXPECT_EQ(json::parse(posts[2].body).at("errorType"), "dynantic::DecodeError");
}
