#include "support/test_env.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace dynantic::test {

std::string data_path(std::string_view name) { return std::string(DYNANTIC_TEST_DATA_DIR) + "/" + std::string(name); }

std::string read_data_file(std::string_view name) {
    const std::string path = data_path(name);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ADD_FAILURE() << "cannot read test data file " << path;
        return {};
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::optional<std::string> integration_endpoint() {
    for (const char* name : {"DYNANTIC_TEST_ENDPOINT", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') return std::string(value);
    }
    return std::nullopt;
}

bool integration_required() {
    const char* value = std::getenv("DYNANTIC_REQUIRE_INTEGRATION");
    return value != nullptr && std::string_view(value) == "1";
}

std::string unique_table_name(std::string_view prefix) {
    static std::atomic<unsigned> counter{0};
    static const unsigned salt = std::random_device{}();
    std::ostringstream out;
    out << prefix << '-' << ::getpid() << '-' << counter.fetch_add(1) << '-' << std::hex << (salt & 0xffffu);
    return out.str();
}

}  // namespace dynantic::test
