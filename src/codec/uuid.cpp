// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/uuid.hpp>

#include <dynantic/codec/scalars.hpp>

namespace dynantic {
namespace detail {
namespace {
constexpr bool hyphen_at(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string format_uuid(const boost::uuids::uuid& id) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(36, '-');
    std::size_t o = 0;
    for (std::size_t k = 0; k < 16; ++k) {
        if (hyphen_at(o)) ++o;
        out[o++] = hex[id.data[k] >> 4];
        out[o++] = hex[id.data[k] & 15];
    }
    return out;
}

boost::uuids::uuid parse_uuid(std::string_view text) {
    boost::uuids::uuid id{};
    bool ok = text.size() == 36;
    std::size_t k = 0;
    for (std::size_t i = 0; ok && i < 36; ++i) {
        if (hyphen_at(i)) {
            ok = text[i] == '-';
            continue;
        }
        const int hi = hex_value(text[i]);
        const int lo = hex_value(text[i + 1]);
        ok = hi >= 0 && lo >= 0;
        id.data[k++] = static_cast<std::uint8_t>(hi * 16 + lo);
        ++i;
    }
    if (!ok)
        throw_attribute_error(redacted(text) + " is not a UUID in the form 123e4567-e89b-12d3-a456-426614174000");
    return id;
}
}  // namespace detail

void attribute_traits<boost::uuids::uuid>::to_attribute(const boost::uuids::uuid& v, boost::json::value& out) {
    detail::set_attribute(out, type, detail::format_uuid(v));
}

boost::uuids::uuid attribute_traits<boost::uuids::uuid>::from_attribute(const boost::json::value& av) {
    const auto& s = detail::expect_type(av, type).get_string();
    return detail::parse_uuid(std::string_view(s.data(), s.size()));
}

}  // namespace dynantic
