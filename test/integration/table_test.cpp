#include <dynantic/table.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>

namespace dy = dynantic;

namespace tabletest {

struct User {
    std::string user_id;
    std::string email;
    std::string name;
    int age = 0;
    double score = 0;
    bool active = false;
    std::optional<std::int64_t> login_count;
};
BOOST_DESCRIBE_STRUCT(User, (), (user_id, email, name, age, score, active, login_count))
constexpr auto dynantic_schema(const User*) {
    return dy::table("users").partition_key(&User::user_id).sort_key(&User::email);
}

struct Counter {
    std::int64_t id = 0;
    std::uint64_t hits = 0;
};
BOOST_DESCRIBE_STRUCT(Counter, (), (id, hits))
constexpr auto dynantic_schema(const Counter*) { return dy::table("counters").partition_key(&Counter::id); }

// Same table as User, but `age` is a string: reading a User item through it must fail clearly.
struct UserWithTextAge {
    std::string user_id;
    std::string email;
    std::string age;
};
BOOST_DESCRIBE_STRUCT(UserWithTextAge, (), (user_id, email, age))
constexpr auto dynantic_schema(const UserWithTextAge*) {
    return dy::table("users").partition_key(&UserWithTextAge::user_id).sort_key(&UserWithTextAge::email);
}

}  // namespace tabletest

using tabletest::Counter;
using tabletest::User;

class TableIT : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        users = dy::Table<User>(client());
        users.create_table();
        created_ = true;
    }
    void TearDown() override {
        if (created_ && users.table_exists()) users.delete_table();
    }
    dy::Table<User> users;

private:
    bool created_ = false;
};

TEST_F(TableIT, SaveThenGetRoundTrips) {
    User u{"u1", "a@b.c", "Ann", 41, 0.1, true, 7};
    users.save(u);
    const auto got = users.get("u1", "a@b.c", {.consistent_read = true});
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->name, "Ann");
    EXPECT_EQ(got->age, 41);
    EXPECT_EQ(got->score, 0.1);
    EXPECT_TRUE(got->active);
    EXPECT_EQ(got->login_count, 7);
}

TEST_F(TableIT, SaveReplacesAndNulloptIsOmitted) {
    users.save({"u1", "a@b.c", "Ann", 41, 0, true, 7});
    users.save({"u1", "a@b.c", "Ann B", 42, 0, false, std::nullopt});
    const auto got = users.get("u1", "a@b.c");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->name, "Ann B");
    EXPECT_EQ(got->login_count, std::nullopt);
}

TEST_F(TableIT, GetOfMissingItemIsNullopt) { EXPECT_EQ(users.get("nobody", "x@y.z"), std::nullopt); }

TEST_F(TableIT, CreateFailsWhenKeyExists) {
    const User u{"u1", "a@b.c", "Ann", 41, 0, true, {}};
    users.create(u);
    try {
        users.create({"u1", "a@b.c", "Other", 1, 0, false, {}});
        FAIL() << "create of an existing key succeeded";
    } catch (const dy::ConditionalCheckFailedError& e) {
        EXPECT_EQ(e.operation(), "PutItem");
        EXPECT_EQ(e.table(), users.name());
        EXPECT_EQ(e.aws_code(), "ConditionalCheckFailedException");
        EXPECT_EQ(e.http_status(), 400u);
    }
    EXPECT_EQ(users.get("u1", "a@b.c")->name, "Ann");  // untouched
    users.create({"u1", "other@b.c", "Same pk, other sk", 1, 0, false, {}});  // a different key is fine
}

TEST_F(TableIT, RemoveDeletesAndMissingRemoveIsFine) {
    users.save({"u1", "a@b.c", "Ann", 41, 0, true, {}});
    users.remove("u1", "a@b.c");
    EXPECT_EQ(users.get("u1", "a@b.c"), std::nullopt);
    EXPECT_NO_THROW(users.remove("u1", "a@b.c"));
}

TEST_F(TableIT, MissingTableIsTableNotFoundNamingIt) {
    dy::Table<Counter> counters(client());
    EXPECT_FALSE(counters.table_exists());
    try {
        (void)counters.get(1);
        FAIL() << "no error";
    } catch (const dy::TableNotFoundError& e) {
        EXPECT_EQ(e.table(), counters.name());
        EXPECT_EQ(e.operation(), "GetItem");
        EXPECT_NE(std::string(e.what()).find(counters.name()), std::string::npos);
    }
}

TEST_F(TableIT, WrongTypedItemNamesTheAttribute) {
    users.save({"u1", "a@b.c", "Ann", 41, 0, true, {}});
    dy::Table<tabletest::UserWithTextAge> wrong(client());
    try {
        (void)wrong.get("u1", "a@b.c");
        FAIL() << "no error";
    } catch (const dy::DecodeError& e) {
        EXPECT_EQ(e.operation(), "GetItem");
        EXPECT_EQ(e.table(), users.name());
        EXPECT_EQ(e.message(), "attribute 'age': expected S, found N");
    }
}

TEST_F(TableIT, NumericKeysAndLargeUnsignedValues) {
    dy::Table<Counter> counters(client());
    counters.create_table();
    counters.save({-5, 18446744073709551615ull});
    EXPECT_EQ(counters.get(-5)->hits, 18446744073709551615ull);
    counters.delete_table();
    EXPECT_FALSE(counters.table_exists());
}

TEST_F(TableIT, EmptyKeyIsRefusedBeforeSending) {
    try {
        users.save({"", "a@b.c", "Ann", 41, 0, true, {}});
        FAIL() << "no error";
    } catch (const dy::ValidationError& e) {
        EXPECT_EQ(e.http_status(), 0u);  // never sent
        EXPECT_EQ(e.message(), "key attribute 'user_id' must not be empty");
    }
}

TEST_F(TableIT, CreateTableTwiceIsResourceInUse) {
    try {
        users.create_table();
        FAIL() << "no error";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::resource_in_use);
    }
}
