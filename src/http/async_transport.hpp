// SPDX-License-Identifier: BSL-1.0
#pragma once
// The asynchronous Boost.Beast transport: the same exchange as BeastTransport (request head,
// limits, keep-alive rules, resend on a connection closed while idle, failures and their
// messages), as Asio operations on the caller's executor, over a pool with the same limits.
// Private to src/; the implementation (async_connection.cpp) is the one translation unit that
// includes Beast for it.
#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <exception>
#include <memory>

namespace dynantic::http::detail {

/** Receives the outcome of one exchange. */
class ExchangeReceiver {
public:
    /** Called once, on the exchange's executor: `error` null and `response` complete, or `error`
        a TransportError (errc::network, timeout, tls, invalid_response, cancelled) or
        ValidationError as BeastTransport::send throws them. */
    virtual void exchange_done(std::exception_ptr error, HttpResponse& response) = 0;

protected:
    ~ExchangeReceiver() = default;
};

/** One exchange in flight. */
class AsyncExchange;

/** Ends `exchange` as soon as possible with a TransportError (errc::cancelled), `request_sent()`
    true once its request had been written in full. Thread-safe; does nothing once it ended. */
void cancel(AsyncExchange& exchange) noexcept;

class AsyncTransport {
public:
    /** Nothing connects before the first exchange. */
    explicit AsyncTransport(TransportOptions options);
    ~AsyncTransport();
    AsyncTransport(const AsyncTransport&) = delete;
    AsyncTransport& operator=(const AsyncTransport&) = delete;

    /** Sends `request` to `endpoint` over a pooled connection of `io`'s execution context (or a
        new one), every step on `io`, and reports to `receiver`. `request` must stay valid until
        then (the receiver owns it). The pool bounds connections per endpoint by
        `pool.max_connections`; an exchange that finds them all busy waits (in order of arrival)
        for at most the connect timeout or the request's deadline. */
    std::shared_ptr<AsyncExchange> send(const Endpoint& endpoint, const HttpRequest& request,
                                        const boost::asio::any_io_executor& io,
                                        std::shared_ptr<ExchangeReceiver> receiver);

    /** Connection counters of this transport. */
    TransportStats stats() const;

    struct Pool;

private:
    std::shared_ptr<Pool> pool_;
};

}  // namespace dynantic::http::detail
