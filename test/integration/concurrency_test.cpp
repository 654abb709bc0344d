// One client, many threads: 8 threads x 2,000 mixed operations (put, get, update with ADD,
// delete, query) against DynamoDB Local, each thread checking every answer against its own
// model of its own partition; the connection pool stays within its bound. Clean under TSan.
#include <dynantic/table.hpp>

#include "support/dynamodb_fixture.hpp"

#include <dynantic/client.hpp>

#include <boost/describe.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace dy = dynantic;

namespace concurrencytest {
struct Account {
    std::string owner;
    std::string id;
    std::int64_t balance = 0;
    std::optional<std::string> note;
    friend bool operator==(const Account&, const Account&) = default;
};
BOOST_DESCRIBE_STRUCT(Account, (), (owner, id, balance, note))
constexpr auto dynantic_schema(const Account*) {
    return dy::table("accounts").partition_key(&Account::owner).sort_key(&Account::id);
}
}  // namespace concurrencytest

namespace {

using concurrencytest::Account;

/** Operations per thread: DYNANTIC_CONCURRENCY_OPS, else 2000 (about 5 s here against DynamoDB
    Local, 15 s under ThreadSanitizer). */
int operations_per_thread() {
    if (const char* v = std::getenv("DYNANTIC_CONCURRENCY_OPS"); v != nullptr && *v != '\0') return std::atoi(v);
    return 2000;
}

class ConcurrencyIT : public dy::test::DynamoDBTest {};

TEST_F(ConcurrencyIT, EightThreadsShareOneClientCorrectlyWithinThePoolBound) {
    constexpr int threads = 8;
    constexpr int keys = 20;
    constexpr std::size_t max_connections = 4;   // fewer than threads: callers queue for connections
    const int per_thread = operations_per_thread();

    dy::ClientOptions options;
    options.table_prefix = dy::test::unique_table_name("conc") + "-";
    options.http.pool.max_connections = max_connections;
    options.http.connect_timeout = std::chrono::seconds(10);   // also the longest wait for a free connection
    const dy::Client client = dy::test::integration_client(options);
    const dy::Table<Account> accounts(client);
    accounts.create_table();

    std::atomic<int> operations{0};
    std::atomic<int> mismatches{0};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            const std::string owner = "owner-" + std::to_string(t);
            std::map<std::string, Account> model;   // what this thread's partition holds
            std::mt19937 rng(static_cast<unsigned>(1234 + t));
            try {
                for (int i = 0; i < per_thread; ++i) {
                    const std::string id = "k" + std::to_string(rng() % keys);
                    const unsigned op = rng() % 10;
                    if (op < 3) {   // PutItem
                        Account a{owner, id, static_cast<std::int64_t>(rng() % 1000),
                                  std::string("note ") + std::to_string(i)};
                        accounts.save(a);
                        model[id] = a;
                    } else if (op < 6) {   // GetItem
                        const auto got = accounts.get(owner, id);
                        const auto it = model.find(id);
                        const bool same = it == model.end() ? !got.has_value() : (got && *got == it->second);
                        if (!same) mismatches.fetch_add(1);
                    } else if (op < 8) {   // UpdateItem ADD (not idempotent)
                        accounts.update(owner, id).add(&Account::balance, 5).execute();
                        auto [it, inserted] = model.try_emplace(id, Account{owner, id, 0, std::nullopt});
                        it->second.balance += 5;
                    } else if (op < 9) {   // DeleteItem
                        accounts.remove(owner, id);
                        model.erase(id);
                    } else {   // Query the whole partition
                        const auto items = accounts.query(owner).all();
                        if (items.size() != model.size()) mismatches.fetch_add(1);
                    }
                    operations.fetch_add(1, std::memory_order_relaxed);
                }
                for (const auto& [id, expected] : model) {
                    const auto got = accounts.get(owner, id);
                    if (!got || !(*got == expected)) mismatches.fetch_add(1);
                }
            } catch (const std::exception& e) {
                ADD_FAILURE() << "thread " << t << ": " << e.what();
            }
        });
    }
    for (auto& w : workers) w.join();
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    accounts.delete_table();

    EXPECT_EQ(operations.load(), threads * per_thread);
    EXPECT_EQ(mismatches.load(), 0);
    const auto stats = client.transport_stats();
    EXPECT_LE(stats.connections_opened, max_connections);
    EXPECT_GT(stats.connections_reused, static_cast<std::uint64_t>(threads * per_thread) / 2);
    std::printf("%d threads x %d operations in %.1f s (%.0f/s); connections opened %llu, reused %llu\n", threads,
                per_thread, seconds, threads * per_thread / seconds,
                static_cast<unsigned long long>(stats.connections_opened),
                static_cast<unsigned long long>(stats.connections_reused));
}

}  // namespace
