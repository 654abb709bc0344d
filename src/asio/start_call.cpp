// SPDX-License-Identifier: BSL-1.0
// The asynchronous call: the call plan (call_plan.hpp, every rule of Client::call) driven by Asio
// operations: the asynchronous Beast transport (or a user's synchronous transport on the
// client's own threads), backoff on a timer, credentials fetched off the executor when they are
// not at hand, and cancellation through the handler's cancellation slot.
#include <dynantic/asio/call.hpp>

#include "asio/runtime.hpp"
#include "call_plan.hpp"
#include "client_impl.hpp"
#include "http/async_transport.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <stop_token>
#include <utility>

namespace dynantic::asio::detail {

namespace {

namespace net = boost::asio;
using dynantic::detail::CallAction;
using dynantic::detail::CallPlan;
using dynantic::detail::ClientAccess;
using dynantic::detail::ClientImpl;

Runtime& runtime_of(const ClientImpl& impl) {
    std::call_once(impl.runtime_once, [&] { impl.runtime = std::make_shared<Runtime>(impl.default_http); });
    return *impl.runtime;
}

CallOptions stopped_by(CallOptions options, const std::stop_source& source) {
    options.stop = source.get_token();
    return options;
}

class AsyncCall final : public std::enable_shared_from_this<AsyncCall>, public http::detail::ExchangeReceiver {
public:
    AsyncCall(const Client& client, Runtime& runtime, Operation operation, boost::json::object request,
              CallOptions options, call_handler handler, net::any_io_executor io)
        : client_(client),
          impl_(ClientAccess::impl(client)),
          runtime_(runtime),
          request_(std::move(request)),
          plan_(impl_, operation, request_, stopped_by(std::move(options), stop_)),
          handler_(std::move(handler)),
          io_(io ? std::move(io) : runtime.io_executor()),
          work_(net::prefer(io_, net::execution::outstanding_work.tracked)),
          timer_(io_) {
        plan_.set_cancel_cause("cancelled");
    }

    void start() {
        auto slot = net::get_associated_cancellation_slot(handler_);
        if (slot.is_connected()) slot.emplace<Canceller>(weak_from_this());
        step(plan_.start());
        initiating_.store(false, std::memory_order_release);
    }

    void exchange_done(std::exception_ptr error, http::HttpResponse& response) override {
        {
            const std::lock_guard lock(mutex_);
            exchange_.reset();
        }
        step(error ? plan_.on_transport_error(std::move(error)) : plan_.on_response(response));
    }

private:
    struct Canceller {
        // A constructor, not an aggregate: Asio constructs it with parentheses, which clang before
        // 16 does not take for aggregates.
        explicit Canceller(std::weak_ptr<AsyncCall> c) : call(std::move(c)) {}
        std::weak_ptr<AsyncCall> call;
        void operator()(net::cancellation_type type) const {
            if ((type & (net::cancellation_type::terminal | net::cancellation_type::partial |
                         net::cancellation_type::total)) == net::cancellation_type::none)
                return;
            if (auto c = call.lock()) c->cancel();
        }
    };

    /** Runs the plan until it needs to wait for something. */
    void step(CallAction next) {
        for (;;) {
            switch (next) {
            case CallAction::wait: {
                if (plan_.delay().count() <= 0) {
                    next = plan_.resume();
                    continue;
                }
                const std::lock_guard lock(mutex_);
                timer_.expires_after(plan_.delay());
                timer_.async_wait(net::bind_executor(io_, [self = shared_from_this()](const boost::system::error_code&) {
                    self->step(self->plan_.resume());   // a cancelled wait ends by the stop token
                }));
                return;
            }
            case CallAction::credentials: {
                std::shared_ptr<const aws::Credentials> credentials;
                try {
                    credentials = impl_.credentials->cached_credentials();
                } catch (...) {
                    next = plan_.on_credentials_error(std::current_exception());
                    continue;
                }
                if (credentials) {
                    next = plan_.on_credentials(credentials);
                    continue;
                }
                // The provider must fetch (a file, a metadata service): on the client's own thread.
                net::post(runtime_.blocking_executor(), [self = shared_from_this()]() mutable {
                    std::shared_ptr<const aws::Credentials> fetched;
                    std::exception_ptr error;
                    try {
                        fetched = self->impl_.credentials->shared_credentials();
                    } catch (...) {
                        error = std::current_exception();
                    }
                    // The call goes on (and ends) on its executor: this thread keeps no reference.
                    const auto io = self->io_;
                    net::post(io, [self = std::move(self), fetched = std::move(fetched),
                                   error = std::move(error)]() mutable {
                        self->step(error ? self->plan_.on_credentials_error(std::move(error))
                                         : self->plan_.on_credentials(fetched));
                    });
                });
                return;
            }
            case CallAction::send: {
                if (stop_.stop_requested()) {
                    next = plan_.on_cancelled(false);
                    continue;
                }
                if (http::detail::AsyncTransport* transport = runtime_.transport()) {
                    // Under the lock: the exchange may end on another thread of the executor
                    // (exchange_done takes the lock first), and a cancellation must find it.
                    const std::lock_guard lock(mutex_);
                    exchange_ = transport->send(plan_.endpoint(), plan_.request(), io_, shared_from_this());
                    if (stop_.stop_requested()) http::detail::cancel(*exchange_);
                    return;
                }
                // A user's synchronous transport: sent on the client's own threads.
                net::post(runtime_.blocking_executor(), [self = shared_from_this()]() mutable {
                    auto response = std::make_shared<http::HttpResponse>();
                    std::exception_ptr error;
                    try {
                        *response = self->impl_.transport->send(self->plan_.endpoint(), self->plan_.request());
                    } catch (...) {
                        error = std::current_exception();
                    }
                    const auto io = self->io_;
                    net::post(io, [self = std::move(self), response = std::move(response),
                                   error = std::move(error)]() mutable {
                        self->step(error ? self->plan_.on_transport_error(std::move(error))
                                         : self->plan_.on_response(*response));
                    });
                });
                return;
            }
            case CallAction::done: complete(nullptr, plan_.take_response()); return;
            case CallAction::fail: complete(plan_.error(), boost::json::object()); return;
            }
        }
    }

    void cancel() {
        std::shared_ptr<http::detail::AsyncExchange> exchange;
        {
            const std::lock_guard lock(mutex_);
            if (completed_ || stop_.stop_requested()) return;
            stop_.request_stop();
            timer_.cancel();
            exchange = exchange_;
        }
        if (exchange) http::detail::cancel(*exchange);
    }

    void complete(std::exception_ptr error, boost::json::object response) {
        {
            const std::lock_guard lock(mutex_);
            completed_ = true;
        }
        auto slot = net::get_associated_cancellation_slot(handler_);
        if (slot.is_connected()) slot.clear();
        auto handler = std::move(handler_);
        const auto executor = net::get_associated_executor(handler, io_);
        auto upcall = [handler = std::move(handler), error = std::move(error), response = std::move(response),
                       work = std::move(work_)]() mutable {
            std::move(handler)(std::move(error), std::move(response));
        };
        // Never from inside async_call itself (Asio's rule): then by way of the I/O executor.
        if (initiating_.load(std::memory_order_acquire))
            net::post(io_, [executor, upcall = std::move(upcall)]() mutable { net::dispatch(executor, std::move(upcall)); });
        else
            net::dispatch(executor, std::move(upcall));
    }

    Client client_;   // keeps the shared state (and the runtime) alive
    const ClientImpl& impl_;
    Runtime& runtime_;
    boost::json::object request_;
    std::stop_source stop_;   // requested by the cancellation slot; the plan checks it
    CallPlan plan_;
    call_handler handler_;
    net::any_io_executor io_;
    net::any_io_executor work_;   // io_, counting this call as outstanding work
    net::steady_timer timer_;
    std::mutex mutex_;
    std::shared_ptr<http::detail::AsyncExchange> exchange_;   // guarded by mutex_
    bool completed_ = false;                                  // guarded by mutex_
    std::atomic<bool> initiating_{true};
};

}  // namespace

void start_call(const Client& client, Operation operation, boost::json::object request, CallOptions options,
                call_handler handler) {
    start_call_on(client, operation, std::move(request), std::move(options), std::move(handler), {});
}

void start_call_on(const Client& client, Operation operation, boost::json::object request, CallOptions options,
                   call_handler handler, boost::asio::any_io_executor io) {
    Runtime& runtime = runtime_of(ClientAccess::impl(client));
    auto call = std::make_shared<AsyncCall>(client, runtime, operation, std::move(request), std::move(options),
                                            std::move(handler), std::move(io));
    call->start();
}

}  // namespace dynantic::asio::detail
