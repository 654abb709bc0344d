// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    What a secondary index holds, as a schema declares it (schema.hpp): the projection type
    (ALL, KEYS_ONLY, or INCLUDE with named non-key attributes) and, optionally, the index's
    **default view** — the view (view.hpp) that reads of the index return when no other type is
    named.

    @code
    struct KindKeys { std::string id; std::string kind; };         // a view of Item
    BOOST_DESCRIBE_STRUCT(KindKeys, (), (id, kind))
    struct KindCard { std::string id; std::string kind; std::string title; };
    BOOST_DESCRIBE_STRUCT(KindCard, (), (id, kind, title))

    constexpr auto dynantic_schema(const Item*) {
        return dy::table("items").partition_key(&Item::id)
            .global_index("ByKind", &Item::kind, dy::keys_only<KindKeys>())
            .global_index("ByOwner", &Item::owner, &Item::kind, dy::include<KindCard>(&Item::title));
    }
    items.query_index<"ByKind">("book");               // reads KindKeys (the default view)
    items.query_index<"ByOwner", KindKeys>("ann");     // any view of what the index holds
    items.query_index<"ByKind", Item>("book");         // compile error: the index lacks Item's members
    @endcode

    A KEYS_ONLY index holds the table's and the index's key attributes; an INCLUDE index also
    the listed members' attributes. Reading such an index into a type with a member the index
    does not hold is a compile error that names the index's default view; declaring a default
    view with such a member is a compile error too (`dynantic::Projection::include` alone, without
    its members, is refused: use `include(...)`).
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Projection.html */

#include <tuple>
#include <type_traits>

namespace dynantic {

/** Which attributes a secondary index copies (Projection.ProjectionType): every attribute, the
    key attributes only, or the keys and the non-key attributes listed with `include(...)`. */
enum class Projection { all, keys_only, include };

/** A secondary index's projection as declared: `type`, the member pointers of the non-key
    attributes an INCLUDE index copies, and `View`, the index's default view (`void`: none; reads
    then default to the model, which only an ALL index can serve). Made by `keys_only()` and
    `include()`; a plain `Projection` converts to one without members or view. */
template <class View, class... Members>
struct IndexProjection {
    using default_view = View;             ///< the declared default view, or void
    Projection type = Projection::all;     ///< ALL, KEYS_ONLY or INCLUDE
    std::tuple<Members...> members{};      ///< INCLUDE: pointers to the non-key members copied
};

/** A KEYS_ONLY projection whose reads default to `View` (a view of the model holding only key
    members; void: no default view, so every read names its view). */
template <class View = void>
constexpr IndexProjection<View> keys_only() {
    return {Projection::keys_only, {}};
}

/** An INCLUDE projection: the keys plus the attributes of `members` (pointers to non-key
    members of the model, e.g. `include(&Item::title, &Item::price)`); reads default to `View`
    when given (a view of the model whose members the index holds). */
template <class View = void, class... Members>
constexpr IndexProjection<View, Members...> include(Members... members) {
    static_assert(sizeof...(Members) > 0, "dynantic: include() needs at least one non-key member: include(&Model::member, ...)");
    static_assert((std::is_member_object_pointer_v<Members> && ...),
                  "dynantic: include() takes pointers to members of the model: include(&Model::a, &Model::b)");
    return {Projection::include, {members...}};
}

}  // namespace dynantic
