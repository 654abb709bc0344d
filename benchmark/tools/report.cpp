// dynantic_bench_report DIR: the results table of benchmark/run.sh.
//
// Reads from DIR
//   *.json            Google Benchmark JSON outputs (every file; a benchmark measured several
//                     times, e.g. in several loopback rounds, counts with its median)
//   wrk.txt           one line per wrk run: "op=GetItem requests=N duration_us=N user_s=X sys_s=X p50_us=N"
//   cold_start_fixed.txt  key=value lines of tools/cold_start_fixed.cpp: baseline_ms, http_ms,
//                     static_c_ms, https_ms, https_system_ms, https_bundle_ms and their *_cpu_ms
//                     (optional)
//   cold_start.txt    the same keys prefixed ddb_, from benchmark/cold_start.cpp's output against
//                     DynamoDB Local (optional)
// prints the tables with every ratio and the budget verdicts (Markdown, so that
// docs/performance.md can quote it), and writes DIR/plot.dat for benchmark/tools/plot.gp.
// Exit status 0 even when a budget is missed: the verdicts are in the table.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

double median(std::vector<double> v) {
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Every measurement of one benchmark name. */
struct Samples {
    std::vector<double> cpu_us;    ///< CPU time per iteration
    std::vector<double> real_us;   ///< wall time per iteration
    std::map<std::string, std::vector<double>> counters;
    std::string error;
};

std::map<std::string, Samples> benchmarks;

/** The loopback rounds: name -> round -> {CPU us, ops/s}, from files named loopback-<round>-*.json,
    so that each figure is compared with wrk's in the same round. */
struct RoundSample {
    double cpu_us = NAN;
    double ops = NAN;
};
std::map<std::string, std::map<int, RoundSample>> rounds;

double to_us(double value, std::string_view unit) {
    if (unit == "ns") return value / 1e3;
    if (unit == "ms") return value * 1e3;
    if (unit == "s") return value * 1e6;
    return value;
}

void load_benchmark_json(const fs::path& file, int round) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    const json::value doc = json::parse(text.str(), ec);
    if (ec || !doc.is_object()) return;
    const auto* list = doc.as_object().if_contains("benchmarks");
    if (list == nullptr || !list->is_array()) return;
    for (const auto& b : list->as_array()) {
        const auto& o = b.as_object();
        if (const auto* type = o.if_contains("run_type"); type != nullptr && type->as_string() != "iteration") continue;
        const std::string name(o.at("name").as_string());
        Samples& s = benchmarks[name];
        if (const auto* err = o.if_contains("error_message"); err != nullptr) {
            s.error = std::string(err->as_string());
            continue;
        }
        if (const auto* skipped = o.if_contains("error_occurred"); skipped != nullptr && skipped->as_bool()) continue;
        const std::string unit(o.at("time_unit").as_string());
        s.cpu_us.push_back(to_us(o.at("cpu_time").to_number<double>(), unit));
        if (round > 0) {
            RoundSample& r = rounds[name][round];
            r.cpu_us = s.cpu_us.back();
            if (const auto* ops = o.if_contains("ops/s"); ops != nullptr && ops->is_number()) r.ops = ops->to_number<double>();
        }
        s.real_us.push_back(to_us(o.at("real_time").to_number<double>(), unit));
        for (const auto& [key, value] : o) {
            if (!value.is_number()) continue;
            const std::string k(key);
            if (k == "cpu_time" || k == "real_time" || k == "iterations" || k == "repetitions" ||
                k == "repetition_index" || k == "threads" || k == "family_index" || k == "per_family_instance_index")
                continue;
            s.counters[k].push_back(value.to_number<double>());
        }
    }
}

const Samples* find(const std::string& name) {
    const auto it = benchmarks.find(name);
    if (it == benchmarks.end() || it->second.cpu_us.empty()) return nullptr;
    return &it->second;
}
double cpu_us(const std::string& name) {
    const Samples* s = find(name);
    return s ? median(s->cpu_us) : NAN;
}
double counter(const std::string& name, const std::string& key) {
    const Samples* s = find(name);
    if (s == nullptr) return NAN;
    const auto it = s->counters.find(key);
    return it == s->counters.end() ? NAN : median(it->second);
}
std::string why_missing(const std::string& name) {
    const auto it = benchmarks.find(name);
    if (it == benchmarks.end()) return "not run";
    return it->second.error.empty() ? "no result" : it->second.error;
}

struct WrkRun {
    int round = 0;
    double requests = 0, duration_us = 0, user_s = 0, sys_s = 0, p50_us = 0;
    double rate() const { return requests / (duration_us / 1e6); }
    double cpu_us_per_request() const { return (user_s + sys_s) * 1e6 / requests; }
};
std::map<std::string, std::vector<WrkRun>> wrk_runs;

void load_wrk(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string word, op;
        WrkRun r;
        while (words >> word) {
            const auto eq = word.find('=');
            if (eq == std::string::npos) continue;
            const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
            if (key == "op") op = value;
            else if (key == "round") r.round = std::stoi(value);
            else if (key == "requests") r.requests = std::stod(value);
            else if (key == "duration_us") r.duration_us = std::stod(value);
            else if (key == "user_s") r.user_s = std::stod(value);
            else if (key == "sys_s") r.sys_s = std::stod(value);
            else if (key == "p50_us") r.p50_us = std::stod(value);
        }
        if (!op.empty() && r.requests > 0 && r.duration_us > 0) wrk_runs[op].push_back(r);
    }
}
double wrk_rate(const std::string& op) {
    std::vector<double> v;
    for (const auto& r : wrk_runs[op]) v.push_back(r.rate());
    return median(v);
}
double wrk_cpu(const std::string& op) {
    std::vector<double> v;
    for (const auto& r : wrk_runs[op]) v.push_back(r.cpu_us_per_request());
    return median(v);
}

/** Median over the rounds of f(dynantic's sample of `name` in round r, wrk's run of `op` in round r). */
template <class F>
double paired(const std::string& name, const std::string& op, F f) {
    std::vector<double> v;
    const auto it = rounds.find(name);
    if (it == rounds.end()) return NAN;
    for (const auto& w : wrk_runs[op]) {
        const auto r = it->second.find(w.round);
        if (r == it->second.end()) continue;
        const double x = f(r->second, w);
        if (!std::isnan(x)) v.push_back(x);
    }
    return median(v);
}
/** Median over the rounds of f(sample of `a` in round r, sample of `b` in round r), over the rounds
    that measured both (e.g. dynantic and the raw floor, run one after the other in each round). */
template <class F>
double paired_rounds(const std::string& a, const std::string& b, F f) {
    const auto ia = rounds.find(a), ib = rounds.find(b);
    if (ia == rounds.end() || ib == rounds.end()) return NAN;
    std::vector<double> v;
    for (const auto& [round, x] : ia->second) {
        const auto y = ib->second.find(round);
        if (y == ib->second.end()) continue;
        const double value = f(x, y->second);
        if (!std::isnan(value)) v.push_back(value);
    }
    return median(v);
}
/** Median over the rounds of the CPU time of `name` in that round (e.g. a baseline run beside it). */
double round_cpu(const std::string& name, int round) {
    const auto it = rounds.find(name);
    if (it == rounds.end()) return NAN;
    const auto r = it->second.find(round);
    return r == it->second.end() ? NAN : r->second.cpu_us;
}

std::map<std::string, double> load_key_values(const fs::path& file) {
    std::map<std::string, double> out;
    std::ifstream in(file);
    std::string word;
    while (in >> word)
        if (const auto eq = word.find('='); eq != std::string::npos) {
            try {
                out[word.substr(0, eq)] = std::stod(word.substr(eq + 1));
            } catch (...) {
            }
        }
    return out;
}

// ---- formatting ----------------------------------------------------------------------------

std::string fmt(double v, const char* unit = "") {
    if (std::isnan(v)) return "n/a";
    char buf[64];
    const double a = std::fabs(v);
    if (a >= 100000) std::snprintf(buf, sizeof buf, "%.0f%s", v, unit);
    else if (a >= 100) std::snprintf(buf, sizeof buf, "%.0f%s", v, unit);
    else if (a >= 10) std::snprintf(buf, sizeof buf, "%.1f%s", v, unit);
    else std::snprintf(buf, sizeof buf, "%.2f%s", v, unit);
    return buf;
}
std::string us(double v) { return fmt(v, " us"); }
std::string rate(double v) { return fmt(v, "/s"); }
std::string ratio(double a, double b) {
    if (std::isnan(a) || std::isnan(b) || b == 0) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2fx", a / b);
    return buf;
}
std::string percent(double a, double b) {
    if (std::isnan(a) || std::isnan(b) || b == 0) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100 * a / b);
    return buf;
}
std::string allocs(double v) { return std::isnan(v) ? "n/a" : fmt(v); }

struct Verdict {
    std::string budget;
    std::string measured;
    std::optional<bool> met;   ///< nullopt: not measured
};
std::vector<Verdict> verdicts;

std::string check(const std::string& budget, const std::string& measured, double value, double limit) {
    std::optional<bool> met;
    if (!std::isnan(value) && !std::isnan(limit)) met = value <= limit;
    verdicts.push_back({budget, measured, met});
    return !met ? "n/a" : *met ? "met" : "MISSED";
}
std::string check_at_least(const std::string& budget, const std::string& measured, double value, double limit) {
    std::optional<bool> met;
    if (!std::isnan(value) && !std::isnan(limit)) met = value >= limit;
    verdicts.push_back({budget, measured, met});
    return !met ? "n/a" : *met ? "met" : "MISSED";
}

void row(const std::vector<std::string>& cells) {
    std::string line = "|";
    for (const auto& c : cells) line += " " + c + " |";
    std::puts(line.c_str());
}
void header(const std::vector<std::string>& cells) {
    row(cells);
    std::string line = "|";
    for (std::size_t i = 0; i < cells.size(); ++i) line += (i == 0 ? ":---|" : "---:|");
    std::puts(line.c_str());
}

const char* const ops[] = {"GetItem", "PutItem", "Query", "BatchWriteItem"};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s RESULTS_DIR\n", argv[0]);
        return 2;
    }
    const fs::path dir = argv[1];
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        const std::string stem = entry.path().stem().string();   // loopback-<round>-<op>
        int round = 0;
        if (stem.rfind("loopback-", 0) == 0) round = std::atoi(stem.c_str() + 9);
        load_benchmark_json(entry.path(), round);
    }
    load_wrk(dir / "wrk.txt");
    auto cold = load_key_values(dir / "cold_start.txt");          // ddb_* keys
    for (const auto& [k, v] : load_key_values(dir / "cold_start_fixed.txt")) cold[k] = v;


    std::puts("### CPU paths (CPU time per operation, median)\n");
    header({"case", "dynantic", "baseline (same run)", "baseline", "ratio", "allocs/op", "budget"});
    {
        const double sign = cpu_us("BM_SigV4SignPutItem");
        row({"SigV4 signing of the PutItem request (key cached)", us(sign), "SHA-256 x2 + HMAC (OpenSSL)",
             us(cpu_us("BM_SigV4CryptoFloor")), ratio(sign, cpu_us("BM_SigV4CryptoFloor")),
             allocs(counter("BM_SigV4SignPutItem", "allocs/op")),
             "<= 3 us: " + check("SigV4 signing <= 3 us", us(sign), sign, 3)});
        const auto codec = [&](const char* label, const char* name, const char* baseline_label, const char* baseline,
                               double budget_ratio) {
            const double v = cpu_us(name), b = cpu_us(baseline);
            std::string budget;
            if (budget_ratio > 0) {
                char limit[64];
                std::snprintf(limit, sizeof limit, "<= %.1fx", budget_ratio);
                budget = std::string(limit) + ": " +
                         check(std::string(label) + " " + limit + " " + baseline_label, ratio(v, b), v, budget_ratio * b);
            }
            row({label, us(v), baseline_label, us(b), ratio(v, b), allocs(counter(name, "allocs/op")), budget});
        };
        codec("encode the item (model -> JSON text, to_item_json)", "BM_CodecEncodeItem", "serialize of its DOM",
              "BM_JsonSerializeItem", 2.5);
        codec("decode the item (JSON text -> model, from_item_json)", "BM_CodecDecodeItem", "boost::json::parse",
              "BM_JsonParseItem", 1.5);
        codec("decode the 100-item Query page (parse + from_item)", "BM_CodecDecodeQueryPage", "boost::json::parse",
              "BM_JsonParseQueryPage", 0);
        codec("parse the Query page into a monotonic arena", "BM_JsonParseQueryPageArena", "boost::json::parse",
              "BM_JsonParseQueryPage", 0);
        codec("expression: build + compile a 4-term condition", "BM_ExpressionCompile", "the same JSON by hand",
              "BM_ExpressionHandWritten", 0);
        row({"x-amz-crc32 check of the Query page (112 KB)", us(cpu_us("BM_Crc32QueryPage")), "boost::crc_32_type",
             us(cpu_us("BM_Crc32QueryPageBoost")), ratio(cpu_us("BM_Crc32QueryPage"), cpu_us("BM_Crc32QueryPageBoost")),
             "0", ""});
    }

    std::puts("\n### In process (a Transport returning the fixture bytes; CPU per operation)\n");
    header({"operation", "dynantic", "floor: serialize request + parse response", "ratio", "allocs/op", "budget"});
    for (const std::string op : ops) {
        const double v = cpu_us("BM_InProcess/" + op);
        const double floor = cpu_us("BM_InProcessFloor/" + op);
        std::string budget;
        if (op == "GetItem") budget = "<= 10 us: " + check("in-process GetItem <= 10 us CPU", us(v), v, 10);
        row({op, find("BM_InProcess/" + op) ? us(v) : why_missing("BM_InProcess/" + op), us(floor), ratio(v, floor),
             allocs(counter("BM_InProcess/" + op, "allocs/op")), budget});
    }

    std::puts("\n### Loopback: fixed-response nginx, one thread, one keep-alive connection, beside the raw floor\n");
    std::puts("The raw floor (BM_RawFloor, benchmark/raw_floor_bench.cpp) sends the bytes dynantic sends with one");
    std::puts("write(2) and reads the response until its Content-Length is complete, no parsing: the kernel's");
    std::puts("and nginx's share. It runs right after dynantic in each round; wrk -t1 -c1 with the same bytes");
    std::puts("runs in the same round as a reference. Rates and CPU times are medians over the rounds; each");
    std::puts("ratio is the median of the per-round ratios.\n");
    header({"operation", "dynantic ops/s", "raw floor ops/s", "rate vs floor", "dynantic CPU/op", "raw floor CPU/op",
            "CPU vs floor", "wrk req/s (ref.)", "wrk CPU/req (ref.)", "CPU vs wrk", "allocs/op", "budget"});
    std::FILE* plot = std::fopen((dir / "plot.dat").c_str(), "w");
    if (plot) std::fputs("# op dynantic_ops wrk_ops dynantic_cpu_us wrk_cpu_us in_process_cpu_us raw_ops raw_cpu_us\n", plot);
    for (const std::string op : ops) {
        const std::string name = "BM_Loopback/" + op + "/real_time";
        const std::string raw = "BM_RawFloor/" + op + "/real_time";
        const double ops_s = counter(name, "ops/s");
        const double cpu = cpu_us(name);
        const double raw_ops = counter(raw, "ops/s");
        const double raw_cpu = cpu_us(raw);
        const double w_rate = wrk_rate(op);
        const double w_cpu = wrk_cpu(op);
        const double raw_rate_ratio =
            paired_rounds(name, raw, [](const RoundSample& d, const RoundSample& f) { return d.ops / f.ops; });
        const double raw_cpu_ratio =
            paired_rounds(name, raw, [](const RoundSample& d, const RoundSample& f) { return d.cpu_us / f.cpu_us; });
        const double rate_ratio = paired(name, op, [](const RoundSample& d, const WrkRun& w) { return d.ops / w.rate(); });
        const double cpu_ratio =
            paired(name, op, [](const RoundSample& d, const WrkRun& w) { return d.cpu_us / w.cpu_us_per_request(); });
        const auto pct = [](double r) { return percent(r, 1); };
        const auto times = [](double r) { return ratio(r, 1); };
        std::string budget;
        if (op == "GetItem" || op == "PutItem") {
            budget = "CPU <= 1.25x floor: " +
                     check("loopback " + op + " CPU <= 1.25x the raw floor's", times(raw_cpu_ratio), raw_cpu_ratio, 1.25) +
                     "; rate >= 90% of floor: " +
                     check_at_least("loopback " + op + " rate >= 90% of the raw floor's", pct(raw_rate_ratio),
                                    raw_rate_ratio, 0.9) +
                     "; (wrk) rate >= 80%: " +
                     check_at_least("loopback " + op + " >= 80% of wrk's rate", pct(rate_ratio), rate_ratio, 0.8) +
                     "; (wrk) CPU <= 1.5x: " + check("loopback " + op + " CPU <= 1.5x wrk's", times(cpu_ratio), cpu_ratio, 1.5);
        } else if (op == "Query") {
            // Per round: dynantic's CPU against the floor's + 1.2 us for each of the page's 100 items.
            const double over = paired_rounds(name, raw, [](const RoundSample& d, const RoundSample& f) {
                return (d.cpu_us - f.cpu_us) / 100;
            });
            budget = "CPU <= floor + 1.2 us/item: " +
                     check("loopback Query CPU <= raw floor + 1.2 us per item", us(over) + "/item over the floor", over, 1.2);
            // Per round: dynantic's CPU against wrk's CPU + 1.5 x the DOM parse measured beside it.
            const double share = paired(name, op, [](const RoundSample& d, const WrkRun& w) {
                return d.cpu_us / (w.cpu_us_per_request() + 1.5 * round_cpu("BM_JsonParseQueryPage", w.round));
            });
            const double limit = wrk_cpu(op) + 1.5 * median([&] {
                std::vector<double> v;
                for (const auto& w : wrk_runs[op]) v.push_back(round_cpu("BM_JsonParseQueryPage", w.round));
                return v;
            }());
            budget += "; (wrk) CPU <= wrk + 1.5 x parse (" + us(limit) + "): " +
                      check("loopback Query CPU <= wrk CPU + 1.5 x parse of the page", times(share) + " of the limit", share, 1.0);
        } else if (op == "BatchWriteItem") {
            budget = "CPU <= 3x floor: " +
                     check("loopback BatchWriteItem CPU <= 3x the raw floor's", times(raw_cpu_ratio), raw_cpu_ratio, 3);
        }
        row({op, find(name) ? rate(ops_s) : why_missing(name), find(raw) ? rate(raw_ops) : why_missing(raw),
             pct(raw_rate_ratio), us(cpu), us(raw_cpu), times(raw_cpu_ratio), rate(w_rate), us(w_cpu), times(cpu_ratio),
             allocs(counter(name, "allocs/op")), budget});
        if (plot)
            std::fprintf(plot, "%s %g %g %g %g %g %g %g\n", op.c_str(), ops_s, w_rate, cpu, w_cpu,
                         cpu_us("BM_InProcess/" + op), raw_ops, raw_cpu);
    }
    if (plot) std::fclose(plot);

    std::puts("\n### Threads sharing one client and its pool (GetItem, fixed-response nginx)\n");
    header({"threads", "ops/s (all threads)", "vs 1 thread", "CPU/op", "allocs/op"});
    const double one = counter("BM_LoopbackThreads/GetItem/real_time/threads:1", "ops/s");
    for (int t : {1, 2, 4}) {
        const std::string name = "BM_LoopbackThreads/GetItem/real_time/threads:" + std::to_string(t);
        row({std::to_string(t), find(name) ? rate(counter(name, "ops/s")) : why_missing(name),
             ratio(counter(name, "ops/s"), one), us(cpu_us(name)), allocs(counter(name, "allocs/op"))});
    }

    std::puts("\n### DynamoDB Local (server-bound: the client's CPU is the figure of interest)\n");
    header({"operation", "ops/s", "client CPU/op", "client CPU share of wall time", "allocs/op"});
    for (const std::string op : ops) {
        const std::string name = "BM_DynamoDBLocal/" + op + "/real_time";
        const Samples* s = find(name);
        row({op, s ? rate(counter(name, "ops/s")) : why_missing(name), us(cpu_us(name)),
             s ? percent(cpu_us(name), median(s->real_us)) : "n/a", allocs(counter(name, "allocs/op"))});
    }

    std::puts("\n### Cold start: exec to the first answered GetItem (median of 20 runs)\n");
    header({"server", "endpoint", "dynantic (wall)", "its CPU", "baseline: the binary exits at once (wall / CPU)",
            "budget"});
    {
        const auto get = [&](const std::string& k) { const auto it = cold.find(k); return it == cold.end() ? NAN : it->second; };
        const auto ms = [](double v) { return fmt(v, " ms"); };
        const std::string base = ms(get("baseline_ms")) + " / " + ms(get("baseline_cpu_ms"));
        const double http = get("http_ms"), https = get("https_ms");
        const double floor = get("static_c_ms");
        row({"fixed-response nginx", "http://", ms(http), ms(get("http_cpu_ms")), base,
             "<= 10 ms: " + check("cold start over http <= 10 ms (fixed-response server)", ms(http), http, 10) +
                 "; <= 2x the static C program: " +
                 check("cold start over http <= 2x a static C program's one request", ratio(http, floor), http, 2 * floor)});
        row({"fixed-response nginx", "http://, the floor: a static C program, one request (tools/cold_start_c.c)",
             ms(floor), ms(get("static_c_cpu_ms")), base, "dynantic / floor: " + ratio(http, floor)});
        {
            const double linked = get("linked_static_http_ms"), its_floor = get("linked_static_static_c_ms");
            row({"fixed-response nginx", "http://, dynantic linked statically (as the lambda preset)", ms(linked),
                 ms(get("linked_static_http_cpu_ms")),
                 ms(get("linked_static_baseline_ms")) + " / " + ms(get("linked_static_baseline_cpu_ms")) +
                     " (static); the C floor beside it: " + ms(its_floor),
                 "<= 2x the static C program: " +
                     check("cold start over http, linked statically, <= 2x a static C program's one request",
                           ratio(linked, its_floor), linked, 2 * its_floor)});
        }
        row({"fixed-response nginx", "https:// (trusting the local CA)", ms(https), ms(get("https_cpu_ms")), base,
             "<= 25 ms: " + check("cold start over https <= 25 ms (fixed-response server)", ms(https), https, 25)});
        row({"fixed-response nginx", "https://, the system store (+ the local CA)", ms(get("https_system_ms")),
             ms(get("https_system_cpu_ms")), base, "(information)"});
        row({"fixed-response nginx", "https://, AWS_CA_BUNDLE = system bundle + local CA", ms(get("https_bundle_ms")),
             ms(get("https_bundle_cpu_ms")), base, "(information)"});
        const std::string ddb_base = ms(get("ddb_baseline_ms")) + " / " + ms(get("ddb_baseline_cpu_ms"));
        row({"DynamoDB Local (cold_start.cpp)", "http://", ms(get("ddb_http_ms")), ms(get("ddb_http_cpu_ms")), ddb_base,
             "(information: includes the server)"});
        row({"DynamoDB Local (cold_start.cpp)", "https:// (nginx in front, local CA)", ms(get("ddb_https_ms")),
             ms(get("ddb_https_cpu_ms")), ddb_base, "(information: includes the server)"});
        row({"DynamoDB Local (cold_start.cpp)", "https://, the system store (+ the local CA)", ms(get("ddb_https_system_ms")),
             ms(get("ddb_https_system_cpu_ms")), ddb_base, "(information: includes the server)"});
        row({"DynamoDB Local (cold_start.cpp)", "https://, AWS_CA_BUNDLE = system bundle + local CA",
             ms(get("ddb_https_bundle_ms")), ms(get("ddb_https_bundle_cpu_ms")), ddb_base,
             "(information: includes the server)"});
    }

    std::puts("\n### Steady state: resident set size, in-process GetItem\n");
    header({"after", "RSS"});
    {
        const std::string name = "BM_SteadyStateRss/iterations:1";
        const double start = counter(name, "rss_start_kib"), a = counter(name, "rss_1e5_kib"), b = counter(name, "rss_1e6_kib");
        row({"warm-up (10^3)", fmt(start / 1024, " MiB")});
        row({"10^5 GetItems", fmt(a / 1024, " MiB")});
        row({"10^6 GetItems", fmt(b / 1024, " MiB") + " (" + (std::isnan(a) ? "n/a" : fmt((b - a), " KiB")) + " more)"});
    }

    std::puts("\n### Budgets\n");
    header({"budget", "measured", "verdict"});
    int missed = 0;
    for (const auto& v : verdicts) {
        row({v.budget, v.measured, !v.met ? "not measured" : *v.met ? "met" : "MISSED"});
        missed += v.met && !*v.met;
    }
    std::printf("\n%d of %zu budgets missed.\n", missed, verdicts.size());
    return 0;
}
