#include <dynantic/codec/limits.hpp>

#include <dynantic/table.hpp>

#include "support/mock_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;

namespace limitstest {

struct Doc {
    std::string pk;
    std::string sk;
    std::string body;
    dy::Bytes blob;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (pk, sk, body, blob))
constexpr auto dynantic_schema(const Doc*) { return dy::table("docs").partition_key(&Doc::pk).sort_key(&Doc::sk); }

struct BinaryKeyed {
    dy::Bytes id;
};
BOOST_DESCRIBE_STRUCT(BinaryKeyed, (), (id))
constexpr auto dynantic_schema(const BinaryKeyed*) { return dy::table("bin").partition_key(&BinaryKeyed::id); }

struct Node;
struct Node {
    int value = 0;
    std::vector<Node> children;
};
BOOST_DESCRIBE_STRUCT(Node, (), (value, children))

struct Tree {
    std::string id;
    Node root;
};
BOOST_DESCRIBE_STRUCT(Tree, (), (id, root))
constexpr auto dynantic_schema(const Tree*) { return dy::table("trees").partition_key(&Tree::id); }

}  // namespace limitstest

using limitstest::Doc;

namespace {

dy::Client offline_client() { return dy::test::mock_client(std::make_shared<dy::test::MockTransport>(), {}); }

std::size_t value_size(std::string_view av) { return dy::detail::attribute_value_size(json::parse(av)); }

std::string validation_message(auto&& f) {
    try {
        f();
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.http_status(), 0u);
        return std::string(e.message());
    }
    return "no error";
}

/** `levels` nested nodes below the root: root.children[0].children[0]... */
limitstest::Tree deep_tree(int levels) {
    limitstest::Tree t{"t", {}};
    limitstest::Node* n = &t.root;
    for (int i = 0; i < levels; ++i) {
        n->children.emplace_back();
        n = &n->children.back();
    }
    return t;
}

}  // namespace

// Every expected size below was measured against DynamoDB Local by finding the longest string
// an item could still hold beside the value.
TEST(Limits, NumberSizesMatchDynamoDB) {
    EXPECT_EQ(value_size(R"({"N":"1"})"), 2u);
    EXPECT_EQ(value_size(R"({"N":"12"})"), 2u);
    EXPECT_EQ(value_size(R"({"N":"123"})"), 3u);
    EXPECT_EQ(value_size(R"({"N":"1234"})"), 3u);
    EXPECT_EQ(value_size(R"({"N":"12345"})"), 4u);
    EXPECT_EQ(value_size(R"({"N":"12300"})"), 3u);
    EXPECT_EQ(value_size(R"({"N":"0.00123"})"), 3u);
    EXPECT_EQ(value_size(R"({"N":"1.5"})"), 3u);
    EXPECT_EQ(value_size(R"({"N":"0"})"), 1u);
    EXPECT_EQ(value_size(R"({"N":"0.000"})"), 1u);
    EXPECT_EQ(value_size(R"({"N":"-1"})"), 3u);
    EXPECT_EQ(value_size(R"({"N":"-12"})"), 3u);
    EXPECT_EQ(value_size(R"({"N":"-1234"})"), 4u);
    EXPECT_EQ(value_size(R"({"N":"-0.5"})"), 3u);
    EXPECT_EQ(value_size(R"({"N":"1E+100"})"), 2u);
    EXPECT_EQ(value_size(R"({"N":"12345678901234567890123456789012345678"})"), 20u);
    EXPECT_EQ(value_size(R"({"N":"-12345678901234567890123456789012345678"})"), 21u);
}

TEST(Limits, OtherSizesMatchDynamoDB) {
    EXPECT_EQ(value_size(R"({"S":"héllo"})"), 6u);
    EXPECT_EQ(value_size(R"({"B":"AAEC"})"), 3u);
    EXPECT_EQ(value_size(R"({"BOOL":true})"), 1u);
    EXPECT_EQ(value_size(R"({"NULL":true})"), 1u);
    EXPECT_EQ(value_size(R"({"L":[]})"), 3u);
    EXPECT_EQ(value_size(R"({"L":[{"S":"ab"}]})"), 6u);
    EXPECT_EQ(value_size(R"({"SS":["ab","c"]})"), 3u);
    EXPECT_EQ(value_size(R"({"NS":["12","-1"]})"), 5u);
    EXPECT_EQ(value_size(R"({"BS":["AAEC","AA=="]})"), 4u);
    EXPECT_EQ(value_size(R"({"M":{"k":{"N":"1"}}})"), 7u);
    EXPECT_EQ(dy::detail::item_size(json::parse(R"({"pk":{"S":"n"},"b":{"M":{"c":{"S":"xyz"}}}})").get_object()),
              2u + 1 + 1 + 3 + 1 + 1 + 3);
}

TEST(Limits, ItemOver400KBIsRefusedNamingTheLargestAttribute) {
    dy::Table<Doc> docs(offline_client());
    // pk "p" (2+1), sk "s" (2+1), body (4+n), blob (4+0): 400 KB exactly is allowed.
    Doc d{"p", "s", std::string(409600 - 14, 'x'), {}};
    EXPECT_NO_THROW((void)docs.put_request(d));
    d.body += 'x';
    EXPECT_EQ(validation_message([&] { (void)docs.put_request(d); }),
              "item is 409601 bytes by DynamoDB's size rules, over the 400 KB limit (409600 bytes); "
              "the largest attribute is 'body' (409591 bytes)");
    // Binary counts raw bytes, not base64 text.
    Doc b{"p", "s", "", dy::Bytes(409600 - 14, std::byte{1})};
    EXPECT_NO_THROW((void)docs.put_request(b));
}

TEST(Limits, KeySizesAreChecked) {
    dy::Table<Doc> docs(offline_client());
    EXPECT_NO_THROW((void)docs.key(std::string(2048, 'k'), std::string(1024, 's')));
    EXPECT_EQ(validation_message([&] { (void)docs.key(std::string(2049, 'k'), "s"); }),
              "key attribute 'pk' is 2049 bytes; a partition key value is at most 2048 bytes");
    EXPECT_EQ(validation_message([&] { (void)docs.key("p", std::string(1025, 's')); }),
              "key attribute 'sk' is 1025 bytes; a sort key value is at most 1024 bytes");
    EXPECT_EQ(validation_message([&] { (void)docs.put_request({"p", std::string(1025, 's'), "", {}}); }),
              "key attribute 'sk' is 1025 bytes; a sort key value is at most 1024 bytes");
    EXPECT_EQ(validation_message([&] { (void)docs.put_request({"", "s", "", {}}); }),
              "key attribute 'pk' must not be empty");
    dy::Table<limitstest::BinaryKeyed> bin(offline_client());
    EXPECT_NO_THROW((void)bin.key(dy::Bytes(2048, std::byte{7})));
    EXPECT_EQ(validation_message([&] { (void)bin.key(dy::Bytes(2049, std::byte{7})); }),
              "key attribute 'id' is 2049 bytes; a partition key value is at most 2048 bytes");
    EXPECT_EQ(validation_message([&] { (void)bin.key(dy::Bytes{}); }), "key attribute 'id' must not be empty");
}

TEST(Limits, NestingDeeperThan32LevelsIsRefused) {
    dy::Table<limitstest::Tree> trees(offline_client());
    // root (M) is level 1, each child a list and a map, the last node's empty children list one
    // more: 1 + 2 * 14 + 1 = 30 lists and maps nested is allowed, 32 is not (DynamoDB allows 31).
    EXPECT_NO_THROW((void)trees.put_request(deep_tree(14)));
    const std::string message = validation_message([&] { (void)trees.put_request(deep_tree(15)); });
    EXPECT_EQ(message, "attribute 'root" + [] {
        std::string p;
        for (int i = 0; i < 15; ++i) p += ".children[0]";
        return p;
    }() + ".children': lists and maps nest deeper than DynamoDB's 32 levels");
}

TEST(Limits, ValidationNamesTableAndOperation) {
    dy::Table<Doc> docs(offline_client());
    try {
        (void)docs.put_request({"p", "s", "bad \xff", {}});
        FAIL();
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.operation(), "PutItem");
        EXPECT_EQ(e.table(), "docs");
        EXPECT_STREQ(e.what(), "PutItem on table 'docs': attribute 'body': string is not valid UTF-8 (byte 0xff at offset 4)");
    }
}
