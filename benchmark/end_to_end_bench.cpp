// End to end through Table<Profile>: GetItem, PutItem, Query (one page of 100 items) and
// BatchWriteItem (25 items), against three targets.
//
//   BM_InProcess<Op>      a Transport that returns the fixture bytes (no sockets): the client's
//                         own cost (encode, serialize, sign, CRC check, parse, decode)
//     BM_InProcessFloor<Op>  serialize the request DOM + parse the response text: what any
//                         client built on Boost.JSON's DOM pays at least
//   BM_Loopback<Op>       the fixed-response nginx server (DYNANTIC_BENCH_LOOPBACK, started by
//                         benchmark/run.sh), one thread, one keep-alive connection; run.sh runs
//                         wrk with the same request bytes beside it
//   BM_DynamoDBLocal<Op>  DynamoDB Local (DYNANTIC_BENCH_DYNAMODB): server-bound; the client's
//                         CPU per operation is the figure of interest
//   BM_LoopbackThreads/GetItem/threads:N  N threads sharing one client and its pool
//
// Counters: "allocs/op" (heap allocations of the calling thread per operation: operator new and
// OpenSSL), "ops/s" (wall-clock rate). Google Benchmark's CPU column is the calling thread's CPU
// time per operation (CLOCK_THREAD_CPUTIME_ID); the Beast transport does all its work on the
// calling thread, so it is the client's whole CPU cost.
#include "support/bench.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <mutex>
#include <string>

namespace dy = dynantic;
using bench_model::Profile;

namespace {

void run_end_to_end(benchmark::State& state, const dy::Client& client, std::string_view operation) {
    const dy::Table<Profile> table(client);
    const std::size_t expected = dy::bench::run_operation(table, operation);   // warm: connection, key, caches
    std::size_t sum = 0;
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) sum += dy::bench::run_operation(table, operation);
    allocs.finish(state);
    benchmark::DoNotOptimize(sum);
    if (sum != expected * state.iterations()) state.SkipWithError("an operation returned an unexpected result");
    state.counters["ops/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// ---- in process ----------------------------------------------------------------------------

void BM_InProcess(benchmark::State& state, std::string_view operation) {
    run_end_to_end(state, dy::bench::in_process_client(), operation);
}
BENCHMARK_CAPTURE(BM_InProcess, GetItem, "GetItem");
BENCHMARK_CAPTURE(BM_InProcess, PutItem, "PutItem");
BENCHMARK_CAPTURE(BM_InProcess, Query, "Query");
BENCHMARK_CAPTURE(BM_InProcess, BatchWriteItem, "BatchWriteItem");

// With DYNANTIC_BENCH_ITERATIONS=N, also BM_InProcessFixed/<Op>: exactly N iterations, for
// instruction counts under callgrind that two builds can be compared by (the difference of two
// runs with different N, divided by the difference of N, is the cost of one call):
//   DYNANTIC_BENCH_ITERATIONS=200 valgrind --tool=callgrind --callgrind-out-file=a.out
//     build/bench/benchmark/dynantic_benchmarks --benchmark_filter='BM_InProcessFixed/PutItem$'
//   (one command line)
const bool fixed_iterations_registered = [] {
    const char* text = std::getenv("DYNANTIC_BENCH_ITERATIONS");
    const long n = text != nullptr ? std::strtol(text, nullptr, 10) : 0;
    if (n <= 0) return false;
    for (const char* op : {"GetItem", "PutItem", "Query", "BatchWriteItem"})
        benchmark::RegisterBenchmark((std::string("BM_InProcessFixed/") + op).c_str(),
                                     [op](benchmark::State& state) { BM_InProcess(state, op); })
            ->Iterations(n);
    return true;
}();

void BM_InProcessFloor(benchmark::State& state, std::string_view operation) {
    const std::string op(operation);
    const boost::json::value request = boost::json::parse(dy::bench::fixture("requests/" + op + ".json"));
    const std::string& response = dy::bench::fixture("responses/" + op + ".json");
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        const std::string body = boost::json::serialize(request);
        const boost::json::value parsed = boost::json::parse(response);
        benchmark::DoNotOptimize(body.data());
        benchmark::DoNotOptimize(&parsed);
    }
    allocs.finish(state);
    state.counters["ops/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_InProcessFloor, GetItem, "GetItem");
BENCHMARK_CAPTURE(BM_InProcessFloor, PutItem, "PutItem");
BENCHMARK_CAPTURE(BM_InProcessFloor, Query, "Query");
BENCHMARK_CAPTURE(BM_InProcessFloor, BatchWriteItem, "BatchWriteItem");

// ---- over loopback, against the fixed-response server --------------------------------------

const dy::Client* loopback_client() {
    static const std::optional<dy::Client> client = [] {
        const auto endpoint = dy::bench::endpoint_from_env("DYNANTIC_BENCH_LOOPBACK");
        return endpoint ? std::optional<dy::Client>(dy::bench::make_client(*endpoint)) : std::nullopt;
    }();
    return client ? &*client : nullptr;
}

void BM_Loopback(benchmark::State& state, std::string_view operation) {
    const dy::Client* client = loopback_client();
    if (client == nullptr) {
        state.SkipWithError("DYNANTIC_BENCH_LOOPBACK is not set (benchmark/run.sh starts the server)");
        return;
    }
    run_end_to_end(state, *client, operation);
}
BENCHMARK_CAPTURE(BM_Loopback, GetItem, "GetItem")->UseRealTime();
BENCHMARK_CAPTURE(BM_Loopback, PutItem, "PutItem")->UseRealTime();
BENCHMARK_CAPTURE(BM_Loopback, Query, "Query")->UseRealTime();
BENCHMARK_CAPTURE(BM_Loopback, BatchWriteItem, "BatchWriteItem")->UseRealTime();

/** N threads, one client, one pool: each thread checks out its own keep-alive connection. */
void BM_LoopbackThreads(benchmark::State& state, std::string_view operation) {
    const dy::Client* client = loopback_client();
    if (client == nullptr) {
        state.SkipWithError("DYNANTIC_BENCH_LOOPBACK is not set (benchmark/run.sh starts the server)");
        return;
    }
    run_end_to_end(state, *client, operation);
}
BENCHMARK_CAPTURE(BM_LoopbackThreads, GetItem, "GetItem")->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

// ---- DynamoDB Local ------------------------------------------------------------------------

/** Creates table "bench" (when missing) and the 100 items the Query reads. */
void seed_dynamodb(const dy::Client& client) {
    const dy::Table<Profile> table(client);
    if (!table.table_exists()) table.create_table();
    const Profile& base = dy::bench::fixture_profile();
    for (int i = 0; i < 100; ++i) {
        Profile p = base;
        char sk[32];
        std::snprintf(sk, sizeof sk, "profile#%04d", i);
        p.sk = sk;
        table.save(p);
    }
}

const dy::Client* dynamodb_client() {
    static const std::optional<dy::Client> client = [] {
        const auto endpoint = dy::bench::endpoint_from_env("DYNANTIC_BENCH_DYNAMODB");
        if (!endpoint) return std::optional<dy::Client>();
        dy::Client c = dy::bench::make_client(*endpoint);
        seed_dynamodb(c);
        return std::optional<dy::Client>(std::move(c));
    }();
    return client ? &*client : nullptr;
}

void BM_DynamoDBLocal(benchmark::State& state, std::string_view operation) {
    const dy::Client* client = dynamodb_client();
    if (client == nullptr) {
        state.SkipWithError("DYNANTIC_BENCH_DYNAMODB is not set (benchmark/run.sh starts DynamoDB Local)");
        return;
    }
    run_end_to_end(state, *client, operation);
}
BENCHMARK_CAPTURE(BM_DynamoDBLocal, GetItem, "GetItem")->UseRealTime();
BENCHMARK_CAPTURE(BM_DynamoDBLocal, PutItem, "PutItem")->UseRealTime();
BENCHMARK_CAPTURE(BM_DynamoDBLocal, Query, "Query")->UseRealTime();
BENCHMARK_CAPTURE(BM_DynamoDBLocal, BatchWriteItem, "BatchWriteItem")->UseRealTime();

// ---- steady state --------------------------------------------------------------------------

/** RSS after 10^5 and after 10^6 in-process GetItems: a leak or an unbounded cache would show as
    growth between the two. One iteration; the counters are the figures. */
void BM_SteadyStateRss(benchmark::State& state) {
    const dy::Table<Profile> table(dy::bench::in_process_client());
    std::size_t sum = 0;
    for (auto _ : state) {
        for (int i = 0; i < 1000; ++i) sum += dy::bench::run_operation(table, "GetItem");   // warm
        const long start = dy::bench::rss_kib();
        for (int i = 0; i < 100'000; ++i) sum += dy::bench::run_operation(table, "GetItem");
        const long after_1e5 = dy::bench::rss_kib();
        for (int i = 100'000; i < 1'000'000; ++i) sum += dy::bench::run_operation(table, "GetItem");
        const long after_1e6 = dy::bench::rss_kib();
        state.counters["rss_start_kib"] = static_cast<double>(start);
        state.counters["rss_1e5_kib"] = static_cast<double>(after_1e5);
        state.counters["rss_1e6_kib"] = static_cast<double>(after_1e6);
    }
    benchmark::DoNotOptimize(sum);
}
BENCHMARK(BM_SteadyStateRss)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
