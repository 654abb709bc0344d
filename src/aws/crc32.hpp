#pragma once
// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as DynamoDB's `x-amz-crc32` header.
// Private to the library.

#include <cstdint>
#include <string_view>

namespace dynantic::aws::detail {

/** The CRC-32 of `data` (the value `x-amz-crc32` carries, in decimal). Carry-less
    multiplication (PCLMULQDQ) on x86-64 CPUs that have it, for 64 bytes and more; otherwise, and
    for the tail, slicing-by-8 tables. Both far faster than a byte-at-a-time table, which matters
    for Query pages of up to 1 MB. */
std::uint32_t crc32(std::string_view data) noexcept;

}  // namespace dynantic::aws::detail
