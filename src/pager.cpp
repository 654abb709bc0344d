// SPDX-License-Identifier: BSL-1.0
#include <dynantic/detail/pager.hpp>

#include <dynantic/aws/sigv4.hpp>
#include <dynantic/codec/bytes.hpp>

#include "recycled_blocks.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace dynantic::detail {

namespace {
constexpr std::size_t arena_initial_size = 1024;   // the first block of a page's arena
}  // namespace

Pager::Pager(Client client, const ReadSpec& spec, std::optional<boost::json::object> start_key)
    : client_(std::move(client)), spec_(spec), last_key_(std::move(start_key)), arena_(arena_initial_size, boost::json::storage_ptr(&recycled_blocks())) {}

bool Pager::fetch_page() {
    if (!more_pages()) return false;
    boost::json::object body = spec_.body;
    if (last_key_) body["ExclusiveStartKey"] = *last_key_;
    page_start_ = last_key_;
    std::optional<std::size_t> limit = spec_.page_size;
    if (spec_.limit) {
        const std::size_t remaining = *spec_.limit - std::min(*spec_.limit, returned_);
        limit = limit ? std::min(*limit, remaining) : remaining;
    }
    if (limit) body["Limit"] = std::max<std::size_t>(*limit, 1);
    // The page is parsed into the arena: one allocation per block instead of one per JSON value,
    // and nothing to free value by value. The previous page's items are done with (fetch_page is
    // called once they have all been handed out), so their memory is reused.
    items_.reset();
    restart_arena(arena_, arena_initial_size);
    boost::json::object response = client_.call(spec_.operation, body, CallOptions{.storage = &arena_});
    ++requests_;
    fetched_ = true;
    index_ = 0;
    if (auto* items = response.if_contains("Items"); items != nullptr && items->is_array())
        items_.emplace(std::move(items->get_array()));
    if (const auto* sc = response.if_contains("ScannedCount"); sc != nullptr && sc->is_int64())
        scanned_ += static_cast<std::size_t>(sc->get_int64());
    if (const auto* cc = response.if_contains("ConsumedCapacity"); cc != nullptr && cc->is_object())
        if (const auto* cu = cc->get_object().if_contains("CapacityUnits"); cu != nullptr && cu->is_number())
            capacity_ += cu->to_number<double>();
    last_key_.reset();
    if (auto* lek = response.if_contains("LastEvaluatedKey"); lek != nullptr && lek->is_object())
        last_key_.emplace(lek->get_object(), boost::json::storage_ptr());   // a copy outside the arena
    return true;
}

const boost::json::object* Pager::next() {
    for (;;) {
        if (spec_.limit && returned_ >= *spec_.limit) return nullptr;
        if (fetched_ && index_ < page_size()) {
            ++returned_;
            const auto& item = (*items_)[index_++];
            return item.is_object() ? &item.get_object() : nullptr;
        }
        if (!fetch_page()) return nullptr;
    }
}

std::optional<boost::json::object> Pager::resume_key() const {
    if (!fetched_) return last_key_;  // nothing fetched yet: where we started
    if (index_ >= page_size()) return last_key_;  // at a page end: DynamoDB's key, if any
    if (index_ == 0) return page_start_;            // nothing of this page handed out yet
    return key_of_item(spec_, (*items_)[index_ - 1].get_object());  // stopped inside a page
}

const boost::json::array& Pager::page_items() const noexcept {
    static const boost::json::array none;
    return items_ ? *items_ : none;
}

boost::json::object key_of_item(const ReadSpec& spec, const boost::json::object& item) {
    boost::json::object key;
    for (const auto& name : spec.key_attributes)
        if (const auto* v = item.if_contains(name)) key[name] = *v;
    return key;
}

namespace {
// Cursors are base64url (RFC 4648 section 5) without padding: the codec's base64 with two
// characters swapped.
std::string base64url(std::string_view data) {
    std::string out = base64_encode(std::as_bytes(std::span(data.data(), data.size())));
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!out.empty() && out.back() == '=') out.pop_back();
    return out;
}
std::optional<std::string> unbase64url(std::string_view text) {
    std::string in(text);
    for (char& c : in) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (c == '+' || c == '/' || c == '=') return std::nullopt;
    }
    Bytes bytes;
    if (!base64_decode(in, bytes)) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}
}  // namespace

std::string encode_cursor(const boost::json::object& key, std::string_view binding, std::string_view secret) {
    const std::string payload = boost::json::serialize(key);
    std::string out = base64url(payload);
    if (!secret.empty()) {
        out += '.';
        out += aws::hmac_sha256_hex(secret, std::string(binding) + '\n' + payload);
    }
    return out;
}

boost::json::object decode_cursor(std::string_view cursor, std::string_view binding, std::string_view secret,
                                  const ErrorInfo& context) {
    auto fail = [&](std::string why) {
        ErrorInfo info = context;
        info.message = "invalid cursor: " + why;
        throw ValidationError(std::move(info));
    };
    const auto dot = cursor.find('.');
    const std::string_view encoded = cursor.substr(0, dot);
    const auto payload = unbase64url(encoded);
    if (!payload) fail("not a cursor of this library");
    if (!secret.empty()) {
        if (dot == std::string_view::npos) fail("it is not signed");
        const std::string expected = aws::hmac_sha256_hex(secret, std::string(binding) + '\n' + *payload);
        const std::string_view given = cursor.substr(dot + 1);
        // Constant-time comparison: the signature must not leak through timing.
        unsigned diff = given.size() ^ expected.size();
        for (std::size_t i = 0; i < std::min(given.size(), expected.size()); ++i)
            diff |= static_cast<unsigned char>(given[i]) ^ static_cast<unsigned char>(expected[i]);
        if (diff != 0) fail("signature does not match (tampered, or made for another table, index or model)");
    } else if (dot != std::string_view::npos) {
        fail("it is signed but no cursor key is configured");
    }
    boost::system::error_code ec;
    auto value = boost::json::parse(*payload, ec);
    if (ec || !value.is_object()) fail("not a cursor of this library");
    for (const auto& [name, av] : value.get_object())
        if (!av.is_object() || av.get_object().size() != 1) fail("key attribute '" + std::string(name) + "' is malformed");
    return std::move(value.get_object());
}

std::size_t count_items(const Client& client, const ReadSpec& spec) {
    boost::json::object body = spec.body;
    body["Select"] = "COUNT";
    body.erase("ProjectionExpression");
    std::size_t total = 0;
    for (;;) {
        if (spec.limit && total >= *spec.limit) break;
        auto response = client.call(spec.operation, body);
        if (const auto* c = response.if_contains("Count"); c != nullptr && c->is_int64())
            total += static_cast<std::size_t>(c->get_int64());
        auto* lek = response.if_contains("LastEvaluatedKey");
        if (lek == nullptr || !lek->is_object()) break;
        body["ExclusiveStartKey"] = std::move(lek->get_object());
    }
    return spec.limit ? std::min(total, *spec.limit) : total;
}

}  // namespace dynantic::detail
