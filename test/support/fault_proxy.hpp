#pragma once
// A loopback HTTP proxy in front of DynamoDB Local (or any endpoint) that forwards each request,
// lets the server apply it, and then loses the answer of the first requests it is told to: the
// connection is reset or closed instead, a 500 is sent, or the answer's x-amz-crc32 is wrong.
// A hook runs after such a lost answer, before the client can resend: a test writes there as
// another writer would between two attempts.
#include "support/loopback_server.hpp"

#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dynantic::test {

/** How an answer is lost after the server applied the request. */
enum class AnswerLoss {
    reset,            ///< abort the client's connection (RST) instead of answering
    close,            ///< close the client's connection (FIN) without answering
    internal_error,   ///< answer HTTP 500 InternalServerError
    bad_crc32,        ///< forward the answer with a wrong x-amz-crc32
};

/** One request the proxy forwarded to the server. */
struct ForwardedRequest {
    std::string operation;   ///< from X-Amz-Target, e.g. "PutItem"
    std::string body;        ///< the JSON body as sent
    bool answer_lost = false;
};

class FaultProxy {
public:
    /** A proxy in front of `upstream` (e.g. "http://127.0.0.1:8000"). */
    explicit FaultProxy(const std::string& upstream);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    /** "http://127.0.0.1:PORT" */
    std::string url() const;

    /** The next `count` requests whose operation is `operation` (any when empty) are forwarded
        and applied, and their answers lost as `how`; after each, `hook` runs (if any) before
        the client sees the loss. */
    void lose_answers(std::size_t count, AnswerLoss how, std::string operation = {},
                      std::function<void()> hook = {});

    /** Every request forwarded so far, in order (each was received by the server). */
    std::vector<ForwardedRequest> forwarded() const;
    /** How many forwarded requests had `operation` (all when empty). */
    std::size_t forwarded_count(const std::string& operation = {}) const;

private:
    ServerAction handle(const ServerRequest& request);

    http::Endpoint upstream_;
    std::unique_ptr<http::Transport> transport_;
    mutable std::mutex mutex_;
    std::size_t to_lose_ = 0;
    AnswerLoss how_ = AnswerLoss::reset;
    std::string operation_;
    std::function<void()> hook_;
    std::vector<ForwardedRequest> forwarded_;
    LoopbackServer server_;   // last: stopped first, while the members it uses still exist
};

}  // namespace dynantic::test
