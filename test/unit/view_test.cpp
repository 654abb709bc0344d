// Views (view.hpp) and index projections (index_projection.hpp): the compile-time rules, the
// ProjectionExpression every read path sends, decoding into a view, and UpdateResult::as.
#include <dynantic/view.hpp>

#include <dynantic/index_projection.hpp>
#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include "support/recording_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;
using dy::test::RecordedRequest;
using dy::test::RecordingServer;

namespace viewunit {
enum class Kind { book, film };
BOOST_DESCRIBE_ENUM(Kind, book, film)

struct Item {
    std::string id;
    std::string owner;
    Kind kind{};
    std::string title;   // stored as "Title"
    std::int64_t price = 0;
    std::string name;    // a DynamoDB reserved word
    std::set<std::string> tags;
    int stock = 7;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, owner, kind, title, price, name, tags, stock))
constexpr auto dynantic_attribute_names(const Item*) { return dy::attribute_names(dy::rename(&Item::title, "Title")); }

struct KindKeys {
    std::string id;
    Kind kind{};
};
BOOST_DESCRIBE_STRUCT(KindKeys, (), (id, kind))
struct Card {
    std::string id;
    std::string owner;
    std::string title;
};
BOOST_DESCRIBE_STRUCT(Card, (), (id, owner, title))

constexpr auto dynantic_schema(const Item*) {
    return dy::table("items")
        .partition_key(&Item::id)
        .global_index("ByKind", &Item::kind, dy::keys_only<KindKeys>())
        .global_index("ByOwner", &Item::owner, &Item::price, dy::include<Card>(&Item::title))
        .global_index("ByName", &Item::name, dy::Projection::keys_only)
        .required(&Item::name);
}

struct Summary {
    std::string name;
    std::optional<int> price;   // int64_t in the model: both N
    std::string kind;           // an enum in the model: both S
    int stock = -1;
};
BOOST_DESCRIBE_STRUCT(Summary, (), (name, price, kind, stock))

struct Named {
    std::string id;
    std::string name;
};
BOOST_DESCRIBE_STRUCT(Named, (), (id, name))
struct OwnerPrice {
    std::string owner;
    std::optional<std::int64_t> price;
};
BOOST_DESCRIBE_STRUCT(OwnerPrice, (), (owner, price))

struct Changed {
    std::optional<std::int64_t> price;
    std::optional<std::string> title;
};
BOOST_DESCRIBE_STRUCT(Changed, (), (price, title))

struct NotDescribed {
    std::string id;
};
struct Stranger {
    std::string nickname;
};
BOOST_DESCRIBE_STRUCT(Stranger, (), (nickname))
struct WrongType {
    int name = 0;
};
BOOST_DESCRIBE_STRUCT(WrongType, (), (name))
}  // namespace viewunit

using viewunit::Card;
using viewunit::Changed;
using viewunit::Item;
using viewunit::KindKeys;
using viewunit::Summary;

namespace {

// ----- compile-time rules -----
static_assert(dy::view_of<Summary, Item>);
static_assert(dy::view_of<KindKeys, Item>);
static_assert(dy::view_of<Item, Item>);
static_assert(!dy::view_of<viewunit::NotDescribed, Item>);
static_assert(!dy::view_of<viewunit::Stranger, Item>);
static_assert(!dy::view_of<viewunit::WrongType, Item>);
static_assert(dy::detail::model_attribute<Item>("title") == "Title");
static_assert(dy::detail::model_attribute<Item>("nope").empty());
static_assert(std::is_same_v<decltype(dy::Table<Item>{}.query_index<"ByKind">(viewunit::Kind::book))::value_type, KindKeys>);
static_assert(std::is_same_v<decltype(dy::Table<Item>{}.query_index<"ByOwner">("x"))::value_type, Card>);
static_assert(std::is_same_v<decltype(dy::Table<Item>{}.query_index<"ByOwner", viewunit::OwnerPrice>("x"))::value_type,
                             viewunit::OwnerPrice>);
static_assert(std::is_same_v<decltype(dy::Table<Item>{}.scan<Summary>())::value_type, Summary>);

std::string names_of(const json::object& body, std::string_view expression) {
    // The ProjectionExpression with each placeholder replaced by its attribute name.
    std::string text(body.at(std::string(expression)).as_string());
    const auto& names = body.at("ExpressionAttributeNames").as_object();
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '#') {
            std::size_t j = i + 1;
            while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j]))) ++j;
            out += std::string(names.at(text.substr(i, j - i)).as_string());
            i = j;
        } else {
            out += text[i++];
        }
    }
    return out;
}

TEST(View, GetRendersTheViewsProjectionWithTheKeys) {
    const auto request = dy::op::Get<Item, Summary>("i1").render("items");
    EXPECT_EQ(request.body.at("ProjectionExpression"), "#n0, #n1, #n2, #n3, #n4");
    EXPECT_EQ(names_of(request.body, "ProjectionExpression"), "name, price, kind, stock, id");
    // A read of the model sends no projection.
    EXPECT_FALSE(dy::op::Get<Item>("i1").render("items").body.contains("ProjectionExpression"));
    EXPECT_FALSE(dy::op::Get<Item>("i1").render("items").body.contains("ExpressionAttributeNames"));
}

TEST(View, RenamedAttributesFollowTheModel) {
    const auto request = dy::op::Get<Item, Card>("i1").render("items");
    EXPECT_EQ(names_of(request.body, "ProjectionExpression"), "id, owner, Title");
    const Card c = dy::detail::ReadAs<Item, Card>::decode(
        json::parse(R"({"id":{"S":"i1"},"owner":{"S":"ann"},"Title":{"S":"Dune"},"title":{"S":"ignored"}})").as_object(), {});
    EXPECT_EQ(c.title, "Dune");
    EXPECT_EQ(c.owner, "ann");
}

TEST(View, DecodingKeepsDefaultsAndRequiresWhatTheSchemaRequires) {
    using Read = dy::detail::ReadAs<Item, Summary>;
    const Summary s = Read::decode(json::parse(R"({"id":{"S":"i1"},"name":{"S":"n"},"kind":{"S":"film"}})").as_object(), {});
    EXPECT_EQ(s.name, "n");
    EXPECT_EQ(s.kind, "film");
    EXPECT_FALSE(s.price.has_value());
    EXPECT_EQ(s.stock, -1);   // the view's own default, not the model's
    // `name` is required by the schema and in the view: missing is a DecodeError naming it.
    try {
        (void)Read::decode(json::parse(R"({"id":{"S":"i1"},"price":{"N":"3"}})").as_object(), {"GetItem", "items", {}, {}, 0, {}});
        FAIL() << "expected DecodeError";
    } catch (const dy::DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find("name"), std::string::npos) << e.what();
    }
    // KindKeys lacks `name`: not required there.
    const KindKeys keys =
        dy::detail::ReadAs<Item, KindKeys>::decode(json::parse(R"({"id":{"S":"i1"},"kind":{"S":"book"}})").as_object(), {});
    EXPECT_EQ(keys.kind, viewunit::Kind::book);
    // A value of the wrong type names the attribute.
    try {
        (void)Read::decode(json::parse(R"({"id":{"S":"i1"},"name":{"S":"n"},"price":{"S":"x"}})").as_object(), {});
        FAIL() << "expected DecodeError";
    } catch (const dy::DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find("price"), std::string::npos) << e.what();
    }
}

TEST(View, QueryAndScanRequestsCarryTheProjectionAndTheKeysForCursors) {
    dy::Table<Item> items;
    const auto q = items.query<Summary>("i1").filter(dy::field(&Item::price) > 3).to_request();
    // The filter's names and the projection's share one placeholder set.
    EXPECT_EQ(names_of(q.body, "ProjectionExpression"), "name, price, kind, stock, id");
    EXPECT_EQ(names_of(q.body, "FilterExpression"), "price > :v1");   // :v0 is the key condition's
    EXPECT_EQ(q.body.at("ExpressionAttributeNames").as_object().size(), 5u);

    const auto byKind = items.query_index<"ByKind">(viewunit::Kind::book).to_request();
    EXPECT_EQ(byKind.body.at("IndexName"), "ByKind");
    EXPECT_EQ(names_of(byKind.body, "ProjectionExpression"), "id, kind");
    const auto byOwner = items.query_index<"ByOwner">("ann").to_request();
    EXPECT_EQ(names_of(byOwner.body, "ProjectionExpression"), "id, owner, Title, price");
    const auto scan = items.scan_index<"ByName", viewunit::Named>().to_request();
    EXPECT_EQ(names_of(scan.body, "ProjectionExpression"), "id, name");
    EXPECT_FALSE(items.scan().to_request().body.contains("ProjectionExpression"));
}

TEST(View, CountSendsNoProjectionNorItsNames) {
    RecordingServer server([](const RecordedRequest&, std::size_t) {
        return dy::test::ok_response(R"({"Count":2,"ScannedCount":2})");
    });
    dy::Table<Item> items{server.client()};
    EXPECT_EQ(items.query<Summary>("i1").count(), 2u);
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_FALSE(server.requests()[0].body.contains("ProjectionExpression"));
    EXPECT_EQ(server.requests()[0].body.at("ExpressionAttributeNames").as_object().size(), 1u);   // the key condition's
}

TEST(View, BatchGetAndTransactGetSendTheProjection) {
    RecordingServer server([](const RecordedRequest& r, std::size_t) {
        if (r.operation == "BatchGetItem")
            return dy::test::ok_response(
                R"({"Responses":{"items":[{"id":{"S":"i2"},"name":{"S":"b"}},{"id":{"S":"i1"},"name":{"S":"a"},"price":{"N":"4"}}]}})");
        return dy::test::ok_response(R"({"Responses":[{"Item":{"id":{"S":"i1"},"owner":{"S":"ann"},"Title":{"S":"T"}}},{}]})");
    });
    dy::Table<Item> items{server.client()};
    const std::vector<Summary> got = items.batch_get<Summary>(std::vector<std::string>{"i1", "i2"});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].name, "a");   // in the order of the keys
    EXPECT_EQ(got[0].price, 4);
    const auto& entry = server.requests()[0].body.at("RequestItems").at("items").as_object();
    EXPECT_EQ(names_of(entry, "ProjectionExpression"), "name, price, kind, stock, id");

    auto scope = dy::use_client(server.client());
    const auto [card, none] = dy::transact_get(dy::get<Item, Card>("i1"), dy::get<Item, KindKeys>("i9"));
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(card)>, std::optional<Card>>);
    ASSERT_TRUE(card.has_value());
    EXPECT_EQ(card->title, "T");
    EXPECT_FALSE(none.has_value());
    const auto& gets = server.requests()[1].body.at("TransactItems").as_array();
    EXPECT_EQ(names_of(gets[0].at("Get").as_object(), "ProjectionExpression"), "id, owner, Title");
    EXPECT_EQ(names_of(gets[1].at("Get").as_object(), "ProjectionExpression"), "id, kind");
}

TEST(View, CreateTableDeclaresIncludeAndKeysOnlyProjections) {
    const auto body = dy::Table<Item>{}.create_table_request().body;
    const auto& indexes = body.at("GlobalSecondaryIndexes").as_array();
    ASSERT_EQ(indexes.size(), 3u);
    EXPECT_EQ(indexes[0].at("Projection"), json::parse(R"({"ProjectionType":"KEYS_ONLY"})"));
    EXPECT_EQ(indexes[1].at("Projection"), json::parse(R"({"ProjectionType":"INCLUDE","NonKeyAttributes":["Title"]})"));
    EXPECT_EQ(indexes[2].at("Projection"), json::parse(R"({"ProjectionType":"KEYS_ONLY"})"));
}

TEST(View, UpdateResultAsAViewOfOptionals) {
    dy::UpdateResult<Item> r;
    r.table = "items";
    r.attributes = json::parse(R"({"price":{"N":"12"}})").as_object();
    const Changed c = r.as<Changed>();
    EXPECT_EQ(c.price, 12);
    EXPECT_FALSE(c.title.has_value());
    r.attributes = json::parse(R"({"Title":{"S":"New"},"price":{"S":"bad"}})").as_object();
    try {
        (void)r.as<Changed>();
        FAIL() << "expected DecodeError";
    } catch (const dy::DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find("items"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("price"), std::string::npos) << e.what();
    }
}

}  // namespace
