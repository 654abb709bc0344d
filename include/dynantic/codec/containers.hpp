// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Lists and maps.

    - `std::vector<T>`, `std::list<T>`, `std::deque<T>`: L, elements in order. (Except
      `std::vector<std::byte>`, which is `Bytes`: B.)
    - `std::map<std::string, T>`, `std::unordered_map<std::string, T>`: M. Keys must be
      `std::string` (DynamoDB map keys are strings), non-empty and valid UTF-8; another key type
      is a compile error.

    Empty lists and maps are written (`{"L": []}`, `{"M": {}}`), unlike empty sets. A value that
    would be omitted as a member (`std::nullopt`, an empty set) is written as NULL, so list
    positions and map keys survive a round trip. Errors name the element: `scores[3]`,
    `prices["eur"]`. */

#include <dynantic/codec/traits.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <deque>
#include <exception>
#include <list>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dynantic {
namespace detail {

void check_utf8(std::string_view text);
[[noreturn]] void throw_empty_map_key();

/** Writes one list element or map value: NULL where a member would be omitted. */
template <class T>
void write_element(const T& value, boost::json::value& slot) {
    if (omit_attribute(value)) set_null_attribute(slot);
    else dynantic::to_attribute(value, slot);
}

/** Appends one list element or map value as text: NULL where a member would be omitted. */
template <class T>
void append_element(const T& value, std::string& out) {
    if (omit_attribute(value)) out += R"({"NULL":true})";
    else append_attribute(value, out);
}

/** Reads one element; errors get the element's position or key prefixed by `prefix`. */
template <class T, class Prefix>
T read_element(const boost::json::value& av, Prefix&& prefix) {
    try {
        return dynantic::from_attribute<T>(av);
    } catch (AttributeError& e) {
        prefix(e);
        throw;
    } catch (const std::exception& ex) {
        AttributeError e{{}, ex.what()};
        prefix(e);
        throw e;
    }
}

template <class List>
struct list_traits {
    using value_type = typename List::value_type;
    static_assert(attribute_type<value_type>,
                  "dynantic: a list's element type has no attribute_traits specialization");
    static constexpr AttributeType type = AttributeType::L;   ///< the wire type
    static constexpr bool library_codec = true;   ///< the library's own mapping (pages read it from the text)

    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const List& list, boost::json::value& out) {
        auto& array = out.emplace_object()["L"].emplace_array();
        array.reserve(list.size());
        std::size_t i = 0;
        for (const auto& element : list) {
            auto& slot = array.emplace_back(nullptr);
            try {
                write_element<value_type>(element, slot);
            } catch (AttributeError& e) {
                prepend_index(e, i);
                throw;
            }
            ++i;
        }
    }

    /** Appends the value's AttributeValue to `out` as JSON text (the fast path of `to_item_json`). */
    static void append_text(const List& list, std::string& out) {
        out += R"({"L":[)";
        std::size_t i = 0;
        for (const auto& element : list) {
            if (i > 0) out += ',';
            try {
                append_element<value_type>(element, out);
            } catch (AttributeError& e) {
                prepend_index(e, i);
                throw;
            }
            ++i;
        }
        out += "]}";
    }

    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static List from_attribute(const boost::json::value& av) {
        const auto& payload = expect_type(av, type);
        const auto* array = payload.if_array();
        if (array == nullptr) throw_attribute_error("malformed L attribute value: not an array");
        List out;
        if constexpr (requires { out.reserve(array->size()); }) out.reserve(array->size());
        std::size_t i = 0;
        for (const auto& element : *array) {
            out.push_back(read_element<value_type>(element, [i](AttributeError& e) { prepend_index(e, i); }));
            ++i;
        }
        return out;
    }
};

template <class Map>
struct map_traits {
    using key_type = typename Map::key_type;
    using mapped_type = typename Map::mapped_type;
    static_assert(std::is_same_v<key_type, std::string>,
                  "dynantic: a map member must have std::string keys (DynamoDB map keys are strings)");
    static_assert(attribute_type<mapped_type>,
                  "dynantic: a map's value type has no attribute_traits specialization");
    static constexpr AttributeType type = AttributeType::M;   ///< the wire type
    static constexpr bool library_codec = true;   ///< the library's own mapping (pages read it from the text)

    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const Map& map, boost::json::value& out) {
        auto& object = out.emplace_object()["M"].emplace_object();
        object.reserve(map.size());
        for (const auto& [key, value] : map) {
            try {
                if (key.empty()) throw_empty_map_key();
                check_utf8(key);
                write_element<mapped_type>(value, object[key]);
            } catch (AttributeError& e) {
                prepend_key(e, key);
                throw;
            }
        }
    }

    /** Appends the value's AttributeValue to `out` as JSON text (the fast path of `to_item_json`). */
    static void append_text(const Map& map, std::string& out) {
        out += R"({"M":{)";
        bool first = true;
        for (const auto& [key, value] : map) {
            if (!first) out += ',';
            first = false;
            try {
                if (key.empty()) throw_empty_map_key();
                check_utf8(key);
                append_json_string(out, key);
                out += ':';
                append_element<mapped_type>(value, out);
            } catch (AttributeError& e) {
                prepend_key(e, key);
                throw;
            }
        }
        out += "}}";
    }

    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static Map from_attribute(const boost::json::value& av) {
        const auto& payload = expect_type(av, type);
        const auto* object = payload.if_object();
        if (object == nullptr) throw_attribute_error("malformed M attribute value: not an object");
        Map out;
        if constexpr (requires { out.reserve(object->size()); }) out.reserve(object->size());
        for (const auto& entry : *object) {
            const std::string_view key = entry.key();
            out.emplace(std::string(key),
                        read_element<mapped_type>(entry.value(), [key](AttributeError& e) { prepend_key(e, key); }));
        }
        return out;
    }
};

}  // namespace detail

/** `std::vector<T>`: L. */
template <class T, class A>
struct attribute_traits<std::vector<T, A>> : detail::list_traits<std::vector<T, A>> {};
/** `std::list<T>`: L. */
template <class T, class A>
struct attribute_traits<std::list<T, A>> : detail::list_traits<std::list<T, A>> {};
/** `std::deque<T>`: L. */
template <class T, class A>
struct attribute_traits<std::deque<T, A>> : detail::list_traits<std::deque<T, A>> {};

/** `std::map<std::string, T>`: M. */
template <class K, class T, class C, class A>
struct attribute_traits<std::map<K, T, C, A>> : detail::map_traits<std::map<K, T, C, A>> {};
/** `std::unordered_map<std::string, T>`: M. */
template <class K, class T, class H, class E, class A>
struct attribute_traits<std::unordered_map<K, T, H, E, A>> : detail::map_traits<std::unordered_map<K, T, H, E, A>> {};

}  // namespace dynantic
