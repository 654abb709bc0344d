#pragma once
/** @file
    A GoogleTest environment that gives a test program a DynamoDB endpoint:

    - `DYNANTIC_TEST_ENDPOINT=http://127.0.0.1:8000` in the environment: attach to that server;
    - else `DYNANTIC_DYNAMODB_LOCAL_JAR=/path/DynamoDBLocal.jar`: start Amazon's DynamoDB Local
      with `java` (in memory, on a free loopback port, `DynamoDBLocal_lib` beside the jar), wait
      until it answers ListTables, export `DYNANTIC_TEST_ENDPOINT` for the tests, and stop it at
      the end of the program;
    - else nothing: tests that need DynamoDB skip themselves (`DYNANTIC_SKIP_WITHOUT_DYNAMODB()`).

    @code
    int main(int argc, char** argv) {
        ::testing::InitGoogleTest(&argc, argv);
        ::testing::AddGlobalTestEnvironment(new dynantic::testkit::LocalDynamoDB);
        return RUN_ALL_TESTS();
    }
    TEST(Users, SaveThenGet) {
        DYNANTIC_SKIP_WITHOUT_DYNAMODB();
        dynantic::testkit::ScopedTable<User> users;   // see scoped_table.hpp
        users->save(u);
    }
    @endcode

    Header-only, POSIX (fork/exec, signals); link the CMake target `dynantic::testing`. */

#include <dynantic/aws/credentials.hpp>
#include <dynantic/client.hpp>
#include <dynantic/error.hpp>

#include <boost/json/object.hpp>
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace dynantic::testkit {

/** The DynamoDB endpoint for tests: `DYNANTIC_TEST_ENDPOINT`, or `std::nullopt` when it is unset
    or empty. (AWS_ENDPOINT_URL* are deliberately not consulted: tests create and delete tables,
    so they only run where you pointed them explicitly.) */
inline std::optional<std::string> test_endpoint() {
    const char* value = std::getenv("DYNANTIC_TEST_ENDPOINT");
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

/** Client options for the test endpoint: `endpoint` from `test_endpoint()` (empty when unset),
    region `AWS_REGION` or us-east-1, and, when `AWS_ACCESS_KEY_ID` is unset, static dummy
    credentials (DynamoDB Local wants a signature to be present, not valid). One attempt with
    short timeouts, so a test fails quickly when the server is gone. */
inline ClientOptions test_client_options() {
    ClientOptions options;
    if (auto endpoint = test_endpoint()) options.endpoint = *endpoint;
    const char* region = std::getenv("AWS_REGION");
    options.region = region != nullptr && *region != '\0' ? region : "us-east-1";
    const char* id = std::getenv("AWS_ACCESS_KEY_ID");
    if (id == nullptr || *id == '\0')
        options.credentials = std::make_shared<aws::StaticCredentialsProvider>(
            aws::Credentials{"dynantictest", "dynantictestsecret", {}, {}});
    options.http.connect_timeout = std::chrono::seconds(2);
    options.http.request_timeout = std::chrono::seconds(30);
    return options;
}

/** Skips the current test (GTEST_SKIP) when no DynamoDB endpoint is configured. */
#define DYNANTIC_SKIP_WITHOUT_DYNAMODB()                                                                \
    do {                                                                                                \
        if (!::dynantic::testkit::test_endpoint())                                                      \
            GTEST_SKIP() << "no DynamoDB: set DYNANTIC_TEST_ENDPOINT or DYNANTIC_DYNAMODB_LOCAL_JAR";   \
    } while (false)

/** Settings of `LocalDynamoDB`. Empty strings mean "from the environment". */
struct LocalDynamoDBOptions {
    std::string jar{};                          ///< empty: DYNANTIC_DYNAMODB_LOCAL_JAR
    std::string java = "java";                ///< the Java launcher; a bare name is looked up in PATH
    std::chrono::seconds start_timeout{60};   ///< until ListTables answers; then SetUp fails
    std::vector<std::string> extra_args{};      ///< appended to `-inMemory -port N -disableTelemetry`
};

/** The GoogleTest environment (`::%testing::Environment`) described at the top of this file.
    Register it once with `::%testing::AddGlobalTestEnvironment(new LocalDynamoDB)`; GoogleTest
    owns and deletes it. */
class LocalDynamoDB : public ::testing::Environment {
public:
    LocalDynamoDB() = default;
    /** An environment with explicit settings (empty fields still come from the environment
        variables). */
    explicit LocalDynamoDB(LocalDynamoDBOptions options) : options_(std::move(options)) {}
    ~LocalDynamoDB() override { stop(); }
    LocalDynamoDB(const LocalDynamoDB&) = delete;
    LocalDynamoDB& operator=(const LocalDynamoDB&) = delete;

    /** Before the first test: attaches to `DYNANTIC_TEST_ENDPOINT`, else starts DynamoDB Local
        from the jar and waits until it answers ListTables, else does nothing.
        Fails (GTEST_FAIL) when the jar or `java` is missing, the server exits or does not answer
        within `start_timeout`, or no free port could be bound. */
    void SetUp() override {
        if (auto endpoint = test_endpoint()) {
            endpoint_ = *endpoint;
            return;
        }
        if (options_.jar.empty())
            if (const char* jar = std::getenv("DYNANTIC_DYNAMODB_LOCAL_JAR")) options_.jar = jar;
        if (options_.jar.empty()) return;   // no DynamoDB: dependent tests skip
        start();
    }

    /** After the last test: stops a server this environment started (SIGTERM, then SIGKILL
        after 10 s), restores `DYNANTIC_TEST_ENDPOINT` and removes its working directory. */
    void TearDown() override { stop(); }

    /** The endpoint in use ("http://127.0.0.1:PORT"); empty when there is none. */
    const std::string& endpoint() const noexcept { return endpoint_; }
    /** True while a DynamoDB Local started by this environment runs. */
    bool started() const noexcept { return pid_ > 0; }
    /** Where the started server's output goes (empty when none was started). */
    const std::filesystem::path& log_file() const noexcept { return log_; }

private:
    static std::uint16_t free_port() {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return 0;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        socklen_t len = sizeof addr;
        std::uint16_t port = 0;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
            port = ntohs(addr.sin_port);
        ::close(fd);
        return port;
    }

    static std::string find_in_path(const std::string& name) {
        if (name.find('/') != std::string::npos) return name;
        const char* path = std::getenv("PATH");
        std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
        for (std::string dir; std::getline(dirs, dir, ':');) {
            const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        }
        return {};
    }

    static bool answers_list_tables(const std::string& endpoint) {
        try {
            ClientOptions options;
            options.endpoint = endpoint;
            options.region = "us-east-1";
            options.credentials = std::make_shared<aws::StaticCredentialsProvider>(
                aws::Credentials{"dynantictest", "dynantictestsecret", {}, {}});
            options.http.connect_timeout = std::chrono::milliseconds(500);
            options.http.request_timeout = std::chrono::seconds(5);
            options.retry.max_attempts = 1;
            Client(std::move(options)).call(Operation::ListTables, boost::json::object{});
            return true;
        } catch (const Error&) {
            return false;
        }
    }

    bool child_exited() {
        if (pid_ <= 0) return true;
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_ || (r < 0 && errno == ECHILD)) {
            pid_ = -1;
            return true;
        }
        return false;
    }

    std::string log_tail() const {
        std::ifstream in(log_);
        std::ostringstream out;
        out << in.rdbuf();
        std::string text = out.str();
        if (text.size() > 4000) text = "..." + text.substr(text.size() - 4000);
        return text;
    }

    void start() {
        const std::filesystem::path jar = std::filesystem::absolute(options_.jar);
        if (!std::filesystem::exists(jar)) {
            GTEST_FAIL() << "DynamoDB Local jar not found: " << jar.string();
        }
        const std::string java = find_in_path(options_.java);
        if (java.empty()) {
            GTEST_FAIL() << "'" << options_.java << "' not found in PATH (DynamoDB Local needs a Java runtime)";
        }
        std::string dir_template = (std::filesystem::temp_directory_path() / "dynantic-ddb.XXXXXX").string();
        if (::mkdtemp(dir_template.data()) == nullptr) {
            GTEST_FAIL() << "cannot create a temporary directory";
        }
        work_dir_ = dir_template;
        log_ = work_dir_ / "dynamodb-local.log";

        for (int attempt = 1; attempt <= 3; ++attempt) {
            const std::uint16_t port = free_port();
            const std::string endpoint = "http://127.0.0.1:" + std::to_string(port);
            std::vector<std::string> args{java,
                                          "-Djava.library.path=" + (jar.parent_path() / "DynamoDBLocal_lib").string(),
                                          "-jar",
                                          jar.string(),
                                          "-inMemory",
                                          "-port",
                                          std::to_string(port),
                                          "-disableTelemetry"};
            args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
            spawn(args);
            if (pid_ <= 0) {
                GTEST_FAIL() << "cannot start " << java;
            }
            const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
            while (std::chrono::steady_clock::now() < deadline && !child_exited()) {
                if (answers_list_tables(endpoint)) {
                    endpoint_ = endpoint;
                    if (const char* old = std::getenv("DYNANTIC_TEST_ENDPOINT")) previous_env_ = old;
                    ::setenv("DYNANTIC_TEST_ENDPOINT", endpoint_.c_str(), 1);
                    exported_ = true;
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            }
            const bool died = child_exited();
            if (died && log_tail().find("Address already in use") != std::string::npos) continue;  // lost a port race
            const std::string output = log_tail();
            stop();
            GTEST_FAIL() << "DynamoDB Local " << (died ? "exited before it answered" : "did not answer ListTables in time")
                         << "; its output:\n"
                         << output;
        }
        stop();
        GTEST_FAIL() << "DynamoDB Local could not bind a free port";
    }

    void spawn(const std::vector<std::string>& args) {
        // Everything the child needs is prepared before fork: only async-signal-safe calls follow.
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        const std::string dir = work_dir_.string();
        const std::string log = log_.string();
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid == 0) {
#if defined(__linux__)
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);   // no orphaned Java if the test program dies
            if (::getppid() != parent) ::_exit(127);
#else
            (void)parent;
#endif
            const int null_in = ::open("/dev/null", O_RDONLY);
            const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (null_in < 0 || out < 0 || ::chdir(dir.c_str()) != 0) ::_exit(127);
            ::dup2(null_in, 0);
            ::dup2(out, 1);
            ::dup2(out, 2);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        pid_ = pid;
    }

    void stop() noexcept {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            bool gone = false;
            for (int i = 0; i < 100 && !gone; ++i) {
                const pid_t r = ::waitpid(pid_, &status, WNOHANG);
                gone = r == pid_ || (r < 0 && errno == ECHILD);
                if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (!gone) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
            }
            pid_ = -1;
        }
        if (exported_) {
            if (previous_env_) ::setenv("DYNANTIC_TEST_ENDPOINT", previous_env_->c_str(), 1);
            else ::unsetenv("DYNANTIC_TEST_ENDPOINT");
            exported_ = false;
            endpoint_.clear();
        }
        if (!work_dir_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(work_dir_, ec);
            work_dir_.clear();
        }
    }

    LocalDynamoDBOptions options_;
    std::string endpoint_;
    pid_t pid_ = -1;
    std::filesystem::path work_dir_;
    std::filesystem::path log_;
    std::optional<std::string> previous_env_;
    bool exported_ = false;
};

}  // namespace dynantic::testkit
