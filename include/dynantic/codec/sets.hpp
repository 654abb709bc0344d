// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Sets: `std::set<T>` and `std::unordered_set<T>` whose elements map to S, N or B are string
    sets (SS), number sets (NS) and binary sets (BS):

    | elements                                                       | wire |
    |----------------------------------------------------------------|------|
    | `std::string`, described enums, UUIDs, times, dates            | SS   |
    | integers, `float`, `double`, `Decimal`                         | NS   |
    | `Bytes`                                                        | BS   |

    DynamoDB rejects empty sets, so an empty set is not written (the member is omitted; NULL
    inside a list or map), and a missing or NULL attribute reads as an empty set. A set of any
    other element type (`bool`, lists, structs, optionals) is a compile error: use a
    `std::vector` (L). */

#include <dynantic/codec/scalars.hpp>
#include <dynantic/codec/traits.hpp>

#include <boost/json/array.hpp>

#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>

namespace dynantic {
namespace detail {

/** The set wire type for elements of type T, or NUL when T cannot be a set element. */
template <class T>
constexpr AttributeType set_type_for() {
    if constexpr (!attribute_type<T>) {
        return AttributeType::NUL;
    } else if constexpr (raw_traits<T> && requires(const T& v) { attribute_traits<T>::omit(v); }) {
        return AttributeType::NUL;  // optionals and sets
    } else {
        constexpr AttributeType t = wire_type_of<T>();
        if constexpr (t == AttributeType::S) return AttributeType::SS;
        else if constexpr (t == AttributeType::N) return AttributeType::NS;
        else if constexpr (t == AttributeType::B) return AttributeType::BS;
        else return AttributeType::NUL;
    }
}

constexpr AttributeType element_type_of(AttributeType set_type) {
    return set_type == AttributeType::SS ? AttributeType::S
         : set_type == AttributeType::NS ? AttributeType::N
                                         : AttributeType::B;
}

/** One set element from its bare payload (a JSON string). */
template <class T>
T read_set_element(const boost::json::value& payload, AttributeType element_type) {
    const auto* s = payload.if_string();
    if (s == nullptr) throw_attribute_error("malformed set element: not a string");
    if constexpr (std::is_same_v<T, std::string>) {
        return std::string(s->data(), s->size());
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        return parse_integer<T>(std::string_view(s->data(), s->size()));
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(parse_double(std::string_view(s->data(), s->size())));
    } else {
        boost::json::value av;
        av.emplace_object().emplace(to_string(element_type), *s);
        return dynantic::from_attribute<T>(av);
    }
}

template <class Set>
struct set_traits {
    using value_type = typename Set::key_type;
    static constexpr AttributeType type = set_type_for<value_type>();   ///< the wire type
    static constexpr bool library_codec = true;   ///< the library's own mapping (pages read it from the text)
    static_assert(type != AttributeType::NUL,
                  "dynantic: a set's elements must map to S, N or B (strings, numbers or bytes); "
                  "use std::vector for a list of other values");

    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const Set& set, boost::json::value& out) {
        if (set.empty()) {
            set_null_attribute(out);
            return;
        }
        auto& array = out.emplace_object()[to_string(type)].emplace_array();
        array.reserve(set.size());
        std::size_t i = 0;
        for (const auto& v : set) {
            try {
                scalar_text(v, [&](std::string_view text) { array.emplace_back(boost::json::string_view(text)); });
            } catch (AttributeError& e) {
                prepend_index(e, i);
                throw;
            }
            ++i;
        }
    }

    /** Appends the value's AttributeValue to `out` as JSON text (the fast path of `to_item_json`). */
    static void append_text(const Set& set, std::string& out) {
        if (set.empty()) {
            out += R"({"NULL":true})";
            return;
        }
        out += "{\"";
        out += to_string(type);
        out += "\":[";
        std::size_t i = 0;
        for (const auto& v : set) {
            if (i > 0) out += ',';
            try {
                scalar_text(v, [&](std::string_view text) { append_json_string(out, text); });
            } catch (AttributeError& e) {
                prepend_index(e, i);
                throw;
            }
            ++i;
        }
        out += "]}";
    }

    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static Set from_attribute(const boost::json::value& av) {
        if (type_of(av) == AttributeType::NUL) return {};
        const auto& payload = expect_type(av, type);
        const auto* array = payload.if_array();
        if (array == nullptr) throw_attribute_error("malformed " + std::string(to_string(type)) + " attribute value");
        Set out;
        if constexpr (requires { out.reserve(array->size()); }) out.reserve(array->size());
        std::size_t i = 0;
        for (const auto& element : *array) {
            try {
                out.insert(read_set_element<value_type>(element, element_type_of(type)));
            } catch (AttributeError& e) {
                prepend_index(e, i);
                throw;
            }
            ++i;
        }
        return out;
    }

    /** True when the value is left out of the item (nothing to store). */
    static bool omit(const Set& set) { return set.empty(); }
};

}  // namespace detail

/** `std::set<T>`: SS, NS or BS by T's wire type; empty sets omitted. */
template <class T, class C, class A>
struct attribute_traits<std::set<T, C, A>> : detail::set_traits<std::set<T, C, A>> {};
/** `std::unordered_set<T>`: SS, NS or BS by T's wire type; empty sets omitted. */
template <class T, class H, class E, class A>
struct attribute_traits<std::unordered_set<T, H, E, A>> : detail::set_traits<std::unordered_set<T, H, E, A>> {};

}  // namespace dynantic
