#include <dynantic/codec/print.hpp>

#include <boost/describe.hpp>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <sstream>

namespace dy = dynantic;

namespace printtest {
enum class Status { active, inactive };
BOOST_DESCRIBE_ENUM(Status, active, inactive)

struct Address {
    std::string city;
    bool operator==(const Address&) const = default;
};
BOOST_DESCRIBE_STRUCT(Address, (), (city))

struct Order {
    std::string id;
    dy::Decimal total;
    Status status{};
    std::set<std::string> tags;
    std::optional<int> note;
    std::vector<double> weights;
    dy::Bytes blob;
    Address address;
    bool operator==(const Order&) const = default;
};
BOOST_DESCRIBE_STRUCT(Order, (), (id, total, status, tags, note, weights, blob, address))
using dynantic::PrintTo;  // GoogleTest prints Orders as JSON
}  // namespace printtest

using printtest::Order;

namespace {
const Order sample{"o1", dy::Decimal("19.90"), printtest::Status::active, {"a", "b"}, std::nullopt,
                   {0.5, -1}, dy::to_bytes("hi"), {"Oslo"}};
}

TEST(Print, ToJsonTextIsPlainJson) {
    EXPECT_EQ(dy::to_json_text(sample),
              R"({"id":"o1","total":19.90,"status":"active","tags":["a","b"],"weights":[0.5,-1],"blob":"aGk=",)"
              R"("address":{"city":"Oslo"}})");
    EXPECT_EQ(dy::to_json_text(dy::Decimal("1E+2")), "1E+2");
    EXPECT_EQ(dy::to_json_text(std::string("say \"hi\"")), R"("say \"hi\"")");
    EXPECT_EQ(dy::to_json_text(std::optional<int>{}), "null");
    EXPECT_EQ(dy::to_json_text(std::map<std::string, bool>{{"k", true}}), R"({"k":true})");
}

TEST(Print, UnstorableValuesPrintTheReason) {
    Order bad = sample;
    bad.weights.push_back(std::numeric_limits<double>::infinity());
    EXPECT_EQ(dy::to_json_text(bad), "<unprintable: attribute 'weights[2]': NaN and infinity cannot be stored>");
}

TEST(Print, GoogleTestPrintsModelsAsJson) {
    EXPECT_EQ(::testing::PrintToString(sample), dy::to_json_text(sample));
    Order other = sample;
    other.address.city = "Bergen";
    EXPECT_NONFATAL_FAILURE(EXPECT_EQ(sample, other), R"("address":{"city":"Bergen"})");
}
