// SPDX-License-Identifier: BSL-1.0
#pragma once
// The declarations a schema (schema.hpp) is made of: attribute names of members by pointer, key
// type checks, and one type per declaration (secondary index, discriminator, subtype, TTL,
// auto-UUID key, required members, version attribute), with the type-list helpers that find
// them in a `TableSchema`.

#include <dynantic/codec/item.hpp>
#include <dynantic/index_projection.hpp>
#include <dynantic/view.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace dynantic {
namespace detail {

/** The stored attribute name of a described member, found by its pointer: its rename
    (codec/names.hpp) or its described name; empty if not described. Keys, `create_table` and
    expressions name members through this function, so a rename reaches all of them. */
template <class T, class M>
constexpr std::string_view member_name(M T::*pointer) {
    std::string_view result{};
    boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
        if constexpr (std::is_same_v<std::remove_cv_t<decltype(D.pointer)>, M T::*>) {
            if (D.pointer == pointer) result = attribute_name<T, decltype(D)>();
        }
    });
    return result;
}

/** Key attributes must be S, N or B (DynamoDB's scalar key types). */
template <class M>
constexpr bool valid_key_type() {
    if constexpr (!attribute_type<M>) {
        return false;
    } else {
        constexpr AttributeType t = wire_type_of<M>();
        return t == AttributeType::S || t == AttributeType::N || t == AttributeType::B;
    }
}

/** Fails constant evaluation (a compile error pointing here) with a readable reason. */
inline void schema_error(const char*) {}

struct no_sort_key {};

/** A secondary index declared in a schema (see `TableSchema::global_index`); `Proj` is its
    `IndexProjection` (index_projection.hpp). */
template <class Model, class PK, class SK, class Proj = IndexProjection<void>>
struct IndexDecl {
    std::string_view name;
    bool global = true;
    PK Model::*partition_key_member{};
    std::conditional_t<std::is_same_v<SK, no_sort_key>, no_sort_key, SK Model::*> sort_key_member{};
    Projection projection = Projection::all;
    Proj projected{};   ///< the included members and the default view

    static constexpr bool has_sort_key = !std::is_same_v<SK, no_sort_key>;
    using partition_key_type = PK;
    using sort_key_type = SK;
    /** The declared default view, or void. */
    using declared_view = typename Proj::default_view;
    /** What reads of the index return unless told otherwise: the default view, or the model. */
    using default_view = std::conditional_t<std::is_void_v<declared_view>, Model, declared_view>;
    constexpr std::string_view partition_key_name() const { return member_name(partition_key_member); }
    /** The sort key's attribute name; empty without a sort key. */
    constexpr std::string_view sort_key_name() const {
        if constexpr (has_sort_key) return member_name(sort_key_member);
        else return {};
    }
    /** True when the index holds attribute `attribute` of every item it holds; `table_pk` and
        `table_sk` are the table's key attributes (every index holds them). */
    constexpr bool projects(std::string_view attribute, std::string_view table_pk, std::string_view table_sk) const {
        if (projection == Projection::all) return true;
        if (attribute == partition_key_name() || attribute == sort_key_name() || attribute == table_pk ||
            (!table_sk.empty() && attribute == table_sk))
            return true;
        bool found = false;
        std::apply([&](const auto&... m) { ((found = found || member_name(m) == attribute), ...); }, projected.members);
        return found;
    }
    /** The attribute names of the members an INCLUDE index copies (NonKeyAttributes). */
    std::vector<std::string_view> non_key_attributes() const {
        std::vector<std::string_view> out;
        std::apply([&](const auto&... m) { (out.push_back(member_name(m)), ...); }, projected.members);
        return out;
    }
};

template <class P> struct member_pointer_class;
template <class C, class M> struct member_pointer_class<M C::*> { using type = C; };

/** The attribute telling entity types apart in a single-table design. */
template <class Model, class D>
struct DiscriminatorDecl {
    D Model::*member;
    std::string_view base_value;  ///< the value for the base model itself; empty: none
};

/** A registered subtype of a polymorphic model and its discriminator value. */
template <class Sub>
struct SubtypeDecl {
    std::string_view value;
};

/** The table's time-to-live attribute. */
template <class Model, class T>
struct TtlDecl {
    T Model::*member;
};

/** A UUID key generated (random, version 4) on write when nil. */
template <class Model, class T>
struct AutoUuidDecl {
    T Model::*member;
};

/** Members whose attributes every read through the table requires (see `TableSchema::required`). */
template <class Model, class... Members>
struct RequiredDecl {
    std::tuple<Members Model::*...> members;
};

template <class T> struct is_time_point : std::false_type {};
template <class C, class D> struct is_time_point<std::chrono::time_point<C, D>> : std::true_type {};
template <class T> struct is_time_point<std::optional<T>> : is_time_point<T> {};
template <class T> struct is_integral_or_optional : std::is_integral<T> {};
template <class T> struct is_integral_or_optional<std::optional<T>> : std::is_integral<T> {};

template <class Model, class V>
struct VersionDecl {
    V Model::*member;
};

template <class V>
concept version_type = (std::is_integral_v<V> && !std::is_same_v<V, bool>) ||
                       requires { typename V::value_type; requires std::is_same_v<V, std::optional<typename V::value_type>>;
                                  requires std::is_integral_v<typename V::value_type>; };

template <class T, template <class...> class D>
struct is_instance_of : std::false_type {};
template <template <class...> class D, class... A>
struct is_instance_of<D<A...>, D> : std::true_type {};

template <template <class...> class D, class... Decls>
constexpr std::size_t index_of_instance() {
    constexpr bool found[] = {is_instance_of<Decls, D>::value..., false};
    for (std::size_t i = 0; i < sizeof...(Decls); ++i)
        if (found[i]) return i;
    return sizeof...(Decls);
}

}  // namespace detail
}  // namespace dynantic
