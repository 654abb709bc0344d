#pragma once
// A loopback server playing the Lambda Runtime API, for the tests of example/lambda/.
#include "support/loopback_server.hpp"

#include <dynantic/http/transport.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace lambda_test {

using dynantic::test::LoopbackServer;
using dynantic::test::ServerAction;
using dynantic::test::ServerRequest;

/** One event the fake Runtime API hands out. */
struct Event {
    std::string request_id;
    std::string payload;
    std::string trace_id;
    std::int64_t deadline_ms = 0;
};

/** A loopback server playing the Lambda Runtime API: `next` hands out the queued events, then
    answers 500 (which ends the loop); every POST is recorded and answered 202. */
class FakeRuntimeApi {
public:
    explicit FakeRuntimeApi(std::vector<Event> events)
        : events_(events.begin(), events.end()), server_([this](const ServerRequest& r) { return handle(r); }) {}

    /** "127.0.0.1:PORT", as AWS_LAMBDA_RUNTIME_API holds it. */
    std::string api() const { return "127.0.0.1:" + std::to_string(server_.port()); }

    std::vector<ServerRequest> posts() const {
        const std::lock_guard lock(mutex_);
        return posts_;
    }
    int next_calls() const {
        const std::lock_guard lock(mutex_);
        return next_calls_;
    }

private:
    ServerAction handle(const ServerRequest& r) {
        const std::lock_guard lock(mutex_);
        if (r.method == "GET" && r.target == "/2018-06-01/runtime/invocation/next") {
            ++next_calls_;
            if (events_.empty()) return ServerAction::respond(500, R"({"errorMessage":"no more events"})");
            Event e = std::move(events_.front());
            events_.pop_front();
            dynantic::http::Headers headers{{"Lambda-Runtime-Aws-Request-Id", e.request_id},
                                            {"Lambda-Runtime-Deadline-Ms", std::to_string(e.deadline_ms)},
                                            {"Lambda-Runtime-Invoked-Function-Arn",
                                             "arn:aws:lambda:us-east-1:123456789012:function:users"},
                                            {"Content-Type", "application/json"}};
            if (!e.trace_id.empty()) headers.emplace_back("Lambda-Runtime-Trace-Id", e.trace_id);
            return ServerAction::respond(200, e.payload, headers);
        }
        if (r.method == "POST") {
            posts_.push_back(r);
            return ServerAction::respond(202, R"({"status":"OK"})");
        }
        return ServerAction::respond(404, "{}");
    }

    mutable std::mutex mutex_;
    std::deque<Event> events_;
    std::vector<ServerRequest> posts_;
    int next_calls_ = 0;
    LoopbackServer server_;   // last: stopped (by its destructor) before the state above goes
};

inline std::int64_t in_a_minute() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               (std::chrono::system_clock::now() + std::chrono::seconds(60)).time_since_epoch())
        .count();
}

}  // namespace lambda_test
