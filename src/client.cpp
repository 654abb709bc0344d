#include <dynantic/client.hpp>

#include <dynantic/aws/config.hpp>
#include <dynantic/aws/sigv4.hpp>
#include <dynantic/codec/limits.hpp>

#include <boost/crc.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <random>
#include <thread>

namespace dynantic {

struct Client::Impl {
    std::string region;
    http::Endpoint endpoint;
    std::shared_ptr<aws::CredentialsProvider> credentials;
    std::shared_ptr<http::Transport> transport;
    RetryOptions retry;
    std::string table_prefix;
    std::string cursor_secret;
    aws::Signer signer;

    Impl(ClientOptions o, std::string resolved_region, http::Endpoint ep)
        : region(std::move(resolved_region)),
          endpoint(std::move(ep)),
          credentials(o.credentials ? std::move(o.credentials) : aws::default_credentials_provider()),
          transport(o.transport ? std::move(o.transport) : std::make_shared<http::BeastTransport>(o.http)),
          retry(o.retry),
          table_prefix(std::move(o.table_prefix)),
          cursor_secret(std::move(o.cursor_secret)),
          signer(region, "dynamodb") {
        if (retry.max_attempts == 0) retry.max_attempts = 1;
    }
};

namespace {

std::string_view table_of(const boost::json::object& request) {
    if (const auto* t = request.if_contains("TableName"); t != nullptr && t->is_string()) return t->get_string();
    return {};
}

bool crc32_matches(const http::HttpResponse& response) {
    const std::string_view header = response.header("x-amz-crc32");
    if (header.empty()) return true;  // DynamoDB Local and some proxies do not send it
    std::uint32_t expected = 0;
    const auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), expected);
    if (ec != std::errc{} || end != header.data() + header.size()) return false;
    boost::crc_32_type crc;
    crc.process_bytes(response.body.data(), response.body.size());
    return crc.checksum() == expected;
}

/** The error DynamoDB sent: `{"__type": "...#Code", "message"|"Message": "..."}`. */
[[noreturn]] void throw_response_error(const http::HttpResponse& response, ErrorInfo info) {
    info.http_status = response.status;
    info.request_id = std::string(response.header("x-amzn-RequestId"));
    std::optional<boost::json::object> item;
    const boost::json::object* error_body = nullptr;
    boost::system::error_code ec;
    const boost::json::value body = boost::json::parse(response.body, ec, {}, detail::response_parse_options());
    if (!ec && body.is_object()) {
        const auto& obj = body.get_object();
        error_body = &obj;
        if (const auto* type = obj.if_contains("__type"); type != nullptr && type->is_string()) {
            const std::string_view t = type->get_string();
            const auto hash = t.rfind('#');
            info.aws_code = std::string(hash == std::string_view::npos ? t : t.substr(hash + 1));
        }
        for (const char* key : {"message", "Message"}) {
            if (const auto* m = obj.if_contains(key); m != nullptr && m->is_string()) {
                info.message = std::string(m->get_string());
                break;
            }
        }
        if (const auto* i = obj.if_contains("Item"); i != nullptr && i->is_object()) item = i->get_object();
    }
    if (info.message.empty()) info.message = "HTTP " + std::to_string(response.status);
    detail::throw_service_error(std::move(info), std::move(item), error_body);
}

std::chrono::milliseconds backoff(const RetryOptions& retry, unsigned attempt) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    const auto cap = std::min<std::int64_t>(retry.max_delay.count(),
                                            retry.base_delay.count() << std::min(attempt, 20u));
    std::uniform_int_distribution<std::int64_t> dist(0, std::max<std::int64_t>(cap, 0));
    return std::chrono::milliseconds(dist(rng));
}

}  // namespace

Client::Client() : Client(ClientOptions{}) {}

Client::Client(ClientOptions options) : impl_(make_impl(std::move(options))) {}

std::shared_ptr<const Client::Impl> Client::make_impl(ClientOptions options) {
    std::string region = options.region.empty() ? aws::resolve_region() : options.region;
    http::Endpoint endpoint =
        options.endpoint.empty() ? aws::resolve_endpoint(region) : http::Endpoint::parse(options.endpoint);
    return std::make_shared<const Client::Impl>(std::move(options), std::move(region), std::move(endpoint));
}

boost::json::object Client::call(std::string_view operation, const boost::json::object& request,
                                 CallOptions options) const {
    const Impl& impl = *impl_;
    ErrorInfo context{std::string(operation), std::string(table_of(request)), {}, {}, 0, {}};

    http::HttpRequest http_request;
    http_request.body = boost::json::serialize(request);
    http_request.headers.reserve(6);
    http_request.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    std::string target = "DynamoDB_20120810.";
    target += operation;
    http_request.headers.emplace_back("X-Amz-Target", std::move(target));
    const std::size_t base_headers = http_request.headers.size();

    for (unsigned attempt = 1;; ++attempt) {
        const bool last = attempt >= impl.retry.max_attempts;
        http_request.headers.resize(base_headers);
        aws::Credentials credentials;
        try {
            credentials = impl.credentials->credentials();
        } catch (const Error& e) {
            ErrorInfo info = context;
            info.message = std::string(e.message());
            throw Error(e.code(), std::move(info));
        }
        impl.signer.sign(http_request, impl.endpoint, credentials, std::chrono::system_clock::now());

        http::HttpResponse response;
        try {
            response = impl.transport->send(impl.endpoint, http_request);
        } catch (const TransportError& e) {
            ErrorInfo info = context;
            info.message = std::string(e.message());
            // A timeout or reset may have happened after DynamoDB applied the request.
            if (last || !options.idempotent || e.code() == errc::tls)
                throw TransportError(static_cast<errc>(e.code().value()), std::move(info));
            std::this_thread::sleep_for(backoff(impl.retry, attempt));
            continue;
        }

        if (!crc32_matches(response)) {
            if (last || !options.idempotent) {
                ErrorInfo info = context;
                info.http_status = response.status;
                info.request_id = std::string(response.header("x-amzn-RequestId"));
                info.message = "response body does not match its x-amz-crc32 header";
                throw Error(errc::crc32_mismatch, std::move(info));
            }
            std::this_thread::sleep_for(backoff(impl.retry, attempt));
            continue;
        }

        if (response.status == 200) {
            boost::system::error_code ec;
            boost::json::value body = boost::json::parse(response.body, ec, {}, detail::response_parse_options());
            if (ec || !body.is_object()) {
                ErrorInfo info = context;
                info.http_status = response.status;
                info.request_id = std::string(response.header("x-amzn-RequestId"));
                info.message = "response body is not a JSON object";
                throw Error(errc::invalid_response, std::move(info));
            }
            return std::move(body.get_object());
        }

        try {
            throw_response_error(response, context);
        } catch (const Error& e) {
            if (last || !e.retryable()) throw;
        }
        std::this_thread::sleep_for(backoff(impl.retry, attempt));
    }
}

std::string Client::table_name(std::string_view name) const {
    std::string out = impl_->table_prefix;
    out += name;
    return out;
}

const std::string& Client::region() const noexcept { return impl_->region; }
const std::string& Client::cursor_secret() const noexcept { return impl_->cursor_secret; }
const http::Endpoint& Client::endpoint() const noexcept { return impl_->endpoint; }
const std::shared_ptr<http::Transport>& Client::transport() const noexcept { return impl_->transport; }

namespace {
thread_local const ClientOverride* current_override = nullptr;
}

ClientOverride::ClientOverride(Client client) : client_(std::move(client)), previous_(current_override) {
    current_override = this;
}

ClientOverride::~ClientOverride() { current_override = previous_; }

Client current_client() {
    if (current_override != nullptr) return current_override->client_;
    static const Client process_default;
    return process_default;
}

}  // namespace dynantic
