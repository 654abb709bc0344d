#include <dynantic/expressions/path.hpp>

#include <dynantic/error.hpp>

#include <gtest/gtest.h>

namespace dy = dynantic;

TEST(Path, ParsesNamesAndIndexes) {
    const auto p = dy::Path::parse("a.b[2].c[0][1]");
    ASSERT_EQ(p.elements().size(), 6u);
    EXPECT_EQ(std::get<std::string>(p.elements()[0]), "a");
    EXPECT_EQ(std::get<std::string>(p.elements()[1]), "b");
    EXPECT_EQ(std::get<std::size_t>(p.elements()[2]), 2u);
    EXPECT_EQ(std::get<std::string>(p.elements()[3]), "c");
    EXPECT_EQ(std::get<std::size_t>(p.elements()[5]), 1u);
}

TEST(Path, BackslashEscapesSeparators) {
    const auto p = dy::Path::parse(R"(a\.b.c\[1\]#x)");
    ASSERT_EQ(p.elements().size(), 2u);
    EXPECT_EQ(std::get<std::string>(p.elements()[0]), "a.b");
    EXPECT_EQ(std::get<std::string>(p.elements()[1]), "c[1]#x");
    EXPECT_EQ(dy::Path::parse(p.to_string()), p);
}

TEST(Path, LiteralNameIsNotParsed) {
    const dy::Path p(std::string("a.b[1]"));
    ASSERT_EQ(p.elements().size(), 1u);
    EXPECT_EQ(p.to_string(), R"(a\.b\[1\])");
}

TEST(Path, RejectsMalformedText) {
    for (const char* bad : {"", ".a", "a.", "a..b", "[1]", "a[", "a[x]", "a[-1]", "a]", "a[1]b", "a\\"})
        EXPECT_THROW(dy::Path::parse(bad), dy::ValidationError) << bad;
}

TEST(Path, Overlaps) {
    EXPECT_TRUE(dy::Path::parse("a.b").overlaps(dy::Path::parse("a")));
    EXPECT_TRUE(dy::Path::parse("a[1]").overlaps(dy::Path::parse("a[1].x")));
    EXPECT_FALSE(dy::Path::parse("a[1]").overlaps(dy::Path::parse("a[2]")));
    EXPECT_FALSE(dy::Path::parse("ab").overlaps(dy::Path::parse("a")));
}
