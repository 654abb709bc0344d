#include <dynantic/detail/entity.hpp>

#include <dynantic/table.hpp>

#include "support/mock_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;

namespace zoo {
struct Animal {
    std::string id;
    std::string kind;
    std::string name;
};
BOOST_DESCRIBE_STRUCT(Animal, (), (id, kind, name))
struct Dog : Animal {
    bool good = true;
};
BOOST_DESCRIBE_STRUCT(Dog, (Animal), (good))
struct Cat : Animal {
    int lives = 9;
};
BOOST_DESCRIBE_STRUCT(Cat, (Animal), (lives))
constexpr auto dynantic_schema(const Animal*) {
    return dy::table("animals").partition_key(&Animal::id).discriminator(&Animal::kind, "ANIMAL").subtype<Dog>("DOG").subtype<Cat>("CAT");
}
}  // namespace zoo

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
