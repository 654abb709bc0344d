// Throughput of batch writes against one write per item: items/s of `batch_save` of 10,000
// items (400 BatchWriteItem requests) vs `save` per item (10,000 PutItem requests), against the
// DynamoDB server named by DYNANTIC_BENCH_ENDPOINT (e.g. DynamoDB Local). Skipped, with a
// message, when it is unset.
//
//   export DYNANTIC_BENCH_ENDPOINT=http://127.0.0.1:8125
//   build/bench/benchmark/dynantic_benchmarks --benchmark_filter=BM_Batch
#include <dynantic/batch.hpp>
#include <dynantic/table.hpp>

#include <benchmark/benchmark.h>
#include <boost/describe.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace dy = dynantic;

namespace bench {
struct Event {
    std::string id;
    std::int64_t seq = 0;
    std::string kind;
    std::string payload;
};
BOOST_DESCRIBE_STRUCT(Event, (), (id, seq, kind, payload))
constexpr auto dynantic_schema(const Event*) { return dy::table("bench_events").partition_key(&Event::id); }
}  // namespace bench

using bench::Event;

namespace {

constexpr std::size_t item_count = 10'000;

std::optional<std::string> endpoint() {
    const char* e = std::getenv("DYNANTIC_BENCH_ENDPOINT");
    if (e == nullptr || *e == '\0') return std::nullopt;
    return std::string(e);
}

dy::Client bench_client(const std::string& endpoint, const std::string& prefix) {
    dy::ClientOptions options;
    options.endpoint = endpoint;
    options.region = "us-east-1";
    options.table_prefix = prefix;
    if (const char* id = std::getenv("AWS_ACCESS_KEY_ID"); id == nullptr || *id == '\0')
        options.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
            dy::aws::Credentials{"dynanticbench", "dynanticbenchsecret", {}, {}});
    return dy::Client(std::move(options));
}

std::vector<Event> make_events() {
    std::vector<Event> events;
    events.reserve(item_count);
    for (std::size_t i = 0; i < item_count; ++i)
        events.push_back({"evt-" + std::to_string(i), static_cast<std::int64_t>(i), i % 2 ? "click" : "view",
                          std::string(100, 'p')});
    return events;
}

/** A fresh table for one benchmark, deleted afterwards. */
class BenchTable {
public:
    explicit BenchTable(const std::string& endpoint, const char* name)
        : table_(bench_client(endpoint, std::string("bench-") + name + "-" +
                                            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) +
                                            "-")) {
        table_.create_table();
    }
    ~BenchTable() {
        try {
            table_.delete_table();
        } catch (const std::exception&) {
        }
    }
    const dy::Table<Event>& operator*() const { return table_; }

private:
    dy::Table<Event> table_;
};

void BM_BatchSaveTenThousand(benchmark::State& state) {
    const auto ep = endpoint();
    if (!ep) {
        state.SkipWithError("DYNANTIC_BENCH_ENDPOINT is not set (e.g. http://127.0.0.1:8000 for DynamoDB Local)");
        return;
    }
    BenchTable table(*ep, "batch");
    const auto events = make_events();
    for (auto _ : state) (*table).batch_save(events);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * item_count));
}
BENCHMARK(BM_BatchSaveTenThousand)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The baseline: one PutItem per item, over the same keep-alive connection pool.
void BM_BatchSaveBaselineOnePutPerItem(benchmark::State& state) {
    const auto ep = endpoint();
    if (!ep) {
        state.SkipWithError("DYNANTIC_BENCH_ENDPOINT is not set (e.g. http://127.0.0.1:8000 for DynamoDB Local)");
        return;
    }
    BenchTable table(*ep, "single");
    const auto events = make_events();
    for (auto _ : state)
        for (const auto& e : events) (*table).save(e);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * item_count));
}
BENCHMARK(BM_BatchSaveBaselineOnePutPerItem)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
