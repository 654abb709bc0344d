// BM_RawFloor/<Op>: the floor of one request over loopback on this machine, measured beside
// BM_Loopback/<Op> (end_to_end_bench.cpp) in the same rounds of benchmark/run.sh.
//
// A raw client: one keep-alive TCP connection to the fixed-response nginx
// (DYNANTIC_BENCH_LOOPBACK), the very request bytes dynantic sends for the operation (captured
// once from a client over a recording transport, head written as the Beast transport writes it)
// written with one write(2), and the response read into one reused buffer until its
// Content-Length is complete. No parsing beyond finding the end of the head and the
// Content-Length field once per response; no allocation in the loop. What is left is the kernel's
// share of a loopback round trip and nginx's answer: what any client on this machine pays.
//
// Google Benchmark's CPU column is the calling thread's CPU time per request (the raw client
// does everything on it), "ops/s" the wall-clock rate, as for BM_Loopback. wrk stays in run.sh's
// table as a reference: on a small VM its CPU per request varies 2-3x between runs.
#include "support/bench.hpp"

#include "http/request_head.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace dy = dynantic;

namespace {

/** The fixture transport that also keeps the last request it was given. */
class RecordingTransport : public dy::bench::FixtureTransport {
public:
    dy::http::HttpResponse send(const dy::http::Endpoint& endpoint, const dy::http::HttpRequest& request) override {
        last = request;
        return FixtureTransport::send(endpoint, request);
    }
    dy::http::HttpRequest last;
};

/** The bytes dynantic writes for `operation` to `endpoint`: request line, head and body. */
std::string request_bytes(const std::string& endpoint, std::string_view operation) {
    auto recorder = std::make_shared<RecordingTransport>();
    const dy::Client client = dy::bench::make_client(endpoint, recorder);
    const dy::Table<bench_model::Profile> table(client);
    dy::bench::run_operation(table, operation);
    std::string bytes;
    dy::http::detail::write_head(bytes, dy::http::Endpoint::parse(endpoint).host_header(), recorder->last);
    bytes += recorder->last.body;
    return bytes;
}

/** Case-insensitive search of `needle` (lowercase) in `hay`. */
std::size_t find_lower(std::string_view hay, std::string_view needle) {
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && dy::http::ascii_lower(hay[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return i;
    }
    return std::string_view::npos;
}

class RawConnection {
public:
    /** Connects to an IPv4 literal (run.sh's server listens on 127.0.0.1). */
    explicit RawConnection(const dy::http::Endpoint& ep) : buffer_(256 * 1024) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(ep.port);
        if (::inet_pton(AF_INET, ep.host.c_str(), &address.sin_addr) != 1) {
            error_ = "the loopback endpoint is not an IPv4 literal";
            return;
        }
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int one = 1;
        if (fd_ < 0 || ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
            ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
            error_ = std::string("cannot connect: ") + std::strerror(errno);
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }

    const std::string& error() const noexcept { return error_; }

    /** One exchange; returns the response's length (head and body), 0 on failure (error() says). */
    std::size_t exchange(std::string_view request) {
        if (::write(fd_, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
            error_ = "write(2) did not take the whole request";
            return 0;
        }
        std::size_t have = 0, need = std::string::npos;
        while (have < need) {
            if (have == buffer_.size()) buffer_.resize(buffer_.size() * 2);   // once, for a larger page
            const ssize_t n = ::read(fd_, buffer_.data() + have, buffer_.size() - have);
            if (n <= 0) {
                error_ = n == 0 ? "the server closed the connection" : std::string("read: ") + std::strerror(errno);
                return 0;
            }
            have += static_cast<std::size_t>(n);
            if (need == std::string::npos) {
                const std::string_view text(buffer_.data(), have);
                const std::size_t end = text.find("\r\n\r\n");
                if (end == std::string_view::npos) continue;
                const std::size_t field = find_lower(text.substr(0, end + 2), "\r\ncontent-length:");
                if (field == std::string_view::npos) {
                    error_ = "a response without Content-Length";
                    return 0;
                }
                std::size_t i = field + 17, length = 0;
                while (i < end && text[i] == ' ') ++i;
                while (i < end && text[i] >= '0' && text[i] <= '9') length = length * 10 + static_cast<std::size_t>(text[i++] - '0');
                need = end + 4 + length;
            }
        }
        if (have != need) {
            error_ = "more bytes than one response";
            return 0;
        }
        return have;
    }

    /** The start of the last response (for checking its status once). */
    std::string_view last(std::size_t n) const { return {buffer_.data(), std::min(n, buffer_.size())}; }

private:
    int fd_ = -1;
    std::vector<char> buffer_;
    std::string error_;
};

void BM_RawFloor(benchmark::State& state, std::string_view operation) {
    const auto endpoint = dy::bench::endpoint_from_env("DYNANTIC_BENCH_LOOPBACK");
    if (!endpoint) {
        state.SkipWithError("DYNANTIC_BENCH_LOOPBACK is not set (benchmark/run.sh starts the server)");
        return;
    }
    const std::string request = request_bytes(*endpoint, operation);
    RawConnection connection(dy::http::Endpoint::parse(*endpoint));
    if (!connection.error().empty()) {
        state.SkipWithError(connection.error().c_str());
        return;
    }
    const std::size_t expected = connection.exchange(request);   // warm, and checked once
    if (expected == 0 || !connection.last(12).starts_with("HTTP/1.1 200")) {
        state.SkipWithError(expected == 0 ? connection.error().c_str() : "the server did not answer 200");
        return;
    }
    std::size_t sum = 0;
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) sum += connection.exchange(request);
    allocs.finish(state);
    benchmark::DoNotOptimize(sum);
    if (sum != expected * state.iterations()) state.SkipWithError(("a response differed: " + connection.error()).c_str());
    state.counters["ops/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["request_bytes"] = static_cast<double>(request.size());
    state.counters["response_bytes"] = static_cast<double>(expected);
}
BENCHMARK_CAPTURE(BM_RawFloor, GetItem, "GetItem")->UseRealTime();
BENCHMARK_CAPTURE(BM_RawFloor, PutItem, "PutItem")->UseRealTime();
BENCHMARK_CAPTURE(BM_RawFloor, Query, "Query")->UseRealTime();
BENCHMARK_CAPTURE(BM_RawFloor, BatchWriteItem, "BatchWriteItem")->UseRealTime();

}  // namespace
