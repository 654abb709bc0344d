#include <dynantic/codec/category.hpp>

#include <dynantic/codec/item.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/field.hpp>
#include <dynantic/table.hpp>
#include "support/mock_transport.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <deque>
#include <list>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;

namespace categorytest {

/** A user type stored as SS through the easy tier: `to()` returns a set of strings. */
class Tags {
public:
    Tags() = default;
    explicit Tags(std::set<std::string> v) : values_(std::move(v)) {}
    const std::set<std::string>& values() const { return values_; }

private:
    std::set<std::string> values_;
};

/** A user type stored as SS through the raw tier, with no container member types. */
struct Labels {
    std::string joined;   // "a,b"
};

/** A user type stored as L through the easy tier. */
struct Scores {
    std::vector<int> values;
};

/** A user type stored as N: not a container. */
struct Cents {
    long long value = 0;
};

}  // namespace categorytest

template <>
struct dy::attribute_traits<categorytest::Tags> {
    static std::set<std::string> to(const categorytest::Tags& t) { return t.values(); }
    static categorytest::Tags from(std::set<std::string> s) { return categorytest::Tags(std::move(s)); }
};

template <>
struct dy::attribute_traits<categorytest::Labels> {
    static constexpr AttributeType type = AttributeType::SS;
    static void to_attribute(const categorytest::Labels& v, json::value& out) {
        json::array a;
        std::size_t start = 0;
        while (start <= v.joined.size()) {
            const std::size_t comma = std::min(v.joined.find(',', start), v.joined.size());
            a.emplace_back(v.joined.substr(start, comma - start));
            start = comma + 1;
        }
        out = json::object{{"SS", std::move(a)}};
    }
    static categorytest::Labels from_attribute(const json::value& av) {
        categorytest::Labels out;
        for (const auto& s : dy::attribute_payload(av, type).as_array()) {
            if (!out.joined.empty()) out.joined += ',';
            out.joined += std::string(s.as_string());
        }
        return out;
    }
};

template <>
struct dy::attribute_traits<categorytest::Scores> {
    static std::vector<int> to(const categorytest::Scores& s) { return s.values; }
    static categorytest::Scores from(std::vector<int> v) { return {std::move(v)}; }
};

template <>
struct dy::attribute_traits<categorytest::Cents> {
    static long long to(const categorytest::Cents& c) { return c.value; }
    static categorytest::Cents from(long long v) { return {v}; }
};

namespace categorytest {

struct Address {
    std::string city;
};
BOOST_DESCRIBE_STRUCT(Address, (), (city))

struct Post {
    std::string id;
    Tags tags;
    Labels labels;
    Scores scores;
    Cents price;
    std::optional<Tags> maybe_tags;
    std::set<int> numbers;
    std::map<std::string, int> counts;
    Address address;
};
BOOST_DESCRIBE_STRUCT(Post, (), (id, tags, labels, scores, price, maybe_tags, numbers, counts, address))

constexpr auto dynantic_schema(const Post*) { return dy::table("posts").partition_key(&Post::id); }

}  // namespace categorytest

using categorytest::Post;
using dy::detail::ContainerCategory;
using dy::detail::container_category;
using dy::detail::container_element_t;

// The category follows the wire type, for the library's containers and for user types alike.
static_assert(container_category<std::set<std::string>>() == ContainerCategory::set);
static_assert(container_category<std::unordered_set<double>>() == ContainerCategory::set);
static_assert(container_category<std::vector<int>>() == ContainerCategory::list);
static_assert(container_category<std::list<std::string>>() == ContainerCategory::list);
static_assert(container_category<std::deque<int>>() == ContainerCategory::list);
static_assert(container_category<std::map<std::string, int>>() == ContainerCategory::map);
static_assert(container_category<std::unordered_map<std::string, bool>>() == ContainerCategory::map);
static_assert(container_category<std::vector<std::byte>>() == ContainerCategory::none);   // B: bytes
static_assert(container_category<dy::Bytes>() == ContainerCategory::none);
static_assert(container_category<std::string>() == ContainerCategory::none);
static_assert(container_category<int>() == ContainerCategory::none);
static_assert(container_category<categorytest::Address>() == ContainerCategory::none);   // a document, not a map
static_assert(container_category<categorytest::Tags>() == ContainerCategory::set);
static_assert(container_category<categorytest::Labels>() == ContainerCategory::set);
static_assert(container_category<categorytest::Scores>() == ContainerCategory::list);
static_assert(container_category<categorytest::Cents>() == ContainerCategory::none);
static_assert(std::is_same_v<container_element_t<categorytest::Tags>, std::string>);
static_assert(std::is_same_v<container_element_t<categorytest::Labels>, std::string>);
static_assert(std::is_same_v<container_element_t<categorytest::Scores>, int>);
static_assert(std::is_same_v<container_element_t<std::set<int>>, int>);
static_assert(std::is_same_v<container_element_t<std::map<std::string, double>>, double>);
static_assert(dy::detail::number_type<categorytest::Cents>);

// The DSL offers what the category allows, and only that.
template <class F, class V>
concept has_contains = requires(const F& f, const V& v) { f.contains(v); };
template <class F>
concept has_index = requires(const F& f) { f[0]; };
static_assert(has_contains<dy::Field<Post, categorytest::Tags>, const char*>);
static_assert(has_contains<dy::Field<Post, categorytest::Labels>, std::string>);
static_assert(has_contains<dy::Field<Post, std::optional<categorytest::Tags>>, const char*>);
static_assert(has_contains<dy::Field<Post, categorytest::Scores>, int>);
static_assert(!has_contains<dy::Field<Post, categorytest::Tags>, int>);   // an int is not an element of SS
static_assert(!has_contains<dy::Field<Post, categorytest::Scores>, const char*>);
static_assert(!has_contains<dy::Field<Post, categorytest::Address>, const char*>);
static_assert(has_index<dy::Field<Post, categorytest::Scores>>);
static_assert(!has_index<dy::Field<Post, categorytest::Tags>>);

TEST(ContainerCategory, UserTypeStoredAsStringSetGetsContains) {
    const auto e = dy::compile(dy::field(&Post::tags).contains("vip"));
    EXPECT_EQ(e.text, "contains(#n0, :v0)");
    EXPECT_EQ(e.names.at("#n0"), "tags");
    EXPECT_EQ(e.values.at(":v0"), json::parse(R"({"S":"vip"})"));
    const auto raw = dy::compile(dy::field(&Post::labels).contains(std::string("x")));
    EXPECT_EQ(raw.values.at(":v0"), json::parse(R"({"S":"x"})"));
    const auto optional = dy::compile(dy::field(&Post::maybe_tags).contains("new"));
    EXPECT_EQ(optional.values.at(":v0"), json::parse(R"({"S":"new"})"));
}

TEST(ContainerCategory, UserTypeStoredAsListGetsElementsAndContains) {
    const auto e = dy::compile(dy::field(&Post::scores).contains(7) && dy::field(&Post::scores)[1] > 3);
    EXPECT_EQ(e.text, "contains(#n0, :v0) AND #n0[1] > :v1");
    EXPECT_EQ(e.values.at(":v0"), json::parse(R"({"N":"7"})"));
    EXPECT_EQ(e.values.at(":v1"), json::parse(R"({"N":"3"})"));
}

TEST(ContainerCategory, LibraryContainersKeepTheirOperations) {
    EXPECT_EQ(dy::compile(dy::field(&Post::numbers).contains(5)).values.at(":v0"), json::parse(R"({"N":"5"})"));
    const auto e = dy::compile(dy::field(&Post::counts)["a"] >= 2);
    EXPECT_EQ(e.text, "#n0.#n1 >= :v0");
    EXPECT_EQ(e.names.at("#n1"), "a");
}

TEST(ContainerCategory, UserSetTypeRoundTripsAsStringSet) {
    Post p;
    p.id = "p1";
    p.tags = categorytest::Tags({"a", "b"});
    p.labels.joined = "x,y";
    p.scores.values = {1, 2};
    const json::object item = dy::to_item(p);
    EXPECT_EQ(item.at("tags"), json::parse(R"({"SS":["a","b"]})"));
    EXPECT_EQ(item.at("labels"), json::parse(R"({"SS":["x","y"]})"));
    const Post back = dy::from_item<Post>(item);
    EXPECT_EQ(back.tags.values(), p.tags.values());
}

TEST(ContainerCategory, UserSetTypeTakesSetUpdates) {
    dy::Table<Post> posts(dy::test::mock_client(std::make_shared<dy::test::MockTransport>()));
    const auto req = posts.update("p1")
                         .add(&Post::tags, categorytest::Tags({"new"}))
                         .delete_elements(&Post::labels, categorytest::Labels{"old"})
                         .to_request();
    EXPECT_EQ(req.body.at("UpdateExpression"), "ADD #n0 :v0 DELETE #n1 :v1");
    EXPECT_EQ(req.body.at("ExpressionAttributeValues"), json::parse(R"({":v0":{"SS":["new"]},":v1":{"SS":["old"]}})"));
}
