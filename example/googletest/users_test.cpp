// googletest_example: testing your own code that uses dynantic, with GoogleTest.
//
// Three ways in, from the most real to the most isolated:
//   1. against DynamoDB Local: `LocalDynamoDB` (one server for the program) and
//      `ScopedTable<Model>` (a fresh, uniquely named table per test, deleted at its end);
//   2. without a server: `MockTransport`, a GoogleMock transport answering with DynamoDB-shaped
//      responses (`ok_response`, `error_response`), to reach error paths on purpose;
//   3. without sending: the dry run of a request (`dry_run`), to pin its exact shape.
// The code under test is `UserService`, a small class a service might have. Build it in the
// examples build (target googletest_example) and run it like any GoogleTest program; it runs in
// the test suite against DynamoDB Local, and its DynamoDB tests skip where none is configured.
#include <dynantic/dynantic.hpp>
#include <dynantic/testkit/dry_run.hpp>
#include <dynantic/testkit/local_dynamodb.hpp>
#include <dynantic/testkit/mock_transport.hpp>
#include <dynantic/testkit/scoped_table.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

using namespace dynantic;          // no clash: the helpers are dynantic::testkit, GoogleTest's are ::testing
namespace dyt = dynantic::testkit;
using testing::_;
using testing::Return;

// ----- the code under test -----

namespace accounts {

struct User {
    std::string user_id;
    std::string name;
    std::int64_t logins = 0;
};
BOOST_DESCRIBE_STRUCT(User, (), (user_id, name, logins))
constexpr auto dynantic_schema(const User*) { return dynantic::table("users").partition_key(&User::user_id); }

/** Registers users and counts their logins. */
class UserService {
public:
    explicit UserService(Table<User> users) : users_(std::move(users)) {}

    /** False when the id is taken. */
    bool register_user(const std::string& id, const std::string& name) {
        try {
            users_.create({id, name, 0});
            return true;
        } catch (const ConditionalCheckFailedError&) {
            return false;
        }
    }
    /** The new login count, or nullopt for an unknown user. */
    std::optional<std::int64_t> login(const std::string& id) {
        try {
            auto result = users_.update(id)
                              .add(&User::logins, 1)
                              .when(field(&User::user_id).exists())
                              .returning(ReturnValues::all_new)
                              .execute();
            return result.item ? std::optional(result.item->logins) : std::nullopt;
        } catch (const ConditionalCheckFailedError&) {
            return std::nullopt;
        }
    }

private:
    Table<User> users_;
};

}  // namespace accounts

using accounts::User;
using accounts::UserService;

// ----- 1. against DynamoDB Local -----

// Attaches to DYNANTIC_TEST_ENDPOINT, or starts DynamoDB Local from DYNANTIC_DYNAMODB_LOCAL_JAR.
static testing::Environment* const local_dynamodb = testing::AddGlobalTestEnvironment(new dyt::LocalDynamoDB);

TEST(UserServiceWithDynamoDB, RegistersOnceAndCountsLogins) {
    DYNANTIC_SKIP_WITHOUT_DYNAMODB();
    dyt::ScopedTable<User> users;   // CreateTable "dyt-<pid>-<n>-<rand>-users"; DeleteTable at the end
    UserService service(users.table());

    EXPECT_TRUE(service.register_user("u1", "Ann"));
    EXPECT_FALSE(service.register_user("u1", "Someone else"));   // the id is taken
    EXPECT_EQ(service.login("u1"), 1);
    EXPECT_EQ(service.login("u1"), 2);
    EXPECT_EQ(service.login("nobody"), std::nullopt);            // no item is created for them
    EXPECT_FALSE(users->get("nobody").has_value());
    EXPECT_EQ(users->get("u1")->name, "Ann");
}

// ----- 2. without a server: a GoogleMock transport -----

TEST(UserServiceWithMock, ThrottlingIsRetriedByTheClient) {
    auto transport = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*transport, send(_, dyt::IsOperation("UpdateItem")))
        .WillOnce(Return(dyt::error_response(400, "ThrottlingException", "Rate exceeded")))
        .WillOnce(Return(dyt::ok_response(R"({"Attributes":{"user_id":{"S":"u1"},"name":{"S":"Ann"},"logins":{"N":"7"}}})")));
    UserService service(Table<User>{dyt::mock_client(transport)});
    EXPECT_EQ(service.login("u1"), 7);
}

TEST(UserServiceWithMock, AccessDeniedReachesTheCaller) {
    auto transport = std::make_shared<dyt::MockTransport>();
    EXPECT_CALL(*transport, send(_, _))
        .WillOnce(Return(dyt::error_response(400, "AccessDeniedException", "not authorized")));
    UserService service(Table<User>{dyt::mock_client(transport)});
    EXPECT_THROW(service.register_user("u1", "Ann"), Error);
}

// ----- 3. without sending: the dry run -----

TEST(UserServiceRequests, LoginIsAConditionalAtomicAdd) {
    Table<User> users{dyt::mock_client(std::make_shared<dyt::MockTransport>())};
    const auto request = users.update("u1").add(&User::logins, 1).when(field(&User::user_id).exists()).to_request();
    const dyt::DryRun sent = dyt::dry_run(request);
    EXPECT_EQ(sent.target, "DynamoDB_20120810.UpdateItem");
    EXPECT_EQ(request.body.at("UpdateExpression"), "ADD #n0 :v0");
    EXPECT_EQ(request.body.at("ConditionExpression"), "attribute_exists(#n1)");
    // Golden files pin the whole body: dyt::matches_golden_file(request, "golden/login.json").
}
