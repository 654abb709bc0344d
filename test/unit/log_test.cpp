#include <dynantic/log.hpp>

#include "support/scoped_env.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include <string>
#include <vector>

namespace {

namespace dy = dynantic;

TEST(Log, NothingIsLoggedWithoutASink) {
    dy::set_log_sink(nullptr);
    EXPECT_EQ(dy::log_level(), dy::LogLevel::off);
    for (const auto level : {dy::LogLevel::debug, dy::LogLevel::info, dy::LogLevel::warn, dy::LogLevel::error})
        EXPECT_FALSE(dy::log_enabled(level));
}

TEST(Log, TheSinkGetsLinesAtOrAboveItsThreshold) {
    std::vector<std::pair<dy::LogLevel, std::string>> lines;
    dy::set_log_sink([&](dy::LogLevel level, std::string_view line) { lines.emplace_back(level, line); },
                     dy::LogLevel::info);
    dy::log(dy::LogLevel::debug, "hidden");
    dy::log(dy::LogLevel::info, "shown");
    dy::log(dy::LogLevel::error, "also shown");
    dy::set_log_level(dy::LogLevel::debug);
    dy::log(dy::LogLevel::debug, "now shown");
    dy::set_log_sink(nullptr);
    dy::log(dy::LogLevel::error, "after removal");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].second, "shown");
    EXPECT_EQ(lines[1].first, dy::LogLevel::error);
    EXPECT_EQ(lines[2].second, "now shown");
}

TEST(Log, ASinkThatThrowsIsIgnored) {
    dy::set_log_sink([](dy::LogLevel, std::string_view) { throw std::runtime_error("sink failed"); },
                     dy::LogLevel::debug);
    EXPECT_NO_THROW(dy::log(dy::LogLevel::error, "x"));
    dy::set_log_sink(nullptr);
}

TEST(Log, DynanticLogInstallsAStderrSink) {
    // A fresh process (the "threadsafe" death-test style re-runs the binary) reads the variable.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const dynantic::test::ScopedEnv level("DYNANTIC_LOG", "warn");
    EXPECT_EXIT(
        {
            dy::log(dy::LogLevel::info, "not this one");
            dy::log(dy::LogLevel::warn, "this one");
            std::exit(dy::log_enabled(dy::LogLevel::info) ? 1 : 0);
        },
        ::testing::ExitedWithCode(0), "dynantic warn: this one");
}

TEST(Log, LevelsHaveNames) {
    EXPECT_EQ(dy::to_string(dy::LogLevel::debug), "debug");
    EXPECT_EQ(dy::to_string(dy::LogLevel::warn), "warn");
    EXPECT_EQ(dy::to_string(dy::LogLevel::off), "off");
}

}  // namespace

TEST(Redacted, IsAShortSha256PrefixOfTheText) {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    EXPECT_EQ(dy::redacted("abc"), "<sha256:ba7816bf8f01>");
    EXPECT_EQ(dy::redacted(R"({"id":{"S":"u1"}})"), dy::redacted(R"({"id":{"S":"u1"}})"));
    EXPECT_NE(dy::redacted(R"({"id":{"S":"u1"}})"), dy::redacted(R"({"id":{"S":"u2"}})"));
    EXPECT_EQ(dy::redacted("secret-value").find("secret"), std::string::npos);
}
