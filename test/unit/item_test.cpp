#include <dynantic/codec/item.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;

namespace itemtest {

struct Address {
    std::string city;
    std::optional<std::string> zip;
};
BOOST_DESCRIBE_STRUCT(Address, (), (city, zip))

struct Person {
    std::string id;
    int age = 0;
    double score = 0;
    bool active = false;
    std::optional<std::int64_t> logins;
    Address address;
};
BOOST_DESCRIBE_STRUCT(Person, (), (id, age, score, active, logins, address))

}  // namespace itemtest

using itemtest::Person;

TEST(Item, EncodesEveryDescribedMember) {
    Person p{"p1", 42, 0.5, true, std::nullopt, {"Oslo", "0150"}};
    const json::object item = dy::to_item(p);
    EXPECT_EQ(json::serialize(item),
              R"({"id":{"S":"p1"},"age":{"N":"42"},"score":{"N":"0.5"},"active":{"BOOL":true},)"
              R"("address":{"M":{"city":{"S":"Oslo"},"zip":{"S":"0150"}}}})");
}

TEST(Item, RoundTrips) {
    Person p{"p1", -3, 1e-7, false, 12, {"Bergen", std::nullopt}};
    const Person back = dy::from_item<Person>(dy::to_item(p));
    EXPECT_EQ(back.id, "p1");
    EXPECT_EQ(back.age, -3);
    EXPECT_EQ(back.score, 1e-7);
    EXPECT_EQ(back.logins, 12);
    EXPECT_EQ(back.address.city, "Bergen");
    EXPECT_EQ(back.address.zip, std::nullopt);
}

TEST(Item, IgnoresUnknownAttributes) {
    const auto item = json::parse(R"({"id":{"S":"x"},"age":{"N":"1"},"score":{"N":"2"},"active":{"BOOL":true},)"
                                  R"("address":{"M":{"city":{"S":"c"}}},"extra":{"SS":["a"]}})")
                          .get_object();
    EXPECT_EQ(dy::from_item<Person>(item).address.city, "c");
}

TEST(Item, MissingRequiredAttributeNamesIt) {
    const auto item = json::parse(R"({"id":{"S":"x"},"score":{"N":"2"},"active":{"BOOL":true},)"
                                  R"("address":{"M":{"city":{"S":"c"}}}})")
                          .get_object();
    try {
        (void)dy::from_item<Person>(item, {"GetItem", "people", {}, {}, 0, {}});
        FAIL() << "no error";
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.code(), dy::errc::decode);
        EXPECT_EQ(e.table(), "people");
        EXPECT_STREQ(e.what(), "GetItem on table 'people': attribute 'age': required attribute is missing");
    }
}

TEST(Item, WrongTypeInNestedMapNamesThePath) {
    const auto item = json::parse(R"({"id":{"S":"x"},"age":{"N":"1"},"score":{"N":"2"},"active":{"BOOL":true},)"
                                  R"("address":{"M":{"city":{"N":"5"}}}})")
                          .get_object();
    try {
        (void)dy::from_item<Person>(item);
        FAIL() << "no error";
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'address.city': expected S, found N");
    }
}

TEST(Item, NaNIsAValidationErrorNamingTheAttribute) {
    Person p{"p1", 1, std::numeric_limits<double>::quiet_NaN(), false, {}, {}};
    try {
        (void)dy::to_item(p, {"PutItem", "people", {}, {}, 0, {}});
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(), "attribute 'score': NaN and infinity cannot be stored");
        EXPECT_EQ(e.operation(), "PutItem");
    }
}
