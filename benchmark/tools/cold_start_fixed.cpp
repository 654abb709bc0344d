// dynantic_cold_start_fixed: the client's own cold start, against the fixed-response server of
// benchmark/run.sh (nginx answers in microseconds, so the figure is dynantic's, not a server's):
// process start to the first answered GetItem, as the first invocation of a Lambda function sees
// it: exec, dynamic linking, static initialisation, client and table construction, TCP connect
// (and TLS handshake with certificate verification), SigV4 signing, one GetItem decoded into a
// model, exit. benchmark/cold_start.cpp measures the same against DynamoDB Local (it creates its
// own table there), which adds DynamoDB Local's answer to a new connection (a few ms).
//
//   dynantic_cold_start_fixed --runs 20 --http http://127.0.0.1:P --https https://127.0.0.1:Q
//                             --ca-file ca.pem [--system-ca-dir DIR] [--system-ca-file bundle.pem]
//                             [--static-c PATH]
//
// The parent spawns itself (posix_spawn of /proc/self/exe) as a child that does one GetItem and
// exits 0 when the item came back, and times each child with steady_clock from just before the
// spawn to wait4's return (which also gives the child's CPU time). Modes alternate run by run
// (baseline, http, https, ...) so that all see the same machine. The baseline child exits as soon
// as main starts: exec and loading the same binary and its libraries, which every mode pays.
// Prints medians as key=value lines: baseline_ms= http_ms= https_ms= [https_system_ms=]
// [https_bundle_ms=], and the children's CPU times as <mode>_cpu_ms=. `--system-ca-dir` adds a
// mode on the system store (no CA file; SSL_CERT_DIR set to DIR, a hashed directory holding the
// system's certificates and the local CA; SSL_CERT_FILE and AWS_CA_BUNDLE unset, as on Lambda), `--system-ca-file` one that trusts a whole bundle file
// (the system's plus the local CA) as `AWS_CA_BUNDLE` would. `--static-c` adds the floor,
// static_c_ms: tools/cold_start_c.c, a statically linked C program doing one GetItem request over
// http (the budget: the client's http cold start at most twice that).
#include <dynantic/dynantic.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace dy = dynantic;

namespace cold_start_model {
/** The fixture item's key and a few attributes (the rest of the item is ignored when decoding). */
struct Profile {
    std::string pk;
    std::string sk;
    std::string name;
    std::string email;
    int age = 0;
    bool active = false;
};
BOOST_DESCRIBE_STRUCT(Profile, (), (pk, sk, name, email, age, active))
constexpr auto dynantic_schema(const Profile*) {
    return dy::table("bench").partition_key(&Profile::pk).sort_key(&Profile::sk);
}
}  // namespace cold_start_model

namespace {

/** The child: one GetItem. Exit status 0 = found, 2 = missing, 1 = error. */
int child(const char* endpoint, const char* ca_file, const char* cert_dir) {
    try {
        if (cert_dir != nullptr && *cert_dir != '\0') {
            // The system store alone, as on AWS Lambda: no bundle named by the environment.
            ::setenv("SSL_CERT_DIR", cert_dir, 1);
            ::unsetenv("SSL_CERT_FILE");
            ::unsetenv("AWS_CA_BUNDLE");
        }
        dy::ClientOptions options;
        options.region = "us-east-1";
        options.endpoint = endpoint;
        options.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
            dy::aws::Credentials{"AKIDBENCHMARK", "benchmark/secret/key/0123456789abcdefghij", {}, {}});
        if (ca_file != nullptr && *ca_file != '\0') options.http.tls.ca_file = ca_file;
        const dy::Table<cold_start_model::Profile> table(dy::Client(std::move(options)));
        return table.get("user#000042", "profile#0000") ? 0 : 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dynantic_cold_start_fixed child: %s\n", e.what());
        return 1;
    }
}

/** CPU time (user + system) of the last child waited for, in ms (wait4). */
double last_child_cpu_ms = 0;

/** Spawns `program` (this one by default) with `args` and returns the milliseconds to its exit, or
    -1 on failure. */
double spawn_and_wait_ms(std::vector<std::string> args, std::string program = "/proc/self/exe") {
    std::vector<char*> argv;
    argv.push_back(program.data());
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    if (::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return -1;
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid) return -1;
    const auto end = std::chrono::steady_clock::now();
    last_child_cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                        (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    return std::chrono::duration<double, std::milli>(end - start).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? -1 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "--child-baseline") == 0) return 0;
    if (argc >= 3 && std::strcmp(argv[1], "--child") == 0) return child(argv[2], argc >= 4 ? argv[3] : nullptr, argc >= 5 ? argv[4] : nullptr);

    int runs = 20;
    std::string http, https, ca_file, system_ca_dir, system_ca_file, static_c;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (flag == "--runs") runs = std::atoi(argv[i + 1]);
        else if (flag == "--http") http = argv[i + 1];
        else if (flag == "--https") https = argv[i + 1];
        else if (flag == "--ca-file") ca_file = argv[i + 1];
        else if (flag == "--system-ca-dir") system_ca_dir = argv[i + 1];
        else if (flag == "--system-ca-file") system_ca_file = argv[i + 1];
        else if (flag == "--static-c") static_c = argv[i + 1];
        else {
            std::fprintf(stderr, "dynantic_cold_start_fixed: unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    struct Mode {
        std::string key;
        std::vector<std::string> args;
        std::vector<double> ms{};
        std::vector<double> cpu_ms{};
        std::string program = "/proc/self/exe";
    };
    std::vector<Mode> modes{{"baseline_ms", {"--child-baseline"}}};
    if (!http.empty()) modes.push_back({"http_ms", {"--child", http}});
    if (!http.empty() && !static_c.empty()) modes.push_back({"static_c_ms", {http}, {}, {}, static_c});
    if (!https.empty()) modes.push_back({"https_ms", {"--child", https, ca_file}});
    if (!https.empty() && !system_ca_dir.empty())
        modes.push_back({"https_system_ms", {"--child", https, "", system_ca_dir}});
    if (!https.empty() && !system_ca_file.empty())
        modes.push_back({"https_bundle_ms", {"--child", https, system_ca_file}});

    for (auto& m : modes) spawn_and_wait_ms(m.args, m.program);   // warm the page cache and the server
    for (int r = 0; r < runs; ++r)
        for (auto& m : modes) {
            const double ms = spawn_and_wait_ms(m.args, m.program);
            if (ms < 0) {
                std::fprintf(stderr, "dynantic_cold_start_fixed: a %s child failed\n", m.key.c_str());
                return 1;
            }
            m.ms.push_back(ms);
            m.cpu_ms.push_back(last_child_cpu_ms);
        }
    for (const auto& m : modes) {
        auto sorted = m.ms;
        std::sort(sorted.begin(), sorted.end());
        const std::string cpu_key = m.key.substr(0, m.key.size() - 3) + "_cpu_ms";
        std::printf("%s=%.2f  # min %.2f, max %.2f, %d runs\n", m.key.c_str(), median(m.ms), sorted.front(),
                    sorted.back(), runs);
        std::printf("%s=%.2f  # the child's CPU time, user + system\n", cpu_key.c_str(), median(m.cpu_ms));
    }
    return 0;
}
