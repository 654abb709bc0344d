// SPDX-License-Identifier: BSL-1.0
#pragma once
// What the synchronous and the asynchronous connections share of reading a response with
// Boost.Beast: the limits, the per-connection arena for header fields and the parser type.
// Private to src/http/; included only by the translation units that include Beast
// (connection.cpp, async_connection.cpp).
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <new>

namespace dynantic::http::detail {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;

/** Largest response body accepted (DynamoDB responses stay far below: 16 MiB per BatchGetItem). */
constexpr std::uint64_t max_body_size = 64u << 20;
/** Largest response header accepted; Beast's default (8 KiB) is too tight for some proxies. */
constexpr std::uint32_t max_header_size = 1u << 20;
/** Capacity of a connection's read buffer. Beast reads at most the free capacity (but at least
    512 bytes), and the parser drains the buffer as it goes, so an unreserved buffer never grows
    and every response would be read 512 bytes at a time. */
constexpr std::size_t read_buffer_size = 64u << 10;

/** Interim (1xx) responses accepted before the final one; a server sends one or two (100
    Continue, 103 Early Hints). More is a protocol violation that would keep the exchange going. */
constexpr unsigned max_interim_responses = 8;

/** The peer closed or reset the connection. */
inline bool closed_by_peer(const error_code& ec) noexcept {
    return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
           ec == ssl::error::stream_truncated;
}

/** Bump allocation for the header fields of one response (Beast allocates each field on its own),
    from one buffer per connection, reset before each response; what does not fit (a header block
    beyond a few KiB) goes to the heap. */
class FieldArena {
public:
    FieldArena() = default;
    FieldArena(const FieldArena&) = delete;
    FieldArena& operator=(const FieldArena&) = delete;

    void* allocate(std::size_t n, std::size_t align) {
        const std::size_t at = (used_ + align - 1) & ~(align - 1);
        if (align <= alignof(std::max_align_t) && at <= sizeof buffer_ && n <= sizeof buffer_ - at) {
            used_ = at + n;
            return buffer_ + at;
        }
        return ::operator new(n);
    }
    void deallocate(void* p) noexcept {
        const auto* byte = static_cast<unsigned char*>(p);
        if (byte < buffer_ || byte >= buffer_ + sizeof buffer_) ::operator delete(p);
    }
    /** Every allocation made since the last reset must have been given back (or be abandoned). */
    void reset() noexcept { used_ = 0; }

private:
    alignas(std::max_align_t) unsigned char buffer_[4096];
    std::size_t used_ = 0;
};

/** The allocator of a response's fields: allocates from a connection's FieldArena. */
template <class T>
struct FieldAllocator {
    using value_type = T;
    FieldArena* arena;

    explicit FieldAllocator(FieldArena& a) noexcept : arena(&a) {}
    template <class U>
    FieldAllocator(const FieldAllocator<U>& other) noexcept : arena(other.arena) {}

    T* allocate(std::size_t n) { return static_cast<T*>(arena->allocate(n * sizeof(T), alignof(T))); }
    void deallocate(T* p, std::size_t) noexcept { arena->deallocate(p); }
    template <class U>
    bool operator==(const FieldAllocator<U>& other) const noexcept { return arena == other.arena; }
};

using ResponseParser = bhttp::response_parser<bhttp::string_body, FieldAllocator<char>>;

}  // namespace dynantic::http::detail
