#include <dynantic/expressions/update.hpp>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string_view>

namespace dy = dynantic;

namespace {

boost::json::value av(std::string_view json) { return boost::json::parse(json); }
boost::json::object item(std::string_view json) { return boost::json::parse(json).as_object(); }

dy::Path path(std::string_view text) { return dy::Path::parse(text); }

TEST(UpdateAppliedTo, SetValuesAndRemovalsMustHold) {
    dy::UpdateExpression e;
    e.set(path("text"), dy::detail::set_value(av(R"({"S":"b"})")));
    e.set(path("version"), dy::detail::set_value(av(R"({"N":"2"})")));
    e.remove(path("draft"));
    EXPECT_TRUE(e.applied_to(item(R"({"id":{"S":"n1"},"text":{"S":"b"},"version":{"N":"2"},"other":{"N":"5"}})")));
    EXPECT_FALSE(e.applied_to(item(R"({"id":{"S":"n1"},"text":{"S":"a"},"version":{"N":"2"}})")));
    EXPECT_FALSE(e.applied_to(item(R"({"id":{"S":"n1"},"text":{"S":"b"},"version":{"N":"3"}})")));
    EXPECT_FALSE(e.applied_to(item(R"({"id":{"S":"n1"},"text":{"S":"b"},"version":{"N":"2"},"draft":{"BOOL":true}})")));
    EXPECT_FALSE(e.applied_to(item(R"({"id":{"S":"n1"},"version":{"N":"2"}})")));
}

TEST(UpdateAppliedTo, NestedMapPathsAreFollowed) {
    dy::UpdateExpression e;
    e.set(path("address.city"), dy::detail::set_value(av(R"({"S":"Lyon"})")));
    EXPECT_TRUE(e.applied_to(item(R"({"address":{"M":{"city":{"S":"Lyon"},"zip":{"S":"69001"}}}})")));
    EXPECT_FALSE(e.applied_to(item(R"({"address":{"M":{"city":{"S":"Paris"}}}})")));
    EXPECT_FALSE(e.applied_to(item(R"({"address":{"S":"Lyon"}})")));
    EXPECT_FALSE(e.applied_to(item(R"({})")));
}

TEST(UpdateAppliedTo, WhatCannotBeToldIsSkippedAndNothingToldIsFalse) {
    dy::UpdateExpression counted;
    counted.add(path("hits"), av(R"({"N":"1"})"));
    counted.set(path("score"), dy::detail::set_call(dy::detail::SetOperand::Kind::plus, dy::detail::set_path(path("score")),
                                                    dy::detail::set_value(av(R"({"N":"1"})"))));
    counted.remove(path("tags[0]"));
    EXPECT_FALSE(counted.applied_to(item(R"({"hits":{"N":"1"},"score":{"N":"1"}})")));

    dy::UpdateExpression versioned = counted;
    versioned.set(path("version"), dy::detail::set_value(av(R"({"N":"7"})")));
    EXPECT_TRUE(versioned.applied_to(item(R"({"hits":{"N":"40"},"version":{"N":"7"},"tags":{"L":[{"S":"x"}]}})")));
    EXPECT_FALSE(versioned.applied_to(item(R"({"hits":{"N":"40"},"version":{"N":"6"}})")));
}

}  // namespace
