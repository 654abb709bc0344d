// The asynchronous call (dynantic::asio::async_call) against the synchronous one, GetItem on the
// fixed-response nginx server (DYNANTIC_BENCH_LOOPBACK, started by benchmark/run.sh), raw calls
// (the fixture request, the parsed response), both in the same run:
//
//   BM_LoopbackAsyncInFlight/GetItem/64   one thread, one io_context, 64 calls in flight over the
//                                         pool (each completion starts the next call)
//   BM_LoopbackSyncThreads/GetItem/64     64 threads, each Client::call in a loop, one client
//   BM_LoopbackAsyncOne/GetItem           one call at a time on one io_context (callbacks)
//   BM_LoopbackSyncOne/GetItem            one Client::call at a time
//
// Each iteration is a batch of 1024 calls. Counters: "ops/s" (wall clock), "cpu_us/op" (CPU time
// of the whole process per call, getrusage: every thread, the client's own included), and for
// the one-at-a-time pair "allocs/op" (heap allocations of the calling thread, which does all the
// work of both: the async one's handler runs on that thread's io_context).
#include "support/bench.hpp"

#include <dynantic/asio/call.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <sys/resource.h>

#include <atomic>
#include <thread>
#include <vector>

namespace dy = dynantic;
namespace net = boost::asio;

namespace {

constexpr int batch = 1024;

double process_cpu_us() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

const dy::Client* client_or_skip(benchmark::State& state) {
    static const std::optional<dy::Client> client = [] {
        const auto endpoint = dy::bench::endpoint_from_env("DYNANTIC_BENCH_LOOPBACK");
        if (!endpoint) return std::optional<dy::Client>();
        dy::ClientOptions o;
        o.region = "us-east-1";
        o.endpoint = *endpoint;
        o.credentials = dy::aws::static_credentials("AKIDBENCHMARK", "benchmark/secret/key/0123456789abcdefghij");
        o.retry.max_attempts = 1;
        o.http.connect_timeout = std::chrono::milliseconds(30'000);   // also bounds the wait for a pooled connection
        return std::optional<dy::Client>(dy::Client(o));
    }();
    if (!client) state.SkipWithError("DYNANTIC_BENCH_LOOPBACK is not set (benchmark/run.sh starts the server)");
    return client ? &*client : nullptr;
}

const boost::json::object& get_request() {
    static const boost::json::object request = boost::json::parse(dy::bench::fixture("requests/GetItem.json")).as_object();
    return request;
}

void finish(benchmark::State& state, double cpu_before, std::int64_t failures) {
    const double calls = static_cast<double>(state.iterations()) * batch;
    state.counters["ops/s"] = benchmark::Counter(calls, benchmark::Counter::kIsRate);
    state.counters["cpu_us/op"] = (process_cpu_us() - cpu_before) / calls;
    if (failures != 0) state.SkipWithError("a call failed");
}

void per_call_allocations(benchmark::State& state, std::uint64_t before) {
    state.counters["allocs/op"] = static_cast<double>(dy::bench::thread_allocations() - before) /
                                  (static_cast<double>(state.iterations()) * batch);
}

/** Runs `batch` calls with `in_flight` of them outstanding at a time, on `ioc` (this thread). */
std::int64_t run_async(const dy::Client& client, net::io_context& ioc, int in_flight) {
    int started = 0;
    std::int64_t failures = 0;
    std::function<void()> start_one = [&] {
        ++started;
        dy::asio::async_call(client, dy::Operation::GetItem, get_request(), {},
                             net::bind_executor(ioc, [&](std::exception_ptr e, boost::json::object r) {
                                 if (e || !r.contains("Item")) ++failures;
                                 if (started < batch) start_one();
                             }));
    };
    for (int i = 0; i < in_flight && started < batch; ++i) start_one();
    ioc.restart();
    ioc.run();
    return failures;
}

void BM_LoopbackAsyncInFlight(benchmark::State& state) {
    const dy::Client* client = client_or_skip(state);
    if (client == nullptr) return;
    net::io_context ioc(1);
    const int in_flight = static_cast<int>(state.range(0));
    std::int64_t failures = run_async(*client, ioc, in_flight);   // warm: connections
    failures = 0;
    const double cpu = process_cpu_us();
    for (auto _ : state) failures += run_async(*client, ioc, in_flight);
    finish(state, cpu, failures);
}
BENCHMARK(BM_LoopbackAsyncInFlight)->Name("BM_LoopbackAsyncInFlight/GetItem")->Arg(64)->UseRealTime();

void BM_LoopbackSyncThreads(benchmark::State& state) {
    const dy::Client* client = client_or_skip(state);
    if (client == nullptr) return;
    const int threads = static_cast<int>(state.range(0));
    std::atomic<std::int64_t> failures{0};
    const auto run = [&] {
        std::atomic<int> next{0};
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&] {
                while (next.fetch_add(1) < batch) {
                    try {
                        if (!client->call(dy::Operation::GetItem, get_request()).contains("Item")) ++failures;
                    } catch (...) {
                        ++failures;
                    }
                }
            });
        for (auto& t : pool) t.join();
    };
    run();   // warm: connections
    failures = 0;
    const double cpu = process_cpu_us();
    for (auto _ : state) run();
    finish(state, cpu, failures.load());
}
BENCHMARK(BM_LoopbackSyncThreads)->Name("BM_LoopbackSyncThreads/GetItem")->Arg(64)->UseRealTime();

void BM_LoopbackAsyncOne(benchmark::State& state) {
    const dy::Client* client = client_or_skip(state);
    if (client == nullptr) return;
    net::io_context ioc(1);
    std::int64_t failures = run_async(*client, ioc, 1);
    failures = 0;
    const double cpu = process_cpu_us();
    const std::uint64_t allocs = dy::bench::thread_allocations();
    for (auto _ : state) failures += run_async(*client, ioc, 1);
    per_call_allocations(state, allocs);
    finish(state, cpu, failures);
}
BENCHMARK(BM_LoopbackAsyncOne)->Name("BM_LoopbackAsyncOne/GetItem")->UseRealTime();

void BM_LoopbackSyncOne(benchmark::State& state) {
    const dy::Client* client = client_or_skip(state);
    if (client == nullptr) return;
    std::int64_t failures = 0;
    (void)client->call(dy::Operation::GetItem, get_request());
    const double cpu = process_cpu_us();
    const std::uint64_t allocs = dy::bench::thread_allocations();
    for (auto _ : state)
        for (int i = 0; i < batch; ++i)
            if (!client->call(dy::Operation::GetItem, get_request()).contains("Item")) ++failures;
    per_call_allocations(state, allocs);
    finish(state, cpu, failures);
}
BENCHMARK(BM_LoopbackSyncOne)->Name("BM_LoopbackSyncOne/GetItem")->UseRealTime();

}  // namespace
