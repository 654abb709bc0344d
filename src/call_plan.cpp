// SPDX-License-Identifier: BSL-1.0
#include "call_plan.hpp"

#include "aws/backoff.hpp"
#include "aws/crc32.hpp"

#include <dynantic/aws/sigv4.hpp>
#include <dynantic/codec/compare.hpp>
#include <dynantic/codec/limits.hpp>
#include <dynantic/codec/sax_page.hpp>
#include <dynantic/log.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

namespace dynantic::detail {

namespace {

using Clock = std::chrono::steady_clock;

/** Adds `name` to a list of table names joined by ',' unless it is there already. */
void add_table_name(std::string& out, std::string_view name) {
    if (name.empty()) return;
    std::size_t from = 0;
    while (from <= out.size()) {
        const std::size_t comma = std::min(out.find(',', from), out.size());
        if (std::string_view(out).substr(from, comma - from) == name) return;
        from = comma + 1;
    }
    if (!out.empty()) out += ',';
    out += name;
}

/** The request's `TableName` (the table errors name). */
std::string_view table_of(const boost::json::object& request) {
    if (const auto* t = request.if_contains("TableName"); t != nullptr && t->is_string()) return t->get_string();
    return {};
}

/** The table(s) a request names, for `CallMetrics::table`: its `TableName`, else the tables of
    `RequestItems` or of the `TransactItems` actions, in order, each once, joined by ','. */
std::string tables_of(const boost::json::object& request) {
    if (const auto* t = request.if_contains("TableName"); t != nullptr && t->is_string()) return std::string(t->get_string());
    std::string out;
    if (const auto* items = request.if_contains("RequestItems"); items != nullptr && items->is_object()) {
        for (const auto& entry : items->get_object()) add_table_name(out, entry.key());
    } else if (const auto* actions = request.if_contains("TransactItems"); actions != nullptr && actions->is_array()) {
        for (const auto& action : actions->get_array()) {
            if (!action.is_object()) continue;
            for (const auto& kind : action.get_object()) {
                if (!kind.value().is_object()) continue;
                const auto* t = kind.value().get_object().if_contains("TableName");
                if (t != nullptr && t->is_string()) add_table_name(out, t->get_string());
            }
        }
    }
    return out;
}

bool crc32_matches(const http::HttpResponse& response) {
    const std::string_view header = response.header("x-amz-crc32");
    if (header.empty()) return true;  // DynamoDB Local and some proxies do not send it
    std::uint32_t expected = 0;
    const auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), expected);
    if (ec != std::errc{} || end != header.data() + header.size()) return false;
    return aws::detail::crc32(response.body) == expected;
}

/** The error DynamoDB sent: `{"__type": "...#Code", "message"|"Message": "..."}`. */
[[noreturn]] void throw_response_error(const http::HttpResponse& response, ErrorInfo info) {
    info.http_status = response.status;
    info.request_id = std::string(response.header("x-amzn-RequestId"));
    std::optional<boost::json::object> item;
    const boost::json::object* error_body = nullptr;
    boost::system::error_code ec;
    const boost::json::value body = boost::json::parse(response.body, ec, {}, detail::response_parse_options());
    if (!ec && body.is_object()) {
        const auto& obj = body.get_object();
        error_body = &obj;
        if (const auto* type = obj.if_contains("__type"); type != nullptr && type->is_string()) {
            const std::string_view t = type->get_string();
            const auto hash = t.rfind('#');
            info.aws_code = std::string(hash == std::string_view::npos ? t : t.substr(hash + 1));
        }
        for (const char* key : {"message", "Message"}) {
            if (const auto* m = obj.if_contains(key); m != nullptr && m->is_string()) {
                info.message = std::string(m->get_string());
                break;
            }
        }
        if (const auto* i = obj.if_contains("Item"); i != nullptr && i->is_object()) item = i->get_object();
    }
    if (info.message.empty()) info.message = "HTTP " + std::to_string(response.status);
    detail::throw_service_error(std::move(info), std::move(item), error_body);
}

std::int64_t elapsed_ms(Clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

/** "GetItem on table 'users'" (or just the operation). */
std::string call_name(const ErrorInfo& context) {
    std::string out = context.operation;
    if (!context.table.empty()) {
        out += " on table '";
        out += context.table;
        out += '\'';
    }
    return out;
}

std::string_view reason_name(aws::RetryReason reason) noexcept {
    switch (reason) {
    case aws::RetryReason::throttling: return "throttling";
    case aws::RetryReason::transient: return "transient";
    case aws::RetryReason::timeout: return "timeout";
    case aws::RetryReason::none: break;
    }
    return "not retryable";
}

/** Hands one call's record to the metrics hook; never throws (an exception from the hook is
    logged). */
void report_metrics(const MetricsHook& hook, CallMetrics& metrics, std::string_view operation, std::string_view table,
                    Clock::time_point start) noexcept {
    metrics.operation = operation;
    metrics.table = table;
    metrics.latency = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start);
    try {
        hook(metrics);
    } catch (...) {
        detail::log_callback_exception("the metrics hook", std::current_exception());
    }
}

std::string describe(const CallFailure& f) {
    std::string out;
    if (!f.aws_code.empty()) out += f.aws_code;
    else if (!f.local_message.empty()) out += f.local_message;
    else out += f.code.message();
    if (f.http_status != 0) {
        out += " (HTTP ";
        out += std::to_string(f.http_status);
        out += ')';
    }
    return out;
}

/** PutItem, UpdateItem or DeleteItem with a condition: a resend after an attempt that was
    applied fails its condition. */
bool is_item_write(std::optional<Operation> operation) noexcept {
    return operation == Operation::PutItem || operation == Operation::UpdateItem || operation == Operation::DeleteItem;
}

bool is_conditional_write(std::optional<Operation> operation, const boost::json::object& request) {
    if (!is_item_write(operation)) return false;
    return request.contains("ConditionExpression") || request.contains("Expected");
}

/** Whether the operation may change data (what a cancelled attempt may have applied): every
    operation but the reads and descriptions; a PartiQL statement unless it is a SELECT. */
bool may_write(std::optional<Operation> operation, std::string_view name, const boost::json::object& request) {
    if (operation) {
        switch (*operation) {
        case Operation::GetItem: case Operation::BatchGetItem: case Operation::Query: case Operation::Scan:
        case Operation::TransactGetItems: case Operation::DescribeTable: case Operation::ListTables:
        case Operation::DescribeTimeToLive: case Operation::GetRecords: case Operation::GetShardIterator:
        case Operation::DescribeStream: case Operation::ListStreams:
            return false;
        default: break;
        }
    } else {
        // Read-only operations sent through Client::call's string overload.
        static constexpr std::string_view reads[] = {
            "DescribeContinuousBackups", "ListTagsOfResource", "DescribeLimits",      "DescribeEndpoints",
            "ListBackups",               "DescribeBackup",     "ListGlobalTables",    "DescribeGlobalTable",
            "DescribeKinesisStreamingDestination"};
        return std::find(std::begin(reads), std::end(reads), name) == std::end(reads);
    }
    if (operation == Operation::ExecuteStatement) {
        const auto* s = request.if_contains("Statement");
        if (s == nullptr || !s->is_string()) return true;
        std::string_view text = s->get_string();
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
            text.remove_prefix(1);
        if (text.size() < 6) return true;
        std::string word(text.substr(0, 6));
        for (char& c : word) c = http::ascii_lower(c);
        return word != "select";
    }
    return true;
}

std::string_view return_values(const boost::json::object& request) {
    if (const auto* r = request.if_contains("ReturnValues"); r != nullptr && r->is_string()) return r->get_string();
    return {};
}

/** A write whose answer a resend would change: old values would be the earlier attempt's
    result, and UPDATED_NEW cannot be rebuilt from the item a failed condition returns. */
bool resend_changes_answer(std::optional<Operation> operation, const boost::json::object& request, bool conditional) {
    if (!is_item_write(operation)) return false;
    const std::string_view r = return_values(request);
    return r == "ALL_OLD" || r == "UPDATED_OLD" || (conditional && r == "UPDATED_NEW");
}

/** True when `item` (what a resend's failed condition returned; null: no item has the key)
    shows the write of this call: PutItem, the item written; DeleteItem, no item; UpdateItem,
    what `recognizes_write` accepts. */
bool shows_own_write(std::optional<Operation> operation, const boost::json::object& request, const boost::json::object* item,
                     const CallOptions& options) {
    if (operation == Operation::DeleteItem) return item == nullptr;
    if (item == nullptr) return false;
    if (operation == Operation::PutItem) {
        const auto* written = request.if_contains("Item");
        return written != nullptr && written->is_object() && same_item(written->get_object(), *item);
    }
    if (operation == Operation::UpdateItem) return options.recognizes_write && options.recognizes_write(*item);
    return false;
}

}  // namespace

CallPlan::CallPlan(const ClientImpl& impl, std::string_view operation, const boost::json::object& request,
                   CallOptions options)
    : CallPlan(impl, operation_from_string(operation), operation, request, std::move(options)) {}

CallPlan::CallPlan(const ClientImpl& impl, Operation operation, const boost::json::object& request, CallOptions options)
    : CallPlan(impl, operation, to_string(operation), request, std::move(options)) {}

CallPlan::CallPlan(const ClientImpl& impl, std::optional<Operation> operation, std::string_view name,
                   const boost::json::object& request, CallOptions options)
    : impl_(impl),
      operation_(operation),
      request_(request),
      options_(std::move(options)),
      context_{std::string(name), std::string(table_of(request)), {}, {}, 0, {}},
      endpoint_(options_.service == Service::streams ? &impl.streams_endpoint : &impl.endpoint),
      report_(static_cast<bool>(impl.metrics)) {
    if (report_) {
        metrics_start_ = Clock::now();
        metrics_table_ = tables_of(request);
        if (options_.read_body) {
            // The reader keeps the body to itself: the hook's ConsumedCapacity is read from the text
            // by a pass that builds nothing else (only when a hook is installed).
            options_.read_body = [this, reader = std::move(options_.read_body)](std::string_view body) {
                if (!reader(body)) return false;
                static constexpr std::string_view head[] = {"ConsumedCapacity"};
                struct Nothing final : detail::ItemSink {
                    bool reads(std::string_view) const noexcept override { return false; }
                    void decode(const boost::json::object&) override {}
                    void clear() noexcept override {}
                } nothing;
                detail::PageText page;
                if (detail::decode_page_text(body, {}, head, nothing, {}, page))
                    metrics_.consumed_capacity = detail::consumed_capacity_units(page.head);
                return true;
            };
        }
    }

    http_request_.body = boost::json::serialize(request);
    http_request_.headers.reserve(7);
    http_request_.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    http_request_.headers.emplace_back("User-Agent", impl.user_agent);   // not signed, as in the SDKs
    std::string target(target_prefix(options_.service));
    target += name;
    http_request_.headers.emplace_back("X-Amz-Target", std::move(target));
    http_request_.stop = options_.stop;
    base_headers_ = http_request_.headers.size();
    // A conditional write whose attempt may have been applied is resent asking for the item on a
    // failed condition, so that its own earlier write can be told from another writer's change.
    // The transport must not resend it behind our back (on a pooled connection that ended).
    conditional_write_ = is_conditional_write(operation, request);
    resendable_ = options_.idempotent && !resend_changes_answer(operation, request, conditional_write_);
    http_request_.replayable = resendable_ && !conditional_write_;

    // The clock is read only when a deadline or a log line needs it.
    timeout_ = options_.timeout.count() > 0 ? options_.timeout : impl.call_timeout;
    if (timeout_.count() > 0 || log_enabled(LogLevel::info)) start_ = Clock::now();
    if (timeout_.count() > 0) http_request_.deadline = start_ + timeout_;
}

CallAction CallPlan::start() {
    try {
        return begin_attempt();
    } catch (...) {
        return finish(std::current_exception());
    }
}

CallAction CallPlan::begin_attempt() {
    ++attempt_;
    if (options_.stop.stop_requested()) return on_cancelled(false);
    if (impl_.limiter) {
        const auto wait = impl_.limiter->acquire(ClientImpl::seconds_now());
        if (wait.count() > 0) {
            if (timeout_.count() > 0 && Clock::now() + wait >= http_request_.deadline) {
                ErrorInfo info = context_;
                info.message = "the client-side rate limiter (adaptive retry mode) would delay attempt " +
                               std::to_string(attempt_) + " past the call's timeout of " +
                               std::to_string(timeout_.count()) + " ms";
                log_failure(CallFailure{make_error_code(errc::timeout), false, 0, {}, info.message});
                return finish(std::make_exception_ptr(TransportError(errc::timeout, std::move(info), false)));
            }
            delay_ = wait;
            waiting_ = Waiting::limiter;
            return CallAction::wait;
        }
    }
    return CallAction::credentials;
}

CallAction CallPlan::resume() {
    try {
        const Waiting waited = std::exchange(waiting_, Waiting::none);
        if (waited == Waiting::limiter) {
            if (options_.stop.stop_requested()) return on_cancelled(false);
            return CallAction::credentials;
        }
        std::exception_ptr failure = std::exchange(pending_, nullptr);
        if (deadline_passed()) {   // woken late (a loaded machine): no attempt begins past the deadline
            impl_.quota.release(retry_cost_);
            retry_cost_ = 0;
            not_retried_ = "the call's timeout passed";
            stopped_by_timeout_ = true;
            return give_up(std::move(failure));
        }
        return begin_attempt();
    } catch (...) {
        return finish(std::current_exception());
    }
}

CallAction CallPlan::on_credentials(const std::shared_ptr<const aws::Credentials>& credentials) {
    try {
        http_request_.headers.resize(base_headers_);
        impl_.signer.sign(http_request_, *endpoint_, *credentials, std::chrono::system_clock::now());
        if (report_) {
            metrics_.attempts = attempt_;
            metrics_.bytes_sent += http_request_.body.size();
        }
        return CallAction::send;
    } catch (...) {
        return finish(std::current_exception());
    }
}

CallAction CallPlan::on_credentials_error(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const Error& e) {
        ErrorInfo info = context_;
        info.message = std::string(e.message());
        log_failure(CallFailure{e.code(), false, 0, {}, e.message()});
        return finish(std::make_exception_ptr(Error(e.code(), std::move(info))));
    } catch (...) {
        return finish(std::current_exception());
    }
}

CallAction CallPlan::on_response(http::HttpResponse& response) noexcept {
    try {
        if (report_) {
            metrics_.http_status = response.status;
            metrics_.bytes_received += response.body.size();
        }
        if (!crc32_matches(response)) {
            ErrorInfo info = context_;
            info.http_status = response.status;
            info.request_id = std::string(response.header("x-amzn-RequestId"));
            info.message = "response body does not match its x-amz-crc32 header";
            throw Error(errc::crc32_mismatch, std::move(info));
        }
        if (response.status != 200) throw_response_error(response, context_);

        boost::system::error_code ec;
        // Initialised, not assigned: assigning a value copies it into the target's storage.
        boost::json::value body = [&] {
            if (!options_.read_body)
                return boost::json::parse(response.body, ec, options_.storage, detail::response_parse_options());
            boost::json::value read;   // an empty object when the reader took the body
            if (options_.read_body(response.body)) read.emplace_object();
            return read;
        }();
        if (ec || !body.is_object()) {
            ErrorInfo info = context_;
            info.http_status = response.status;
            info.request_id = std::string(response.header("x-amzn-RequestId"));
            info.message = "response body is not a JSON object";
            throw Error(errc::invalid_response, std::move(info));
        }
        impl_.quota.release(retry_cost_ != 0 ? retry_cost_ : aws::RetryQuota::success_increment);
        if (impl_.limiter) impl_.limiter->on_response(false, ClientImpl::seconds_now());
        if (const auto level = attempt_ > 1 ? LogLevel::info : LogLevel::debug; log_enabled(level))
            log(level, call_name(context_) + ": HTTP 200, " + std::to_string(attempt_) +
                           (attempt_ == 1 ? " attempt, " : " attempts, ") +
                           (start_ == Clock::time_point{} ? std::string("?") : std::to_string(elapsed_ms(start_))) +
                           " ms");
        if (options_.read_body)
            response_.emplace(options_.storage);
        else
            response_.emplace(std::move(body.get_object()));
        return succeed();
    } catch (...) {
        return on_failure(std::current_exception());
    }
}

CallAction CallPlan::on_transport_error(std::exception_ptr error) noexcept { return on_failure(std::move(error)); }

CallAction CallPlan::on_failure(std::exception_ptr error) noexcept {
    try {
        try {
            std::rethrow_exception(error);
        } catch (const TransportError& e) {
            if (e.code() == errc::cancelled) return on_cancelled(e.request_sent());
            if (retry_after(CallFailure{e.code(), e.request_sent(), 0, {}, e.message()})) {
                pending_ = std::move(error);
                return CallAction::wait;
            }
        } catch (const ValidationError&) {
        } catch (const ConditionalCheckFailedError& e) {
            if (!unknown_outcome_.empty()) {
                // A resend of a write that may have been applied: its condition failed, maybe on
                // the item the earlier attempt wrote.
                const boost::json::object* item = e.item() ? &*e.item() : nullptr;
                if (shows_own_write(operation_, request_, item, options_)) {
                    impl_.quota.release(retry_cost_ != 0 ? retry_cost_ : aws::RetryQuota::success_increment);
                    if (log_enabled(LogLevel::info))
                        log(LogLevel::info, call_name(context_) + ": " + unknown_outcome_ +
                                                "; the resend's condition failed on the item this call wrote: succeeded, " +
                                                std::to_string(attempt_) + " attempts");
                    response_.emplace(options_.storage);
                    if (item != nullptr && operation_ == Operation::UpdateItem && return_values(request_) == "ALL_NEW")
                        (*response_)["Attributes"] = *item;
                    return succeed();
                }
                ErrorInfo info = e.info();
                info.aws_code.clear();
                info.message = unknown_outcome_ + ", and the resend's condition failed " +
                               (item == nullptr ? std::string("while no item has the key")
                                                : std::string("on an item that is not what this call wrote")) +
                               ": the write may or may not have been applied (" + std::to_string(attempt_) +
                               " attempts)";
                if (log_enabled(LogLevel::info)) log(LogLevel::info, call_name(context_) + ": " + info.message);
                return finish(std::make_exception_ptr(WriteOutcomeUnknownError(std::move(info), e.item())));
            }
        } catch (const Error& e) {
            if (retry_after(CallFailure{e.code(), true, e.http_status(), e.aws_code(), {}})) {
                pending_ = std::move(error);
                return CallAction::wait;
            }
        } catch (...) {
            return finish(std::move(error));
        }
        return give_up(std::move(error));
    } catch (...) {
        return finish(std::current_exception());
    }
}

CallAction CallPlan::give_up(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const TransportError& e) {
        const CallFailure failure{e.code(), e.request_sent(), 0, {}, e.message()};
        log_failure(failure);
        ErrorInfo info = context_;
        info.message = std::string(e.message());
        if (attempt_ > 1) info.message += " (" + std::to_string(attempt_) + " attempts)";
        if (stopped_by_timeout_)
            info.message += "; stopped by the call's timeout of " + std::to_string(timeout_.count()) + " ms after " +
                            std::to_string(elapsed_ms(start_)) + " ms";
        return finish(std::make_exception_ptr(
            TransportError(static_cast<errc>(e.code().value()), std::move(info), e.request_sent())));
    } catch (const ValidationError& e) {
        if (!e.operation().empty()) {
            log_failure(CallFailure{e.code(), true, e.http_status(), e.aws_code(), {}});
            return finish(std::move(error));
        }
        ErrorInfo info = context_;   // refused by the transport before sending
        info.message = std::string(e.message());
        log_failure(CallFailure{e.code(), false, 0, {}, e.message()});
        return finish(std::make_exception_ptr(ValidationError(std::move(info))));
    } catch (const Error& e) {
        log_failure(CallFailure{e.code(), true, e.http_status(), e.aws_code(), {}});
        return finish(std::move(error));
    }
}

CallAction CallPlan::on_cancelled(bool request_sent, std::string_view how) noexcept {
    try {
        ErrorInfo info = context_;
        const std::string attempts =
            std::to_string(attempt_) + (attempt_ == 1 ? " attempt, " : " attempts, ") +
            (start_ == Clock::time_point{} ? std::string("?") : std::to_string(elapsed_ms(start_))) + " ms";
        const std::string_view cause = how.empty() ? cancel_cause_ : how;
        const bool outcome_unknown =
            (request_sent || maybe_applied_) && may_write(operation_, context_.operation, request_);
        log_failure(CallFailure{make_error_code(errc::cancelled), request_sent, 0, {}, cause});
        if (outcome_unknown) {
            info.message = std::string(cause) +
                           (request_sent ? " after the request was sent"
                                         : " after an earlier attempt that may have been applied") +
                           ": the write may or may not have been applied (" + attempts + ")";
            if (!unknown_outcome_.empty()) info.message = unknown_outcome_ + "; " + info.message;
            return finish(std::make_exception_ptr(WriteOutcomeUnknownError(std::move(info), std::nullopt)));
        }
        info.message = std::string(cause) +
                       (request_sent ? " after the request was sent, before the response arrived"
                                     : " before the request was sent") +
                       " (" + attempts + ")";
        return finish(std::make_exception_ptr(TransportError(errc::cancelled, std::move(info), request_sent)));
    } catch (...) {
        return finish(std::current_exception());
    }
}

// Decides whether to retry after `failure`; if so sets the backoff delay and returns true.
bool CallPlan::retry_after(const CallFailure& failure) {
    const aws::FailureClass kind = aws::classify_failure(failure.code, failure.request_sent);
    if (kind.may_have_applied && kind.reason != aws::RetryReason::none) maybe_applied_ = true;
    if (impl_.limiter) impl_.limiter->on_response(kind.reason == aws::RetryReason::throttling, ClientImpl::seconds_now());
    not_retried_ = {};
    if (kind.reason == aws::RetryReason::none) return false;
    std::string_view refusal;
    std::chrono::milliseconds delay{0};
    unsigned taken = 0;
    if (!resendable_ && kind.may_have_applied) {
        refusal = options_.idempotent ? "the call asks for values a resend would change, and may have been applied"
                                      : "the call is not idempotent and may have been applied";
    } else if (attempt_ >= impl_.retry.max_attempts) {
        refusal = "no attempts left";
    } else if (deadline_passed()) {
        refusal = "the call's timeout passed";
        stopped_by_timeout_ = true;
    } else if (!impl_.quota.acquire(kind.reason, taken)) {
        refusal = "the retry quota is exhausted";
    } else {
        delay = aws::backoff_delay(impl_.retry, attempt_, kind.reason, aws::detail::jitter01());
        if (timeout_.count() > 0 && Clock::now() + delay >= http_request_.deadline) {
            impl_.quota.release(taken);
            refusal = "the call's timeout would pass";
            stopped_by_timeout_ = true;
        }
    }
    if (!refusal.empty()) {
        not_retried_ = refusal;
        return false;
    }
    retry_cost_ = taken;
    if (conditional_write_ && kind.may_have_applied && unknown_outcome_.empty()) {
        unknown_outcome_ = "attempt " + std::to_string(attempt_) + " failed after the request was sent (" +
                           describe(failure) + ")";
        const auto* asked = request_.if_contains("ReturnValuesOnConditionCheckFailure");
        if (asked == nullptr || !asked->is_string() || asked->get_string() != "ALL_OLD") {
            boost::json::object resent = request_;
            resent["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
            http_request_.body = boost::json::serialize(resent);
        }
    }
    if (report_) metrics_.retry_reasons.push_back(kind.reason);
    if (log_enabled(LogLevel::warn))
        log(LogLevel::warn, call_name(context_) + ": attempt " + std::to_string(attempt_) + " of " +
                                std::to_string(impl_.retry.max_attempts) + " failed: " + describe(failure) + " [" +
                                std::string(reason_name(kind.reason)) + "]; retrying in " +
                                std::to_string(delay.count()) + " ms");
    delay_ = delay;
    waiting_ = Waiting::backoff;
    return true;
}

// The one info line of a failed call: operation, table, error code, HTTP status, attempts and
// time; never DynamoDB's message (which may quote request values).
void CallPlan::log_failure(const CallFailure& failure) const {
    if (!log_enabled(LogLevel::info)) return;
    std::string line = call_name(context_) + ": failed: " + describe(failure) + " [" + failure.code.message() + "], " +
                       std::to_string(attempt_) + (attempt_ == 1 ? " attempt, " : " attempts, ") +
                       (start_ == Clock::time_point{} ? std::string("?") : std::to_string(elapsed_ms(start_))) + " ms";
    if (!not_retried_.empty()) {
        line += "; not retried: ";
        line += not_retried_;
    }
    log(LogLevel::info, line);
}

CallAction CallPlan::succeed() {
    if (report_) {
        if (!metrics_.consumed_capacity) metrics_.consumed_capacity = detail::consumed_capacity_units(*response_);
        report_metrics(impl_.metrics, metrics_, context_.operation, metrics_table_, metrics_start_);
    }
    return CallAction::done;
}

CallAction CallPlan::finish(std::exception_ptr error) noexcept {
    error_ = std::move(error);
    if (report_) {
        try {
            std::rethrow_exception(error_);
        } catch (const Error& e) {
            metrics_.error = e.code();
            metrics_.aws_code = e.aws_code();
            report_metrics(impl_.metrics, metrics_, context_.operation, metrics_table_, metrics_start_);
        } catch (...) {
            metrics_.error = make_error_code(errc::invalid_response);
            report_metrics(impl_.metrics, metrics_, context_.operation, metrics_table_, metrics_start_);
        }
    }
    return CallAction::fail;
}

}  // namespace dynantic::detail
