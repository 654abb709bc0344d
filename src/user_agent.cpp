// SPDX-License-Identifier: BSL-1.0
#include "user_agent.hpp"

#include <dynantic/version.hpp>

#include <sys/utsname.h>

#include <cctype>
#include <cstdlib>

namespace dynantic::detail {

namespace {

bool token_char(char c, bool keep_hash) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) return true;
    switch (c) {
        case '!': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
        case '.': case '^': case '_': case '`': case '|': case '~':
            return true;
        case '#':
            return keep_hash;
        default:
            return false;
    }
}

std::string lowercase(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string compiler() {
#if defined(__clang__)
    return "clang-" + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__) + "." +
           std::to_string(__clang_patchlevel__);
#elif defined(__GNUC__)
    return "gcc-" + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
           std::to_string(__GNUC_PATCHLEVEL__);
#elif defined(_MSC_VER)
    return "msvc-" + std::to_string(_MSC_VER);
#else
    return "unknown";
#endif
}

std::string cpp_standard() {
#if __cplusplus > 202002L
    return "c++23";
#else
    return "c++20";
#endif
}

}  // namespace

std::string user_agent_token(std::string_view text, bool keep_hash) {
    std::string out(text);
    for (char& c : out)
        if (!token_char(c, keep_hash)) c = '-';
    return out;
}

std::string user_agent(aws::RetryMode mode) {
    std::string os = "other";
    std::string release;
    std::string machine = "unknown";
    if (utsname u{}; ::uname(&u) == 0) {
        os = lowercase(u.sysname);  // "linux", as botocore and the SDK for JavaScript spell it
        release = u.release;
        machine = u.machine;
    }
    std::string ua = "dynantic/";
    ua += version();
    ua += " ua/2.1 os/";
    ua += user_agent_token(os);
    if (!release.empty()) ua += "#" + user_agent_token(release);
    ua += " lang/cpp#" + cpp_standard();
    ua += " md/compiler#" + user_agent_token(compiler());
    ua += " md/arch#" + user_agent_token(machine);
    // Lambda sets AWS_EXECUTION_ENV (e.g. "AWS_Lambda_provided.al2023"), as do ECS and others.
    if (const char* env = std::getenv("AWS_EXECUTION_ENV"); env != nullptr && *env != '\0')
        ua += " exec-env/" + user_agent_token(env);
    ua += " cfg/retry-mode#";
    ua += mode == aws::RetryMode::adaptive ? "adaptive" : "standard";
    if (const char* app = std::getenv("AWS_SDK_UA_APP_ID"); app != nullptr && *app != '\0')
        ua += " app/" + user_agent_token(std::string_view(app).substr(0, 50));
    return ua;
}

}  // namespace dynantic::detail
