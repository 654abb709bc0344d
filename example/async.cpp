// async: the asynchronous API on Boost.Asio (dynantic/asio.hpp), without a thread per request.
//
// Two coroutines on one io_context run by this thread. The first creates a table, writes, reads
// back, pages through a query with cursors and with a pager, and runs a transaction. The second
// starts 1,000 async_gets at once from this one thread and waits for them all. Every step checks
// its result and the program exits with 1 on a wrong one, so it runs in the test suite too.
// Runs against the endpoint the environment names (AWS_ENDPOINT_URL_DYNAMODB, ...): run it with
// `scripts/demo.sh async`.
#include <dynantic/asio.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace dy = dynantic;
namespace asio = boost::asio;

namespace shop {
struct Order {
    std::string customer_id;
    std::int64_t order_no = 0;
    std::int64_t total_cents = 0;
    std::string status;
};
BOOST_DESCRIBE_STRUCT(Order, (), (customer_id, order_no, total_cents, status))
constexpr auto dynantic_schema(const Order*) {
    return dy::table("example-async-orders").partition_key(&Order::customer_id).sort_key(&Order::order_no);
}
}  // namespace shop
using shop::Order;

namespace {
void check(bool ok, const char* what) {
    std::cout << (ok ? "  ok: " : "  WRONG: ") << what << '\n';
    if (!ok) std::exit(1);
}

// Create, write, read, page, transact. (Arguments of a co_await are named values: GCC 12
// mishandles some temporaries there.)
asio::awaitable<void> tour(dy::Table<Order> orders) {
    if (co_await orders.async_table_exists(asio::use_awaitable))
        co_await orders.async_delete_table(std::chrono::seconds(60), asio::use_awaitable);
    co_await orders.async_create_table(asio::use_awaitable);   // CreateTable, then polls on a timer until ACTIVE
    std::cout << "table " << orders.name() << " created\n";

    for (std::int64_t i = 1; i <= 25; ++i) {
        const Order o{"ann", i, 100 * i, "open"};
        co_await orders.async_save(o, asio::use_awaitable);   // PutItem
    }
    std::optional<Order> third = co_await orders.async_get("ann", 3, asio::use_awaitable);   // GetItem
    check(third && third->total_cents == 300, "order 3 read back");

    // Pages of 10 with cursors: what a web handler returns to its client, one request each.
    std::cout << "pages of 10:\n";
    auto query = orders.query("ann").limit(10);
    std::optional<std::string> cursor;
    std::size_t pages = 0, items = 0;
    do {
        dy::PageResult<Order> page = co_await query.async_page(cursor, asio::use_awaitable);
        ++pages;
        items += page.items.size();
        cursor = page.next_cursor;
    } while (cursor);
    check(pages == 3 && items == 25, "3 pages (10, 10, 5) hold the 25 orders");

    // Every item without loading them all: one DynamoDB page (here 8 items) in memory at a time.
    auto pager = orders.query("ann").page_size(8).async_pager();
    std::int64_t sum = 0;
    while (std::optional<Order> o = co_await pager.async_next(asio::use_awaitable)) sum += o->total_cents;
    check(sum == 100 * 25 * 26 / 2, "the pager visited every order once");

    // A transaction: close order 1 and open order 26 together, if order 1 is still open.
    const Order next{"ann", 26, 2'600, "open"};
    std::vector<dy::WriteAction> actions{
        dy::update<Order>("ann", 1).set(&Order::status, "closed").when(dy::field(&Order::status) == "open"),
        dy::put(next)};
    co_await dy::asio::async_transact_write(orders.client(), actions, asio::use_awaitable);
    auto [first, last] = co_await dy::asio::async_transact_get(orders.client(), dy::get<Order>("ann", 1),
                                                               dy::get<Order>("ann", 26), asio::use_awaitable);
    check(first && first->status == "closed" && last.has_value(), "the transaction applied both writes");
    bool refused = false;
    try {
        co_await dy::asio::async_transact_write(orders.client(), actions, asio::use_awaitable);   // order 1 is closed now
    } catch (const dy::TransactionCanceledError& e) {
        refused = e.failed_actions() == std::vector<std::size_t>{0};
    }
    check(refused, "the same transaction again is refused: action 0's condition failed");
}

// 1,000 GetItems in flight from this one thread: each completion is a callback on the io_context.
void thousand_gets(asio::io_context& ioc, const dy::Table<Order>& orders, int& found, int& done) {
    for (int i = 0; i < 1'000; ++i)
        orders.async_get("ann", 1 + i % 26, asio::bind_executor(ioc, [&](std::exception_ptr e, std::optional<Order> o) {
                             ++done;
                             if (!e && o) ++found;
                         }));
}
}  // namespace

int main() try {
    dy::Table<Order> orders;   // the default client, from the environment
    asio::io_context ioc;      // run by this thread only
    std::exception_ptr failure;
    asio::co_spawn(ioc, tour(orders), [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);

    std::cout << "1,000 concurrent async_gets from one thread:\n";
    int found = 0, done = 0;
    const auto start = std::chrono::steady_clock::now();
    thousand_gets(ioc, orders, found, done);
    ioc.restart();
    ioc.run();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::cout << "  " << done << " completed in " << ms.count() << " ms\n";
    check(done == 1'000 && found == 1'000, "every get completed and found its order");

    orders.delete_table();
    std::cout << "done\n";
    return 0;
} catch (const dy::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
