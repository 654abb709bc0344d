// SPDX-License-Identifier: BSL-1.0
#pragma once
// A client's own threads for its asynchronous calls (private to src/asio/): one io_context
// thread that runs the I/O of calls whose handler has no executor of its own, and a few threads
// for work that blocks (fetching credentials, a user's synchronous transport), so that neither
// ever blocks a caller's executor. Made by the first asynchronous call of a client; the threads
// stop when the last copy of the client goes.
#include "http/async_transport.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace dynantic::asio::detail {

class Runtime {
public:
    /** `transport`: the options of the client's default transport (then an asynchronous Beast
        transport is made with them), or none for a user's transport. */
    explicit Runtime(const std::optional<http::TransportOptions>& transport);
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    /** Where the I/O of calls without an executor of their own runs. */
    boost::asio::any_io_executor io_executor() const;
    /** Where blocking work runs. */
    boost::asio::any_io_executor blocking_executor() const;
    /** The asynchronous transport; null when the client has a user's transport. */
    http::detail::AsyncTransport* transport() noexcept { return transport_ ? &*transport_ : nullptr; }

private:
    struct Contexts {
        boost::asio::io_context io{1};
        boost::asio::io_context blocking;
    };
    std::shared_ptr<Contexts> contexts_;   // shared with the threads, which may outlive this object
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> io_work_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> blocking_work_;
    std::vector<std::thread> threads_;
    std::optional<http::detail::AsyncTransport> transport_;   // destroyed before the threads stop
};

}  // namespace dynantic::asio::detail
