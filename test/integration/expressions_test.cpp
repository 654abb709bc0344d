// Conditions and update actions against DynamoDB Local: every operator, reserved words,
// nested paths, names with '.' and '#', conditional writes, optimistic locking.
#include <dynantic/expressions/compile.hpp>

#include <dynantic/table.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>

namespace dy = dynantic;
namespace json = boost::json;
using dy::attr;
using dy::field;

namespace exprit {
struct Info {
    std::string date;       // a reserved word
    std::optional<int> level;
};
BOOST_DESCRIBE_STRUCT(Info, (), (date, level))

struct Item {
    std::string id;
    std::string name;     // reserved word
    std::string status;   // reserved word
    std::int64_t count = 0;
    double ratio = 0;
    bool flag = false;
    std::optional<std::string> note;
    Info info;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, name, status, count, ratio, flag, note, info, version))
constexpr auto dynantic_schema(const Item*) { return dy::table("items").partition_key(&Item::id).version(&Item::version); }

struct Plain {
    std::string id;
    std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(Plain, (), (id, n))
constexpr auto dynantic_schema(const Plain*) { return dy::table("plain").partition_key(&Plain::id); }
}  // namespace exprit

using exprit::Info;
using exprit::Item;
using exprit::Plain;

class ExpressionsIT : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        items = dy::Table<Item>(client());
        items.create_table();
        plain = dy::Table<Plain>(client());
        plain.create_table();
        created_ = true;
    }
    void TearDown() override {
        if (!created_) return;
        items.delete_table();
        plain.delete_table();
    }
    Item sample() { return Item{"i1", "Ann", "active", 5, 0.5, true, std::string("hello world"), {"2024-05-01", 3}, 0}; }

    /** True when a conditional put of the stored item with `c` succeeds. */
    template <class C>
    bool holds(const C& c) {
        try {
            plain.save({"p1", 10}, c);
            return true;
        } catch (const dy::ConditionalCheckFailedError&) {
            return false;
        }
    }
    dy::Table<Item> items;
    dy::Table<Plain> plain;

private:
    bool created_ = false;
};

TEST_F(ExpressionsIT, EveryConditionOperatorAgainstStoredItem) {
    plain.save({"p1", 10});
    EXPECT_TRUE(holds(field(&Plain::n) == 10));
    EXPECT_FALSE(holds(field(&Plain::n) == 11));
    EXPECT_TRUE(holds(field(&Plain::n) != 11));
    EXPECT_TRUE(holds(field(&Plain::n) < 11));
    EXPECT_FALSE(holds(field(&Plain::n) < 10));
    EXPECT_TRUE(holds(field(&Plain::n) <= 10));
    EXPECT_TRUE(holds(field(&Plain::n) > 9));
    EXPECT_TRUE(holds(field(&Plain::n) >= 10));
    EXPECT_FALSE(holds(field(&Plain::n) >= 11));
    EXPECT_TRUE(holds(field(&Plain::n).between(5, 10)));
    EXPECT_FALSE(holds(field(&Plain::n).between(11, 20)));
    EXPECT_TRUE(holds(field(&Plain::n).is_in({1, 10, 100})));
    EXPECT_FALSE(holds(field(&Plain::n).is_in({1, 100})));
    EXPECT_TRUE(holds(field(&Plain::id).begins_with("p")));
    EXPECT_FALSE(holds(field(&Plain::id).begins_with("q")));
    EXPECT_TRUE(holds(field(&Plain::id).contains("1")));
    EXPECT_TRUE(holds(field(&Plain::n).exists()));
    EXPECT_FALSE(holds(attr("missing").exists()));
    EXPECT_TRUE(holds(attr("missing").not_exists()));
    EXPECT_TRUE(holds(field(&Plain::n).attribute_type(dy::AttributeType::N)));
    EXPECT_FALSE(holds(field(&Plain::n).attribute_type(dy::AttributeType::S)));
    EXPECT_TRUE(holds(field(&Plain::id).size() == 2));
    EXPECT_TRUE(holds(field(&Plain::n) == 10 && field(&Plain::id) == "p1"));
    EXPECT_TRUE(holds(field(&Plain::n) == 1 || field(&Plain::id) == "p1"));
    EXPECT_TRUE(holds(!(field(&Plain::n) == 1)));
    EXPECT_FALSE(holds(!(field(&Plain::n) == 10)));
}

TEST_F(ExpressionsIT, ReservedWordsNestedPathsAndOddNames) {
    Item it = sample();
    items.save(it);
    EXPECT_EQ(it.version, 1);
    // `name`, `status`, `date` are DynamoDB reserved words: placeholders make them work.
    items.update("i1").set(&Item::status, "closed").set(field(&Item::info, &Info::date), "2025-01-01").execute();
    const auto got = items.get("i1");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, "closed");
    EXPECT_EQ(got->info.date, "2025-01-01");
    EXPECT_EQ(got->version, 2);  // by key: incremented without a check

    // An attribute named "a.b#c" (dots and '#') written and tested through escaping / attr_name.
    items.update("i1").set(attr(R"(odd\.name#1)"), std::string("x")).execute();
    EXPECT_NO_THROW(items.update("i1").set(attr("count"), 6).when(dy::attr_name("odd.name#1") == "x").execute());
    EXPECT_THROW(items.update("i1").set(attr("count"), 7).when(dy::attr_name("odd.name#1") == "y").execute(),
                 dy::ConditionalCheckFailedError);
    EXPECT_EQ(items.get("i1")->count, 6);
}

TEST_F(ExpressionsIT, EveryUpdateAction) {
    Item it = sample();
    items.save(it);
    auto result = items.update("i1")
                      .set(&Item::name, "Bob")
                      .set(field(&Item::count), field(&Item::count) + 10)
                      .set(field(&Item::ratio), dy::if_not_exists(field(&Item::ratio), 9.0))
                      .remove(&Item::note)
                      .add(field(&Item::info, &Info::level), 2)
                      .returning(dy::ReturnValues::all_new)
                      .execute();
    ASSERT_TRUE(result.item);
    EXPECT_EQ(result.item->name, "Bob");
    EXPECT_EQ(result.item->count, 15);
    EXPECT_EQ(result.item->ratio, 0.5);
    EXPECT_EQ(result.item->note, std::nullopt);
    EXPECT_EQ(result.item->info.level, 5);

    auto old = items.update("i1").set(field(&Item::count), field(&Item::count) - 1).returning(dy::ReturnValues::updated_old).execute();
    EXPECT_FALSE(old.item);
    EXPECT_EQ(old.attributes.at("count"), json::parse(R"({"N":"15"})"));
    auto all_old = items.update("i1").set(&Item::flag, false).returning(dy::ReturnValues::all_old).execute();
    ASSERT_TRUE(all_old.item);
    EXPECT_TRUE(all_old.item->flag);
}

TEST_F(ExpressionsIT, ConditionalSaveCreateRemove) {
    plain.create({"p1", 1});
    EXPECT_THROW(plain.create({"p1", 2}), dy::ConditionalCheckFailedError);
    EXPECT_THROW(plain.save({"p1", 3}, field(&Plain::n) > 5), dy::ConditionalCheckFailedError);
    plain.save({"p1", 3}, field(&Plain::n) == 1);
    EXPECT_THROW(plain.remove("p1", field(&Plain::n) == 1), dy::ConditionalCheckFailedError);
    EXPECT_EQ(plain.get("p1")->n, 3);
    plain.remove("p1", field(&Plain::n) == 3);
    EXPECT_FALSE(plain.get("p1"));
}

TEST_F(ExpressionsIT, FailedConditionCarriesCurrentItemWhenAsked) {
    plain.save({"p1", 4});
    try {
        plain.save({"p1", 5}, field(&Plain::n) == 0, {.return_item_on_condition_failure = true});
        FAIL() << "no error";
    } catch (const dy::ConditionalCheckFailedError& e) {
        ASSERT_TRUE(e.item().has_value());
        EXPECT_EQ(e.item()->at("n"), json::parse(R"({"N":"4"})"));
    }
}

TEST_F(ExpressionsIT, OptimisticLockingDetectsALostRace) {
    Item mine = sample();
    items.save(mine);  // version 1
    Item theirs = *items.get("i1");
    theirs.name = "Theirs";
    items.save(theirs);  // version 2
    mine.name = "Mine";
    EXPECT_THROW(items.save(mine), dy::ConditionalCheckFailedError);
    EXPECT_EQ(mine.version, 1);  // not bumped on failure
    EXPECT_EQ(items.get("i1")->name, "Theirs");
    EXPECT_THROW(items.remove_item(mine), dy::ConditionalCheckFailedError);
    EXPECT_THROW(items.update_item(mine).set(&Item::count, 1).execute(), dy::ConditionalCheckFailedError);
    items.update_item(theirs).set(&Item::count, 1).execute();
    EXPECT_EQ(theirs.version, 3);
    items.save(mine, {.check_version = false});  // the per-call opt-out
    EXPECT_EQ(items.get("i1")->name, "Mine");
    Item fresh = sample();  // version 0: "new", but the item exists
    EXPECT_THROW(items.save(fresh), dy::ConditionalCheckFailedError);
    const Item current = *items.get("i1");
    items.remove_item(current);
    EXPECT_FALSE(items.get("i1"));
}
