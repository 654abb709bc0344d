// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Views: reading part of an item. A **view** of a model is a struct described with
    `BOOST_DESCRIBE_STRUCT` whose members are a subset of the model's: each has the name of a
    described member of the model and the same type, `std::optional` of it (or the reverse), or
    another type stored as the same scalar DynamoDB type (S, N, B or BOOL: `int` for
    `std::int64_t`, `std::string` for an enum). Nested structs, lists, maps and sets keep the
    model's type.

    @code
    struct UserSummary { std::string user_id; std::string name; std::optional<int> login_count; };
    BOOST_DESCRIBE_STRUCT(UserSummary, (), (user_id, name, login_count))

    std::optional<UserSummary> s = users.get<UserSummary>("u1", "a@b.c");   // GetItem + ProjectionExpression
    for (const UserSummary& u : users.query<UserSummary>("u1")) {}           // Query
    auto page = users.scan<UserSummary>().page();                            // Scan
    auto some = users.batch_get<UserSummary>(keys);                          // BatchGetItem
    auto [a] = dy::transact_get(dy::get<User, UserSummary>("u1", "a@b.c"));  // TransactGetItems
    @endcode

    A read into a view sends a `ProjectionExpression` naming the view's attributes (every name
    through an `ExpressionAttributeNames` placeholder, so reserved words such as `name` or
    `status` are fine) plus the key attributes the library needs to page, match batch answers
    to keys and resume cursors (the table's keys, and an index's keys when reading an index),
    and for a subtype's reads by key, the discriminator. It decodes with the model's codec:
    a member's attribute name is the model's (renames declared for the model apply; a view's
    own renames are not used), a missing attribute leaves the view member at its default member
    initializer, and the table's keys and the members the schema marks `required` are required
    when the view has them. A view of a polymorphic base reads every entity type's item as the
    view (no variant).

    Checked at compile time, with a message that says what to change: the view is described, each
    member names a member of the model, and each member's type fits. */

#include <dynantic/codec/item.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace dynantic {
namespace detail {

template <class T> struct view_unwrap { using type = T; };
template <class T> struct view_unwrap<std::optional<T>> { using type = T; };
template <class T> using view_unwrap_t = typename view_unwrap<T>::type;

template <class T> struct view_member_is_optional : std::false_type {};
template <class T> struct view_member_is_optional<std::optional<T>> : std::true_type {};

/** The stored attribute name of `Model`'s described member called `member` (its rename, or
    the name itself); empty when the model has no described member of that name. */
template <class Model>
constexpr std::string_view model_attribute(std::string_view member) {
    std::string_view out{};
    boost::mp11::mp_for_each<described_members<Model>>([&](auto D) {
        if (std::string_view(decltype(D)::name) == member) out = attribute_name<Model, decltype(D)>();
    });
    return out;
}

/** True when a view member of type V can hold the attribute a model member of type M stores. */
template <class V, class M>
constexpr bool view_type_fits() {
    using VU = view_unwrap_t<V>;
    using MU = view_unwrap_t<M>;
    if constexpr (std::is_same_v<VU, MU>) {
        return true;
    } else if constexpr (attribute_type<VU> && attribute_type<MU>) {
        constexpr AttributeType v = wire_type_of<VU>(), m = wire_type_of<MU>();
        return v == m && (v == AttributeType::S || v == AttributeType::N || v == AttributeType::B || v == AttributeType::BOOL);
    } else {
        return false;
    }
}

/** True when every member of `View` is named after a described member of `Model`. */
template <class View, class Model>
constexpr bool view_members_named() {
    bool ok = true;
    boost::mp11::mp_for_each<described_members<View>>([&](auto D) {
        if (model_attribute<Model>(decltype(D)::name).empty()) ok = false;
    });
    return ok;
}

/** True when every member of `View` has a type that fits the model member of the same name. */
template <class View, class Model>
constexpr bool view_member_types_fit() {
    bool ok = true;
    boost::mp11::mp_for_each<described_members<View>>([&](auto V) {
        boost::mp11::mp_for_each<described_members<Model>>([&](auto M) {
            if (std::string_view(decltype(V)::name) != std::string_view(decltype(M)::name)) return;
            using VT = std::remove_cvref_t<decltype(std::declval<const View&>().*decltype(V)::pointer)>;
            using MT = std::remove_cvref_t<decltype(std::declval<const Model&>().*decltype(M)::pointer)>;
            if (!view_type_fits<VT, MT>()) ok = false;
        });
    });
    return ok;
}

/** True when every member of `View` is std::optional. */
template <class View>
constexpr bool view_members_optional() {
    bool ok = true;
    boost::mp11::mp_for_each<described_members<View>>([&](auto D) {
        using VT = std::remove_cvref_t<decltype(std::declval<const View&>().*decltype(D)::pointer)>;
        if (!view_member_is_optional<VT>::value) ok = false;
    });
    return ok;
}

/** True when `holds(attribute)` is true for the model attribute of every member of `View`. */
template <class Model, class View, class Holds>
constexpr bool view_within(Holds holds) {
    bool ok = true;
    boost::mp11::mp_for_each<described_members<View>>([&](auto D) {
        if (!holds(model_attribute<Model>(decltype(D)::name))) ok = false;
    });
    return ok;
}

/** The compile-time checks of a view (see the file comment); true when they pass. */
template <class Model, class View>
constexpr bool check_view() {
    if constexpr (!std::is_same_v<Model, View>) {
        static_assert(described_struct<View>, "dynantic: a view must be a struct described with BOOST_DESCRIBE_STRUCT");
        if constexpr (described_struct<View>) {
            static_assert(view_members_named<View, Model>(),
                          "dynantic: a view member is not a member of the model: name each member of a view after a "
                          "described member of the model (the model's renames apply), or add the member to the model");
            if constexpr (view_members_named<View, Model>())
                static_assert(view_member_types_fit<View, Model>(),
                              "dynantic: a view member's type does not fit the model member of the same name: use the "
                              "model member's type, std::optional of it, or a type stored as the same scalar DynamoDB "
                              "type (S, N, B, BOOL)");
        }
    }
    return true;
}

}  // namespace detail

/** True when `View` is a view of `Model` (see the file comment); `Model` is a view of itself. */
template <class View, class Model>
concept view_of = std::is_same_v<View, Model> ||
                  (detail::described_struct<View> && detail::view_members_named<View, Model>() &&
                   detail::view_member_types_fit<View, Model>());

}  // namespace dynantic
