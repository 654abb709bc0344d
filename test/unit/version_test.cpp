#include <dynantic/version.hpp>

#include <gtest/gtest.h>

#include <string>

static_assert(DYNANTIC_VERSION ==
              DYNANTIC_VERSION_MAJOR * 10000 + DYNANTIC_VERSION_MINOR * 100 + DYNANTIC_VERSION_PATCH);

TEST(Version, TheLibraryAndTheHeadersAgree) {
    EXPECT_EQ(dynantic::version(), DYNANTIC_VERSION_STRING);
    EXPECT_EQ(std::string(DYNANTIC_VERSION_STRING), std::to_string(DYNANTIC_VERSION_MAJOR) + "." +
                                                        std::to_string(DYNANTIC_VERSION_MINOR) + "." +
                                                        std::to_string(DYNANTIC_VERSION_PATCH));
}
