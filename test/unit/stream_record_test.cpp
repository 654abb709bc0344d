// Stream records decoded into models, from recorded Lambda event JSON (test/data/streams/):
// INSERT, MODIFY, REMOVE, a removal by TTL, a polymorphic table, KEYS_ONLY records, and
// malformed records whose errors name the record and never quote item values.
#include <dynantic/streams/record.hpp>

#include <dynantic/codec/scalars.hpp>
#include <dynantic/codec/time.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <variant>
#include "support/animals.hpp"
#include "support/test_env.hpp"

namespace dy = dynantic;
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

namespace streamrec {
struct Customer {
    std::string id;
    std::string name;
    std::string tier;
    std::optional<std::chrono::sys_seconds> expires_at;
};
BOOST_DESCRIBE_STRUCT(Customer, (), (id, name, tier, expires_at))
constexpr auto dynantic_schema(const Customer*) {
    return dy::table("customers").partition_key(&Customer::id).ttl(&Customer::expires_at);
}

using dynantic::test::zoo::Animal;   // test/support/animals.hpp
using dynantic::test::zoo::Cat;
using dynantic::test::zoo::Dog;

struct Reading {
    std::string sensor;
    std::int64_t at = 0;
    double value = 0;
};
BOOST_DESCRIBE_STRUCT(Reading, (), (sensor, at, value))
constexpr auto dynantic_schema(const Reading*) { return dy::table("readings").partition_key(&Reading::sensor).sort_key(&Reading::at); }
}  // namespace streamrec

using streamrec::Animal;
using streamrec::Cat;
using streamrec::Customer;
using streamrec::Dog;
using streamrec::Reading;

namespace {

json::array records_of(const char* file) {
    std::ifstream in(dynantic::test::data_path("streams/" + std::string(file)));
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str()).at("Records").as_array();
}

std::string decode_error(const json::value& record) {
    try {
        (void)dy::decode_stream_record<Customer>(record.as_object());
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.operation(), "StreamRecord");
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}

}  // namespace

TEST(StreamRecord, DecodesInsertModifyRemoveAndTtlRemoval) {
    const json::array records = records_of("customers_event.json");
    ASSERT_EQ(records.size(), 4u);

    const auto insert = dy::decode_stream_record<Customer>(records[0].as_object());
    EXPECT_EQ(insert.event_id, "1f6a3b2e9c8d4e5f8a7b6c5d4e3f2a1b");
    EXPECT_EQ(insert.event_name, dy::StreamEventName::insert);
    EXPECT_EQ(insert.sequence_number, "100000000000000000001");
    EXPECT_EQ(insert.approximate_creation_time.time_since_epoch(), std::chrono::seconds(1717243200));
    EXPECT_EQ(insert.size_bytes, 41);
    EXPECT_EQ(insert.view_type, dy::StreamView::new_and_old_images);
    EXPECT_EQ(insert.key, "c-100");
    EXPECT_EQ(insert.keys, json::parse(R"({"id":{"S":"c-100"}})").as_object());
    ASSERT_TRUE(insert.new_image);
    EXPECT_EQ(insert.new_image->name, "Ann");
    EXPECT_EQ(insert.new_image->tier, "gold");
    EXPECT_FALSE(insert.new_image->expires_at);
    EXPECT_FALSE(insert.old_image);
    EXPECT_FALSE(insert.user_identity);
    EXPECT_FALSE(insert.expired_by_ttl());
    EXPECT_EQ(insert.aws_region, "eu-west-1");
    EXPECT_THAT(insert.event_source_arn, HasSubstr(":table/customers/stream/"));

    const auto modify = dy::decode_stream_record<Customer>(records[1].as_object());
    EXPECT_EQ(modify.event_name, dy::StreamEventName::modify);
    EXPECT_EQ(modify.approximate_creation_time.time_since_epoch(), std::chrono::milliseconds(1717243260500));
    ASSERT_TRUE(modify.new_image && modify.old_image);
    EXPECT_EQ(modify.old_image->tier, "gold");
    EXPECT_EQ(modify.new_image->tier, "platinum");
    ASSERT_TRUE(modify.new_image->expires_at);   // the TTL attribute, epoch seconds on the wire
    EXPECT_EQ(modify.new_image->expires_at->time_since_epoch(), std::chrono::seconds(1719835200));

    const auto remove = dy::decode_stream_record<Customer>(records[2].as_object());
    EXPECT_EQ(remove.event_name, dy::StreamEventName::remove);
    EXPECT_FALSE(remove.new_image);
    ASSERT_TRUE(remove.old_image);
    EXPECT_EQ(remove.old_image->name, "Bo");
    EXPECT_FALSE(remove.expired_by_ttl());   // a user's DeleteItem

    const auto expired = dy::decode_stream_record<Customer>(records[3].as_object());
    EXPECT_EQ(expired.event_name, dy::StreamEventName::remove);
    ASSERT_TRUE(expired.user_identity);
    EXPECT_EQ(expired.user_identity->type, "Service");
    EXPECT_EQ(expired.user_identity->principal_id, "dynamodb.amazonaws.com");
    EXPECT_TRUE(expired.expired_by_ttl());
    ASSERT_TRUE(expired.old_image);
    EXPECT_EQ(expired.old_image->tier, "platinum");
}

TEST(StreamRecord, GetRecordsSpellingOfUserIdentity) {
    // The Streams API (GetRecords) capitalises the identity's fields.
    json::object record = records_of("customers_event.json")[3].as_object();
    record["userIdentity"] = json::parse(R"({"Type":"Service","PrincipalId":"dynamodb.amazonaws.com"})");
    record.erase("eventSourceARN");
    EXPECT_TRUE(dy::decode_stream_record<Customer>(record).expired_by_ttl());
    // Another principal's removal is not an expiry.
    record["userIdentity"] = json::parse(R"({"Type":"Service","PrincipalId":"backup.amazonaws.com"})");
    EXPECT_FALSE(dy::decode_stream_record<Customer>(record).expired_by_ttl());
}

TEST(StreamRecord, PolymorphicImagesAndAnUnknownSubtypeFailsOnlyItsRecord) {
    const json::array records = records_of("animals_event.json");
    ASSERT_EQ(records.size(), 4u);
    using Value = dy::StreamRecord<Animal>::value_type;
    static_assert(std::is_same_v<Value, std::variant<Animal, Dog, Cat>>);

    const auto dog = dy::decode_stream_record<Animal>(records[0].as_object());
    ASSERT_TRUE(dog.new_image);
    ASSERT_TRUE(std::holds_alternative<Dog>(*dog.new_image));
    EXPECT_EQ(std::get<Dog>(*dog.new_image).name, "Rex");
    EXPECT_TRUE(std::get<Dog>(*dog.new_image).good);

    try {
        (void)dy::decode_stream_record<Animal>(records[1].as_object());
        FAIL() << "an unknown subtype decoded";
    } catch (const dy::DecodeError& e) {
        const std::string what = e.what();
        EXPECT_THAT(what, HasSubstr("record a2 (sequence number 200000000000000000002)"));
        EXPECT_THAT(what, HasSubstr("NewImage"));
        EXPECT_THAT(what, HasSubstr("unknown entity type " + dynantic::redacted("FISH")));
        EXPECT_THAT(what, HasSubstr("table 'animals'"));   // from the eventSourceARN
        EXPECT_THAT(what, Not(HasSubstr("Nemo")));
    }

    // The records after it decode on their own.
    const auto cat = dy::decode_stream_record<Animal>(records[2].as_object());
    ASSERT_TRUE(cat.new_image && std::holds_alternative<Cat>(*cat.new_image));
    EXPECT_EQ(std::get<Cat>(*cat.new_image).lives, 8);

    // NEW_IMAGE stream: a removal carries no image, which is absent, not an error.
    const auto gone = dy::decode_stream_record<Animal>(records[3].as_object());
    EXPECT_EQ(gone.key, "generic");
    EXPECT_FALSE(gone.new_image);
    EXPECT_FALSE(gone.old_image);
}

TEST(StreamRecord, KeysOnlyRecordWithACompositeKey) {
    const json::value record = json::parse(R"({
        "eventID": "k1", "eventName": "MODIFY", "eventSource": "aws:dynamodb",
        "dynamodb": {"ApproximateCreationDateTime": 1717243200, "Keys": {"sensor": {"S": "s-1"}, "at": {"N": "42"}},
                     "SequenceNumber": "9", "SizeBytes": 20, "StreamViewType": "KEYS_ONLY"}})");
    const auto r = dy::decode_stream_record<Reading>(record.as_object());
    EXPECT_EQ(r.key, (std::pair<std::string, std::int64_t>{"s-1", 42}));
    EXPECT_EQ(r.view_type, dy::StreamView::keys_only);
    EXPECT_FALSE(r.new_image);
    EXPECT_FALSE(r.old_image);
}

TEST(StreamRecord, MalformedRecordsNameTheRecordAndNotTheValues) {
    const json::array records = records_of("malformed_event.json");
    ASSERT_EQ(records.size(), 7u);

    // An image attribute of the wrong type: the record, the image and the attribute are named;
    // the value (a card number here) is not.
    const std::string wrong_type = decode_error(records[0]);
    EXPECT_THAT(wrong_type, HasSubstr("StreamRecord on table 'customers'"));
    EXPECT_THAT(wrong_type, HasSubstr("record m1 (sequence number 300000000000000000001)"));
    EXPECT_THAT(wrong_type, HasSubstr("NewImage: attribute 'name'"));
    EXPECT_THAT(wrong_type, Not(HasSubstr("4111111111111111")));

    EXPECT_THAT(decode_error(records[1]), HasSubstr("record m2 (sequence number 300000000000000000002): eventName 'UPSERT'"));
    EXPECT_THAT(decode_error(records[2]), HasSubstr("record m3 (sequence number 300000000000000000003): dynamodb.ApproximateCreationDateTime"));
    const std::string wrong_key = decode_error(records[3]);
    EXPECT_THAT(wrong_key, HasSubstr("record m4"));
    EXPECT_THAT(wrong_key, HasSubstr("Keys: attribute 'id'"));

    // A KEYS_ONLY record is fine without images.
    const auto keys_only = dy::decode_stream_record<Customer>(records[4].as_object());
    EXPECT_EQ(keys_only.key, "c-5");
    EXPECT_FALSE(keys_only.new_image);

    EXPECT_THAT(decode_error(records[5]), HasSubstr("record m6 (sequence number 300000000000000000006): dynamodb.NewImage is not an object"));
    EXPECT_THAT(decode_error(records[6]), HasSubstr("record m7: dynamodb.SequenceNumber is missing"));
}

TEST(StreamRecord, MissingFieldsAndTheOperationGiven) {
    json::object record = records_of("customers_event.json")[0].as_object();
    record["dynamodb"].as_object().erase("Keys");
    try {
        (void)dy::decode_stream_record<Customer>(record, {.operation = "GetRecords", .table = "t-customers"});
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.operation(), "GetRecords");
        EXPECT_EQ(e.table(), "t-customers");
        EXPECT_THAT(std::string(e.what()), HasSubstr("dynamodb.Keys is missing"));
    }
    record = records_of("customers_event.json")[0].as_object();
    record["eventSource"] = "aws:kinesis";
    EXPECT_THAT(decode_error(record), HasSubstr("eventSource 'aws:kinesis' is not aws:dynamodb"));
    record = records_of("customers_event.json")[0].as_object();
    record["dynamodb"].as_object()["Keys"] = json::parse(R"({"other":{"S":"x"}})");
    EXPECT_THAT(decode_error(record), HasSubstr("key attribute 'id' is missing"));
    record = records_of("customers_event.json")[0].as_object();
    record["dynamodb"].as_object()["StreamViewType"] = "EVERYTHING";
    EXPECT_THAT(decode_error(record), HasSubstr("StreamViewType 'EVERYTHING'"));
}

TEST(StreamRecord, TableOfStreamArn) {
    EXPECT_EQ(dy::detail::table_of_stream_arn("arn:aws:dynamodb:us-east-1:123456789012:table/t-1/stream/2024-01-01T00:00:00.000"), "t-1");
    EXPECT_EQ(dy::detail::table_of_stream_arn("not an arn"), "");
}
