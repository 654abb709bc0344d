// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Container categories, derived from a type's wire type (`attribute_traits<T>`), in one place
    for the codec and the expression DSL:

    | wire type      | category | element type                                                   |
    |----------------|----------|----------------------------------------------------------------|
    | SS, NS, BS     | set      | the set's `key_type`; else the element of the type `to()` returns; else `std::string`, `Decimal`, `Bytes` |
    | L              | list     | the list's `value_type`; else the element of the type `to()` returns |
    | M              | map      | the map's `mapped_type`; else the element of the type `to()` returns |

    So a user type whose `attribute_traits` stores it as SS (say a `Tags` class whose `to()`
    returns a `std::set<std::string>`) gets the DSL operations of a string set:
    `field(&Post::tags).contains("vip")`, `add`, `remove`. A nested described struct (M without
    an element type) is a document, not a map: its members are reached with `/`. */

#include <dynantic/codec/bytes.hpp>
#include <dynantic/codec/decimal.hpp>
#include <dynantic/codec/traits.hpp>

#include <string>
#include <type_traits>

namespace dynantic::detail {

/** What the DSL may do with a type, by its wire type. */
enum class ContainerCategory { none, set, list, map };

template <class T>
constexpr auto container_element_identity() {
    if constexpr (!attribute_type<T>) {
        return std::type_identity<void>{};
    } else {
        constexpr AttributeType w = wire_type_of<T>();
        if constexpr (w == AttributeType::SS || w == AttributeType::NS || w == AttributeType::BS) {
            if constexpr (requires { typename T::key_type; }) return std::type_identity<typename T::key_type>{};
            else if constexpr (easy_traits<T>) return container_element_identity<typename easy_target<T>::type>();
            else if constexpr (w == AttributeType::SS) return std::type_identity<std::string>{};
            else if constexpr (w == AttributeType::NS) return std::type_identity<Decimal>{};
            else return std::type_identity<Bytes>{};
        } else if constexpr (w == AttributeType::L) {
            if constexpr (requires { typename T::value_type; }) return std::type_identity<typename T::value_type>{};
            else if constexpr (easy_traits<T>) return container_element_identity<typename easy_target<T>::type>();
            else return std::type_identity<void>{};
        } else if constexpr (w == AttributeType::M) {
            if constexpr (requires { typename T::mapped_type; }) return std::type_identity<typename T::mapped_type>{};
            else if constexpr (easy_traits<T>) return container_element_identity<typename easy_target<T>::type>();
            else return std::type_identity<void>{};
        } else {
            return std::type_identity<void>{};
        }
    }
}

/** The element type of a set, list or map type (the mapped type of a map); `void` for others. */
template <class T>
using container_element_t = typename decltype(container_element_identity<T>())::type;

/** The category of `T`, from its wire type: `none` unless the element type is known too. */
template <class T>
constexpr ContainerCategory container_category() {
    if constexpr (!attribute_type<T> || std::is_void_v<container_element_t<T>>) {
        return ContainerCategory::none;
    } else {
        constexpr AttributeType w = wire_type_of<T>();
        if constexpr (w == AttributeType::SS || w == AttributeType::NS || w == AttributeType::BS) return ContainerCategory::set;
        else if constexpr (w == AttributeType::L) return ContainerCategory::list;
        else return ContainerCategory::map;
    }
}

/** Types stored as SS, NS or BS. */
template <class T> concept set_type = container_category<T>() == ContainerCategory::set;
/** Types stored as L. */
template <class T> concept list_type = container_category<T>() == ContainerCategory::list;
/** Types stored as M with an element type (string-keyed maps; not nested structs). */
template <class T> concept map_type = container_category<T>() == ContainerCategory::map;

}  // namespace dynantic::detail
