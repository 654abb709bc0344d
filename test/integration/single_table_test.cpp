// Single-table design against DynamoDB Local: three entity types in one table, read back each
// as its own type through the base, a subtype, and a GSI; unknown discriminators; TTL stored as
// epoch seconds; auto-UUID keys; indexes created from the schema; prefix isolation; drift check.
#include <dynantic/table.hpp>
#include <dynantic/batch.hpp>
#include <dynantic/transaction.hpp>

#include "support/audit_event.hpp"
#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/uuid/uuid.hpp>

#include <variant>

namespace dy = dynantic;
namespace json = boost::json;

namespace shop {
struct Entity {
    std::string pk;
    std::string sk;
    std::string type;
    std::string gsi1pk;
};
BOOST_DESCRIBE_STRUCT(Entity, (), (pk, sk, type, gsi1pk))

struct Customer : Entity {
    std::string name;
};
BOOST_DESCRIBE_STRUCT(Customer, (Entity), (name))

struct Order : Entity {
    std::int64_t total_cents = 0;
};
BOOST_DESCRIBE_STRUCT(Order, (Entity), (total_cents))

struct OrderLine : Entity {
    std::string sku;
    int quantity = 0;
};
BOOST_DESCRIBE_STRUCT(OrderLine, (Entity), (sku, quantity))

constexpr auto dynantic_schema(const Entity*) {
    return dy::table("shop")
        .partition_key(&Entity::pk)
        .sort_key(&Entity::sk)
        .global_index("GSI1", &Entity::gsi1pk, &Entity::sk)
        .discriminator(&Entity::type)
        .subtype<Customer>("CUSTOMER")
        .subtype<Order>("ORDER")
        .subtype<OrderLine>("LINE");
}

struct Session {
    std::string id;
    std::chrono::sys_seconds expires_at{};
    std::int64_t refresh_after = 0;
};
BOOST_DESCRIBE_STRUCT(Session, (), (id, expires_at, refresh_after))
constexpr auto dynantic_schema(const Session*) { return dy::table("sessions").partition_key(&Session::id).ttl(&Session::expires_at); }

struct Ticket {
    boost::uuids::uuid id{};
    std::string title;
};
BOOST_DESCRIBE_STRUCT(Ticket, (), (id, title))
constexpr auto dynantic_schema(const Ticket*) { return dy::table("tickets").partition_key(&Ticket::id).auto_uuid(&Ticket::id); }
using dynantic::test::audit::AuditEvent;   // both keys generated (test/support/audit_event.hpp)
}  // namespace shop

using namespace shop;

class SingleTableIT : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        entities = dy::Table<Entity>(client());
        entities.create_table();
        created_ = true;
    }
    void TearDown() override {
        if (created_) entities.delete_table();
    }
    void fill() {
        dy::Table<Customer>(client()).save({{"CUST#1", "PROFILE", "", "CUST"}, "Ann"});
        dy::Table<Order>(client()).save({{"CUST#1", "ORDER#1", "", "ORDERS"}, 1250});
        dy::Table<Order>(client()).save({{"CUST#1", "ORDER#2", "", "ORDERS"}, 300});
        dy::Table<OrderLine>(client()).save({{"CUST#1", "ORDER#1#LINE#1", "", "ORDERS"}, "sku-9", 2});
    }
    dy::Table<Entity> entities;

private:
    bool created_ = false;
};

TEST_F(SingleTableIT, EachItemComesBackAsItsOwnType) {
    fill();
    const auto all = entities.query("CUST#1").all();
    ASSERT_EQ(all.size(), 4u);
    EXPECT_TRUE(std::holds_alternative<Order>(all[0]));      // ORDER#1
    EXPECT_TRUE(std::holds_alternative<OrderLine>(all[1]));  // ORDER#1#LINE#1
    EXPECT_TRUE(std::holds_alternative<Order>(all[2]));      // ORDER#2
    EXPECT_TRUE(std::holds_alternative<Customer>(all[3]));   // PROFILE
    EXPECT_EQ(std::get<Customer>(all[3]).name, "Ann");
    EXPECT_EQ(std::get<OrderLine>(all[1]).quantity, 2);
    // The discriminator was set by saving through the subtype's table.
    EXPECT_EQ(std::get<Order>(all[0]).type, "ORDER");

    const auto got = entities.get("CUST#1", "PROFILE");
    ASSERT_TRUE(got);
    EXPECT_EQ(std::get<Customer>(*got).name, "Ann");
}

TEST_F(SingleTableIT, SubtypeTablesSeeOnlyTheirItems) {
    fill();
    dy::Table<Order> orders(client());
    const auto list = orders.query("CUST#1").all();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].total_cents + list[1].total_cents, 1550);
    EXPECT_EQ(orders.query("CUST#1").begins_with("ORDER#1").all().size(), 1u);  // the line is filtered out
    EXPECT_EQ(dy::Table<OrderLine>(client()).scan().all().size(), 1u);
    // A key that holds another type: no order there, on every read by key.
    EXPECT_FALSE(orders.get("CUST#1", "PROFILE").has_value());   // a customer
    EXPECT_FALSE(dy::Table<Customer>(client()).get("CUST#1", "ORDER#1").has_value());
    const auto batch = orders.batch_get({{"CUST#1", "PROFILE"}, {"CUST#1", "ORDER#2"}, {"CUST#1", "ORDER#1#LINE#1"}});
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].total_cents, 300);
    const auto [customer, order] = dy::transact_get(client(), dy::get<Order>("CUST#1", "PROFILE"), dy::get<Order>("CUST#1", "ORDER#1"));
    EXPECT_FALSE(customer.has_value());
    ASSERT_TRUE(order.has_value());
    EXPECT_EQ(order->total_cents, 1250);
}

TEST_F(SingleTableIT, QueriesThroughAGlobalIndex) {
    fill();
    const auto by_index = entities.query_index<"GSI1">("ORDERS").all();
    ASSERT_EQ(by_index.size(), 3u);
    std::size_t orders = 0, lines = 0;
    for (const auto& e : by_index) {
        orders += std::holds_alternative<Order>(e);
        lines += std::holds_alternative<OrderLine>(e);
    }
    EXPECT_EQ(orders, 2u);
    EXPECT_EQ(lines, 1u);
    EXPECT_EQ(dy::Table<Order>(client()).query_index<"GSI1">("ORDERS").all().size(), 2u);
}

TEST_F(SingleTableIT, UnknownDiscriminatorIsAnErrorNamingTheValue) {
    // Another client wrote an entity type this program does not know.
    client().call("PutItem", json::parse(R"({"TableName":")" + entities.name() +
                                         R"(","Item":{"pk":{"S":"CUST#1"},"sk":{"S":"X"},"type":{"S":"REFUND"},"gsi1pk":{"S":"R"}}})")
                                 .as_object());
    try {
        (void)entities.get("CUST#1", "X");
        FAIL() << "no error";
    } catch (const dy::DecodeError& e) {
        EXPECT_NE(e.message().find("unknown entity type " + dy::redacted("REFUND")), std::string_view::npos) << e.what();
        EXPECT_NE(e.message().find("CUSTOMER, ORDER, LINE"), std::string_view::npos) << e.what();
    }
}

TEST_F(SingleTableIT, TtlIsStoredAsEpochSecondsAndEnabled) {
    dy::Table<Session> sessions(client());
    sessions.create_table();
    const auto t = std::chrono::sys_seconds{std::chrono::seconds{1'900'000'000}};
    sessions.save({"s1", t, 5});
    const auto raw = client().call("GetItem", json::parse(R"({"TableName":")" + sessions.name() + R"(","Key":{"id":{"S":"s1"}}})").as_object());
    EXPECT_EQ(raw.at("Item").at("expires_at"), json::parse(R"({"N":"1900000000"})"));
    EXPECT_EQ(raw.at("Item").at("refresh_after"), json::parse(R"({"N":"5"})"));
    EXPECT_EQ(sessions.get("s1")->expires_at, t);
    const auto ttl = sessions.describe_ttl();
    EXPECT_EQ(ttl.status, "ENABLED");
    EXPECT_EQ(ttl.attribute_name, "expires_at");
    EXPECT_TRUE(sessions.verify_table().empty());
    sessions.delete_table();
}

TEST_F(SingleTableIT, AutoUuidOnWritePaths) {
    dy::Table<Ticket> tickets(client());
    tickets.create_table();
    Ticket a{{}, "first"};
    tickets.save(a);
    EXPECT_FALSE(a.id.is_nil());
    EXPECT_EQ(a.id.version(), boost::uuids::uuid::version_random_number_based);
    Ticket b{{}, "second"};
    tickets.create(b);
    EXPECT_NE(a.id, b.id);
    EXPECT_EQ(tickets.get(a.id)->title, "first");
    EXPECT_EQ(tickets.get(b.id)->title, "second");
    const auto keep = a.id;
    tickets.save(a);  // not nil: kept
    EXPECT_EQ(a.id, keep);
    tickets.delete_table();
}

TEST_F(SingleTableIT, AutoUuidOnBothKeys) {
    dy::test::ScopedTable<AuditEvent> audit(client());
    AuditEvent first{{}, {}, "login"};
    audit->save(first);
    EXPECT_FALSE(first.stream_id.is_nil());
    EXPECT_FALSE(first.event_id.is_nil());
    AuditEvent second{first.stream_id, {}, "logout"};   // same stream, new event
    audit->create(second);
    EXPECT_EQ(second.stream_id, first.stream_id);
    EXPECT_NE(second.event_id, first.event_id);
    EXPECT_EQ(audit->get(first.stream_id, first.event_id)->what, "login");
    EXPECT_EQ(audit->query(first.stream_id).all().size(), 2u);
    std::vector<AuditEvent> more{{{}, {}, "a"}, {{}, {}, "b"}};
    audit->batch_save(more);
    EXPECT_FALSE(more[0].stream_id.is_nil());
    EXPECT_NE(more[0].stream_id, more[1].stream_id);
    EXPECT_EQ(audit->get(more[1].stream_id, more[1].event_id)->what, "b");
}

TEST_F(SingleTableIT, IndexesFromSchemaAndDriftCheck) {
    EXPECT_TRUE(entities.verify_table().empty());
    const auto described = entities.describe_table();
    EXPECT_EQ(described.at("GlobalSecondaryIndexes").as_array().size(), 1u);
    // A table made by hand without the index: the drift is reported.
    dy::ClientOptions o;
    o.table_prefix = client().table_name("") + "drift-";
    const auto other = dy::test::integration_client(o);
    client().call("CreateTable", json::parse(R"({"TableName":")" + other.table_name("shop") + R"(",
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
        "BillingMode":"PAY_PER_REQUEST"})").as_object());
    const auto drift = dy::Table<Entity>(other).verify_table();
    ASSERT_EQ(drift.size(), 3u) << (drift.empty() ? "" : drift[0]);
    EXPECT_EQ(drift[0], "attribute 'sk': model declares S, table has N");
    EXPECT_EQ(drift[1], "attribute 'gsi1pk': model declares S, table does not define it");
    EXPECT_EQ(drift[2], "global index 'GSI1': declared by the model, missing from the table");
    dy::Table<Entity>(other).delete_table();
}

TEST_F(SingleTableIT, PrefixIsolatesTables) {
    fill();
    dy::ClientOptions o;
    o.table_prefix = client().table_name("") + "other-";
    dy::Table<Entity> isolated(dy::test::integration_client(o));
    EXPECT_NE(isolated.name(), entities.name());
    EXPECT_FALSE(isolated.table_exists());
    isolated.create_table();
    EXPECT_TRUE(isolated.query("CUST#1").all().empty());
    EXPECT_EQ(entities.query("CUST#1").all().size(), 4u);
    isolated.delete_table();
}
