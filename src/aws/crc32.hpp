#pragma once
// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as DynamoDB's `x-amz-crc32` header.
// Private to the library.

#include <cstdint>
#include <string_view>

namespace dynantic::aws::detail {

/** The CRC-32 of `data` (the value `x-amz-crc32` carries, in decimal). Slicing-by-8: about
    eight times the speed of a byte-at-a-time table, which matters for 1 MB Query pages. */
std::uint32_t crc32(std::string_view data) noexcept;

}  // namespace dynantic::aws::detail
