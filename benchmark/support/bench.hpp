#pragma once
// Shared by the benchmarks: the fixture bytes, the model that mirrors the fixture item, a
// Transport that answers with the fixture responses (no sockets), clients for each target,
// heap-allocation and CPU counters.

#include <dynantic/aws/sigv4.hpp>
#include <dynantic/dynantic.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// ---- the model: mirrors benchmark/fixtures/responses/item.json -----------------------------
namespace bench_model {

struct Geo {
    dynantic::Decimal lat;   // exact: "-74.0060" is written back as it was read
    dynantic::Decimal lon;
};
BOOST_DESCRIBE_STRUCT(Geo, (), (lat, lon))

struct Address {
    std::string street;
    std::string city;
    std::string zip;
    Geo geo;
};
BOOST_DESCRIBE_STRUCT(Address, (), (street, city, zip, geo))

struct Event {
    std::int64_t ts = 0;
    std::string event;
    bool ok = false;
};
BOOST_DESCRIBE_STRUCT(Event, (), (ts, event, ok))

/** 13 attributes: S, N, BOOL, SS, L of N, M nested two levels, L of M. */
struct Profile {
    std::string pk;
    std::string sk;
    std::string name;
    std::string email;
    int age = 0;
    dynantic::Decimal balance;
    bool active = false;
    std::int64_t created_at = 0;
    std::set<std::string> tags;
    std::vector<int> scores;
    Address address;
    std::vector<Event> history;
    std::string bio;
};
BOOST_DESCRIBE_STRUCT(Profile, (),
                      (pk, sk, name, email, age, balance, active, created_at, tags, scores, address, history, bio))

constexpr auto dynantic_schema(const Profile*) {
    return dynantic::table("bench").partition_key(&Profile::pk).sort_key(&Profile::sk);
}

}  // namespace bench_model

namespace dynantic::bench {

// ---- fixtures ------------------------------------------------------------------------------

/** The bytes of `benchmark/fixtures/<relative>`; read once. Aborts with a message if missing. */
const std::string& fixture(std::string_view relative);

/** The fixture item as the model, decoded once. */
const ::bench_model::Profile& fixture_profile();

/** CRC32 (IEEE, as in `x-amz-crc32`) of `data`. */
std::uint32_t crc32(std::string_view data);

/** The four operations measured end to end. */
inline constexpr std::string_view operations[] = {"GetItem", "PutItem", "Query", "BatchWriteItem"};

// ---- an in-process transport ---------------------------------------------------------------

/** Answers every request with `responses/<Operation>.json` (by `X-Amz-Target`), with the headers
    DynamoDB sends: `x-amz-crc32` of the body, `x-amzn-RequestId`, `Content-Type`. No sockets. */
class FixtureTransport : public http::Transport {
public:
    FixtureTransport();
    http::HttpResponse send(const http::Endpoint& endpoint, const http::HttpRequest& request) override;

private:
    struct Canned {
        std::string body;
        std::string crc;
    };
    std::map<std::string, Canned, std::less<>> responses_;
};

// ---- clients -------------------------------------------------------------------------------

/** A client with static credentials (a signing key is derived once and cached), region
    us-east-1 and `endpoint`; `transport` null = the Beast transport. */
Client make_client(std::string endpoint, std::shared_ptr<http::Transport> transport = nullptr);

/** The client over FixtureTransport (shared by every in-process benchmark). */
const Client& in_process_client();

/** The endpoint in environment variable `variable` (run.sh sets DYNANTIC_BENCH_LOOPBACK for the
    fixed-response server, DYNANTIC_BENCH_DYNAMODB for DynamoDB Local), or nullopt. */
std::optional<std::string> endpoint_from_env(const char* variable);

// ---- counters ------------------------------------------------------------------------------

/** Heap allocations made by this thread so far: global operator new (every form) plus
    OpenSSL's allocations (CRYPTO_malloc/realloc), counted in support/alloc_counter.cpp. */
std::uint64_t thread_allocations() noexcept;
/** False if OpenSSL had allocated before the counting allocator could be installed. */
bool openssl_allocations_counted() noexcept;

/** CPU time of the calling thread, in microseconds (CLOCK_THREAD_CPUTIME_ID). */
double thread_cpu_us() noexcept;

/** Resident set size of the process now, in KiB (/proc/self/statm). */
long rss_kib();

/** Measures allocations per iteration of one benchmark thread: construct before the loop,
    call `finish(state)` after it. Adds the counter "allocs/op". */
class AllocationMeter {
public:
    AllocationMeter() : start_(thread_allocations()) {}
    void finish(benchmark::State& state) const {
        state.counters["allocs/op"] = benchmark::Counter(static_cast<double>(thread_allocations() - start_),
                                                         benchmark::Counter::kAvgIterations);
    }

private:
    std::uint64_t start_;
};

// ---- the bodies of the four operations, through Table<Profile> -----------------------------

/** What each operation sends: built once from the fixture item. */
struct Workload {
    ::bench_model::Profile item;                    ///< the PutItem item
    std::vector<::bench_model::Profile> batch;      ///< 25 items for BatchWriteItem
};
const Workload& workload();

/** One operation through `Table<Profile>` on `client`; returns a number derived from the result
    so that nothing is optimized away. */
std::size_t run_operation(const Table<::bench_model::Profile>& table, std::string_view operation);

}  // namespace dynantic::bench
