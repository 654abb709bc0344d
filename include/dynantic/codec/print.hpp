// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Readable text of models and values, for logs and for GoogleTest failure messages.

    `to_json_text(v)` is plain JSON of what would be stored, without DynamoDB's type wrappers:
    `{"id":"p1","age":42,"tags":["a","b"],"address":{"city":"Oslo"}}`. Numbers keep their exact
    stored text, binary is base64, sets are arrays, omitted members are absent.

    GoogleTest prints a value with `PrintTo(const T&, std::ostream*)` found by ADL. To have your
    models printed as JSON in failure messages, add one line to their namespace:
    @code
    namespace shop {
    struct Order { ...; bool operator==(const Order&) const = default; };
    BOOST_DESCRIBE_STRUCT(Order, (), (...))
    using dynantic::PrintTo;        // EXPECT_EQ(a, b) now prints {"customer_id":"c1",...}
    }
    @endcode
    (Or write `std::ostream& operator<<(std::ostream& os, const Order& o) { return os << dynantic::to_json_text(o); }`.) */

#include <dynantic/codec/item.hpp>

#include <ostream>
#include <string>

namespace dynantic {
namespace detail {
/** Plain JSON of an AttributeValue / of an item. */
std::string plain_json_text(const boost::json::value& av);
std::string plain_json_text(const boost::json::object& item);
std::string unprintable(const AttributeError& e);
}  // namespace detail

/** Plain JSON text of a model or any mapped value. A value that cannot be stored (NaN, ...)
    prints as `<unprintable: attribute 'x': reason>` instead of throwing. */
template <class T>
    requires attribute_type<T> || detail::described_struct<T>
std::string to_json_text(const T& value) {
    try {
        if constexpr (detail::described_struct<T>) {
            boost::json::object item;
            detail::encode_members(value, item);
            return detail::plain_json_text(item);
        } else {
            if (omit_attribute(value)) return "null";
            boost::json::value av;
            to_attribute(value, av);
            return detail::plain_json_text(av);
        }
    } catch (const detail::AttributeError& e) {
        return detail::unprintable(e);
    }
}

/** GoogleTest's printer hook for described structs; bring it into a model's namespace with
    `using dynantic::PrintTo;`. */
template <detail::described_struct T>
void PrintTo(const T& value, std::ostream* os) {
    *os << to_json_text(value);
}

}  // namespace dynantic
