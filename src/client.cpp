// SPDX-License-Identifier: BSL-1.0
#include <dynantic/client.hpp>

#include "aws/backoff.hpp"
#include "aws/crc32.hpp"
#include "user_agent.hpp"

#include <dynantic/aws/config.hpp>
#include <dynantic/aws/sigv4.hpp>
#include <dynantic/codec/compare.hpp>
#include <dynantic/codec/limits.hpp>
#include <dynantic/codec/sax_page.hpp>
#include <dynantic/log.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace dynantic {

struct Client::Impl {
    std::string region;
    http::Endpoint endpoint;
    http::Endpoint streams_endpoint;   ///< for Service::streams
    std::shared_ptr<aws::CredentialsProvider> credentials;
    std::shared_ptr<http::Transport> transport;
    RetryOptions retry;
    std::chrono::milliseconds call_timeout;
    std::string table_prefix;
    std::string cursor_secret;
    MetricsHook metrics;
    aws::Signer signer;
    mutable aws::RetryQuota quota;
    std::unique_ptr<aws::AdaptiveRateLimiter> limiter;   ///< adaptive mode only
    std::string user_agent;                              ///< the User-Agent header, built once

    static std::shared_ptr<http::Transport> default_transport(http::TransportOptions options) {
        if (options.tls.ca_file.empty())
            if (const char* bundle = std::getenv("AWS_CA_BUNDLE"); bundle != nullptr) options.tls.ca_file = bundle;
        return std::make_shared<http::BeastTransport>(std::move(options));
    }

    Impl(ClientOptions o, std::string resolved_region, http::Endpoint ep)
        : region(std::move(resolved_region)),
          endpoint(std::move(ep)),
          streams_endpoint(streams_endpoint_of(endpoint)),
          credentials(o.credentials ? std::move(o.credentials) : aws::default_credentials_provider()),
          transport(o.transport ? std::move(o.transport) : default_transport(std::move(o.http))),
          retry(o.retry),
          call_timeout(o.call_timeout),
          table_prefix(std::move(o.table_prefix)),
          cursor_secret(std::move(o.cursor_secret)),
          metrics(std::move(o.metrics)),
          signer(region, "dynamodb"),
          quota(o.retry.retry_quota),
          user_agent(detail::user_agent(o.retry.mode)) {
        if (retry.max_attempts == 0) retry.max_attempts = 1;
        if (retry.mode == RetryMode::adaptive) limiter = std::make_unique<aws::AdaptiveRateLimiter>(seconds_now());
    }

    /** AWS serves the Streams API on "streams.dynamodb.<region>.amazonaws.com[.cn]"; any other
        endpoint (DynamoDB Local, a proxy) serves both APIs. */
    static http::Endpoint streams_endpoint_of(const http::Endpoint& ep) {
        http::Endpoint out = ep;
        if (ep.tls && ep.host.starts_with("dynamodb.") &&
            (ep.host.ends_with(".amazonaws.com") || ep.host.ends_with(".amazonaws.com.cn")))
            out.host = "streams." + ep.host;
        return out;
    }

    /** Monotonic seconds, for the rate limiter. */
    static double seconds_now() {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }
};

namespace {

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

using Clock = std::chrono::steady_clock;

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

/** What a failed attempt looked like, for the retry decision and the log. Holds no message of
    DynamoDB (which may quote request values), only codes. */
struct Failure {
    std::error_code code;
    bool request_sent = true;
    unsigned http_status = 0;
    std::string_view aws_code;       ///< points into the exception being handled
    std::string_view local_message;  ///< transport messages (ours, free of request data)
};

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

std::string describe(const Failure& f) {
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
bool is_conditional_write(std::string_view operation, const boost::json::object& request) {
    if (operation != "PutItem" && operation != "UpdateItem" && operation != "DeleteItem") return false;
    return request.contains("ConditionExpression") || request.contains("Expected");
}

std::string_view return_values(const boost::json::object& request) {
    if (const auto* r = request.if_contains("ReturnValues"); r != nullptr && r->is_string()) return r->get_string();
    return {};
}

/** A write whose answer a resend would change: old values would be the earlier attempt's
    result, and UPDATED_NEW cannot be rebuilt from the item a failed condition returns. */
bool resend_changes_answer(std::string_view operation, const boost::json::object& request, bool conditional) {
    if (operation != "PutItem" && operation != "UpdateItem" && operation != "DeleteItem") return false;
    const std::string_view r = return_values(request);
    return r == "ALL_OLD" || r == "UPDATED_OLD" || (conditional && r == "UPDATED_NEW");
}

/** True when `item` (what a resend's failed condition returned; null: no item has the key)
    shows the write of this call: PutItem, the item written; DeleteItem, no item; UpdateItem,
    what `recognizes_write` accepts. */
bool shows_own_write(std::string_view operation, const boost::json::object& request, const boost::json::object* item,
                     const CallOptions& options) {
    if (operation == "DeleteItem") return item == nullptr;
    if (item == nullptr) return false;
    if (operation == "PutItem") {
        const auto* written = request.if_contains("Item");
        return written != nullptr && written->is_object() && same_item(written->get_object(), *item);
    }
    if (operation == "UpdateItem") return options.recognizes_write && options.recognizes_write(*item);
    return false;
}

}  // namespace

Client::Client() : Client(ClientOptions{}) {}

Client::Client(ClientOptions options) : impl_(make_impl(std::move(options))) {}

std::shared_ptr<const Client::Impl> Client::make_impl(ClientOptions options) {
    std::string region = options.region.empty() ? aws::resolve_region() : options.region;
    http::Endpoint endpoint =
        options.endpoint.empty() ? aws::resolve_endpoint(region) : http::Endpoint::parse(options.endpoint);
    return std::make_shared<const Client::Impl>(std::move(options), std::move(region), std::move(endpoint));
}

boost::json::object Client::call(std::string_view operation, const boost::json::object& request,
                                 CallOptions options) const {
    if (!impl_->metrics) return call_attempts(operation, request, std::move(options), nullptr);
    CallMetrics metrics;
    const auto start = Clock::now();
    const std::string table = tables_of(request);
    if (options.read_body) {
        // The reader keeps the body to itself: the hook's ConsumedCapacity is read from the text
        // by a pass that builds nothing else (only when a hook is installed).
        options.read_body = [&metrics, reader = std::move(options.read_body)](std::string_view body) {
            if (!reader(body)) return false;
            static constexpr std::string_view head[] = {"ConsumedCapacity"};
            struct Nothing final : detail::ItemSink {
                bool reads(std::string_view) const noexcept override { return false; }
                void decode(const boost::json::object&) override {}
                void clear() noexcept override {}
            } nothing;
            detail::PageText page;
            if (detail::decode_page_text(body, {}, head, nothing, {}, page))
                metrics.consumed_capacity = detail::consumed_capacity_units(page.head);
            return true;
        };
    }
    try {
        boost::json::object response = call_attempts(operation, request, std::move(options), &metrics);
        if (!metrics.consumed_capacity) metrics.consumed_capacity = detail::consumed_capacity_units(response);
        report_metrics(impl_->metrics, metrics, operation, table, start);
        return response;
    } catch (const Error& e) {
        metrics.error = e.code();
        metrics.aws_code = e.aws_code();
        report_metrics(impl_->metrics, metrics, operation, table, start);
        throw;
    } catch (...) {
        metrics.error = make_error_code(errc::invalid_response);
        report_metrics(impl_->metrics, metrics, operation, table, start);
        throw;
    }
}

boost::json::object Client::call_attempts(std::string_view operation, const boost::json::object& request,
                                          CallOptions options, CallMetrics* metrics) const {
    const Impl& impl = *impl_;
    ErrorInfo context{std::string(operation), std::string(table_of(request)), {}, {}, 0, {}};

    http::HttpRequest http_request;
    http_request.body = boost::json::serialize(request);
    http_request.headers.reserve(7);
    http_request.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    http_request.headers.emplace_back("User-Agent", impl.user_agent);   // not signed, as in the SDKs
    std::string target(target_prefix(options.service));
    target += operation;
    const http::Endpoint& endpoint = options.service == Service::streams ? impl.streams_endpoint : impl.endpoint;
    http_request.headers.emplace_back("X-Amz-Target", std::move(target));
    const std::size_t base_headers = http_request.headers.size();
    // A conditional write whose attempt may have been applied is resent asking for the item on a
    // failed condition, so that its own earlier write can be told from another writer's change.
    // The transport must not resend it behind our back (on a pooled connection that ended).
    const bool conditional_write = is_conditional_write(operation, request);
    const bool resendable = options.idempotent && !resend_changes_answer(operation, request, conditional_write);
    http_request.replayable = resendable && !conditional_write;
    std::string unknown_outcome;   // the failure of the attempt that may have been applied, if any

    // The clock is read only when a deadline or a log line needs it.
    const auto timeout = options.timeout.count() > 0 ? options.timeout : impl.call_timeout;
    Clock::time_point start{};
    if (timeout.count() > 0 || log_enabled(LogLevel::info)) start = Clock::now();
    if (timeout.count() > 0) http_request.deadline = start + timeout;
    const auto deadline_passed = [&] { return timeout.count() > 0 && Clock::now() >= http_request.deadline; };

    unsigned retry_cost = 0;            // quota taken by the latest retry, returned on success
    bool stopped_by_timeout = false;    // the call's timeout left no room for another attempt
    std::string_view not_retried;       // why the last failure was not retried (for the log)

    // The one info line of a failed call: operation, table, error code, HTTP status, attempts and
    // time; never DynamoDB's message (which may quote request values).
    const auto log_failure = [&](unsigned attempt, const Failure& failure) {
        if (!log_enabled(LogLevel::info)) return;
        std::string line = call_name(context) + ": failed: " + describe(failure) + " [" + failure.code.message() +
                           "], " + std::to_string(attempt) + (attempt == 1 ? " attempt, " : " attempts, ") +
                           (start == Clock::time_point{} ? std::string("?") : std::to_string(elapsed_ms(start))) +
                           " ms";
        if (!not_retried.empty()) {
            line += "; not retried: ";
            line += not_retried;
        }
        log(LogLevel::info, line);
    };

    // Decides whether to retry after `failure`; if so sleeps and returns true.
    const auto retry_after = [&](unsigned attempt, const Failure& failure) {
        const aws::FailureClass kind = aws::classify_failure(failure.code, failure.request_sent);
        if (impl.limiter) impl.limiter->on_response(kind.reason == aws::RetryReason::throttling, Impl::seconds_now());
        not_retried = {};
        if (kind.reason == aws::RetryReason::none) return false;
        std::string_view refusal;
        std::chrono::milliseconds delay{0};
        unsigned taken = 0;
        if (!resendable && kind.may_have_applied) {
            refusal = options.idempotent ? "the call asks for values a resend would change, and may have been applied"
                                         : "the call is not idempotent and may have been applied";
        } else if (attempt >= impl.retry.max_attempts) {
            refusal = "no attempts left";
        } else if (deadline_passed()) {
            refusal = "the call's timeout passed";
            stopped_by_timeout = true;
        } else if (!impl.quota.acquire(kind.reason, taken)) {
            refusal = "the retry quota is exhausted";
        } else {
            delay = aws::backoff_delay(impl.retry, attempt, kind.reason, aws::detail::jitter01());
            if (timeout.count() > 0 && Clock::now() + delay >= http_request.deadline) {
                impl.quota.release(taken);
                refusal = "the call's timeout would pass";
                stopped_by_timeout = true;
            }
        }
        if (!refusal.empty()) {
            not_retried = refusal;
            return false;
        }
        retry_cost = taken;
        if (conditional_write && kind.may_have_applied && unknown_outcome.empty()) {
            unknown_outcome = "attempt " + std::to_string(attempt) + " failed after the request was sent (" +
                              describe(failure) + ")";
            const auto* asked = request.if_contains("ReturnValuesOnConditionCheckFailure");
            if (asked == nullptr || !asked->is_string() || asked->get_string() != "ALL_OLD") {
                boost::json::object resent = request;
                resent["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
                http_request.body = boost::json::serialize(resent);
            }
        }
        if (metrics != nullptr) metrics->retry_reasons.push_back(kind.reason);
        if (log_enabled(LogLevel::warn))
            log(LogLevel::warn, call_name(context) + ": attempt " + std::to_string(attempt) + " of " +
                                    std::to_string(impl.retry.max_attempts) + " failed: " + describe(failure) + " [" +
                                    std::string(reason_name(kind.reason)) + "]; retrying in " +
                                    std::to_string(delay.count()) + " ms");
        if (delay.count() > 0) std::this_thread::sleep_for(delay);
        if (deadline_passed()) {   // woken late (a loaded machine): no attempt begins past the deadline
            impl.quota.release(taken);
            retry_cost = 0;
            not_retried = "the call's timeout passed";
            stopped_by_timeout = true;
            return false;
        }
        return true;
    };

    for (unsigned attempt = 1;; ++attempt) {
        if (impl.limiter) {
            const auto wait = impl.limiter->acquire(Impl::seconds_now());
            if (wait.count() > 0) {
                if (timeout.count() > 0 && Clock::now() + wait >= http_request.deadline) {
                    ErrorInfo info = context;
                    info.message = "the client-side rate limiter (adaptive retry mode) would delay attempt " +
                                   std::to_string(attempt) + " past the call's timeout of " +
                                   std::to_string(timeout.count()) + " ms";
                    log_failure(attempt, Failure{make_error_code(errc::timeout), false, 0, {}, info.message});
                    throw TransportError(errc::timeout, std::move(info), false);
                }
                std::this_thread::sleep_for(wait);
            }
        }

        std::shared_ptr<const aws::Credentials> credentials;
        try {
            credentials = impl.credentials->shared_credentials();
        } catch (const Error& e) {
            ErrorInfo info = context;
            info.message = std::string(e.message());
            log_failure(attempt, Failure{e.code(), false, 0, {}, e.message()});
            throw Error(e.code(), std::move(info));
        }
        http_request.headers.resize(base_headers);
        impl.signer.sign(http_request, endpoint, *credentials, std::chrono::system_clock::now());

        try {
            if (metrics != nullptr) {
                metrics->attempts = attempt;
                metrics->bytes_sent += http_request.body.size();
            }
            http::HttpResponse response = impl.transport->send(endpoint, http_request);
            if (metrics != nullptr) {
                metrics->http_status = response.status;
                metrics->bytes_received += response.body.size();
            }
            if (!crc32_matches(response)) {
                ErrorInfo info = context;
                info.http_status = response.status;
                info.request_id = std::string(response.header("x-amzn-RequestId"));
                info.message = "response body does not match its x-amz-crc32 header";
                throw Error(errc::crc32_mismatch, std::move(info));
            }
            if (response.status != 200) throw_response_error(response, context);

            boost::system::error_code ec;
            // Initialised, not assigned: assigning a value copies it into the target's storage.
            boost::json::value body = [&] {
                if (!options.read_body) return boost::json::parse(response.body, ec, options.storage, detail::response_parse_options());
                boost::json::value read;   // an empty object when the reader took the body
                if (options.read_body(response.body)) read.emplace_object();
                return read;
            }();
            if (ec || !body.is_object()) {
                ErrorInfo info = context;
                info.http_status = response.status;
                info.request_id = std::string(response.header("x-amzn-RequestId"));
                info.message = "response body is not a JSON object";
                throw Error(errc::invalid_response, std::move(info));
            }
            impl.quota.release(retry_cost != 0 ? retry_cost : aws::RetryQuota::success_increment);
            if (impl.limiter) impl.limiter->on_response(false, Impl::seconds_now());
            if (const auto level = attempt > 1 ? LogLevel::info : LogLevel::debug; log_enabled(level))
                log(level, call_name(context) + ": HTTP 200, " + std::to_string(attempt) +
                               (attempt == 1 ? " attempt, " : " attempts, ") +
                               (start == Clock::time_point{} ? std::string("?") : std::to_string(elapsed_ms(start))) +
                               " ms");
            if (options.read_body) return boost::json::object(options.storage);
            return std::move(body.get_object());
        } catch (const TransportError& e) {
            Failure failure{e.code(), e.request_sent(), 0, {}, e.message()};
            if (retry_after(attempt, failure)) continue;
            log_failure(attempt, failure);
            ErrorInfo info = context;
            info.message = std::string(e.message());
            if (attempt > 1) info.message += " (" + std::to_string(attempt) + " attempts)";
            if (stopped_by_timeout)
                info.message += "; stopped by the call's timeout of " + std::to_string(timeout.count()) + " ms after " +
                                std::to_string(elapsed_ms(start)) + " ms";
            throw TransportError(static_cast<errc>(e.code().value()), std::move(info), e.request_sent());
        } catch (const ValidationError& e) {
            if (!e.operation().empty()) {
                log_failure(attempt, Failure{e.code(), true, e.http_status(), e.aws_code(), {}});
                throw;
            }
            ErrorInfo info = context;   // refused by the transport before sending
            info.message = std::string(e.message());
            log_failure(attempt, Failure{e.code(), false, 0, {}, e.message()});
            throw ValidationError(std::move(info));
        } catch (const ConditionalCheckFailedError& e) {
            if (unknown_outcome.empty()) {
                log_failure(attempt, Failure{e.code(), true, e.http_status(), e.aws_code(), {}});
                throw;
            }
            // A resend of a write that may have been applied: its condition failed, maybe on the
            // item the earlier attempt wrote.
            const boost::json::object* item = e.item() ? &*e.item() : nullptr;
            if (shows_own_write(operation, request, item, options)) {
                impl.quota.release(retry_cost != 0 ? retry_cost : aws::RetryQuota::success_increment);
                if (log_enabled(LogLevel::info))
                    log(LogLevel::info, call_name(context) + ": " + unknown_outcome +
                                            "; the resend's condition failed on the item this call wrote: succeeded, " +
                                            std::to_string(attempt) + " attempts");
                boost::json::object response(options.storage);
                if (item != nullptr && operation == "UpdateItem" && return_values(request) == "ALL_NEW")
                    response["Attributes"] = *item;
                return response;
            }
            ErrorInfo info = e.info();
            info.aws_code.clear();
            info.message = unknown_outcome + ", and the resend's condition failed " +
                           (item == nullptr ? std::string("while no item has the key")
                                            : std::string("on an item that is not what this call wrote")) +
                           ": the write may or may not have been applied (" + std::to_string(attempt) + " attempts)";
            if (log_enabled(LogLevel::info)) log(LogLevel::info, call_name(context) + ": " + info.message);
            throw WriteOutcomeUnknownError(std::move(info), e.item());
        } catch (const Error& e) {
            Failure failure{e.code(), true, e.http_status(), e.aws_code(), {}};
            if (retry_after(attempt, failure)) continue;
            log_failure(attempt, failure);
            throw;
        }
    }
}

std::string Client::table_name(std::string_view name) const {
    std::string out = impl_->table_prefix;
    out += name;
    return out;
}

std::chrono::milliseconds Client::call_timeout() const noexcept { return impl_->call_timeout; }
const std::string& Client::region() const noexcept { return impl_->region; }
const std::string& Client::cursor_secret() const noexcept { return impl_->cursor_secret; }
const http::Endpoint& Client::endpoint() const noexcept { return impl_->endpoint; }
const std::shared_ptr<http::Transport>& Client::transport() const noexcept { return impl_->transport; }
http::TransportStats Client::transport_stats() const { return impl_->transport->stats(); }

namespace {
thread_local const ClientOverride* current_override = nullptr;
}

ClientOverride::ClientOverride(Client client) : client_(std::move(client)), previous_(current_override) {
    current_override = this;
}

ClientOverride::~ClientOverride() { current_override = previous_; }

Client current_client() {
    if (current_override != nullptr) return current_override->client_;
    static const Client process_default;
    return process_default;
}

}  // namespace dynantic
