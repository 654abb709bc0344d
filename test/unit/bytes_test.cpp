#include <dynantic/codec/bytes.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace dy = dynantic;
namespace json = boost::json;

namespace {
std::string encode(const dy::Bytes& b) {
    json::value out;
    dy::to_attribute(b, out);
    return json::serialize(out);
}
dy::Bytes decode(std::string_view text) { return dy::from_attribute<dy::Bytes>(json::parse(text)); }
std::string decode_error(std::string_view text) {
    try {
        (void)decode(text);
    } catch (const dy::detail::AttributeError& e) {
        return e.message;
    }
    return "no error";
}
}  // namespace

TEST(Bytes, BIsPaddedBase64) {
    EXPECT_EQ(encode({}), R"({"B":""})");
    EXPECT_EQ(encode(dy::to_bytes("f")), R"({"B":"Zg=="})");
    EXPECT_EQ(encode(dy::to_bytes("fo")), R"({"B":"Zm8="})");
    EXPECT_EQ(encode(dy::to_bytes("foo")), R"({"B":"Zm9v"})");
    EXPECT_EQ(encode(dy::to_bytes("foobar")), R"({"B":"Zm9vYmFy"})");
    EXPECT_EQ(encode({std::byte{0xfb}, std::byte{0xff}, std::byte{0x00}}), R"({"B":"+/8A"})");
}

TEST(Bytes, RoundTripsEveryByteValue) {
    dy::Bytes all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::byte>(i));
    for (std::size_t n = 0; n <= all.size(); n += 37) {
        const dy::Bytes part(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
        json::value av;
        dy::to_attribute(part, av);
        EXPECT_EQ(dy::from_attribute<dy::Bytes>(av), part);
    }
}

TEST(Bytes, ReadsUnpaddedAndRefusesGarbage) {
    EXPECT_EQ(decode(R"({"B":"Zm8"})"), dy::to_bytes("fo"));
    EXPECT_EQ(decode(R"({"B":"Zg"})"), dy::to_bytes("f"));
    EXPECT_EQ(decode_error(R"({"B":"Zm9v!"})"), "B value is not valid base64");
    EXPECT_EQ(decode_error(R"({"B":"Zm9 v"})"), "B value is not valid base64");
    EXPECT_EQ(decode_error(R"({"B":"Z"})"), "B value is not valid base64");
    EXPECT_EQ(decode_error(R"({"B":"Zm=="})"), "B value is not valid base64");  // leftover bits not zero
    EXPECT_EQ(decode_error(R"({"S":"Zm9v"})"), "expected B, found S");
    EXPECT_EQ(dy::detail::base64_decoded_size("Zm9vYg=="), 4u);
}
