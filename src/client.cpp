// SPDX-License-Identifier: BSL-1.0
// The synchronous call: the call plan (call_plan.hpp, every rule of a call) driven with blocking
// transport sends and interruptible sleeps.
#include <dynantic/client.hpp>

#include "call_plan.hpp"
#include "client_impl.hpp"

#include <dynantic/aws/config.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace dynantic {

Client::Impl::~Impl() = default;

namespace {

/** Sleeps `delay`, or less when `stop` is requested first; returns false then. */
bool sleep_unless_stopped(std::chrono::nanoseconds delay, const std::stop_token& stop) {
    if (!stop.stop_possible()) {
        if (delay.count() > 0) std::this_thread::sleep_for(delay);
        return true;
    }
    if (delay.count() > 0) {
        std::mutex mutex;
        std::condition_variable_any woken;
        std::unique_lock lock(mutex);
        woken.wait_for(lock, stop, delay, [] { return false; });
    }
    return !stop.stop_requested();
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

namespace {

/** Drives a plan with blocking sends and sleeps. */
boost::json::object run_sync(detail::CallPlan& plan, const detail::ClientImpl& impl) {
    for (detail::CallAction next = plan.start();;) {
        switch (next) {
        case detail::CallAction::wait:
            next = sleep_unless_stopped(plan.delay(), plan.options().stop)
                       ? plan.resume()
                       : plan.on_cancelled(false);
            break;
        case detail::CallAction::credentials:
            try {
                next = plan.on_credentials(impl.credentials->shared_credentials());
            } catch (...) {
                next = plan.on_credentials_error(std::current_exception());
            }
            break;
        case detail::CallAction::send: {
            http::HttpResponse response;
            try {
                response = impl.transport->send(plan.endpoint(), plan.request());
            } catch (...) {
                next = plan.on_transport_error(std::current_exception());
                break;
            }
            next = plan.on_response(response);
            break;
        }
        case detail::CallAction::done: return plan.take_response();
        case detail::CallAction::fail: std::rethrow_exception(plan.error());
        }
    }
}

}  // namespace

boost::json::object Client::call(Operation operation, const boost::json::object& request, CallOptions options) const {
    detail::CallPlan plan(*impl_, operation, request, std::move(options));
    return run_sync(plan, *impl_);
}

boost::json::object Client::call(std::string_view operation, const boost::json::object& request,
                                 CallOptions options) const {
    detail::CallPlan plan(*impl_, operation, request, std::move(options));
    return run_sync(plan, *impl_);
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
