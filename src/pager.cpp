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

Pager::Pager(Client client, const ReadSpec& spec, std::optional<boost::json::object> start_key, ItemSink* sink)
    : client_(std::move(client)),
      spec_(spec),
      body_(render_read_base(spec.request, spec.table)),
      last_key_(std::move(start_key)),
      arena_(arena_initial_size, boost::json::storage_ptr(&recycled_blocks())),
      sink_(sink) {}

namespace {

/** Hands items to the caller's sink and keeps each item's key, for resuming inside the page. An
    item without its key (of the shape the read expects) stops the pass: the DOM path then
    reports it exactly as before, when and if a resume needs it. */
class KeyedSink final : public ItemSink {
public:
    KeyedSink(ItemSink& inner, const ReadSpec& spec, std::vector<boost::json::object>& keys, boost::json::storage_ptr storage)
        : inner_(inner), spec_(spec), keys_(keys), storage_(std::move(storage)) {}
    bool reads(std::string_view attribute) const noexcept override {
        return inner_.reads(attribute) || std::any_of(spec_.key_attributes.begin(), spec_.key_attributes.end(),
                                                      [&](const KeyAttribute& a) { return a.name == attribute; });
    }
    void decode(const boost::json::object& item) override {
        boost::json::object key(storage_);
        for (const auto& a : spec_.key_attributes) {
            const auto* v = item.if_contains(a.name);
            if (v == nullptr) throw Unkeyed{};
            key[a.name] = *v;
        }
        if (!key_shape_problem(key, spec_.key_attributes).empty()) throw Unkeyed{};
        inner_.decode(item);
        keys_.push_back(std::move(key));
    }
    void clear() noexcept override {
        inner_.clear();
        keys_.clear();
    }
    TypedItemReader* reader() noexcept override { return inner_.reader(); }

private:
    struct Unkeyed {};
    ItemSink& inner_;
    const ReadSpec& spec_;
    std::vector<boost::json::object>& keys_;
    boost::json::storage_ptr storage_;
};

}  // namespace

bool Pager::read_body(std::string_view text) {
    // An earlier attempt of the same call may have been read: the pass clears the sink first.
    // A page the typed pass does not take is read as a DOM, so checks and messages are unchanged.
    KeyedSink keyed(*sink_, spec_, keys_, &arena_);
    read_.emplace();
    return read_page_text(text, keyed, &arena_, *read_);
}

bool Pager::fetch_page() {
    if (!more_pages()) return false;
    boost::json::object body = body_;
    append_paging(body, last_key_, page_limit(spec_, returned_));
    page_start_ = std::move(last_key_);
    last_key_.reset();
    // The page is parsed into the arena: one allocation per block instead of one per JSON value,
    // and nothing to free value by value. The previous page's items are done with (fetch_page is
    // called once they have all been handed out), so their memory is reused.
    items_.reset();
    read_.reset();
    keys_.clear();
    raw_item_ = nullptr;
    if (sink_ != nullptr) sink_->clear();
    restart_arena(arena_, arena_initial_size);
    CallOptions options{.storage = &arena_};
    if (sink_ != nullptr) options.read_body = [this](std::string_view text) { return read_body(text); };
    boost::json::object response = client_.call(spec_.request.operation, body, std::move(options));
    ++requests_;
    fetched_ = true;
    index_ = 0;
    if (read_ && read_->dom) response = std::move(*read_->dom);
    PageShape page;
    if (typed()) {
        page = decode_page_head(read_->page.head, read_->page.has_items, read_->page.items, spec_.context,
                                spec_.key_attributes, page_start_, requests_);
    } else {
        page = decode_page(response, spec_.context, spec_.key_attributes, page_start_, requests_, false);
        if (page.items != nullptr) items_.emplace(std::move(response.at("Items").get_array()));
    }
    scanned_ += page.scanned;
    capacity_ += page.capacity;
    if (page.consumed) {
        if (spec_.capacity_sink != nullptr) *spec_.capacity_sink += *page.consumed;
        if (capacity_sum_) *capacity_sum_ += *page.consumed;
        else capacity_sum_ = std::move(page.consumed);
    }
    if (page.last_key != nullptr) last_key_.emplace(*page.last_key, boost::json::storage_ptr());   // a copy outside the arena
    return true;
}

bool Pager::advance() {
    raw_item_ = nullptr;
    for (;;) {
        if (spec_.limit && returned_ >= *spec_.limit) return false;
        if (fetched_ && index_ < page_size()) {
            if (!typed()) raw_item_ = &element_object((*items_)[index_], "Items", index_, spec_.context);
            ++index_;
            ++returned_;
            return true;
        }
        if (!fetch_page()) return false;
    }
}

const boost::json::object* Pager::next() { return advance() ? raw_item_ : nullptr; }

std::optional<boost::json::object> Pager::resume_key() const {
    if (!fetched_) return last_key_;  // nothing fetched yet: where we started
    if (index_ >= page_size()) return last_key_;  // at a page end: DynamoDB's key, if any
    if (index_ == 0) return page_start_;            // nothing of this page handed out yet
    if (typed()) return boost::json::object(keys_[index_ - 1], boost::json::storage_ptr());
    // Stopped inside a page: the key of the last item handed out (an object: next() checked it).
    return key_of_item(spec_, (*items_)[index_ - 1].get_object());
}

const boost::json::array& Pager::page_items() const noexcept {
    static const boost::json::array none;
    return items_ ? *items_ : none;
}

boost::json::object key_of_item(const ReadSpec& spec, const boost::json::object& item) {
    boost::json::object key;
    for (const auto& a : spec.key_attributes) {
        const auto* v = item.if_contains(a.name);
        if (v == nullptr)
            throw_invalid_response(spec.context, "an item lacks key attribute '" + a.name + "': cannot resume after it");
        key[a.name] = *v;
    }
    if (std::string problem = key_shape_problem(key, spec.key_attributes); !problem.empty())
        throw_invalid_response(spec.context, "an item's key cannot be resumed after: " + problem);
    return key;
}

namespace {
// Cursors are base64url (RFC 4648 section 5) without padding: the codec's base64 with two
// characters swapped.
std::string base64url(std::string_view data) {
    std::string out = base64_encode(reinterpret_cast<const std::byte*>(data.data()), data.size());
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

namespace {
constexpr std::size_t digest_chars = 32;   // unsigned cursors: 16 bytes of SHA-256(binding), in hex

std::string binding_digest(std::string_view binding) { return aws::sha256_hex(binding).substr(0, digest_chars); }

/** Constant-time comparison: a signature must not leak through timing. */
bool same_text(std::string_view a, std::string_view b) noexcept {
    unsigned diff = a.size() ^ b.size();
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
    return diff == 0;
}
}  // namespace

std::string encode_cursor(const boost::json::object& key, std::string_view binding, std::string_view secret) {
    const std::string payload = boost::json::serialize(key);
    std::string out = base64url(payload);
    if (!secret.empty()) {
        out += '.';
        out += aws::hmac_sha256_hex(secret, std::string(binding) + '\n' + payload);
    } else {
        out += '~';
        out += binding_digest(binding);
    }
    return out;
}

boost::json::object decode_cursor(std::string_view cursor, std::string_view binding, std::string_view secret,
                                  std::span<const KeyAttribute> key_attributes, const ErrorInfo& context) {
    auto fail = [&](std::string why) {
        ErrorInfo info = context;
        info.message = "invalid cursor: " + why;
        throw ValidationError(std::move(info));
    };
    static constexpr std::string_view other =
        "made for another read (the table, index, model, operation, scan segment, partition key value, sort key "
        "condition or direction differ)";
    const auto mark = cursor.find_first_of(".~");
    const std::string_view encoded = cursor.substr(0, mark);
    const auto payload = unbase64url(encoded);
    if (!payload || mark == std::string_view::npos) fail("not a cursor of this library (or of an older version)");
    const std::string_view tail = cursor.substr(mark + 1);
    if (cursor[mark] == '.') {
        if (secret.empty()) fail("it is signed but no cursor secret is configured");
        if (!same_text(tail, aws::hmac_sha256_hex(secret, std::string(binding) + '\n' + *payload)))
            fail("signature does not match (tampered with, or " + std::string(other) + ")");
    } else {
        if (!secret.empty()) fail("it is not signed, and a cursor secret is configured");
        if (!same_text(tail, binding_digest(binding))) fail(std::string(other));
    }
    boost::system::error_code ec;
    auto value = boost::json::parse(*payload, ec);
    if (ec || !value.is_object()) fail("not a cursor of this library");
    if (std::string problem = key_shape_problem(value.get_object(), key_attributes); !problem.empty())
        fail("not a key of this table or index: " + problem);
    return std::move(value.get_object());
}

namespace {
op::ReadRequest counting(const op::ReadRequest& request) {
    op::ReadRequest out = request;
    out.select_count = true;
    return out;
}
}  // namespace

CountRun::CountRun(const ReadSpec& spec) : spec_(spec), body_(render_read_base(counting(spec.request), spec.table)) {}

void CountRun::on_response(const boost::json::object& response) {
    const PageShape page = decode_page(response, spec_.context, spec_.key_attributes, sent_, ++requests_, true);
    total_ += page.count;
    if (page.consumed && spec_.capacity_sink != nullptr) *spec_.capacity_sink += *page.consumed;
    if (page.last_key == nullptr) {
        done_ = true;
        return;
    }
    sent_.emplace(*page.last_key);
    body_["ExclusiveStartKey"] = *sent_;
}

std::size_t count_items(const Client& client, const ReadSpec& spec) {
    CountRun run(spec);
    while (run.more()) run.on_response(client.call(spec.request.operation, run.body()));
    return run.total();
}

}  // namespace dynantic::detail
