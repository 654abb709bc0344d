#include <dynantic/codec/item.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <boost/uuid/uuid.hpp>

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

namespace itemtest {
struct Grown {   // Person's `Address`, grown by members with default member initializers
    std::string city = "unknown";
    std::optional<std::string> zip;
    int floor = 3;
    std::vector<int> levels{1, 2};   // (GCC 12 crashes counting fields when a default builds strings from a braced list)
};
BOOST_DESCRIBE_STRUCT(Grown, (), (city, zip, floor, levels))
struct GrownPerson {
    std::string id;
    int age = 18;
    Grown address;
    std::string nickname = "anon";
};
BOOST_DESCRIBE_STRUCT(GrownPerson, (), (id, age, address, nickname))
}  // namespace itemtest

TEST(Item, MissingAttributesKeepTheDefaultMemberInitializers) {
    const auto item = json::parse(R"({"id":{"S":"x"},"address":{"M":{"zip":{"S":"0150"}}}})").get_object();
    const itemtest::GrownPerson p = dy::from_item<itemtest::GrownPerson>(item, {"GetItem", "people", {}, {}, 0, {}});
    EXPECT_EQ(p.id, "x");
    EXPECT_EQ(p.age, 18);
    EXPECT_EQ(p.nickname, "anon");
    EXPECT_EQ(p.address.city, "unknown");
    EXPECT_EQ(p.address.zip, "0150");
    EXPECT_EQ(p.address.floor, 3);
    EXPECT_EQ(p.address.levels, (std::vector<int>{1, 2}));
    // A present attribute still replaces the default, and a wrong one is still an error.
    EXPECT_EQ(dy::from_item<itemtest::GrownPerson>(json::parse(R"({"age":{"N":"40"}})").get_object()).age, 40);
    EXPECT_THROW((void)dy::from_item<itemtest::GrownPerson>(json::parse(R"({"age":{"S":"40"}})").get_object()),
                 dy::DecodeError);
}

TEST(Item, AnOlderModelReadsANewerItemAndTheReverse) {
    // Person has score/active/logins that GrownPerson lacks; GrownPerson has nickname.
    const Person old{"p1", 42, 0.5, true, 7, {"Oslo", "0150"}};
    const auto newer = dy::from_item<itemtest::GrownPerson>(dy::to_item(old));
    EXPECT_EQ(newer.age, 42);
    EXPECT_EQ(newer.nickname, "anon");
    EXPECT_EQ(newer.address.city, "Oslo");
    EXPECT_EQ(newer.address.floor, 3);
    const auto back = dy::from_item<Person>(dy::to_item(newer));
    EXPECT_EQ(back.age, 42);
    EXPECT_EQ(back.score, 0.0);
    EXPECT_FALSE(back.active);
    EXPECT_EQ(back.logins, std::nullopt);
    EXPECT_EQ(back.address.zip, "0150");
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

namespace itemtest {
enum class Kind { basic, premium };
BOOST_DESCRIBE_ENUM(Kind, basic, premium)

struct Account {
    std::string id;
    Kind kind{};
    dy::Timestamp opened;
    boost::uuids::uuid owner{};
    dy::Decimal balance;
    std::map<std::string, int> limits;
};
BOOST_DESCRIBE_STRUCT(Account, (), (id, kind, opened, owner, balance, limits))
}  // namespace itemtest

namespace {
std::string decode_message(std::string_view text) {
    try {
        (void)dy::from_item_json<itemtest::Account>(text, {"GetItem", "accounts", {}, {}, 0, {}});
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.operation(), "GetItem");
        EXPECT_EQ(e.table(), "accounts");
        return std::string(e.what());
    }
    return "no error";
}
const std::string good_account =
    R"({"id":{"S":"a"},"kind":{"S":"basic"},"opened":{"S":"2024-05-01T12:34:56.000000Z"},)"
    R"("owner":{"S":"123e4567-e89b-12d3-a456-426614174000"},"balance":{"N":"1.50"},"limits":{"M":{"eur":{"N":"5"}}}})";
std::string with(std::string_view attribute, std::string_view av) {
    auto item = json::parse(good_account).as_object();
    item[attribute] = json::parse(av);
    return json::serialize(item);
}
}  // namespace

TEST(Item, EveryDecodeErrorNamesTableAttributeExpectedAndFound) {
    EXPECT_EQ(decode_message(good_account), "no error");
    EXPECT_EQ(decode_message(with("kind", R"({"S":"gold"})")),
              "GetItem on table 'accounts': attribute 'kind': <sha256:24d7f03d8dc3> is not an enumerator of itemtest::Kind "
              "(expected one of basic, premium)");
    EXPECT_EQ(decode_message(with("opened", R"({"S":"2024-05-01"})")),
              "GetItem on table 'accounts': attribute 'opened': <sha256:8f0f008422f4> is not an ISO 8601 UTC timestamp such "
              "as 2024-05-01T12:34:56Z");
    EXPECT_EQ(decode_message(with("opened", R"({"N":"1714566896"})")),
              "GetItem on table 'accounts': attribute 'opened': expected S, found N");
    EXPECT_EQ(decode_message(with("owner", R"({"S":"not-a-uuid"})")),
              "GetItem on table 'accounts': attribute 'owner': <sha256:2184a32a3bae> is not a UUID in the form "
              "123e4567-e89b-12d3-a456-426614174000");
    EXPECT_EQ(decode_message(with("balance", R"({"N":"1,50"})")),
              "GetItem on table 'accounts': attribute 'balance': <sha256:b62ffa2e2d74> is not a number");
    EXPECT_EQ(decode_message(with("balance", R"({"NULL":true})")),
              "GetItem on table 'accounts': attribute 'balance': expected N, found NULL");
    EXPECT_EQ(decode_message(with("limits", R"({"M":{"usd":{"N":"1e10"}}})")),
              "GetItem on table 'accounts': attribute 'limits[<sha256:d60fbd8718ec>]': number <sha256:91c9c3812cc0> is out of range of a 32-bit integer");
    EXPECT_EQ(decode_message(R"({"id":{"S":"a"}})"), "no error");   // defaults: every table-less member is optional
    EXPECT_EQ(decode_message(R"({"id":)"), "GetItem on table 'accounts': item is not valid JSON: incomplete JSON");
    EXPECT_EQ(decode_message(R"([1])"), "GetItem on table 'accounts': item is not a JSON object");
}

TEST(Item, JsonTextHelpersMatchTheDom) {
    const itemtest::Person p{"p1", 42, 0.5, true, 3, {"Oslo", "0150"}};
    EXPECT_EQ(dy::to_item_json(p), json::serialize(dy::to_item(p)));
    const auto back = dy::from_item_json<itemtest::Person>(dy::to_item_json(p));
    EXPECT_EQ(back.address.zip, "0150");
    EXPECT_EQ(back.logins, 3);
}
