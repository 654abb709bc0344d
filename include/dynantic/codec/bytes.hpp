// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `dynantic::Bytes` (`std::vector<std::byte>`): binary data, stored as B with standard base64
    (RFC 4648, padded) on the wire. DynamoDB counts the raw length toward item and key sizes.

    Only `std::vector<std::byte>` is binary: a `std::vector<std::uint8_t>` is a list of numbers
    (L), like any other vector. Convert with `dynantic::to_bytes(std::string_view)`. */

#include <dynantic/codec/traits.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic {

/** Binary data: B. */
using Bytes = std::vector<std::byte>;

/** The bytes of a string (no encoding applied). */
Bytes to_bytes(std::string_view text);

namespace detail {
// Pointer and size, not std::span: a call with a `Bytes` would weigh the conversion to a span,
// whose constraints cost every translation unit more to compile than the rest of this file.
/** Standard base64 with padding of the `size` bytes at `data`. */
std::string base64_encode(const std::byte* data, std::size_t size);
/** The same for `Bytes`. */
std::string base64_encode(const Bytes& data);
/** Decodes standard base64; padding may be omitted. @returns false on any other character. */
bool base64_decode(std::string_view text, Bytes& out);
/** Raw length of base64 text (what DynamoDB counts), without decoding it. */
std::size_t base64_decoded_size(std::string_view text) noexcept;

/** Writes `{"B": base64}`. */
void set_binary_attribute(boost::json::value& out, const Bytes& data);
/** The bytes of a B attribute. @throws AttributeError for another type or bad base64. */
Bytes binary_from_attribute(const boost::json::value& av);
}  // namespace detail

/** `Bytes`: B, base64 on the wire. */
template <>
struct attribute_traits<Bytes> {
    static constexpr AttributeType type = AttributeType::B;   ///< the wire type
    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(const Bytes& v, F&& f) {
        f(std::string_view(detail::base64_encode(v)));
    }
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const Bytes& v, boost::json::value& out) { detail::set_binary_attribute(out, v); }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static Bytes from_attribute(const boost::json::value& av) { return detail::binary_from_attribute(av); }
};

}  // namespace dynantic
