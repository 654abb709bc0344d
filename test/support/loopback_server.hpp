#pragma once
// A small HTTP/1.1 (optionally HTTPS) server on 127.0.0.1 for transport and fault-injection tests.
// What it does with each request is decided by a handler the test supplies.
#include "support/tls_identity.hpp"

#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dynantic::test {

/** A request as the server received it. */
struct ServerRequest {
    std::string method;
    std::string target;
    http::Headers headers;   ///< in the order received, names as sent
    std::string body;
    std::size_t connection = 0;   ///< 1-based number of the connection it arrived on (accept order)

    std::string_view header(std::string_view name) const noexcept { return http::find_header(headers, name); }
    /** How many header fields are named `name` (ASCII case-insensitive). */
    std::size_t header_count(std::string_view name) const noexcept;
};

/** What the server does with one request. Build one with the factories, then adjust:
    `return ServerAction::respond(200, "{}").after(500ms).then_close();` */
struct ServerAction {
    enum class Kind {
        respond,                  ///< send a response (or `raw`)
        close_without_response,   ///< close the connection (FIN) without answering
        reset,                    ///< abort the connection (RST) without answering
    };
    /** What happens to the connection after the response. */
    enum class Then {
        keep_alive,       ///< wait for the next request
        close,            ///< send "Connection: close", then close
        close_silently,   ///< keep-alive as far as the client can tell, then close
    };

    Kind kind = Kind::respond;
    unsigned status = 200;
    http::Headers headers;   ///< sent in addition to Content-Length and Connection
    std::string body;
    std::chrono::milliseconds delay{0};   ///< wait this long first (cut short by `stop()`)
    Then then = Then::keep_alive;
    /** Announce the full body length but send only this many body bytes, then close. */
    std::optional<std::size_t> truncate_body_at;
    /** Bytes written verbatim instead of a response built from the fields above. */
    std::optional<std::string> raw;
    /** Pieces written one after another instead of a response (then the connection closes):
        `stream(i)` is piece i (from 0); writing ends when it returns an empty string, the
        client stops reading or goes away, or the server stops. For servers that drip bytes,
        flood interim responses or never end a header or body. */
    std::function<std::string(std::size_t)> stream;
    /** Pause between two pieces of `stream`; 0 = as fast as the client takes them (the socket
        stays full). */
    std::chrono::milliseconds stream_interval{0};

    static ServerAction respond(unsigned status = 200, std::string body = {}, http::Headers headers = {});
    static ServerAction close_connection();
    static ServerAction reset_connection();
    static ServerAction send_raw(std::string bytes);
    static ServerAction send_stream(std::function<std::string(std::size_t)> pieces,
                                    std::chrono::milliseconds interval = std::chrono::milliseconds(0));

    ServerAction after(std::chrono::milliseconds d) && { delay = d; return std::move(*this); }
    ServerAction then_close() && { then = Then::close; return std::move(*this); }
    ServerAction then_close_silently() && { then = Then::close_silently; return std::move(*this); }
    ServerAction truncated_at(std::size_t bytes) && { truncate_body_at = bytes; return std::move(*this); }
};

/** An HTTP/1.1 server on 127.0.0.1 with an ephemeral port. One thread accepts; each connection is
    served by a thread of its own, so the handler is called concurrently for requests arriving on
    different connections (it must be thread-safe) and in order for one connection. A handler that
    throws gets a 500 response. Stopping (explicitly or by the destructor) closes every connection
    and returns promptly, also while a handler's delay is running. */
class LoopbackServer {
public:
    using Handler = std::function<ServerAction(const ServerRequest&)>;

    /** Plain HTTP. */
    explicit LoopbackServer(Handler handler);
    /** HTTPS with the given certificate. */
    LoopbackServer(Handler handler, const TlsIdentity& identity);
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    std::uint16_t port() const noexcept;
    /** http(s)://127.0.0.1:port */
    http::Endpoint endpoint() const;

    std::size_t accepted_connections() const noexcept;
    /** Requests read completely (whatever the handler then did). */
    std::size_t requests() const noexcept;
    /** Connections open right now, and the most that were ever open at once. */
    std::size_t open_connections() const noexcept;
    std::size_t max_open_connections() const noexcept;

    /** Closes every connection that is waiting for its next request (from the moment its last
        response is being sent), as a server does with idle keep-alive connections. Returns how
        many were closed. */
    std::size_t close_idle_connections();

    /** Like `close_idle_connections`, but aborts them with a TCP reset (RST) instead of a FIN.
        Returns how many were reset. */
    std::size_t reset_idle_connections();

    /** Stops accepting, closes all connections and joins all threads. Idempotent. */
    void stop() noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dynantic::test
