// SPDX-License-Identifier: BSL-1.0
// PROVISIONAL: runs the synchronous Client::call on a small thread pool and completes the
// handler on its associated executor. To be replaced by the asynchronous transport.
#include <dynantic/asio/call.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace dynantic::asio::detail {

namespace {
boost::asio::thread_pool& provisional_pool() {
    static boost::asio::thread_pool pool(4);
    return pool;
}
}  // namespace

void start_call(const Client& client, Operation operation, boost::json::object request, CallOptions options,
                call_handler handler) {
    boost::asio::post(provisional_pool(), [client, operation, request = std::move(request),
                                           options = std::move(options), handler = std::move(handler)]() mutable {
        std::exception_ptr error;
        boost::json::object response;
        try {
            response = client.call(operation, request, std::move(options));
        } catch (...) {
            error = std::current_exception();
        }
        auto ex = boost::asio::get_associated_executor(handler, provisional_pool().get_executor());
        boost::asio::dispatch(ex, [handler = std::move(handler), error, response = std::move(response)]() mutable {
            std::move(handler)(error, std::move(response));
        });
    });
}

}  // namespace dynantic::asio::detail
