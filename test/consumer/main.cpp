// Uses the installed dynantic: a model, a table bound to a client, a dry run.
#include <dynantic/dynantic.hpp>

#include <iostream>

struct Order { std::string customer_id; std::string order_id; int total = 0; };
BOOST_DESCRIBE_STRUCT(Order, (), (customer_id, order_id, total))
constexpr auto dynantic_schema(const Order*) { return dynantic::table("orders").partition_key(&Order::customer_id).sort_key(&Order::order_id); }

int main() {
    dynantic::ClientOptions options;
    options.region = "us-east-1";
    options.endpoint = "http://127.0.0.1:1";   // never contacted
    options.table_prefix = "consumer-";
    const dynantic::Table<Order> orders{dynantic::Client(options)};
    const dynantic::OperationRequest req = orders.put_request({"c1", "o1", 42});
    std::cout << req.operation << ' ' << req.body.at("TableName").as_string().c_str() << '\n';
    return req.operation == "PutItem" && req.body.at("TableName") == "consumer-orders" ? 0 : 1;
}
