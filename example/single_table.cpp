// single_table: a small shop in one DynamoDB table (single-table design).
//
// Customers, orders and order lines share one table, told apart by the `type` discriminator.
// Shows: polymorphic models (reads through the base return std::variant), subtype tables that
// see only their own items, a global secondary index for "orders by status", an atomic update,
// table creation from the schema and the drift check. Run it with `scripts/demo.sh single_table`.
#include <dynantic/dynantic.hpp>

#include <iostream>
#include <variant>

namespace dy = dynantic;

namespace shop {

struct Entity {
    std::string pk;       // CUSTOMER#<id>
    std::string sk;       // PROFILE | ORDER#<id> | ORDER#<id>#LINE#<n>
    std::string type;     // the discriminator, set by dynantic on save
    std::optional<std::string> status;  // GSI partition key for orders
};
BOOST_DESCRIBE_STRUCT(Entity, (), (pk, sk, type, status))

struct Customer : Entity {
    std::string name;
    std::string email;
};
BOOST_DESCRIBE_STRUCT(Customer, (Entity), (name, email))

struct Order : Entity {
    std::int64_t total_cents = 0;
};
BOOST_DESCRIBE_STRUCT(Order, (Entity), (total_cents))

struct OrderLine : Entity {
    std::string sku;
    int quantity = 0;
    std::int64_t price_cents = 0;
};
BOOST_DESCRIBE_STRUCT(OrderLine, (Entity), (sku, quantity, price_cents))

constexpr auto dynantic_schema(const Entity*) {
    return dy::table("single-table-shop")
        .partition_key(&Entity::pk)
        .sort_key(&Entity::sk)
        .global_index("ByStatus", &Entity::status, &Entity::sk)  // sparse: only orders have a status
        .discriminator(&Entity::type)
        .subtype<Customer>("CUSTOMER")
        .subtype<Order>("ORDER")
        .subtype<OrderLine>("LINE");
}

}  // namespace shop

using namespace shop;

namespace {
void print(const Customer& c) { std::cout << "  customer " << c.name << " <" << c.email << ">\n"; }
void print(const Order& o) { std::cout << "  order    " << o.sk << " total " << o.total_cents << " cents, " << o.status.value_or("?") << '\n'; }
void print(const OrderLine& l) { std::cout << "  line     " << l.sk << ": " << l.quantity << " x " << l.sku << '\n'; }
void print(const Entity& e) { std::cout << "  entity   " << e.sk << '\n'; }
}  // namespace

int main() try {
    dy::Table<Entity> shop_table;
    std::cout << "endpoint: " << shop_table.client().endpoint().url() << ", table: " << shop_table.name() << '\n';
    if (shop_table.table_exists()) shop_table.delete_table();
    shop_table.create_table();
    std::cout << "created " << shop_table.name() << "; drift check: "
              << (shop_table.verify_table().empty() ? "table matches the model" : "differences found") << '\n';

    dy::Table<Customer> customers;
    dy::Table<Order> orders;
    dy::Table<OrderLine> lines;
    customers.save({{"CUSTOMER#42", "PROFILE", "", std::nullopt}, "Ada", "ada@example.com"});
    orders.save({{"CUSTOMER#42", "ORDER#1001", "", "PLACED"}, 0});
    lines.save({{"CUSTOMER#42", "ORDER#1001#LINE#1", "", std::nullopt}, "tea", 2, 450});
    lines.save({{"CUSTOMER#42", "ORDER#1001#LINE#2", "", std::nullopt}, "cups", 4, 300});
    orders.save({{"CUSTOMER#42", "ORDER#1002", "", "SHIPPED"}, 1999});

    // Order total from its lines, then an atomic, conditional update of the order.
    std::int64_t total = 0;
    for (const OrderLine& l : lines.query("CUSTOMER#42").begins_with("ORDER#1001#LINE#"))
        total += l.quantity * l.price_cents;
    orders.update("CUSTOMER#42", "ORDER#1001")
        .set(&Order::total_cents, total)
        .when(dy::field(&Order::status) == "PLACED")
        .execute();

    std::cout << "everything in partition CUSTOMER#42, each item as its own type:\n";
    for (const auto& item : shop_table.query("CUSTOMER#42")) std::visit([](const auto& e) { print(e); }, item);

    std::cout << "orders only (the subtype's table filters on the discriminator):\n";
    for (const Order& o : orders.query("CUSTOMER#42")) print(o);

    std::cout << "shipped orders of all customers (global index ByStatus):\n";
    for (const Order& o : orders.query_index<"ByStatus">("SHIPPED")) print(o);

    std::cout << "placed orders over 10 EUR:\n";
    for (const Order& o : orders.query("CUSTOMER#42").filter(dy::field(&Order::status) == "PLACED" &&
                                                              dy::field(&Order::total_cents) > 1000))
        print(o);

    shop_table.delete_table();
    std::cout << "deleted " << shop_table.name() << '\n';
    return 0;
} catch (const dy::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
