#include <dynantic/expressions/compile.hpp>

#include <dynantic/expressions/field.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;

namespace compiletest {
struct Address {
    std::string city;
};
BOOST_DESCRIBE_STRUCT(Address, (), (city))
struct User {
    std::string email;
    int age = 0;
    std::optional<double> score;
    std::string name;
    std::string status;
    std::vector<int> scores;
    Address address;
};
BOOST_DESCRIBE_STRUCT(User, (), (email, age, score, name, status, scores, address))
}  // namespace compiletest

using compiletest::Address;
using compiletest::User;
using dy::attr;
using dy::field;

TEST(Compile, StyleExample) {
    auto e = dy::compile(field(&User::age) >= 18 && field(&User::email).begins_with("a"));
    EXPECT_EQ(e.text, "#n0 >= :v0 AND begins_with(#n1, :v1)");
    EXPECT_EQ(e.names.at("#n0"), "age");
    EXPECT_EQ(e.names.at("#n1"), "email");
    EXPECT_EQ(json::serialize(e.values), R"({":v0":{"N":"18"},":v1":{"S":"a"}})");
}

TEST(Compile, EveryComparator) {
    EXPECT_EQ(dy::compile(attr("a") == 1).text, "#n0 = :v0");
    EXPECT_EQ(dy::compile(attr("a") != 1).text, "#n0 <> :v0");
    EXPECT_EQ(dy::compile(attr("a") < 1).text, "#n0 < :v0");
    EXPECT_EQ(dy::compile(attr("a") <= 1).text, "#n0 <= :v0");
    EXPECT_EQ(dy::compile(attr("a") > 1).text, "#n0 > :v0");
    EXPECT_EQ(dy::compile(attr("a") >= 1).text, "#n0 >= :v0");
    EXPECT_EQ(dy::compile(attr("a") < attr("b")).text, "#n0 < #n1");
}

TEST(Compile, FunctionsAndBetweenAndIn) {
    EXPECT_EQ(dy::compile(attr("a").between(1, 5)).text, "#n0 BETWEEN :v0 AND :v1");
    const auto in = dy::compile(attr("s").is_in({"x", "y", "z"}));
    EXPECT_EQ(in.text, "#n0 IN (:v0, :v1, :v2)");
    EXPECT_EQ(in.values.at(":v2"), json::parse(R"({"S":"z"})"));
    EXPECT_EQ(dy::compile(attr("a").begins_with("p")).text, "begins_with(#n0, :v0)");
    EXPECT_EQ(dy::compile(attr("a").contains("p")).text, "contains(#n0, :v0)");
    EXPECT_EQ(dy::compile(attr("a").exists()).text, "attribute_exists(#n0)");
    EXPECT_EQ(dy::compile(attr("a").not_exists()).text, "attribute_not_exists(#n0)");
    const auto t = dy::compile(attr("a").attribute_type(dy::AttributeType::SS));
    EXPECT_EQ(t.text, "attribute_type(#n0, :v0)");
    EXPECT_EQ(t.values.at(":v0"), json::parse(R"({"S":"SS"})"));
    EXPECT_EQ(dy::compile(attr("a").size() > 3).text, "size(#n0) > :v0");
    EXPECT_EQ(dy::compile(attr("a").size().between(1, 2)).text, "size(#n0) BETWEEN :v0 AND :v1");
    EXPECT_THROW(attr("a").is_in(std::vector<int>{}), dy::ValidationError);
}

TEST(Compile, LogicalOperatorsAndParentheses) {
    const auto a = attr("a") == 1, b = attr("b") == 2, c = attr("c") == 3;
    EXPECT_EQ(dy::compile(a && b && c).text, "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2");
    EXPECT_EQ(dy::compile((a || b) && c).text, "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2");
    EXPECT_EQ(dy::compile(a || (b && c)).text, "#n0 = :v0 OR (#n1 = :v1 AND #n2 = :v2)");
    EXPECT_EQ(dy::compile(!(a || b)).text, "NOT (#n0 = :v0 OR #n1 = :v1)");
    // The seed's spelling.
    EXPECT_EQ(dy::compile((a | b) & ~c).text, "(#n0 = :v0 OR #n1 = :v1) AND NOT (#n2 = :v2)");
}

TEST(Compile, NamesAreDeduplicatedValuesAreNot) {
    const auto e = dy::compile(attr("a") > 1 && attr("a") < 9 && attr("b.a") == 1);
    EXPECT_EQ(e.text, "#n0 > :v0 AND #n0 < :v1 AND #n1.#n0 = :v2");
    EXPECT_EQ(e.names.size(), 2u);
    EXPECT_EQ(e.values.size(), 3u);
}

TEST(Compile, UserInputCannotChangeStructure) {
    const auto e = dy::compile(attr("name") == std::string("x OR 1=1") && attr("a) OR (b") == 1);
    EXPECT_EQ(e.text, "#n0 = :v0 AND #n1 = :v1");
    EXPECT_EQ(e.names.at("#n1"), "a) OR (b");
}

TEST(Compile, PathsWithIndexesAndReservedWords) {
    const auto e = dy::compile(attr("date.status[3].name") == "x");
    EXPECT_EQ(e.text, "#n0.#n1[3].#n2 = :v0");
    EXPECT_EQ(e.names.at("#n0"), "date");
    EXPECT_EQ(dy::compile(dy::attr_name("a.b") == 1).names.at("#n0"), "a.b");
}

TEST(Compile, TypedFieldsNestedAndIndexed) {
    const auto e = dy::compile(field(&User::address, &Address::city) == "Oslo" && field(&User::scores)[1] > 5 &&
                               field(&User::score) >= 0.5);
    EXPECT_EQ(e.text, "#n0.#n1 = :v0 AND #n2[1] > :v1 AND #n3 >= :v2");
    EXPECT_EQ(e.names.at("#n1"), "city");
    EXPECT_EQ(e.values.at(":v2"), json::parse(R"({"N":"0.5"})"));
    EXPECT_EQ(dy::compile(field(&User::scores).contains(3)).values.at(":v0"), json::parse(R"({"N":"3"})"));
    EXPECT_EQ(dy::compile(field(&User::name).contains("an")).text, "contains(#n0, :v0)");
    EXPECT_EQ(dy::compile(field(&User::age).is_in({1, 2})).text, "#n0 IN (:v0, :v1)");
    EXPECT_EQ(dy::compile(field(&User::age) == field(&User::age)).text, "#n0 = #n0");
}

TEST(Compile, NaNValueIsRefused) { EXPECT_THROW((void)(attr("x") == std::nan("")), dy::ValidationError); }

TEST(Compile, UpdateExpressionClauses) {
    dy::UpdateExpression u;
    u.set(dy::Path::parse("a"), dy::detail::set_value(json::parse(R"({"N":"1"})")));
    u.remove(dy::Path::parse("b"));
    u.add(dy::Path::parse("c"), json::parse(R"({"N":"2"})"));
    u.set(dy::Path::parse("d"), (field(&User::age) + 3).operand());
    u.delete_elements(dy::Path::parse("e"), json::parse(R"({"SS":["x"]})"));
    const auto e = dy::compile(u);
    EXPECT_EQ(e.text, "SET #n0 = :v0, #n1 = #n2 + :v1 REMOVE #n3 ADD #n4 :v2 DELETE #n5 :v3");
    EXPECT_EQ(e.names.at("#n2"), "age");
    EXPECT_EQ(e.names.at("#n1"), "d");
}

TEST(Compile, IfNotExistsAndListAppend) {
    dy::UpdateExpression u;
    u.set(dy::Path::parse("age"), dy::if_not_exists(field(&User::age), 0).operand());
    u.set(dy::Path::parse("scores"), dy::list_append(field(&User::scores), std::vector<int>{1, 2}).operand());
    const auto e = dy::compile(u);
    EXPECT_EQ(e.text, "SET #n0 = if_not_exists(#n0, :v0), #n1 = list_append(#n1, :v1)");
    EXPECT_EQ(e.values.at(":v1"), json::parse(R"({"L":[{"N":"1"},{"N":"2"}]})"));
}

TEST(Compile, OverlappingUpdatePathsAreRefused) {
    dy::UpdateExpression u;
    u.remove(dy::Path::parse("a.b"));
    u.set(dy::Path::parse("a"), dy::detail::set_value(json::parse(R"({"N":"1"})")));
    try {
        u.check({"UpdateItem", "t", {}, {}, 0, {}});
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.message(), "two update actions on overlapping paths 'a.b' and 'a'");
    }
    EXPECT_THROW(dy::UpdateExpression{}.check({}), dy::ValidationError);
}

TEST(Compile, ContextSharesPlaceholdersAndOmitsEmptyMaps) {
    dy::ExpressionContext ctx;
    json::object request;
    ctx.apply(request);
    EXPECT_TRUE(request.empty());
    std::string text;
    ctx.render_projection({dy::Path::parse("a"), dy::Path::parse("b.a")}, text);
    EXPECT_EQ(text, "#n0, #n1.#n0");
    ctx.apply(request);
    EXPECT_TRUE(request.contains("ExpressionAttributeNames"));
    EXPECT_FALSE(request.contains("ExpressionAttributeValues"));
}
