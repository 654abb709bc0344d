#include <dynantic/detail/entity.hpp>

#include <dynantic/table.hpp>

#include "support/animals.hpp"
#include "support/audit_event.hpp"
#include "support/mock_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/uuid/uuid.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;

namespace zoo {
using dynantic::test::zoo::Animal;   // test/support/animals.hpp
using dynantic::test::zoo::Cat;
using dynantic::test::zoo::Dog;
}  // namespace zoo

namespace evolve {
struct Profile {
    std::string user_id;
    std::string section;
    std::string email;
    int age = 21;
    std::optional<std::string> bio;
};
BOOST_DESCRIBE_STRUCT(Profile, (), (user_id, section, email, age, bio))
constexpr auto dynantic_schema(const Profile*) {
    return dy::table("profiles").partition_key(&Profile::user_id).sort_key(&Profile::section).required(&Profile::email).required(&Profile::bio);
}

using dynantic::test::audit::AuditEvent;   // both keys generated (test/support/audit_event.hpp)
}  // namespace evolve

using zoo::Animal;
using zoo::Cat;
using zoo::Dog;

namespace {
dy::Client offline() { return dy::test::mock_client(std::make_shared<dy::test::MockTransport>()); }
}  // namespace

TEST(Entity, ValueTypesFollowTheSchema) {
    static_assert(std::is_same_v<dy::Table<Animal>::value_type, std::variant<Animal, Dog, Cat>>);
    static_assert(std::is_same_v<dy::Table<Dog>::value_type, Dog>);
    static_assert(dy::detail::Entity<Dog>::discriminator_value() == "DOG");
    static_assert(dy::detail::Entity<Animal>::discriminator_value() == "ANIMAL");
    SUCCEED();
}

TEST(Entity, SavingASubtypeSetsTheDiscriminator) {
    dy::Table<Dog> dogs(offline());
    const auto req = dogs.put_request({{"d1", "whatever", "Rex"}, true});
    EXPECT_EQ(req.body.at("TableName"), "animals");
    EXPECT_EQ(req.body.at("Item").at("kind"), json::parse(R"({"S":"DOG"})"));
    EXPECT_EQ(req.body.at("Item").at("good"), json::parse(R"({"BOOL":true})"));
    EXPECT_EQ(dy::Table<Animal>(offline()).put_request({"a1", "", "Generic"}).body.at("Item").at("kind"),
              json::parse(R"({"S":"ANIMAL"})"));
}

TEST(Entity, DecodingDispatchesOnTheDiscriminator) {
    dy::Table<Animal> animals(offline());
    const auto cat = animals.decode_item(json::parse(R"({"id":{"S":"c"},"kind":{"S":"CAT"},"name":{"S":"Tom"},"lives":{"N":"7"}})").as_object());
    ASSERT_TRUE(std::holds_alternative<Cat>(cat));
    EXPECT_EQ(std::get<Cat>(cat).lives, 7);
    const auto base = animals.decode_item(json::parse(R"({"id":{"S":"a"},"kind":{"S":"ANIMAL"},"name":{"S":"?"}})").as_object());
    EXPECT_TRUE(std::holds_alternative<Animal>(base));
    try {
        (void)animals.decode_item(json::parse(R"({"id":{"S":"f"},"kind":{"S":"FISH"},"name":{"S":"Nemo"}})").as_object());
        FAIL() << "no error";
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'kind': unknown entity type <sha256:44864ee65edd> (expected ANIMAL, DOG, CAT)");
        EXPECT_EQ(std::string(e.what()).find("FISH"), std::string::npos);
    }
    EXPECT_THROW((void)animals.decode_item(json::parse(R"({"id":{"S":"f"},"name":{"S":"Nemo"}})").as_object()), dy::DecodeError);
}

TEST(Entity, SubtypeQueriesFilterOnTheDiscriminator) {
    dy::Table<Cat> cats(offline());
    const auto req = cats.scan().filter(dy::field(&Cat::lives) > 3 && dy::field(&Animal::name) == "Tom").to_request();
    EXPECT_EQ(req.body.at("FilterExpression"), "#n0 = :v0 AND #n1 > :v1 AND #n2 = :v2");
    EXPECT_EQ(req.body.at("ExpressionAttributeNames").at("#n0"), "kind");
    EXPECT_EQ(req.body.at("ExpressionAttributeValues").at(":v0"), json::parse(R"({"S":"CAT"})"));
}

// A parallel scan of a polymorphic base yields what `all()` yields: the variant of the base and
// its subtypes, each item decoded by its discriminator.
TEST(Entity, ParallelScanOfABaseYieldsVariants) {
    auto t = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*t, send(::testing::_, ::testing::_))
        .Times(2)
        .WillRepeatedly([](const dy::http::Endpoint&, const dy::http::HttpRequest& r) {
            const auto segment = json::parse(r.body).as_object().at("Segment").as_int64();
            const char* item = segment == 0 ? R"({"id":{"S":"d"},"kind":{"S":"DOG"},"name":{"S":"Rex"},"good":{"BOOL":true}})"
                                            : R"({"id":{"S":"c"},"kind":{"S":"CAT"},"name":{"S":"Tom"},"lives":{"N":"7"}})";
            return dy::test::ok_response(std::string(R"({"Items":[)") + item + R"(],"Count":1,"ScannedCount":1})");
        });
    const dy::Table<Animal> animals(dy::test::mock_client(t));
    const std::vector<dy::Table<Animal>::value_type> all = animals.scan().parallel(2);
    ASSERT_EQ(all.size(), 2u);
    ASSERT_TRUE(std::holds_alternative<Dog>(all[0]));
    EXPECT_TRUE(std::get<Dog>(all[0]).good);
    ASSERT_TRUE(std::holds_alternative<Cat>(all[1]));
    EXPECT_EQ(std::get<Cat>(all[1]).lives, 7);
}

namespace {
std::string decode_error(const dy::Table<evolve::Profile>& t, std::string_view text) {
    try {
        (void)t.decode_item(json::parse(text).as_object());
    } catch (const dy::DecodeError& e) {
        return std::string(e.what());
    }
    return "no error";
}
}  // namespace

TEST(Entity, RequiredMembersAndKeysMustBePresentOthersKeepTheirDefaults) {
    dy::Table<evolve::Profile> profiles(offline());
    const auto p = profiles.decode_item(
        json::parse(R"({"user_id":{"S":"u"},"section":{"S":"s"},"email":{"S":"e"},"bio":{"S":"b"}})").as_object());
    EXPECT_EQ(p.age, 21);
    EXPECT_EQ(p.bio, "b");
    EXPECT_EQ(decode_error(profiles, R"({"user_id":{"S":"u"},"section":{"S":"s"},"bio":{"S":"b"}})"),
              "GetItem on table 'profiles': attribute 'email': required attribute is missing");
    // An optional member marked required must be present too.
    EXPECT_EQ(decode_error(profiles, R"({"user_id":{"S":"u"},"section":{"S":"s"},"email":{"S":"e"}})"),
              "GetItem on table 'profiles': attribute 'bio': required attribute is missing");
    EXPECT_EQ(decode_error(profiles, R"({"section":{"S":"s"},"email":{"S":"e"},"bio":{"S":"b"}})"),
              "GetItem on table 'profiles': attribute 'user_id': required attribute is missing");
    EXPECT_EQ(decode_error(profiles, R"({"user_id":{"S":"u"},"email":{"S":"e"},"bio":{"S":"b"}})"),
              "GetItem on table 'profiles': attribute 'section': required attribute is missing");
    // Without `required`, only the keys are: Animal's `name` may be missing.
    const auto a = dy::Table<Animal>(offline()).decode_item(json::parse(R"({"id":{"S":"a"},"kind":{"S":"ANIMAL"}})").as_object());
    EXPECT_EQ(std::get<Animal>(a).name, "");
    EXPECT_THROW((void)dy::Table<Animal>(offline()).decode_item(json::parse(R"({"kind":{"S":"ANIMAL"}})").as_object()),
                 dy::DecodeError);
}

TEST(Entity, BothKeysCanBeGeneratedUuids) {
    evolve::AuditEvent e{{}, {}, "login"};
    dy::Table<evolve::AuditEvent>::prepare_item(e);
    EXPECT_FALSE(e.stream_id.is_nil());
    EXPECT_FALSE(e.event_id.is_nil());
    EXPECT_NE(e.stream_id, e.event_id);
    const auto kept = e;
    dy::Table<evolve::AuditEvent>::prepare_item(e);   // only nil keys are filled
    EXPECT_EQ(e.stream_id, kept.stream_id);
    EXPECT_EQ(e.event_id, kept.event_id);
    evolve::AuditEvent half{kept.stream_id, {}, "logout"};
    dy::Table<evolve::AuditEvent>::prepare_item(half);
    EXPECT_EQ(half.stream_id, kept.stream_id);
    EXPECT_FALSE(half.event_id.is_nil());
}

TEST(Entity, ASubtypeTableReadingAnotherTypesKeyGetsNothing) {
    auto transport = std::make_shared<dy::test::MockTransport>();
    using ::testing::_;
    using ::testing::Return;
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dy::testkit::ok_response(R"({"Item":{"id":{"S":"c"},"kind":{"S":"CAT"},"name":{"S":"Tom"}}})")))
        .WillOnce(Return(dy::testkit::ok_response(R"({"Item":{"id":{"S":"a"},"kind":{"S":"ANIMAL"}}})")))
        .WillOnce(Return(dy::testkit::ok_response(R"({"Item":{"id":{"S":"d"},"kind":{"S":"DOG"},"name":{"S":"Rex"}}})")))
        .WillOnce(Return(dy::testkit::ok_response(R"({"Item":{"id":{"S":"x"},"name":{"S":"?"}}})")));
    dy::Table<Dog> dogs(dy::test::mock_client(transport));
    EXPECT_FALSE(dogs.get("c").has_value());   // a Cat
    EXPECT_FALSE(dogs.get("a").has_value());   // the base type
    const auto rex = dogs.get("d");
    ASSERT_TRUE(rex.has_value());
    EXPECT_EQ(rex->name, "Rex");
    EXPECT_THROW((void)dogs.get("x"), dy::DecodeError);   // no discriminator: not an item of this table's design
}
