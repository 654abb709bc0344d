// SPDX-License-Identifier: BSL-1.0
#include "aws/crc32.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace dynantic::aws::detail {

// The x-amz-crc32 header is the IEEE 802.3 CRC-32 of the body, which is zlib's crc32 (zlib 1.2.12+
// computes it several bytes at a time; Boost.CRC's bytewise table was ~5x slower on a Query page).
std::uint32_t crc32(std::string_view data) noexcept {
    uLong crc = ::crc32(0L, Z_NULL, 0);
    const auto* p = reinterpret_cast<const Bytef*>(data.data());
    std::size_t left = data.size();
    while (left > 0) {
        const auto n = static_cast<uInt>(std::min<std::size_t>(left, UINT_MAX));
        crc = ::crc32(crc, p, n);
        p += n;
        left -= n;
    }
    return static_cast<std::uint32_t>(crc);
}

}  // namespace dynantic::aws::detail
