// Cold start: process start to the first answered GetItem, as a Lambda function's first
// invocation sees it (exec, dynamic linking, static initialisation, client construction,
// TCP connect, SigV4 signing, one GetItem, exit).
//
//   DYNANTIC_BENCH_ENDPOINT=http://127.0.0.1:8000 build/.../benchmark/cold_start [--runs 20]
//
// The parent creates a table with one item, then runs itself `--runs` times as a child
// (posix_spawn of /proc/self/exe) and times each run with steady_clock from just before the
// spawn to waitpid's return. Each child builds a client and a Table<Item>, gets the item and
// exits 0 when it was found. A baseline in the same run spawns children that exit at once, so
// the difference is dynantic's share. The children's CPU time (user + system, from wait4) is
// printed too: on a busy machine it stays put while the wall time grows. Not a timed test: run
// it by hand on a quiet machine (benchmark/run.sh runs it over http and https).
#include <dynantic/dynantic.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace dy = dynantic;

namespace coldstart {
struct Item {
    std::string id;
    std::string payload;
    std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(Item, (), (id, payload, n))
constexpr auto dynantic_schema(const Item*) { return dy::table("cold_start_items").partition_key(&Item::id); }
}  // namespace coldstart

using coldstart::Item;

namespace {

const char* env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
}

dy::Client bench_client() {
    dy::ClientOptions options;
    options.endpoint = env_or("DYNANTIC_BENCH_ENDPOINT", "");
    options.region = env_or("AWS_REGION", "us-east-1");
    options.table_prefix = env_or("DYNANTIC_BENCH_TABLE_PREFIX", "");
    if (std::getenv("AWS_ACCESS_KEY_ID") == nullptr)
        options.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
            dy::aws::Credentials{"dynanticbench", "dynanticbenchsecret", {}, {}});
    return dy::Client(std::move(options));
}

/** The child: one GetItem. Exit status 0 = found, 2 = missing, 1 = error. */
int child() {
    try {
        const dy::Table<Item> items(bench_client());
        return items.get("hot") ? 0 : 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cold_start child: %s\n", e.what());
        return 1;
    }
}

/** CPU time (user + system) of the last child `spawn_and_wait_ms` waited for, in ms: unlike the
    wall time, it does not grow while the child waits for a core on a busy machine. */
double last_child_cpu_ms = 0;

/** Spawns this program with `mode` and returns the wall time to its exit, or -1 on failure. */
double spawn_and_wait_ms(const char* mode) {
    char self[] = "/proc/self/exe";
    char* argv[] = {self, const_cast<char*>(mode), nullptr};
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    if (::posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv, environ) != 0) return -1;
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid) return -1;
    const auto end = std::chrono::steady_clock::now();
    last_child_cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                        (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "cold_start: child %s exited with status %d\n", mode, status);
        return -1;
    }
    return std::chrono::duration<double, std::milli>(end - start).count();
}

struct Stats {
    double median = 0, min = 0, p90 = 0, max = 0;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    Stats s;
    s.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    s.min = v.front();
    s.max = v.back();
    s.p90 = v[std::min(n - 1, (n * 9 + 9) / 10 - 1)];
    return s;
}

/** Runs the baseline and the cold child alternately (so load changes hit both alike), after
    two warm-up runs of each (page cache, the server's JIT). Empty vectors on failure. */
bool measure(int runs, std::vector<double>& baseline, std::vector<double>& cold, std::vector<double>& baseline_cpu,
             std::vector<double>& cold_cpu) {
    for (int i = 0; i < runs + 2; ++i) {
        const double b = spawn_and_wait_ms("--noop");
        const double b_cpu = last_child_cpu_ms;
        const double c = spawn_and_wait_ms("--child");
        if (b < 0 || c < 0) return false;
        if (i < 2) continue;
        baseline.push_back(b);
        cold.push_back(c);
        baseline_cpu.push_back(b_cpu);
        cold_cpu.push_back(last_child_cpu_ms);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string_view(argv[1]) == "--child") return child();
    if (argc > 1 && std::string_view(argv[1]) == "--noop") return 0;

    int runs = 20;
    for (int i = 1; i < argc; ++i)
        if (std::string_view(argv[i]) == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    if (std::getenv("DYNANTIC_BENCH_ENDPOINT") == nullptr) {
        std::fprintf(stderr, "cold_start: set DYNANTIC_BENCH_ENDPOINT (e.g. http://127.0.0.1:8000, DynamoDB Local)\n");
        return 2;
    }
    const std::string prefix = "coldstart-" + std::to_string(::getpid()) + "-";
    ::setenv("DYNANTIC_BENCH_TABLE_PREFIX", prefix.c_str(), 1);

    const dy::Table<Item> items(bench_client());
    items.create_table();
    int status = 0;
    try {
        items.save({"hot", std::string(200, 'x'), 42});
        std::vector<double> baseline, cold, baseline_cpu, cold_cpu;
        const bool measured = measure(runs, baseline, cold, baseline_cpu, cold_cpu);
        std::vector<double> warm;   // the same GetItem in this process, on a kept-alive connection
        for (int i = 0; i < runs + 2; ++i) {
            const auto start = std::chrono::steady_clock::now();
            if (!items.get("hot")) throw std::runtime_error("the item is missing");
            if (i >= 2) warm.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        if (!measured) {
            status = 1;
        } else {
            const Stats b = stats(baseline), c = stats(cold), w = stats(warm);
            std::printf("cold start, process start to first answered GetItem, %d runs against %s\n", runs,
                        std::getenv("DYNANTIC_BENCH_ENDPOINT"));
            std::printf("  %-28s median %7.2f ms  min %7.2f  p90 %7.2f  max %7.2f\n", "spawn+exit (baseline)", b.median,
                        b.min, b.p90, b.max);
            std::printf("  %-28s median %7.2f ms  min %7.2f  p90 %7.2f  max %7.2f\n", "spawn+GetItem+exit", c.median,
                        c.min, c.p90, c.max);
            std::printf("  %-28s median %7.2f ms  min %7.2f  p90 %7.2f  max %7.2f\n", "warm GetItem (in process)",
                        w.median, w.min, w.p90, w.max);
            std::printf("  cold minus baseline (medians): %.2f ms\n", c.median - b.median);
            const Stats bc = stats(baseline_cpu), cc = stats(cold_cpu);
            std::printf("  %-28s median %7.2f ms  min %7.2f  p90 %7.2f  max %7.2f\n", "CPU of spawn+exit child",
                        bc.median, bc.min, bc.p90, bc.max);
            std::printf("  %-28s median %7.2f ms  min %7.2f  p90 %7.2f  max %7.2f\n", "CPU of spawn+GetItem child",
                        cc.median, cc.min, cc.p90, cc.max);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cold_start: %s\n", e.what());
        status = 1;
    }
    items.delete_table();
    return status;
}
