#include <dynantic/testkit/dry_run.hpp>

#include <dynantic/dynantic.hpp>
#include <dynantic/testkit/mock_transport.hpp>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include "support/test_env.hpp"

namespace dy = dynantic;
namespace dyt = dynantic::testkit;
using ::testing::_;
using ::testing::Invoke;

namespace dryrun {
struct Account {
    std::string owner;
    std::string account_id;
    std::string status;
    std::int64_t balance_cents = 0;
    std::optional<std::int64_t> logins;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Account, (), (owner, account_id, status, balance_cents, logins, version))
constexpr auto dynantic_schema(const Account*) {
    return dy::table("accounts")
        .partition_key(&Account::owner)
        .sort_key(&Account::account_id)
        .global_index("ByStatus", &Account::status, &Account::balance_cents)
        .version(&Account::version);
}
}  // namespace dryrun

using dryrun::Account;

namespace {
dy::Table<Account> offline_accounts() {
    return dy::Table<Account>(dyt::mock_client(std::make_shared<dyt::MockTransport>()));
}
std::string golden(const char* name) { return dynantic::test::data_path(std::string("golden/") + name); }
}  // namespace

TEST(DryRun, CanonicalJsonSortsKeysAndIndents) {
    const auto v = boost::json::parse(R"({"b":[1,{"z":true,"a":null}],"a":"x","c":{},"d":[]})");
    EXPECT_EQ(dyt::canonical_json(v),
              "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    {\n      \"a\": null,\n      \"z\": true\n    }\n  ],\n"
              "  \"c\": {},\n  \"d\": []\n}");
}

TEST(DryRun, TargetAndBodyAreWhatTheClientSends) {
    auto transport = std::make_shared<dyt::MockTransport>();
    dy::http::HttpRequest sent;
    EXPECT_CALL(*transport, send(_, dyt::IsOperation("PutItem"))).WillOnce(Invoke([&](const auto&, const auto& r) {
        sent = r;
        return dyt::ok_response("{}");
    }));
    const dy::Table<Account> accounts(dyt::mock_client(transport));
    const Account a{"ann", "acc-1", "open", 1250, 3, 0};
    const auto dry = dyt::dry_run(accounts.put_request(a));
    accounts.client().call("PutItem", accounts.put_request(a).body);
    EXPECT_EQ(dry.target, "DynamoDB_20120810.PutItem");
    EXPECT_EQ(dy::http::find_header(sent.headers, "X-Amz-Target"), dry.target);
    EXPECT_EQ(sent.body, dry.body);
    EXPECT_EQ(dyt::operation_of(sent), "PutItem");
    EXPECT_EQ(dyt::body_of(sent).at("TableName"), "accounts");
}

TEST(DryRun, PutItemMatchesGolden) {
    const Account a{"ann", "acc-1", "open", 1250, std::nullopt, 0};
    EXPECT_TRUE(dyt::matches_golden_file(offline_accounts().put_request(a), golden("put_item.json")));
}

TEST(DryRun, GetItemMatchesGolden) {
    const auto accounts = offline_accounts();
    EXPECT_TRUE(dyt::matches_golden_file(accounts.get_request(accounts.key("ann", "acc-1"), {.consistent_read = true}),
                                         golden("get_item.json")));
}

TEST(DryRun, ConditionalDeleteMatchesGolden) {
    const auto accounts = offline_accounts();
    const dy::Condition when = dy::field(&Account::balance_cents) == 0 && dy::field(&Account::status) != "frozen";
    EXPECT_TRUE(dyt::matches_golden_file(accounts.remove_request(accounts.key("ann", "acc-1"), &when),
                                         golden("delete_item.json")));
}

TEST(DryRun, UpdateItemMatchesGolden) {
    const auto request = offline_accounts()
                             .update("ann", "acc-1")
                             .add(&Account::logins, 1)
                             .set(&Account::status, "open")
                             .when(dy::field(&Account::balance_cents) >= 0)
                             .returning(dy::ReturnValues::all_new)
                             .to_request();
    EXPECT_TRUE(dyt::matches_golden_file(request, golden("update_item.json")));
}

TEST(DryRun, QueryMatchesGolden) {
    const auto request = offline_accounts()
                             .query_index<"ByStatus">("open")
                             .ge(100)
                             .filter(dy::field(&Account::logins).exists())
                             .limit(10)
                             .to_request();
    EXPECT_TRUE(dyt::matches_golden_file(request, golden("query.json")));
}

TEST(DryRun, CreateTableMatchesGolden) {
    EXPECT_TRUE(dyt::matches_golden_file(offline_accounts().create_table_request(), golden("create_table.json")));
}

TEST(DryRun, MismatchExplainsHowToUpdate) {
    const auto result = dyt::matches_golden_file(offline_accounts().create_table_request(), golden("put_item.json"));
    EXPECT_FALSE(result);
    EXPECT_NE(std::string(result.message()).find("DYNANTIC_UPDATE_GOLDEN=1"), std::string::npos);
}
