// Every option struct of options.hpp takes designated initializers naming one member: each member
// has a default member initializer, or this file is a -Wmissing-field-initializers error.
#include <dynantic/options.hpp>

#include <gtest/gtest.h>

namespace dy = dynantic;

#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wmissing-field-initializers"
TEST(Options, EveryOptionStructTakesADesignatedInitializerOfOneMember) {
    const dy::GetOptions get{.consistent_read = true};
    const dy::WriteOptions write{.check_version = false};
    const dy::ProvisionedThroughput throughput{.read_capacity_units = 7};
    const dy::CreateTableOptions create{.wait = false};
    const dy::TimeToLive ttl{.status = "ENABLED"};
    const dy::BatchOptions batch{.max_attempts = 2};
    const dy::TransactOptions transact{.client_request_token = "token-1"};
    EXPECT_TRUE(get.consistent_read);
    EXPECT_FALSE(write.check_version);
    EXPECT_FALSE(write.return_item_on_condition_failure);
    EXPECT_EQ(throughput.read_capacity_units, 7);
    EXPECT_EQ(throughput.write_capacity_units, 5);
    EXPECT_FALSE(create.wait);
    EXPECT_FALSE(create.provisioned.has_value());
    EXPECT_TRUE(create.enable_ttl);
    EXPECT_EQ(ttl.status, "ENABLED");
    EXPECT_TRUE(ttl.attribute_name.empty());
    EXPECT_EQ(batch.max_attempts, 2u);
    EXPECT_EQ(batch.base_delay, std::chrono::milliseconds(50));
    EXPECT_EQ(transact.client_request_token, "token-1");
    EXPECT_EQ(transact.max_attempts, 5u);
}
#pragma GCC diagnostic pop
