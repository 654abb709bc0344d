// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/scalars.hpp>

#include <cstdint>
#include <cstring>
#include <string>

namespace dynantic::detail {
namespace {

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
    overlong forms, no surrogates, nothing above U+10FFFF), or npos. */
std::size_t first_invalid_utf8(std::string_view text) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        // ASCII runs, eight bytes at a time.
        if (i + 8 <= n) {
            std::uint64_t chunk;
            std::memcpy(&chunk, p + i, 8);
            if ((chunk & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0) low = 0xA0;
            if (c == 0xED) high = 0x9F;  // no UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0) low = 0x90;
            if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
        } else {
            return i;
        }
        if (i + length > n) return i;
        if (p[i + 1] < low || p[i + 1] > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if ((p[i + k] & 0xC0) != 0x80) return i;
        i += length;
    }
    return std::string_view::npos;
}

}  // namespace

void check_utf8(std::string_view text) {
    const std::size_t bad = first_invalid_utf8(text);
    if (bad == std::string_view::npos) return;
    static constexpr char hex[] = "0123456789abcdef";
    const auto byte = static_cast<unsigned char>(text[bad]);
    throw_attribute_error(std::string("string is not valid UTF-8 (byte 0x") + hex[byte >> 4] + hex[byte & 15] +
                              " at offset " + std::to_string(bad) + ")",
                          true);
}

}  // namespace dynantic::detail
