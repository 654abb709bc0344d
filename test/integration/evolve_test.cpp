// Models that evolve, against DynamoDB Local: an item written by an older model read by a newer
// one (missing attributes keep the newer model's defaults) and the reverse (attributes the older
// model does not know are ignored); members marked required; keys always required.
#include <dynantic/table.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>

#include <optional>
#include <string>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;

namespace v1 {   // the model as first shipped
struct Person {
    std::string id;
    std::string name;
};
BOOST_DESCRIBE_STRUCT(Person, (), (id, name))
constexpr auto dynantic_schema(const Person*) { return dy::table("people").partition_key(&Person::id); }
}  // namespace v1

namespace v2 {   // the same table, a release later: three members added
enum class Tier { free, paid };
BOOST_DESCRIBE_ENUM(Tier, free, paid)
struct Person {
    std::string id;
    std::string name;
    int age = 30;
    Tier tier = Tier::paid;
    std::vector<int> scores{1, 2};
    std::optional<std::string> nickname;
};
BOOST_DESCRIBE_STRUCT(Person, (), (id, name, age, tier, scores, nickname))
constexpr auto dynantic_schema(const Person*) { return dy::table("people").partition_key(&Person::id); }
}  // namespace v2

namespace strict {   // v2 read strictly: `age` must be stored
struct Person {
    std::string id;
    std::string name;
    int age = 30;
};
BOOST_DESCRIBE_STRUCT(Person, (), (id, name, age))
constexpr auto dynantic_schema(const Person*) {
    return dy::table("people").partition_key(&Person::id).required(&Person::age, &Person::name);
}
}  // namespace strict

class EvolveIT : public dy::test::DynamoDBTest {};

TEST_F(EvolveIT, ANewerModelReadsAnOlderItemWithItsDefaults) {
    dy::test::ScopedTable<v1::Person> old_people(client());
    old_people->save({"p1", "Ann"});
    const auto got = dy::Table<v2::Person>(client()).get("p1");
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->name, "Ann");
    EXPECT_EQ(got->age, 30);
    EXPECT_EQ(got->tier, v2::Tier::paid);
    EXPECT_EQ(got->scores, (std::vector<int>{1, 2}));
    EXPECT_EQ(got->nickname, std::nullopt);
    // Queries and scans read the same way.
    const auto all = dy::Table<v2::Person>(client()).scan().all();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].age, 30);
}

TEST_F(EvolveIT, AnOlderModelReadsANewerItemIgnoringWhatItDoesNotKnow) {
    dy::test::ScopedTable<v2::Person> people(client());
    people->save({"p2", "Bo", 41, v2::Tier::free, {7}, "bobo"});
    const auto raw = client().call("GetItem", json::parse(R"({"TableName":")" + people.name() + R"(","Key":{"id":{"S":"p2"}}})").as_object());
    ASSERT_EQ(raw.at("Item").as_object().size(), 6u);   // all six attributes are stored
    const auto got = dy::Table<v1::Person>(client()).get("p2");
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->id, "p2");
    EXPECT_EQ(got->name, "Bo");
    // Reading back with the newer model gives every member.
    const auto again = people->get("p2");
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->age, 41);
    EXPECT_EQ(again->tier, v2::Tier::free);
    EXPECT_EQ(again->nickname, "bobo");
}

TEST_F(EvolveIT, RequiredMembersMakeAMissingAttributeAnErrorNamingIt) {
    dy::test::ScopedTable<v1::Person> old_people(client());
    old_people->save({"p3", "Cy"});
    try {
        (void)dy::Table<strict::Person>(client()).get("p3");
        FAIL() << "no error";
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'age': required attribute is missing");
        EXPECT_EQ(e.operation(), "GetItem");
    }
    dy::Table<strict::Person>(client()).save({"p3", "Cy", 52});
    EXPECT_EQ(dy::Table<strict::Person>(client()).get("p3")->age, 52);
    // `name` is required too: an item another app wrote without it is refused by name.
    client().call("PutItem", json::parse(R"({"TableName":")" + old_people.name() +
                                         R"(","Item":{"id":{"S":"p4"},"age":{"N":"7"}}})").as_object());
    try {
        (void)dy::Table<strict::Person>(client()).scan().all();
        FAIL() << "no error";
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'name': required attribute is missing");
    }
    // The lenient model reads it, with the default name.
    EXPECT_EQ(dy::Table<v2::Person>(client()).get("p4")->name, "");
}
