#include "aws/crc32.hpp"

#include <array>
#include <bit>
#include <cstring>

namespace dynantic::aws::detail {
namespace {

using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

/** tables[0] is the classic byte table; tables[k][b] is the CRC of byte b followed by k zero
    bytes, so eight bytes are folded with eight independent lookups. */
constexpr Tables make_tables() {
    Tables t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        t[0][i] = c;
    }
    for (std::size_t s = 1; s < t.size(); ++s)
        for (std::size_t i = 0; i < 256; ++i) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xffu];
    return t;
}

constexpr Tables tables = make_tables();

}  // namespace

std::uint32_t crc32(std::string_view data) noexcept {
    std::uint32_t c = ~0u;
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t n = data.size();
    if constexpr (std::endian::native == std::endian::little) {
        for (; n >= 8; p += 8, n -= 8) {
            std::uint32_t lo = 0;
            std::uint32_t hi = 0;
            std::memcpy(&lo, p, 4);
            std::memcpy(&hi, p + 4, 4);
            lo ^= c;
            c = tables[7][lo & 0xffu] ^ tables[6][(lo >> 8) & 0xffu] ^ tables[5][(lo >> 16) & 0xffu] ^
                tables[4][lo >> 24] ^ tables[3][hi & 0xffu] ^ tables[2][(hi >> 8) & 0xffu] ^
                tables[1][(hi >> 16) & 0xffu] ^ tables[0][hi >> 24];
        }
    }
    for (; n > 0; ++p, --n) c = (c >> 8) ^ tables[0][(c ^ *p) & 0xffu];
    return ~c;
}

}  // namespace dynantic::aws::detail
