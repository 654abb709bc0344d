#include <dynantic/codec/compare.hpp>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string_view>

namespace dy = dynantic;

namespace {

boost::json::value av(std::string_view json) { return boost::json::parse(json); }
boost::json::object item(std::string_view json) { return boost::json::parse(json).as_object(); }

TEST(Compare, NumbersCompareByValue) {
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"N":"10.50"})"), av(R"({"N":"10.5"})")));
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"N":"1E+2"})"), av(R"({"N":"100"})")));
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"N":"-0"})"), av(R"({"N":"0"})")));
    EXPECT_FALSE(dy::same_attribute_value(av(R"({"N":"10.51"})"), av(R"({"N":"10.5"})")));
    EXPECT_FALSE(dy::same_attribute_value(av(R"({"N":"1"})"), av(R"({"S":"1"})")));
}

TEST(Compare, SetsCompareWhateverTheOrder) {
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"SS":["a","b","c"]})"), av(R"({"SS":["c","a","b"]})")));
    EXPECT_FALSE(dy::same_attribute_value(av(R"({"SS":["a","b"]})"), av(R"({"SS":["a","c"]})")));
    EXPECT_FALSE(dy::same_attribute_value(av(R"({"SS":["a","b"]})"), av(R"({"SS":["a"]})")));
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"NS":["1.0","20","3"]})"), av(R"({"NS":["3","2E+1","1"]})")));
    EXPECT_FALSE(dy::same_attribute_value(av(R"({"NS":["1","2"]})"), av(R"({"NS":["1","3"]})")));
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"BS":["AQ==","Ag=="]})"), av(R"({"BS":["Ag==","AQ=="]})")));
}

TEST(Compare, ListsCompareInOrderAndMapsByMember) {
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"L":[{"N":"1.0"},{"S":"x"}]})"), av(R"({"L":[{"N":"1"},{"S":"x"}]})")));
    EXPECT_FALSE(dy::same_attribute_value(av(R"({"L":[{"S":"x"},{"N":"1"}]})"), av(R"({"L":[{"N":"1"},{"S":"x"}]})")));
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"M":{"a":{"N":"2.50"},"b":{"BOOL":true}}})"),
                                         av(R"({"M":{"b":{"BOOL":true},"a":{"N":"2.5"}}})")));
    EXPECT_FALSE(dy::same_attribute_value(av(R"({"M":{"a":{"N":"1"}}})"), av(R"({"M":{"a":{"N":"1"},"b":{"NULL":true}}})")));
    EXPECT_FALSE(dy::same_attribute_value(av(R"({"BOOL":true})"), av(R"({"BOOL":false})")));
    EXPECT_TRUE(dy::same_attribute_value(av(R"({"NULL":true})"), av(R"({"NULL":true})")));
}

TEST(Compare, ItemsNeedTheSameAttributes) {
    const auto written = item(R"({"id":{"S":"n1"},"price":{"N":"19.90"},"tags":{"SS":["x","y"]}})");
    EXPECT_TRUE(dy::same_item(written, item(R"({"tags":{"SS":["y","x"]},"price":{"N":"19.9"},"id":{"S":"n1"}})")));
    EXPECT_FALSE(dy::same_item(written, item(R"({"id":{"S":"n1"},"price":{"N":"19.9"}})")));
    EXPECT_FALSE(dy::same_item(written, item(R"({"id":{"S":"n1"},"price":{"N":"19.9"},"tags":{"SS":["x","y"]},"v":{"N":"2"}})")));
    EXPECT_FALSE(dy::same_item(written, item(R"({"id":{"S":"n2"},"price":{"N":"19.9"},"tags":{"SS":["x","y"]}})")));
    EXPECT_TRUE(dy::same_item({}, {}));
}

}  // namespace
