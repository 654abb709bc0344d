#include "support/bench.hpp"

#include <boost/crc.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <sstream>

#include <unistd.h>

namespace dynantic::bench {

const std::string& fixture(std::string_view relative) {
    static std::mutex mutex;
    static std::map<std::string, std::string, std::less<>> cache;
    const std::lock_guard lock(mutex);
    if (auto it = cache.find(relative); it != cache.end()) return it->second;
    const std::string path = std::string(DYNANTIC_BENCH_FIXTURES) + "/" + std::string(relative);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "dynantic_benchmarks: cannot read fixture %s\n", path.c_str());
        std::abort();
    }
    std::ostringstream text;
    text << in.rdbuf();
    return cache.emplace(std::string(relative), text.str()).first->second;
}

const ::bench_model::Profile& fixture_profile() {
    static const ::bench_model::Profile profile =
        from_item<::bench_model::Profile>(boost::json::parse(fixture("responses/item.json")).as_object());
    return profile;
}

std::uint32_t crc32(std::string_view data) {
    boost::crc_32_type crc;
    crc.process_bytes(data.data(), data.size());
    return crc.checksum();
}

FixtureTransport::FixtureTransport() {
    for (std::string_view op : operations) {
        Canned c;
        c.body = fixture("responses/" + std::string(op) + ".json");
        c.crc = std::to_string(crc32(c.body));
        responses_.emplace("DynamoDB_20120810." + std::string(op), std::move(c));
    }
}

http::HttpResponse FixtureTransport::send(const http::Endpoint&, const http::HttpRequest& request) {
    http::HttpResponse response;
    const auto it = responses_.find(http::find_header(request.headers, "X-Amz-Target"));
    if (it == responses_.end()) {
        response.status = 400;
        response.body = R"({"__type":"com.amazon.coral.validate#UnknownOperationException"})";
        return response;
    }
    response.status = 200;
    response.headers.reserve(3);
    response.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    response.headers.emplace_back("x-amzn-RequestId", "BENCHREQUESTID0000000000000000000000000000000000000");
    response.headers.emplace_back("x-amz-crc32", it->second.crc);
    response.body = it->second.body;
    return response;
}

Client make_client(std::string endpoint, std::shared_ptr<http::Transport> transport) {
    ClientOptions options;
    options.region = "us-east-1";
    options.endpoint = std::move(endpoint);
    options.credentials = std::make_shared<aws::StaticCredentialsProvider>(
        aws::Credentials{"AKIDBENCHMARK", "benchmark/secret/key/0123456789abcdefghij", {}, {}});
    options.transport = std::move(transport);
    options.retry.max_attempts = 1;   // a failure should show, not be hidden by a retry
    return Client(std::move(options));
}

const Client& in_process_client() {
    static const Client client = make_client("http://127.0.0.1:9", std::make_shared<FixtureTransport>());
    return client;
}

std::optional<std::string> endpoint_from_env(const char* variable) {
    const char* v = std::getenv(variable);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

double thread_cpu_us() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

long rss_kib() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

namespace {
/** `v` with the elements of every SS, NS and BS sorted: sets have no order. */
boost::json::value sets_sorted(boost::json::value v) {
    if (auto* o = v.if_object()) {
        for (auto& [key, child] : *o) {
            if ((key == "SS" || key == "NS" || key == "BS") && child.is_array()) {
                auto& a = child.get_array();
                std::sort(a.begin(), a.end(), [](const auto& x, const auto& y) {
                    return x.is_string() && y.is_string() && x.get_string() < y.get_string();
                });
            } else {
                child = sets_sorted(std::move(child));
            }
        }
    } else if (auto* a = v.if_array()) {
        for (auto& child : *a) child = sets_sorted(std::move(child));
    }
    return v;
}
}  // namespace

const Workload& workload() {
    static const Workload w = [] {
        Workload out;
        out.item = fixture_profile();
        // The model must reproduce the fixture item, so that dynantic sends what wrk sends.
        const Table<::bench_model::Profile> table(in_process_client());
        const boost::json::value fixture_item =
            boost::json::parse(fixture("requests/PutItem.json")).as_object().at("Item");
        if (sets_sorted(table.encode_item(out.item)) != sets_sorted(fixture_item)) {
            std::fprintf(stderr, "dynantic_benchmarks: the model does not reproduce the fixture item\n");
            std::abort();
        }
        out.batch.reserve(25);
        for (int i = 0; i < 25; ++i) {
            ::bench_model::Profile p = fixture_profile();
            char pk[32];
            std::snprintf(pk, sizeof pk, "batch#%04d", 0);
            char sk[32];
            std::snprintf(sk, sizeof sk, "profile#%04d", i);
            p.pk = pk;
            p.sk = sk;
            out.batch.push_back(std::move(p));
        }
        return out;
    }();
    return w;
}

std::size_t run_operation(const Table<::bench_model::Profile>& table, std::string_view operation) {
    const Workload& w = workload();
    if (operation == "GetItem") {
        const auto got = table.get("user#000042", "profile#0000");
        return got ? got->bio.size() : 0;
    }
    if (operation == "PutItem") {
        table.save(w.item);
        return 1;
    }
    if (operation == "Query") {
        const auto page = table.query("user#000042").page();
        return page.items.size();
    }
    if (operation == "BatchWriteItem") {
        table.batch_save(w.batch);   // 25 items: one BatchWriteItem
        return w.batch.size();
    }
    std::fprintf(stderr, "dynantic_benchmarks: unknown operation\n");
    std::abort();
}

}  // namespace dynantic::bench
