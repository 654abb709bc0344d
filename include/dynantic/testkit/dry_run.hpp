#pragma once
/** @file
    The dry run as text: what an `OperationRequest` becomes on the wire (the `X-Amz-Target`
    header value and the JSON body), and a canonical rendering for golden files.

    @code
    auto req = users.update("u1").add(&User::logins, 1).to_request();
    EXPECT_EQ(dynantic::testkit::dry_run(req).target, "DynamoDB_20120810.UpdateItem");
    EXPECT_TRUE(dynantic::testkit::matches_golden_file(req, "test/golden/update_logins.json"));
    @endcode

    Golden files hold `{"X-Amz-Target": ..., "body": ...}` with keys sorted at every level and
    two-space indentation, so they diff well. Set `DYNANTIC_UPDATE_GOLDEN=1` to (re)write them
    from the current output instead of comparing.

    Header-only; link the CMake target `dynantic::testing` (which brings GoogleTest). */

#include <dynantic/request.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic::detail {
/** Appends `v` in canonical form (see `testkit::canonical_json`) at indentation `depth`. */
inline void write_canonical_json(std::string& out, const boost::json::value& v, int depth) {
    const auto newline = [&](int d) {
        out += '\n';
        out.append(static_cast<std::size_t>(d) * 2, ' ');
    };
    switch (v.kind()) {
    case boost::json::kind::object: {
        const auto& obj = v.get_object();
        if (obj.empty()) {
            out += "{}";
            return;
        }
        std::vector<const boost::json::key_value_pair*> members;
        members.reserve(obj.size());
        for (const auto& kv : obj) members.push_back(&kv);
        std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) { return a->key() < b->key(); });
        out += '{';
        bool first = true;
        for (const auto* kv : members) {
            if (!first) out += ',';
            first = false;
            newline(depth + 1);
            out += boost::json::serialize(boost::json::value(kv->key()));
            out += ": ";
            write_canonical_json(out, kv->value(), depth + 1);
        }
        newline(depth);
        out += '}';
        return;
    }
    case boost::json::kind::array: {
        const auto& arr = v.get_array();
        if (arr.empty()) {
            out += "[]";
            return;
        }
        out += '[';
        bool first = true;
        for (const auto& e : arr) {
            if (!first) out += ',';
            first = false;
            newline(depth + 1);
            write_canonical_json(out, e, depth + 1);
        }
        newline(depth);
        out += ']';
        return;
    }
    default:
        out += boost::json::serialize(v);
    }
}
}  // namespace dynantic::detail

namespace dynantic::testkit {

/** The `X-Amz-Target` prefix of DynamoDB's JSON 1.0 protocol (API version 2012-08-10). */
inline constexpr std::string_view target_prefix = "DynamoDB_20120810.";

/** One operation as `Client::call` sends it. */
struct DryRun {
    std::string target;           ///< the `X-Amz-Target` value: "DynamoDB_20120810.PutItem"
    std::string body;             ///< the exact body text sent (compact, in insertion order)
    std::string canonical_body;   ///< the body with sorted keys and two-space indentation
};

/** `v` with object keys sorted (by bytes) at every level, two-space indentation, ": " after
    keys, and no trailing newline; scalars as Boost.JSON serializes them. */
inline std::string canonical_json(const boost::json::value& v) {
    std::string out;
    dynantic::detail::write_canonical_json(out, v, 0);
    return out;
}

/** What `Client::call(request.operation, request.body)` puts on the wire (before signing). */
inline DryRun dry_run(const OperationRequest& request) {
    DryRun d;
    d.target = std::string(target_prefix) + std::string(to_string(request.operation));
    d.body = boost::json::serialize(request.body);
    d.canonical_body = canonical_json(request.body);
    return d;
}

/** The golden-file text of a request: `{"X-Amz-Target": ..., "body": ...}` in canonical form,
    ending with a newline. */
inline std::string golden_text(const OperationRequest& request) {
    boost::json::object doc;
    doc["X-Amz-Target"] = std::string(target_prefix) + std::string(to_string(request.operation));
    doc["body"] = request.body;
    return canonical_json(doc) + "\n";
}

/** Compares `golden_text(request)` with the file at `path`. With `DYNANTIC_UPDATE_GOLDEN=1` in
    the environment, writes the file instead (creating directories) and succeeds.
    Use as `EXPECT_TRUE(matches_golden_file(req, path))`; a mismatch shows both texts. */
inline ::testing::AssertionResult matches_golden_file(const OperationRequest& request,
                                                      const std::filesystem::path& path) {
    const std::string actual = golden_text(request);
    const char* update = std::getenv("DYNANTIC_UPDATE_GOLDEN");
    if (update != nullptr && std::string_view(update) == "1") {
        std::error_code ec;
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << actual;
        if (!out)
            return ::testing::AssertionFailure() << "cannot write golden file " << path.string();
        return ::testing::AssertionSuccess() << "wrote golden file " << path.string();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return ::testing::AssertionFailure() << "cannot read golden file " << path.string()
                                             << " (run with DYNANTIC_UPDATE_GOLDEN=1 to create it); actual:\n"
                                             << actual;
    std::ostringstream expected;
    expected << in.rdbuf();
    if (expected.str() == actual) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "request differs from golden file " << path.string()
                                         << " (run with DYNANTIC_UPDATE_GOLDEN=1 to accept it)\n--- expected\n"
                                         << expected.str() << "--- actual\n"
                                         << actual;
}

}  // namespace dynantic::testkit
