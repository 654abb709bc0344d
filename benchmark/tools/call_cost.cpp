// The cost of one GetItem in process against the fixed-response server, four ways:
//   sync    Client::call with the fixture request
//   async   dynantic::asio::async_call, completed on the calling thread's io_context
//   get     Table<Profile>::get (encode the key, call, decode the item into the model)
//   coget   co_await Table<Profile>::async_get(..., use_awaitable) in a coroutine on an io_context
//   save    Table<Profile>::save of the fixture item (PutItem)
//   cosave  co_await Table<Profile>::async_save(item, use_awaitable), as coget
// Run under callgrind, which counts only the measured calls (the warm-up and the client's start
// are outside the collection):
//
//   valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=sync.out
//       build/bench/benchmark/dynantic_call_cost sync 2000 http://127.0.0.1:PORT   (one line)
//   callgrind_annotate sync.out | head        # Ir / 2000 = instructions per call
//
// It prints the heap allocations per call made on the calling thread (the asynchronous calls
// also allocate on the client's own threads: callgrind's count of instructions covers every
// thread, this count does not).
#include "support/bench.hpp"

#include <dynantic/asio.hpp>
#include <dynantic/asio/call.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include <valgrind/callgrind.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

namespace dy = dynantic;
namespace net = boost::asio;

int main(int argc, char** argv) {
    const std::string mode = argc == 4 ? argv[1] : "";
    if (mode != "sync" && mode != "async" && mode != "get" && mode != "coget" && mode != "save" && mode != "cosave") {
        std::fprintf(stderr, "usage: %s sync|async|get|coget|save|cosave CALLS ENDPOINT\n", argv[0]);
        return 2;
    }
    const int calls = std::atoi(argv[2]);
    dy::ClientOptions o;
    o.region = "us-east-1";
    o.endpoint = argv[3];
    o.credentials = dy::aws::static_credentials("AKIDBENCHMARK", "benchmark/secret/key/0123456789abcdefghij");
    o.retry.max_attempts = 1;
    const dy::Client client(o);
    std::ifstream file(DYNANTIC_BENCH_FIXTURES "/requests/GetItem.json");
    std::stringstream text;
    text << file.rdbuf();
    const boost::json::object request = boost::json::parse(text.str()).as_object();

    const dy::Table<bench_model::Profile> table(client);
    const bench_model::Profile& item = dy::bench::workload().item;
    net::io_context ioc(1);
    int failures = 0;
    const auto run = [&](int n) {
        if (mode == "sync") {
            for (int i = 0; i < n; ++i)
                if (!client.call(dy::Operation::GetItem, request).contains("Item")) ++failures;
            return;
        }
        if (mode == "get") {
            for (int i = 0; i < n; ++i)
                if (!table.get("user#000042", "profile#0000")) ++failures;
            return;
        }
        if (mode == "save") {
            for (int i = 0; i < n; ++i) table.save(item);
            return;
        }
        if (mode == "coget" || mode == "cosave") {
            net::co_spawn(
                ioc,
                [&]() -> net::awaitable<void> {
                    for (int i = 0; i < n; ++i) {
                        if (mode == "cosave") {
                            co_await table.async_save(item, net::use_awaitable);
                            continue;
                        }
                        const auto got = co_await table.async_get("user#000042", "profile#0000", net::use_awaitable);
                        if (!got) ++failures;
                    }
                },
                [&](std::exception_ptr e) {
                    if (e) ++failures;
                });
            ioc.restart();
            ioc.run();
            return;
        }
        int left = n;
        std::function<void()> next = [&] {
            dy::asio::async_call(client, dy::Operation::GetItem, request, {},
                                 net::bind_executor(ioc, [&](std::exception_ptr e, boost::json::object r) {
                                     if (e || !r.contains("Item")) ++failures;
                                     if (--left > 0) next();
                                 }));
        };
        next();
        ioc.restart();
        ioc.run();
    };
    run(50);   // warm: connection, signing key, the client's runtime
    const std::uint64_t allocations = dy::bench::thread_allocations();
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
    run(calls);
    CALLGRIND_TOGGLE_COLLECT;
    const double per_call = static_cast<double>(dy::bench::thread_allocations() - allocations) / calls;
    std::printf("%s: %d calls, %d failed, %.1f allocations per call on the calling thread\n", mode.c_str(), calls,
                failures, per_call);
    return failures == 0 ? 0 : 1;
}
