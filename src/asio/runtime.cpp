// SPDX-License-Identifier: BSL-1.0
#include "asio/runtime.hpp"

namespace dynantic::asio::detail {

namespace {
/** Threads for blocking work: a credentials fetch and a few concurrent sends of a user's
    synchronous transport. */
constexpr unsigned blocking_threads = 4;
}  // namespace

Runtime::Runtime(const std::optional<http::TransportOptions>& transport) : contexts_(std::make_shared<Contexts>()) {
    io_work_.emplace(contexts_->io.get_executor());
    blocking_work_.emplace(contexts_->blocking.get_executor());
    if (transport) transport_.emplace(*transport);
    threads_.emplace_back([contexts = contexts_] { contexts->io.run(); });
    for (unsigned i = 0; i < blocking_threads; ++i)
        threads_.emplace_back([contexts = contexts_] { contexts->blocking.run(); });
}

Runtime::~Runtime() {
    // No call is in flight (each holds a copy of the client): only idle connections remain.
    transport_.reset();
    io_work_.reset();
    blocking_work_.reset();
    for (std::thread& t : threads_) {
        // The last copy of a client may go on one of its own threads (a completion handler
        // without an executor runs there): that thread cannot join itself, and finishes alone.
        if (t.get_id() == std::this_thread::get_id())
            t.detach();
        else
            t.join();
    }
}

boost::asio::any_io_executor Runtime::io_executor() const { return contexts_->io.get_executor(); }

boost::asio::any_io_executor Runtime::blocking_executor() const { return contexts_->blocking.get_executor(); }

}  // namespace dynantic::asio::detail
