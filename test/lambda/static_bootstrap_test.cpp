// The Lambda example as README.md builds it: the `lambda` preset's fully static `bootstrap`,
// run as its own process against a loopback Runtime API and DynamoDB Local, and inspected as an
// ELF file for what Amazon Linux 2023 (provided.al2023, glibc 2.34) can load.
//
// scripts/test.sh builds the preset and sets DYNANTIC_LAMBDA_BOOTSTRAP to the binary (and
// DYNANTIC_REQUIRE_LAMBDA_BOOTSTRAP=1, so that a missing binary fails instead of skipping).
#include "users_api.hpp"   // example/lambda/users_api.hpp: the function's model

#include "lambda/fake_runtime_api.hpp"
#include "support/dynamodb_fixture.hpp"
#include "support/test_env.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace {

namespace json = boost::json;
using lambda_test::Event;
using lambda_test::FakeRuntimeApi;
using lambda_test::in_a_minute;
using ::testing::Contains;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

/** What the dynamic loader would need to run an ELF file. */
struct ElfFacts {
    bool has_interpreter = false;            ///< a PT_INTERP program header: dynamically linked
    std::vector<std::string> needed;         ///< DT_NEEDED shared libraries
    std::vector<std::string> glibc_versions; ///< GLIBC_x.y versions the file requires (verneed)
};

/** Major and minor of "GLIBC_2.34"; {0, 0} if it is not one. */
std::pair<int, int> glibc_version(const std::string& name) {
    int major = 0, minor = 0;
    if (std::sscanf(name.c_str(), "GLIBC_%d.%d", &major, &minor) < 2) return {0, 0};
    return {major, minor};
}

std::string highest_glibc(const ElfFacts& facts) {
    std::string best;
    for (const auto& v : facts.glibc_versions)
        if (best.empty() || glibc_version(v) > glibc_version(best)) best = v;
    return best;
}

/** Reads the program and section headers of a 64-bit little-endian ELF file (as readelf -l, -d
    and -V would), failing the test on anything it cannot read. */
std::optional<ElfFacts> inspect_elf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.size() < sizeof(Elf64_Ehdr) || std::memcmp(data.data(), ELFMAG, SELFMAG) != 0 ||
        data[EI_CLASS] != ELFCLASS64) {
        ADD_FAILURE() << path << " is not a 64-bit ELF file";
        return std::nullopt;
    }
    const auto at = [&](std::size_t offset, std::size_t size) -> const char* {
        if (offset > data.size() || size > data.size() - offset) return nullptr;
        return data.data() + offset;
    };
    Elf64_Ehdr eh;
    std::memcpy(&eh, data.data(), sizeof eh);
    ElfFacts facts;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        const char* p = at(eh.e_phoff + std::size_t(i) * eh.e_phentsize, sizeof(Elf64_Phdr));
        if (p == nullptr) {
            ADD_FAILURE() << path << ": truncated program headers";
            return std::nullopt;
        }
        Elf64_Phdr ph;
        std::memcpy(&ph, p, sizeof ph);
        if (ph.p_type == PT_INTERP) facts.has_interpreter = true;
    }
    std::vector<Elf64_Shdr> sections(eh.e_shnum);
    for (unsigned i = 0; i < eh.e_shnum; ++i) {
        const char* p = at(eh.e_shoff + std::size_t(i) * eh.e_shentsize, sizeof(Elf64_Shdr));
        if (p == nullptr) {
            ADD_FAILURE() << path << ": truncated section headers";
            return std::nullopt;
        }
        std::memcpy(&sections[i], p, sizeof(Elf64_Shdr));
    }
    const auto string_at = [&](const Elf64_Shdr& strtab, std::size_t offset) {
        const char* s = at(strtab.sh_offset + offset, 1);
        if (s == nullptr) return std::string();
        return std::string(s, strnlen(s, data.size() - (s - data.data())));
    };
    for (const Elf64_Shdr& sh : sections) {
        if (sh.sh_link >= sections.size()) continue;
        const Elf64_Shdr& strtab = sections[sh.sh_link];
        if (sh.sh_type == SHT_DYNAMIC) {
            for (std::size_t off = 0; off + sizeof(Elf64_Dyn) <= sh.sh_size; off += sizeof(Elf64_Dyn)) {
                const char* p = at(sh.sh_offset + off, sizeof(Elf64_Dyn));
                if (p == nullptr) break;
                Elf64_Dyn dyn;
                std::memcpy(&dyn, p, sizeof dyn);
                if (dyn.d_tag == DT_NULL) break;
                if (dyn.d_tag == DT_NEEDED) facts.needed.push_back(string_at(strtab, dyn.d_un.d_val));
            }
        } else if (sh.sh_type == SHT_GNU_verneed) {
            std::size_t off = sh.sh_offset;
            for (unsigned n = 0; n < 1000; ++n) {   // bounded: a corrupt chain cannot loop
                const char* p = at(off, sizeof(Elf64_Verneed));
                if (p == nullptr) break;
                Elf64_Verneed vn;
                std::memcpy(&vn, p, sizeof vn);
                std::size_t aux = off + vn.vn_aux;
                for (unsigned k = 0; k < vn.vn_cnt; ++k) {
                    const char* q = at(aux, sizeof(Elf64_Vernaux));
                    if (q == nullptr) break;
                    Elf64_Vernaux va;
                    std::memcpy(&va, q, sizeof va);
                    const std::string name = string_at(strtab, va.vna_name);
                    if (name.starts_with("GLIBC_")) facts.glibc_versions.push_back(name);
                    if (va.vna_next == 0) break;
                    aux += va.vna_next;
                }
                if (vn.vn_next == 0) break;
                off += vn.vn_next;
            }
        }
    }
    return facts;
}

/** The static bootstrap built by the `lambda` preset, or nullopt (then the test skips, unless
    DYNANTIC_REQUIRE_LAMBDA_BOOTSTRAP=1, when it fails). */
std::optional<std::string> bootstrap_path() {
    const char* path = std::getenv("DYNANTIC_LAMBDA_BOOTSTRAP");
    if (path != nullptr && *path != '\0') return std::string(path);
    return std::nullopt;
}

bool bootstrap_required() {
    const char* v = std::getenv("DYNANTIC_REQUIRE_LAMBDA_BOOTSTRAP");
    return v != nullptr && std::string_view(v) == "1";
}

#define DYNANTIC_SKIP_WITHOUT_BOOTSTRAP(path)                                                               \
    const std::optional<std::string> path = bootstrap_path();                                              \
    if (!path) {                                                                                            \
        if (bootstrap_required()) FAIL() << "DYNANTIC_REQUIRE_LAMBDA_BOOTSTRAP=1 but DYNANTIC_LAMBDA_BOOTSTRAP is unset"; \
        GTEST_SKIP() << "DYNANTIC_LAMBDA_BOOTSTRAP unset: build the `lambda` preset (scripts/test.sh does)"; \
    }                                                                                                       \
    ASSERT_TRUE(std::filesystem::is_regular_file(*path)) << *path << " does not exist"

/** A child process: `bootstrap` with extra environment variables, stderr to a file. */
struct Child {
    pid_t pid = -1;
    std::string stderr_path;
};

Child spawn(const std::string& program, const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> env_text;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view entry(*e);
        if (!overrides.contains(std::string(entry.substr(0, entry.find('='))))) env_text.emplace_back(entry);
    }
    for (const auto& [name, value] : overrides) env_text.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string argv0 = program;
    char* argv[] = {argv0.data(), nullptr};

    Child child;
    child.stderr_path = (std::filesystem::temp_directory_path() /
                         ("dynantic-bootstrap-" + std::to_string(::getpid()) + ".stderr"))
                            .string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, child.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = posix_spawn(&child.pid, program.c_str(), &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        ADD_FAILURE() << "posix_spawn " << program << ": " << std::strerror(rc);
        child.pid = -1;
    }
    return child;
}

/** Waits up to `limit` for the child; kills it after. Returns its wait status, or nullopt. */
std::optional<int> wait_for(const Child& child, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        const pid_t r = ::waitpid(child.pid, &status, WNOHANG);
        if (r == child.pid) return status;
        if (r < 0) return std::nullopt;
        std::this_thread::sleep_for(20ms);
    }
    ::kill(child.pid, SIGKILL);
    ::waitpid(child.pid, &status, 0);
    return std::nullopt;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

// The inspector itself, on a program known to be dynamic (this test): it must see the loader,
// libc and glibc versions, or its verdict on the bootstrap below would mean nothing.
TEST(ElfInspection, SeesTheLoaderLibrariesAndGlibcVersionsOfADynamicProgram) {
    const auto facts = inspect_elf("/proc/self/exe");
    ASSERT_TRUE(facts);
    EXPECT_TRUE(facts->has_interpreter);
    EXPECT_THAT(facts->needed, Contains("libc.so.6"));
    EXPECT_GE(glibc_version(highest_glibc(*facts)), std::make_pair(2, 2)) << highest_glibc(*facts);
}

// Amazon Linux 2023 has glibc 2.34. A fully static binary loads nothing: no interpreter, no
// shared library, no versioned symbol to resolve, so it runs whatever the runtime's glibc. If
// the preset ever links anything dynamically, the GLIBC versions it requires must be <= 2.34
// (README.md: -static-libstdc++ alone pulls GLIBC_2.35/2.36 symbols from GCC 12's libraries).
TEST(LambdaStaticBootstrap, LoadsNothingAndNeedsNoGlibcNewerThanAmazonLinux2023) {
    DYNANTIC_SKIP_WITHOUT_BOOTSTRAP(path);
    const auto facts = inspect_elf(*path);
    ASSERT_TRUE(facts);
    EXPECT_FALSE(facts->has_interpreter) << *path << " is dynamically linked (PT_INTERP)";
    EXPECT_THAT(facts->needed, ::testing::IsEmpty()) << *path << " needs shared libraries";
    const std::string highest = highest_glibc(*facts);
    EXPECT_LE(glibc_version(highest), std::make_pair(2, 34)) << *path << " requires " << highest;
}

class LambdaStaticBootstrapProcess : public dynantic::test::DynamoDBTest {};

// The binary a user would zip, as Lambda runs it: API Gateway events from the Runtime API, the
// users table in DynamoDB Local, answers posted back.
TEST_F(LambdaStaticBootstrapProcess, AnswersApiGatewayEventsFromDynamoDBLocal) {
    DYNANTIC_SKIP_WITHOUT_BOOTSTRAP(path);
    const dynantic::test::ScopedTable<users_api::User> users(client());
    const std::string prefix = client().table_name("");

    const std::string put_event =
        R"({"version":"2.0","rawPath":"/users/u7","requestContext":{"http":{"method":"PUT"}},)"
        R"("body":"{\"name\":\"Bo\",\"email\":\"bo@example.org\",\"age\":7}","isBase64Encoded":false})";
    const std::string get_event = R"({"httpMethod":"GET","path":"/users/u7","pathParameters":{"id":"u7"}})";
    const std::string missing_event = R"({"httpMethod":"GET","path":"/users/nobody"})";
    FakeRuntimeApi api({{"put", put_event, "", in_a_minute()},
                        {"get", get_event, "Root=1-5e1b4151-5ac6c58f5b5dbd6a5f2e6a4e", in_a_minute()},
                        {"missing", missing_event, "", in_a_minute()}});

    const auto endpoint = dynantic::test::integration_endpoint();
    ASSERT_TRUE(endpoint);
    const char* key_id = std::getenv("AWS_ACCESS_KEY_ID");
    const bool has_keys = key_id != nullptr && *key_id != '\0';
    std::map<std::string, std::string> env{{"AWS_LAMBDA_RUNTIME_API", api.api()},
                                           {"AWS_ENDPOINT_URL_DYNAMODB", *endpoint},
                                           {"AWS_REGION", "us-east-1"},
                                           {"AWS_EC2_METADATA_DISABLED", "true"},
                                           {"USERS_TABLE_PREFIX", prefix}};
    if (!has_keys) {
        env["AWS_ACCESS_KEY_ID"] = "dynantictest";
        env["AWS_SECRET_ACCESS_KEY"] = "dynantictestsecret";
    }
    const Child child = spawn(*path, env);
    ASSERT_GT(child.pid, 0);
    const auto status = wait_for(child, 60s);
    const std::string log = read_file(child.stderr_path);
    std::filesystem::remove(child.stderr_path);
    ASSERT_TRUE(status) << "bootstrap did not stop within 60 s; stderr:\n" << log;
    // The loop ends when `next` fails (the fake API answers 500 once the events are used up).
    EXPECT_TRUE(WIFEXITED(*status)) << log;
    EXPECT_THAT(log, HasSubstr("stopped after 3 invocations")) << log;

    const auto posts = api.posts();
    ASSERT_EQ(posts.size(), 3u) << log;
    EXPECT_EQ(posts[0].target, "/2018-06-01/runtime/invocation/put/response");
    EXPECT_EQ(json::parse(posts[0].body).at("statusCode"), 200) << posts[0].body;
    EXPECT_EQ(posts[1].target, "/2018-06-01/runtime/invocation/get/response");
    const json::value got = json::parse(posts[1].body);
    EXPECT_EQ(got.at("statusCode"), 200) << posts[1].body;
    EXPECT_EQ(json::parse(got.at("body").as_string()),
              json::parse(R"({"id":"u7","name":"Bo","email":"bo@example.org","age":7})"));
    EXPECT_EQ(posts[2].target, "/2018-06-01/runtime/invocation/missing/response");
    EXPECT_EQ(json::parse(posts[2].body).at("statusCode"), 404) << posts[2].body;

    // Written to the table the test created, under the prefix the function was given.
    const auto stored = users->get("u7");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->name, "Bo");
    EXPECT_EQ(stored->age, 7);
}
