// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `boost::uuids::uuid`: S, canonical RFC 4122 text in lowercase,
    "123e4567-e89b-12d3-a456-426614174000". Reading also accepts uppercase hex digits (RFC 4122
    asks readers to); braces, URNs and missing hyphens are decode errors. */

#include <dynantic/codec/traits.hpp>

#include <boost/uuid/uuid.hpp>

#include <string>
#include <string_view>

namespace dynantic {
namespace detail {
/** 36 characters, lowercase. */
std::string format_uuid(const boost::uuids::uuid& id);
/** @throws AttributeError for anything but the 8-4-4-4-12 hex form. */
boost::uuids::uuid parse_uuid(std::string_view text);
}  // namespace detail

/** `boost::uuids::uuid`: S, canonical lowercase text. Usable as a key. */
template <>
struct attribute_traits<boost::uuids::uuid> {
    static constexpr AttributeType type = AttributeType::S;   ///< the wire type
    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(const boost::uuids::uuid& v, F&& f) {
        f(std::string_view(detail::format_uuid(v)));
    }
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const boost::uuids::uuid& v, boost::json::value& out);
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static boost::uuids::uuid from_attribute(const boost::json::value& av);
};

}  // namespace dynantic
