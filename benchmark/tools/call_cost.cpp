// The cost of one GetItem in process, synchronous (Client::call) against asynchronous
// (dynantic::asio::async_call, completed on the calling thread's io_context), against the
// fixed-response server: run under callgrind, which counts only the measured calls (the warm-up
// and the client's start are outside the collection):
//
//   valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=sync.out
//       build/bench/benchmark/dynantic_call_cost sync 2000 http://127.0.0.1:PORT   (one line)
//   callgrind_annotate sync.out | head        # Ir / 2000 = instructions per call
//
// Without valgrind it just runs the calls (and prints the heap allocations per call).
#include <dynantic/asio/call.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <valgrind/callgrind.h>

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
    if (argc != 4 || (std::strcmp(argv[1], "sync") != 0 && std::strcmp(argv[1], "async") != 0)) {
        std::fprintf(stderr, "usage: %s sync|async CALLS ENDPOINT\n", argv[0]);
        return 2;
    }
    const bool async = std::strcmp(argv[1], "async") == 0;
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

    net::io_context ioc(1);
    int failures = 0;
    const auto run = [&](int n) {
        if (!async) {
            for (int i = 0; i < n; ++i)
                if (!client.call(dy::Operation::GetItem, request).contains("Item")) ++failures;
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
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
    run(calls);
    CALLGRIND_TOGGLE_COLLECT;
    std::printf("%s: %d calls, %d failed\n", argv[1], calls, failures);
    return failures == 0 ? 0 : 1;
}
