// SPDX-License-Identifier: BSL-1.0
#pragma once
// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as DynamoDB's `x-amz-crc32` header.
// Private to the library.

#include <cstdint>
#include <string_view>

namespace dynantic::aws::detail {

/** The CRC-32 of `data` (the value `x-amz-crc32` carries, in decimal), computed by zlib. */
std::uint32_t crc32(std::string_view data) noexcept;

}  // namespace dynantic::aws::detail
