#include <dynantic/codec/names.hpp>

#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/field.hpp>
#include <dynantic/table.hpp>

#include "support/mock_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;

namespace renametest {

struct Address {
    std::string city;
    std::string zip;
};
BOOST_DESCRIBE_STRUCT(Address, (), (city, zip))
constexpr auto dynantic_attribute_names(const Address*) {
    return dy::attribute_names(dy::rename(&Address::zip, "postalCode"));
}

// An existing table written by another SDK: keys "PK"/"SK", camelCase attributes.
struct User {
    std::string user_id;
    std::string sort;
    std::chrono::sys_seconds created_at{};
    std::optional<int> login_count;
    Address address;
};
BOOST_DESCRIBE_STRUCT(User, (), (user_id, sort, created_at, login_count, address))
constexpr auto dynantic_attribute_names(const User*) {
    return dy::attribute_names(dy::rename(&User::user_id, "PK"), dy::rename(&User::sort, "SK"),
                               dy::rename(&User::created_at, "createdAt"),
                               dy::rename(&User::login_count, "loginCount"));
}
constexpr auto dynantic_schema(const User*) {
    return dy::table("users").partition_key(&User::user_id).sort_key(&User::sort);
}

// Renames declared by specialization, outside the model's namespace.
struct Legacy {
    std::string id;
    int n = 0;
};
BOOST_DESCRIBE_STRUCT(Legacy, (), (id, n))

// A derived model inherits its base's hook.
struct Base {
    std::string id;
};
BOOST_DESCRIBE_STRUCT(Base, (), (id))
constexpr auto dynantic_attribute_names(const Base*) { return dy::attribute_names(dy::rename(&Base::id, "ID")); }
struct Derived : Base {
    int extra = 0;
};
BOOST_DESCRIBE_STRUCT(Derived, (Base), (extra))

}  // namespace renametest

template <>
struct dy::attribute_names_of<renametest::Legacy> {
    static constexpr auto value = dy::attribute_names(dy::rename(&renametest::Legacy::n, "N#"));
};

using renametest::User;

static_assert(dy::detail::member_name(&User::user_id) == "PK");
static_assert(dy::detail::member_name(&User::created_at) == "createdAt");
static_assert(dy::detail::member_name(&User::address) == "address");  // not renamed
static_assert(dy::detail::member_name(&renametest::Address::zip) == "postalCode");
static_assert(dy::schema<User>::value.partition_key_name() == "PK");
static_assert(dy::schema<User>::value.sort_key_name() == "SK");

namespace {
dy::Client offline_client() {
    return dy::test::mock_client(std::make_shared<dy::test::MockTransport>(), {});
}
const User sample{"u1", "profile", std::chrono::sys_seconds{std::chrono::seconds{1714566896}}, 3, {"Oslo", "0150"}};
}  // namespace

TEST(Names, ItemsUseStoredNamesAtEveryLevel) {
    EXPECT_EQ(json::serialize(dy::to_item(sample)),
              R"({"PK":{"S":"u1"},"SK":{"S":"profile"},"createdAt":{"S":"2024-05-01T12:34:56Z"},)"
              R"("loginCount":{"N":"3"},"address":{"M":{"city":{"S":"Oslo"},"postalCode":{"S":"0150"}}}})");
    const User back = dy::from_item<User>(dy::to_item(sample));
    EXPECT_EQ(back.user_id, "u1");
    EXPECT_EQ(back.created_at, sample.created_at);
    EXPECT_EQ(back.login_count, 3);
    EXPECT_EQ(back.address.zip, "0150");
}

TEST(Names, DescribedNamesAreNotRead) {
    const auto item = json::parse(R"({"PK":{"S":"u1"},"SK":{"S":"p"},"created_at":{"S":"2024-05-01T12:34:56Z"},)"
                                  R"("address":{"M":{"city":{"S":"c"},"zip":{"S":"z"}}}})")
                          .get_object();
    EXPECT_EQ(dy::from_item<User>(item, {"GetItem", "users"}).created_at, decltype(User::created_at){});  // default kept
    const auto keyed_by_described_name = json::parse(R"({"user_id":{"S":"u1"},"SK":{"S":"p"}})").get_object();
    try {
        (void)dy::Table<User>(offline_client()).decode_item(keyed_by_described_name);
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'PK': required attribute is missing");
    }
}

TEST(Names, ErrorPathsUseStoredNames) {
    const auto item = json::parse(R"({"PK":{"S":"u1"},"SK":{"S":"p"},"createdAt":{"S":"2024-05-01T12:34:56Z"},)"
                                  R"("address":{"M":{"city":{"S":"c"},"postalCode":{"N":"150"}}}})")
                          .get_object();
    try {
        (void)dy::from_item<User>(item);
        FAIL();
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.message(), "attribute 'address.postalCode': expected S, found N");
    }
}

TEST(Names, KeysAndCreateTableUseStoredNames) {
    dy::Table<User> users(offline_client());
    EXPECT_EQ(json::serialize(users.key("u1", "profile")), R"({"PK":{"S":"u1"},"SK":{"S":"profile"}})");
    EXPECT_EQ(json::serialize(users.key_of(sample)), R"({"PK":{"S":"u1"},"SK":{"S":"profile"}})");
    const auto create = users.create_table_request().body;
    EXPECT_EQ(create.at("KeySchema"), json::parse(R"([{"AttributeName":"PK","KeyType":"HASH"},
                                                      {"AttributeName":"SK","KeyType":"RANGE"}])"));
    EXPECT_EQ(create.at("AttributeDefinitions"), json::parse(R"([{"AttributeName":"PK","AttributeType":"S"},
                                                                 {"AttributeName":"SK","AttributeType":"S"}])"));
    const auto put = users.create_request(sample).body;
    EXPECT_TRUE(put.at("Item").as_object().contains("PK"));
    EXPECT_NE(json::serialize(put.at("ExpressionAttributeNames")).find("\"PK\""), std::string::npos);
}

TEST(Names, ExpressionsUseStoredNames) {
    const auto e = dy::compile(dy::field(&User::login_count) > 1 &&
                               (dy::field(&User::address) / &renametest::Address::zip).exists());
    EXPECT_EQ(e.text, "#n0 > :v0 AND attribute_exists(#n1.#n2)");
    EXPECT_EQ(e.names.at("#n0"), "loginCount");
    EXPECT_EQ(e.names.at("#n1"), "address");
    EXPECT_EQ(e.names.at("#n2"), "postalCode");
}

TEST(Names, SpecializationAndInheritance) {
    EXPECT_EQ(json::serialize(dy::to_item(renametest::Legacy{"a", 2})), R"({"id":{"S":"a"},"N#":{"N":"2"}})");
    renametest::Derived d;
    d.id = "x";
    d.extra = 1;
    EXPECT_EQ(json::serialize(dy::to_item(d)), R"({"ID":{"S":"x"},"extra":{"N":"1"}})");
}
