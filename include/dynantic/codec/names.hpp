// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Attribute renames: a described member stored under another attribute name, for tables whose
    attribute names are not valid or not idiomatic C++ member names ("createdAt", "PK", "GSI1SK").

    @code
    namespace shop {
    struct Address { std::string city; std::string zip; };
    BOOST_DESCRIBE_STRUCT(Address, (), (city, zip))
    constexpr auto dynantic_attribute_names(const Address*) {      // found by ADL
        return dynantic::attribute_names(dynantic::rename(&Address::zip, "postalCode"));
    }

    struct User { std::string id; std::chrono::sys_seconds created_at; Address address; };
    BOOST_DESCRIBE_STRUCT(User, (), (id, created_at, address))
    constexpr auto dynantic_attribute_names(const User*) {
        return dynantic::attribute_names(dynantic::rename(&User::id, "PK"),
                                         dynantic::rename(&User::created_at, "createdAt"));
    }
    }
    @endcode

    One mechanism serves top-level models and nested structs alike, because a nested struct has
    no table schema. The stored name is used by every path: item encoding and decoding, key
    building (`Table::key`, `get`, `remove`), `create_table`'s key schema and attribute
    definitions, and `detail::member_name`, through which expressions name members. Members
    not renamed keep their described name.

    Lookup order (as `dynantic::schema<T>`): a specialization of `dynantic::attribute_names_of<T>`
    if the user wrote one, else the function `dynantic_attribute_names(const T*)` found by
    argument-dependent lookup, else no renames. A class derived from a model finds its base's
    hook through the pointer conversion unless it declares its own.

    Checked at compile time (on first encode or decode): every renamed member is listed in
    `BOOST_DESCRIBE_STRUCT`, no stored name is empty, and no two members share a stored name. */

#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/mp11/algorithm.hpp>

#include <string_view>
#include <tuple>
#include <type_traits>

namespace dynantic {

/** One rename: member `member` is stored under `name`. Made by `rename()`. */
template <class Class, class Member>
struct Rename {
    Member Class::*member;   ///< the renamed member
    std::string_view name;   ///< its attribute name in DynamoDB
};

/** Stores `member` under the attribute name `name` (a string literal, or any string that
    outlives the program). */
template <class Class, class Member>
constexpr Rename<Class, Member> rename(Member Class::*member, std::string_view name) {
    return {member, name};
}

/** The renames of one type, returned by a `dynantic_attribute_names` hook. */
template <class... Renames>
struct AttributeNames {
    std::tuple<Renames...> renames;   ///< the `Rename` values
};

/** Collects renames: `attribute_names(rename(&T::a, "A"), rename(&T::b, "B"))`. */
template <class... Renames>
constexpr AttributeNames<Renames...> attribute_names(Renames... renames) {
    return {std::tuple<Renames...>{renames...}};
}

/** The renames of `T`. Specialize to declare them outside T's namespace (a `value` member of
    an `AttributeNames` type); the primary template calls `dynantic_attribute_names(const T*)`
    found by argument-dependent lookup, or has no renames. */
template <class T>
struct attribute_names_of {
    /** The renames: an `AttributeNames` value. */
    static constexpr auto value = [] {
        if constexpr (requires { dynantic_attribute_names(static_cast<const T*>(nullptr)); })
            return dynantic_attribute_names(static_cast<const T*>(nullptr));
        else
            return AttributeNames<>{};
    }();
};

namespace detail {

constexpr unsigned member_modifiers = boost::describe::mod_public | boost::describe::mod_inherited;

template <class T>
using described_members = boost::describe::describe_members<T, member_modifiers>;

template <class Pointer, class R>
constexpr bool renames_pointer(const R& r, Pointer pointer) {
    if constexpr (std::is_same_v<std::remove_cv_t<decltype(r.member)>, std::remove_cv_t<Pointer>>)
        return r.member == pointer;
    else
        return false;
}

/** The attribute name under which the member described by `D` of `T` is stored. */
template <class T, class D>
constexpr std::string_view attribute_name() {
    std::string_view result = D::name;
    std::apply([&](const auto&... r) { ((renames_pointer(r, D::pointer) ? (void)(result = r.name) : (void)0), ...); },
               attribute_names_of<T>::value.renames);
    return result;
}

/** True when every rename of `T` names a described member of `T`. */
template <class T>
constexpr bool renames_are_described() {
    bool all = true;
    std::apply(
        [&](const auto&... r) {
            ((all = all && [&] {
                  bool found = false;
                  boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
                      if (renames_pointer(r, D.pointer)) found = true;
                  });
                  return found;
              }()),
             ...);
        },
        attribute_names_of<T>::value.renames);
    return all;
}

/** True when the stored names of `T`'s members are non-empty and distinct. */
template <class T>
constexpr bool attribute_names_are_unique() {
    using L = described_members<T>;
    constexpr std::size_t n = boost::mp11::mp_size<L>::value;
    if constexpr (n == 0) {
        return true;
    } else {
        std::string_view names[n];
        std::size_t i = 0;
        boost::mp11::mp_for_each<L>([&](auto D) { names[i++] = attribute_name<T, decltype(D)>(); });
        for (std::size_t a = 0; a < n; ++a) {
            if (names[a].empty()) return false;
            for (std::size_t b = a + 1; b < n; ++b)
                if (names[a] == names[b]) return false;
        }
        return true;
    }
}

}  // namespace detail
}  // namespace dynantic
