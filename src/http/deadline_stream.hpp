// SPDX-License-Identifier: BSL-1.0
#pragma once
// A connected, non-blocking socket as a synchronous stream whose every step ends by a deadline.
// Private to src/http/; included by the one translation unit that includes Asio and Beast
// (connection.cpp).
//
// Beast's synchronous operations ignore socket timeouts (beast#2398, #2531). Once connected, every
// read and write goes through `DeadlineStream`, which calls the socket directly (not through
// Asio, whose synchronous operations would wait without a bound once a read times out):
// - a read is one blocking recvmsg(2) bounded by SO_RCVTIMEO, which is set to the time left only
//   when that is shorter than the timeout already set (at most `receive_step`), so a response
//   costs one system call, as a raw blocking client's does; a read that times out before the
//   deadline is simply made again;
// - a write is a non-blocking sendmsg(2) (MSG_DONTWAIT), waiting in poll(2) for at most the time
//   left when the socket is full.
// The deadline is checked before every step, not only when a step would block: a server that
// keeps the socket full (an endless header or body, a flood of interim responses) is stopped at
// the deadline plus one step (one read of at most 64 KiB and its parsing).
#include "http/deadline.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <stop_token>
#include <utility>

namespace dynantic::http::detail {

/** A connected socket (in blocking mode) as a synchronous stream (Asio's SyncReadStream and
    SyncWriteStream, and the next layer of an `ssl::stream`) whose operations end by `deadline`:
    every operation first checks the deadline (so a peer that keeps the socket full cannot keep
    a caller past it); a read blocks for at most the time left (SO_RCVTIMEO), a write that
    would block waits in poll(2) for at most the time left; past the deadline an operation fails
    with `boost::asio::error::timed_out`. */
class DeadlineStream {
    using tcp = boost::asio::ip::tcp;
    using error_code = boost::system::error_code;

public:
    using executor_type = tcp::socket::executor_type;
    using lowest_layer_type = tcp::socket::lowest_layer_type;

    /** The longest SO_RCVTIMEO set: a read that outlasts it is made again (one more system call per
        this much waiting), and any deadline further away than this needs no setsockopt(2). */
    static constexpr std::chrono::microseconds receive_step{std::chrono::milliseconds(250)};

    explicit DeadlineStream(tcp::socket& socket) noexcept : socket_(socket) {}

    Clock::time_point deadline = no_deadline;
    /** When set and stop is requested, operations fail with `operation_aborted` (checked before
        each step and after one that failed or was cut short: whoever requests stop also shuts
        the socket down, which wakes a blocked read or poll). */
    const std::stop_token* stop = nullptr;
    /** Each operation is tried once, without checking the deadline or waiting (a TLS
        close_notify sent while closing: it goes out if the socket takes it at once). */
    bool try_once = false;

    executor_type get_executor() noexcept { return socket_.get_executor(); }
    lowest_layer_type& lowest_layer() noexcept { return socket_.lowest_layer(); }
    const lowest_layer_type& lowest_layer() const noexcept { return socket_.lowest_layer(); }

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers, error_code& ec) {
        if (try_once) return transfer(buffers, false, MSG_DONTWAIT, ec);
        for (;;) {
            if (passed(ec) || !bound_receive(ec)) return 0;
            const std::size_t n = transfer(buffers, false, 0, ec);
            if (ec && stopped(ec)) return 0;
            if (!would_block(ec)) return n;   // else SO_RCVTIMEO ran out: check the deadline again
        }
    }
    template <class ConstBuffers>
    std::size_t write_some(const ConstBuffers& buffers, error_code& ec) {
        if (!try_once && passed(ec)) return 0;
        for (;;) {
            const std::size_t n = transfer(buffers, true, MSG_DONTWAIT | MSG_NOSIGNAL, ec);
            if (!try_once && ec && stopped(ec)) return 0;
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

    /** One recvmsg(2) or sendmsg(2) over the buffers (Asio's semantics: 0 bytes and no error for
        empty buffers, `eof` when the peer closed). */
    template <class Buffers>
    std::size_t transfer(const Buffers& buffers, bool send, int flags, error_code& ec) {
        constexpr std::size_t max_buffers = 16;
        iovec iov[max_buffers];
        std::size_t count = 0;
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers) && count < max_buffers; ++it) {
            const boost::asio::const_buffer b(*it);
            if (b.size() == 0) continue;
            iov[count++] = iovec{const_cast<void*>(b.data()), b.size()};
        }
        if (count == 0) {
            ec = {};
            return 0;
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = count;
        for (;;) {
            const ssize_t n = send ? ::sendmsg(socket_.native_handle(), &msg, flags)
                                   : ::recvmsg(socket_.native_handle(), &msg, flags);
            if (n > 0) {
                ec = {};
                return static_cast<std::size_t>(n);
            }
            if (n == 0) {
                ec = send ? error_code{} : error_code(boost::asio::error::eof);
                return 0;
            }
            if (errno != EINTR) {
                ec = error_code(errno, boost::system::system_category());
                return 0;
            }
        }
    }

    /** Makes SO_RCVTIMEO end a blocking read by the deadline: set (to the time left, at most
        `receive_step`) only when the timeout set is longer than the time left, or is short while
        much more time is left. False with `ec` set when the deadline has passed or setting fails. */
    bool bound_receive(error_code& ec) {
        std::chrono::microseconds wanted = receive_step;
        if (deadline != no_deadline) {
            const auto left = std::chrono::floor<std::chrono::microseconds>(deadline - Clock::now());
            if (left.count() <= 0) {
                ec = boost::asio::error::timed_out;
                return false;
            }
            wanted = std::min(left, receive_step);
            if (receive_timeout_.count() != 0 && receive_timeout_ <= left &&
                (receive_timeout_ == receive_step || wanted < receive_step))
                return true;
        } else if (receive_timeout_.count() != 0) {
            return true;   // no deadline: reads time out now and then and are made again
        }
        timeval tv{};
        tv.tv_sec = static_cast<time_t>(wanted.count() / 1000000);
        tv.tv_usec = static_cast<suseconds_t>(wanted.count() % 1000000);
        if (::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
            ec = error_code(errno, boost::system::system_category());
            return false;
        }
        receive_timeout_ = wanted;
        return true;
    }

    /** True, with `ec` set to `operation_aborted`, once stop was requested. */
    bool stopped(error_code& ec) const noexcept {
        if (stop == nullptr || !stop->stop_requested()) return false;
        ec = boost::asio::error::operation_aborted;
        return true;
    }

    /** True, with `ec` set to `timed_out`, once the deadline has passed (or to
        `operation_aborted` once stop was requested). */
    bool passed(error_code& ec) const noexcept {
        if (stopped(ec)) return true;
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
            if (stopped(ec)) return false;
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
    std::chrono::microseconds receive_timeout_{0};   ///< the SO_RCVTIMEO set (0: none)
};

}  // namespace dynantic::http::detail
