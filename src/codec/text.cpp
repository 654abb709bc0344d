// SPDX-License-Identifier: BSL-1.0
// The text writer's primitives: JSON string escaping exactly as Boost.JSON's serializer does it,
// so that `to_item_json` equals `serialize(to_item(...))` byte for byte.
#include <dynantic/codec/traits.hpp>

#include <boost/json/serialize.hpp>

#include <array>

namespace dynantic::detail {
namespace {

// 0: copy; 'u': \u00XX; other: the letter after the backslash.
constexpr std::array<char, 256> make_escapes() {
    std::array<char, 256> e{};
    for (int c = 0; c < 0x20; ++c) e[static_cast<std::size_t>(c)] = 'u';
    e['\b'] = 'b';
    e['\t'] = 't';
    e['\n'] = 'n';
    e['\f'] = 'f';
    e['\r'] = 'r';
    e['"'] = '"';
    e['\\'] = '\\';
    return e;
}
constexpr auto escapes = make_escapes();

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char e = escapes[static_cast<unsigned char>(text[i])];
        if (e == 0) continue;
        out.append(text.data() + start, i - start);
        out += '\\';
        if (e == 'u') {
            const auto c = static_cast<unsigned char>(text[i]);
            out += "u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += e;
        }
        start = i + 1;
    }
    out.append(text.data() + start, text.size() - start);
    out += '"';
}

void append_scalar(std::string& out, AttributeType t, std::string_view text) {
    out += "{\"";
    out += to_string(t);
    out += "\":";
    append_json_string(out, text);
    out += '}';
}

void append_serialized(std::string& out, const boost::json::value& v) { out += boost::json::serialize(v); }

}  // namespace dynantic::detail
