// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/bytes.hpp>
#include <dynantic/codec/scalars.hpp>

#include <array>
#include <span>
#include <cstdint>

namespace dynantic {

Bytes to_bytes(std::string_view text) {
    Bytes out(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) out[i] = static_cast<std::byte>(text[i]);
    return out;
}

namespace detail {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_reverse() {
    std::array<std::int8_t, 256> r{};
    for (auto& v : r) v = -1;
    for (int i = 0; i < 64; ++i) r[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    return r;
}
constexpr auto reverse = make_reverse();

}  // namespace

std::string base64_encode(const Bytes& data) { return base64_encode(data.data(), data.size()); }

std::string base64_encode(const std::byte* bytes, std::size_t size) {
    const std::span<const std::byte> data(bytes, size);
    std::string out;
    out.resize((data.size() + 2) / 3 * 4);
    char* o = out.data();
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const unsigned v = (std::to_integer<unsigned>(data[i]) << 16) | (std::to_integer<unsigned>(data[i + 1]) << 8) |
                           std::to_integer<unsigned>(data[i + 2]);
        *o++ = alphabet[(v >> 18) & 63];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = alphabet[(v >> 6) & 63];
        *o++ = alphabet[v & 63];
    }
    if (const std::size_t rest = data.size() - i; rest > 0) {
        unsigned v = std::to_integer<unsigned>(data[i]) << 16;
        if (rest == 2) v |= std::to_integer<unsigned>(data[i + 1]) << 8;
        *o++ = alphabet[(v >> 18) & 63];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = rest == 2 ? alphabet[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    return out;
}

std::size_t base64_decoded_size(std::string_view text) noexcept {
    std::size_t n = text.size();
    while (n > 0 && text[n - 1] == '=') --n;
    return n * 3 / 4;
}

bool base64_decode(std::string_view text, Bytes& out) {
    std::size_t n = text.size();
    std::size_t padding = 0;
    while (n > 0 && text[n - 1] == '=' && padding < 2) {
        --n;
        ++padding;
    }
    if (padding > 0 && text.size() % 4 != 0) return false;
    if (n % 4 == 1) return false;
    out.clear();
    out.reserve(n * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const int v = reverse[static_cast<unsigned char>(text[i])];
        if (v < 0) return false;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::byte>((acc >> bits) & 0xFF));
        }
    }
    // Leftover bits must be zero (a canonical encoding).
    return (acc & ((1u << bits) - 1)) == 0;
}

void set_binary_attribute(boost::json::value& out, const Bytes& data) {
    set_attribute(out, AttributeType::B, base64_encode(data));
}

Bytes binary_from_attribute(const boost::json::value& av) {
    const auto& s = expect_type(av, AttributeType::B).get_string();
    Bytes out;
    if (!base64_decode(std::string_view(s.data(), s.size()), out))
        throw_attribute_error("B value is not valid base64");
    return out;
}

}  // namespace detail
}  // namespace dynantic
