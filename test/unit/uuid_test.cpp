#include <dynantic/codec/uuid.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/uuid/string_generator.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;

namespace {
const boost::uuids::uuid sample = boost::uuids::string_generator{}("123e4567-e89b-12d3-a456-426614174000");
std::string decode_error(std::string_view text) {
    try {
        (void)dy::from_attribute<boost::uuids::uuid>(json::parse(text));
    } catch (const dy::detail::AttributeError& e) {
        return e.message;
    }
    return "no error";
}
}  // namespace

TEST(Uuid, SIsCanonicalLowercase) {
    json::value out;
    dy::to_attribute(boost::uuids::string_generator{}("{123E4567-E89B-12D3-A456-426614174000}"), out);
    EXPECT_EQ(json::serialize(out), R"({"S":"123e4567-e89b-12d3-a456-426614174000"})");
    EXPECT_EQ(dy::from_attribute<boost::uuids::uuid>(out), sample);
    EXPECT_EQ(dy::from_attribute<boost::uuids::uuid>(json::parse(R"({"S":"123E4567-E89B-12D3-A456-426614174000"})")),
              sample);
    dy::to_attribute(boost::uuids::uuid{}, out);
    EXPECT_EQ(json::serialize(out), R"({"S":"00000000-0000-0000-0000-000000000000"})");
}

TEST(Uuid, OtherFormsAreDecodeErrors) {
    const char* expected = " is not a UUID in the form 123e4567-e89b-12d3-a456-426614174000";
    for (const char* bad : {"123e4567e89b12d3a456426614174000", "{123e4567-e89b-12d3-a456-426614174000}",
                            "123e4567-e89b-12d3-a456-42661417400g", "123e4567-e89b-12d3-a456_426614174000", ""}) {
        EXPECT_EQ(decode_error(std::string(R"({"S":")") + bad + R"("})"), dy::redacted(bad) + expected);
    }
    EXPECT_EQ(decode_error(R"({"B":"AA=="})"), "expected S, found B");
}
