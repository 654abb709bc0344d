#include "support/dynamodb_fixture.hpp"

#include <cstdlib>

namespace dynantic::test {

Client integration_client(ClientOptions options) {
    const auto endpoint = integration_endpoint();
    if (options.endpoint.empty() && endpoint) options.endpoint = *endpoint;
    if (options.region.empty()) options.region = "us-east-1";
    if (!options.credentials) {
        const char* id = std::getenv("AWS_ACCESS_KEY_ID");
        if (id == nullptr || *id == '\0')
            options.credentials = std::make_shared<aws::StaticCredentialsProvider>(
                aws::Credentials{"dynantictest", "dynantictestsecret", {}, {}});
    }
    return Client(std::move(options));
}

void DynamoDBTest::SetUp() {
    if (!integration_endpoint()) {
        if (integration_required()) FAIL() << "DYNANTIC_REQUIRE_INTEGRATION=1 but DYNANTIC_TEST_ENDPOINT is not set";
        GTEST_SKIP() << "no DynamoDB endpoint: set DYNANTIC_TEST_ENDPOINT or run scripts/test.sh";
    }
    ClientOptions options;
    options.table_prefix = unique_table_name("it") + "-";
    client_ = integration_client(std::move(options));
}

}  // namespace dynantic::test
