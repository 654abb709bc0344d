#include "support/fault_proxy.hpp"

#include <utility>

namespace dynantic::test {

FaultProxy::FaultProxy(const std::string& upstream)
    : upstream_(http::Endpoint::parse(upstream)),
      transport_(std::make_unique<http::BeastTransport>()),
      server_([this](const ServerRequest& request) { return handle(request); }) {}

FaultProxy::~FaultProxy() { server_.stop(); }

std::string FaultProxy::url() const { return server_.endpoint().url(); }

void FaultProxy::lose_answers(std::size_t count, AnswerLoss how, std::string operation, std::function<void()> hook) {
    const std::lock_guard lock(mutex_);
    to_lose_ = count;
    how_ = how;
    operation_ = std::move(operation);
    hook_ = std::move(hook);
}

std::vector<ForwardedRequest> FaultProxy::forwarded() const {
    const std::lock_guard lock(mutex_);
    return forwarded_;
}

std::size_t FaultProxy::forwarded_count(const std::string& operation) const {
    const std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& f : forwarded_)
        if (operation.empty() || f.operation == operation) ++n;
    return n;
}

ServerAction FaultProxy::handle(const ServerRequest& request) {
    http::HttpRequest out;
    out.method = request.method;
    out.target = request.target;
    for (const auto& [name, value] : request.headers)
        if (!http::iequals(name, "Host") && !http::iequals(name, "Content-Length") && !http::iequals(name, "Connection"))
            out.headers.emplace_back(name, value);
    out.body = request.body;
    out.replayable = false;
    const std::string_view target = request.header("X-Amz-Target");
    const std::string operation(target.substr(target.find('.') == std::string_view::npos ? 0 : target.find('.') + 1));

    bool lose = false;
    AnswerLoss how = AnswerLoss::reset;
    std::function<void()> hook;
    {
        const std::lock_guard lock(mutex_);
        if (to_lose_ > 0 && (operation_.empty() || operation_ == operation)) {
            --to_lose_;
            lose = true;
            how = how_;
            hook = hook_;
        }
    }
    // The server applies the request whatever happens to its answer.
    http::HttpResponse answer = transport_->send(upstream_, out);
    {
        const std::lock_guard lock(mutex_);
        forwarded_.push_back({operation, request.body, lose});
    }
    if (lose && hook) hook();

    http::Headers headers;
    for (const auto& [name, value] : answer.headers)
        if (!http::iequals(name, "Content-Length") && !http::iequals(name, "Connection") &&
            !http::iequals(name, "Transfer-Encoding") && !(lose && http::iequals(name, "x-amz-crc32")))
            headers.emplace_back(name, value);
    if (!lose) return ServerAction::respond(answer.status, std::move(answer.body), std::move(headers));
    switch (how) {
    case AnswerLoss::reset: return ServerAction::reset_connection();
    case AnswerLoss::close: return ServerAction::close_connection();
    case AnswerLoss::internal_error:
        return ServerAction::respond(500,
                                     R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError",)"
                                     R"("message":"Internal server error"})",
                                     {{"Content-Type", "application/x-amz-json-1.0"}});
    case AnswerLoss::bad_crc32:
        headers.emplace_back("x-amz-crc32", "1");
        return ServerAction::respond(answer.status, std::move(answer.body), std::move(headers));
    }
    return ServerAction::reset_connection();
}

}  // namespace dynantic::test
