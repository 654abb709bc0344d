// SPDX-License-Identifier: BSL-1.0
#pragma once
// A connected, non-blocking socket as a synchronous stream whose every step ends by a deadline.
// Private to src/http/; included by the one translation unit that includes Asio and Beast
// (connection.cpp).
//
// Beast's synchronous operations ignore socket timeouts (beast#2398, #2531). Once connected, the
// socket is non-blocking and every read and write goes through `DeadlineStream`, which waits in
// poll(2) for at most the time left: Beast's and Asio's synchronous operations (the TLS handshake,
// writing the request, parsing the response) then cost one system call per step and no event loop
// (an asynchronous exchange cost two more epoll_wait calls per request). The deadline is checked
// before every step, not only when a step would block: a server that keeps the socket full (an
// endless header or body, a flood of interim responses) is stopped at the deadline plus one step
// (one read of at most 64 KiB and its parsing).
#include "http/deadline.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <poll.h>

#include <cerrno>
#include <climits>
#include <utility>

namespace dynantic::http::detail {

/** A connected, non-blocking socket as a synchronous stream (Asio's SyncReadStream and
    SyncWriteStream, and the next layer of an `ssl::stream`) whose operations end by `deadline`:
    every operation first checks the deadline (so a peer that keeps the socket full cannot keep
    a caller past it), and one that would block waits in poll(2) for at most the time left; past
    the deadline it fails with `boost::asio::error::timed_out`. */
class DeadlineStream {
    using tcp = boost::asio::ip::tcp;
    using error_code = boost::system::error_code;

public:
    using executor_type = tcp::socket::executor_type;
    using lowest_layer_type = tcp::socket::lowest_layer_type;

    explicit DeadlineStream(tcp::socket& socket) noexcept : socket_(socket) {}

    Clock::time_point deadline = no_deadline;
    /** Each operation is tried once, without checking the deadline or waiting (a TLS
        close_notify sent while closing: it goes out if the socket takes it at once). */
    bool try_once = false;

    executor_type get_executor() noexcept { return socket_.get_executor(); }
    lowest_layer_type& lowest_layer() noexcept { return socket_.lowest_layer(); }
    const lowest_layer_type& lowest_layer() const noexcept { return socket_.lowest_layer(); }

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers, error_code& ec) {
        if (!try_once && passed(ec)) return 0;
        // Right after a write the answer is rarely there yet: waiting first saves a read that
        // would fail with EAGAIN.
        if (std::exchange(wrote_, false) && !try_once && !wait(POLLIN, ec)) return 0;
        for (;;) {
            const std::size_t n = socket_.read_some(buffers, ec);
            if (try_once || !would_block(ec) || !wait(POLLIN, ec)) return n;
        }
    }
    template <class ConstBuffers>
    std::size_t write_some(const ConstBuffers& buffers, error_code& ec) {
        if (!try_once && passed(ec)) return 0;
        wrote_ = true;
        for (;;) {
            const std::size_t n = socket_.write_some(buffers, ec);
            if (try_once || !would_block(ec) || !wait(POLLOUT, ec)) return n;
        }
    }
    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers) {
        error_code ec;
        const std::size_t n = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }
    template <class ConstBuffers>
    std::size_t write_some(const ConstBuffers& buffers) {
        error_code ec;
        const std::size_t n = write_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }

private:
    static bool would_block(const error_code& ec) noexcept {
        return ec == boost::asio::error::would_block || ec == boost::asio::error::try_again;
    }

    /** True, with `ec` set to `timed_out`, once the deadline has passed. */
    bool passed(error_code& ec) const noexcept {
        if (deadline == no_deadline || Clock::now() < deadline) return false;
        ec = boost::asio::error::timed_out;
        return true;
    }

    /** Waits until the socket is ready for `events` (or has an error or hang-up, which the next
        call reports) and returns true; false with `ec` set when the deadline passed first. */
    bool wait(short events, error_code& ec) {
        pollfd fd{socket_.native_handle(), events, 0};
        for (;;) {
            int timeout_ms = -1;
            if (deadline != no_deadline) {
                const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
                if (left <= 0) {
                    ec = boost::asio::error::timed_out;
                    return false;
                }
                timeout_ms = static_cast<int>(std::min<long long>(left, INT_MAX));
            }
            const int ready = ::poll(&fd, 1, timeout_ms);
            if (ready > 0) {
                ec = {};
                return true;
            }
            if (ready < 0 && errno != EINTR) {
                ec = error_code(errno, boost::system::system_category());
                return false;
            }
        }
    }

    tcp::socket& socket_;
    bool wrote_ = false;   ///< the last operation was a write
};

}  // namespace dynantic::http::detail
