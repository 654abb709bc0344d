// Every mapped type through DynamoDB Local: saved, read back equal, stored in the form other
// SDKs read, and refused before sending where DynamoDB would refuse it.
#include <dynantic/table.hpp>

#include <dynantic/codec/print.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/uuid/string_generator.hpp>

#include <deque>
#include <list>
#include <unordered_map>
#include <unordered_set>

namespace dy = dynantic;
namespace json = boost::json;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace typesit {

enum class Status { active, inactive, banned };
BOOST_DESCRIBE_ENUM(Status, active, inactive, banned)

struct Geo {
    double lat = 0;
    double lon = 0;
    bool operator==(const Geo&) const = default;
};
BOOST_DESCRIBE_STRUCT(Geo, (), (lat, lon))

struct Address {
    std::string city;
    std::string zip;
    Geo geo;
    bool operator==(const Address&) const = default;
};
BOOST_DESCRIBE_STRUCT(Address, (), (city, zip, geo))
constexpr auto dynantic_attribute_names(const Address*) {
    return dy::attribute_names(dy::rename(&Address::zip, "postalCode"));
}

struct Everything {
    std::string pk;
    dy::Timestamp sk;
    // scalars
    std::string text;
    std::int8_t i8 = 0;
    std::uint64_t u64 = 0;
    std::int64_t i64 = 0;
    float f = 0;
    double d = 0;
    dy::Decimal money;
    dy::Decimal big;
    dy::Decimal tiny;
    bool flag = false;
    dy::Bytes blob;
    sys_seconds seconds;
    sys_time<nanoseconds> nanos;
    year_month_day date;
    boost::uuids::uuid id{};
    Status status{};
    // lists and maps
    std::vector<int> ints;
    std::list<std::string> names;
    std::deque<double> doubles;
    std::vector<Address> addresses;
    std::vector<std::optional<int>> sparse;
    std::vector<std::set<std::string>> nested_sets;
    std::map<std::string, dy::Decimal> prices;
    std::unordered_map<std::string, std::vector<std::string>> groups;
    // sets
    std::set<std::string> tags;
    std::unordered_set<int> numbers;
    std::set<dy::Decimal> amounts;
    std::set<dy::Bytes> blobs;
    std::set<Status> statuses;
    std::set<std::string> empty_tags;
    // optionals and a nested struct
    std::optional<int> maybe;
    std::optional<std::string> nothing;
    Address address;
    bool operator==(const Everything&) const = default;
};
BOOST_DESCRIBE_STRUCT(Everything, (),
                      (pk, sk, text, i8, u64, i64, f, d, money, big, tiny, flag, blob, seconds, nanos, date, id, status,
                       ints, names, doubles, addresses, sparse, nested_sets, prices, groups, tags, numbers, amounts,
                       blobs, statuses, empty_tags, maybe, nothing, address))
constexpr auto dynantic_attribute_names(const Everything*) {
    return dy::attribute_names(dy::rename(&Everything::pk, "PK"), dy::rename(&Everything::sk, "SK"),
                               dy::rename(&Everything::seconds, "createdAt"));
}
constexpr auto dynantic_schema(const Everything*) {
    return dy::table("everything").partition_key(&Everything::pk).sort_key(&Everything::sk);
}
using dynantic::PrintTo;

// A binary partition key and a date sort key.
struct Blob {
    dy::Bytes hash;
    year_month_day day;
    std::string body;
    bool operator==(const Blob&) const = default;
};
BOOST_DESCRIBE_STRUCT(Blob, (), (hash, day, body))
constexpr auto dynantic_schema(const Blob*) { return dy::table("blobs").partition_key(&Blob::hash).sort_key(&Blob::day); }

// Recursion, to reach DynamoDB's nesting limit.
struct Node {
    int value = 0;
    std::vector<Node> children;
    bool operator==(const Node&) const = default;
};
BOOST_DESCRIBE_STRUCT(Node, (), (value, children))
struct Tree {
    std::string id;
    Node root;
    std::string padding;
    bool operator==(const Tree&) const = default;
};
BOOST_DESCRIBE_STRUCT(Tree, (), (id, root, padding))
constexpr auto dynantic_schema(const Tree*) { return dy::table("trees").partition_key(&Tree::id); }

}  // namespace typesit

using typesit::Everything;

namespace {

Everything sample(std::string pk = "p1") {
    Everything e;
    e.pk = std::move(pk);
    e.sk = dy::Timestamp{sys_days{2024y / May / 1} + 12h + 34min + 56s + 123456us};
    e.text = "héllo \"wörld\" ✓";
    e.i8 = -128;
    e.u64 = 18446744073709551615ull;
    e.i64 = -9223372036854775807ll - 1;
    e.f = 0.1f;
    e.d = 1.0 / 3.0;
    e.money = dy::Decimal("10000.05");
    e.big = dy::Decimal("-12345678901234567890123456789012345678");
    e.tiny = dy::Decimal("1E-130");
    e.flag = true;
    e.blob = {std::byte{0}, std::byte{0xff}, std::byte{0x10}};
    e.seconds = sys_seconds{1714566896s};
    e.nanos = sys_time<nanoseconds>{1714566896123456789ns};
    e.date = 2024y / February / 29;
    e.id = boost::uuids::string_generator{}("123e4567-e89b-12d3-a456-426614174000");
    e.status = typesit::Status::banned;
    e.ints = {1, -2, 3};
    e.names = {"a", "", "c"};
    e.doubles = {0.5, -1e100};
    e.addresses = {{"Oslo", "0150", {59.91, 10.75}}, {"Bergen", "5003", {}}};
    e.sparse = {1, std::nullopt, 3};
    e.nested_sets = {{"x"}, {}};
    e.prices = {{"eur", dy::Decimal("9.99")}, {"usd", dy::Decimal("10.50")}};
    e.groups = {{"admins", {"ann"}}, {"empty", {}}};
    e.tags = {"vip", "beta"};
    e.numbers = {7, -7, 0};
    e.amounts = {dy::Decimal("1.5"), dy::Decimal("1E+20")};
    e.blobs = {dy::to_bytes("a"), dy::to_bytes("bc")};
    e.statuses = {typesit::Status::active, typesit::Status::inactive};
    e.maybe = 42;
    e.address = {"Trondheim", "7010", {63.43, 10.39}};
    return e;
}

}  // namespace

class TypesIT : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        table = dy::Table<Everything>(client());
        table.create_table();
        created_ = true;
    }
    void TearDown() override {
        if (created_) table.delete_table();
    }
    /** The item as DynamoDB stores it (a raw GetItem). */
    json::object raw(const Everything& e) const {
        json::object body;
        body["TableName"] = table.name();
        body["Key"] = table.key_of(e);
        body["ConsistentRead"] = true;
        return client().call("GetItem", body).at("Item").as_object();
    }
    dy::Table<Everything> table;

private:
    bool created_ = false;
};

TEST_F(TypesIT, EveryTypeRoundTrips) {
    const Everything e = sample();
    table.save(e);
    const auto got = table.get(e.pk, e.sk, {.consistent_read = true});
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, e);  // Decimal compares by value: DynamoDB may drop trailing zeros
}

TEST_F(TypesIT, StoredFormIsWhatOtherSdksRead) {
    const Everything e = sample();
    table.save(e);
    const json::object item = raw(e);
    EXPECT_EQ(item.at("PK"), json::parse(R"({"S":"p1"})"));
    EXPECT_EQ(item.at("SK"), json::parse(R"({"S":"2024-05-01T12:34:56.123456Z"})"));
    EXPECT_EQ(item.at("createdAt"), json::parse(R"({"S":"2024-05-01T12:34:56Z"})"));
    EXPECT_EQ(item.at("nanos"), json::parse(R"({"S":"2024-05-01T12:34:56.123456789Z"})"));
    EXPECT_EQ(item.at("date"), json::parse(R"({"S":"2024-02-29"})"));
    EXPECT_EQ(item.at("id"), json::parse(R"({"S":"123e4567-e89b-12d3-a456-426614174000"})"));
    EXPECT_EQ(item.at("status"), json::parse(R"({"S":"banned"})"));
    EXPECT_EQ(item.at("blob"), json::parse(R"({"B":"AP8Q"})"));
    EXPECT_EQ(item.at("money"), json::parse(R"({"N":"10000.05"})"));
    EXPECT_EQ(item.at("big"), json::parse(R"({"N":"-12345678901234567890123456789012345678"})"));
    EXPECT_EQ(item.at("u64"), json::parse(R"({"N":"18446744073709551615"})"));
    EXPECT_EQ(item.at("address").at("M").at("postalCode"), json::parse(R"({"S":"7010"})"));
    EXPECT_EQ(item.at("sparse"), json::parse(R"({"L":[{"N":"1"},{"NULL":true},{"N":"3"}]})"));
    EXPECT_EQ(item.at("nested_sets"), json::parse(R"({"L":[{"SS":["x"]},{"NULL":true}]})"));
    EXPECT_TRUE(item.at("tags").as_object().contains("SS"));
    EXPECT_TRUE(item.at("numbers").as_object().contains("NS"));
    EXPECT_TRUE(item.at("amounts").as_object().contains("NS"));
    EXPECT_TRUE(item.at("blobs").as_object().contains("BS"));
    EXPECT_TRUE(item.at("statuses").as_object().contains("SS"));
    // Empty sets and nullopt are omitted; DynamoDB would refuse an empty set.
    EXPECT_FALSE(item.contains("empty_tags"));
    EXPECT_FALSE(item.contains("nothing"));
    // No attribute under a described name that was renamed.
    EXPECT_FALSE(item.contains("pk"));
    EXPECT_FALSE(item.contains("seconds"));
}

TEST_F(TypesIT, EmptySetsReadBackEmptyAndNulloptStaysNullopt) {
    Everything e = sample("p2");
    e.tags.clear();
    e.numbers.clear();
    e.amounts.clear();
    e.blobs.clear();
    e.statuses.clear();
    e.maybe.reset();
    table.save(e);
    const auto got = table.get(e.pk, e.sk, {.consistent_read = true});
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, e);
}

TEST_F(TypesIT, TimestampSortKeysSortAsTimes) {
    const auto t0 = sample().sk;
    for (auto offset : {-1'000'000'000'000us, 1us, 0us, 999'999us, -1us}) {
        Everything e = sample("sorted");
        e.sk = t0 + offset;
        table.save(e);
    }
    const auto items = table.query("sorted").consistent_read().all();
    ASSERT_EQ(items.size(), 5u);
    for (std::size_t i = 1; i < items.size(); ++i) EXPECT_LT(items[i - 1].sk, items[i].sk);
    const auto later = table.query("sorted").after(t0).consistent_read().all();
    EXPECT_EQ(later.size(), 2u);
}

TEST_F(TypesIT, BinaryPartitionKeyAndDateSortKey) {
    dy::Table<typesit::Blob> blobs(client());
    blobs.create_table();
    EXPECT_EQ(blobs.create_table_request().body.at("AttributeDefinitions"),
              json::parse(R"([{"AttributeName":"hash","AttributeType":"B"},{"AttributeName":"day","AttributeType":"S"}])"));
    const typesit::Blob b{{std::byte{1}, std::byte{2}}, 2024y / May / 1, "x"};
    blobs.save(b);
    EXPECT_EQ(blobs.get(b.hash, b.day, {.consistent_read = true}), b);
    blobs.delete_table();
}

TEST_F(TypesIT, DynamoDBAcceptsWhatValidationAccepts) {
    // 400 KB exactly, by our size rules, is accepted by DynamoDB; one byte more is refused here.
    dy::Table<typesit::Tree> trees(client());
    trees.create_table();
    typesit::Tree t{"t", {}, {}};
    const std::size_t without_padding = dy::detail::item_size(dy::to_item(t));
    t.padding.assign(dy::max_item_size - without_padding, 'x');
    ASSERT_EQ(dy::detail::item_size(dy::to_item(t)), dy::max_item_size);
    trees.save(t);
    EXPECT_EQ(trees.get("t", {.consistent_read = true})->padding.size(), t.padding.size());
    t.padding += 'x';
    try {
        trees.save(t);
        FAIL() << "an item over 400 KB was accepted";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.http_status(), 0u);  // refused before sending
        EXPECT_NE(std::string(e.message()).find("the largest attribute is 'padding'"), std::string::npos);
    }
    // The deepest nesting DynamoDB accepts round-trips (31 lists and maps), one more is refused.
    typesit::Tree deep{"deep", {}, {}};
    typesit::Node* n = &deep.root;
    for (int i = 0; i < 14; ++i) n = &n->children.emplace_back();
    n->value = 7;
    trees.save(deep);
    EXPECT_EQ(trees.get("deep", {.consistent_read = true}), deep);
    n->children.emplace_back();
    EXPECT_THROW(trees.save(deep), dy::ValidationError);
    trees.delete_table();
}

TEST_F(TypesIT, ItemsThatDoNotFitTheModelAreDecodeErrorsNamingTheAttribute) {
    const Everything e = sample("bad");
    table.save(e);
    json::object body;
    body["TableName"] = table.name();
    body["Key"] = table.key_of(e);
    body["UpdateExpression"] = "SET #s = :s, #a.#z = :z";
    body["ExpressionAttributeNames"] = json::parse(R"({"#s":"status","#a":"address","#z":"postalCode"})");
    body["ExpressionAttributeValues"] = json::parse(R"({":s":{"S":"deleted"},":z":{"N":"7010"}})");
    client().call("UpdateItem", body);
    try {
        (void)table.get(e.pk, e.sk, {.consistent_read = true});
        FAIL() << "no error";
    } catch (const dy::DecodeError& err) {
        EXPECT_EQ(err.operation(), "GetItem");
        EXPECT_EQ(err.table(), table.name());
        EXPECT_EQ(err.message(),
                  "attribute 'status': <sha256:1185f37d33b0> is not an enumerator of typesit::Status (expected one of active, "
                  "inactive, banned)");
    }
}
