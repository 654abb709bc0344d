// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    A model's table: its name, partition key and optional sort key, declared from member
    pointers and checked at compile time.

    @code
    namespace shop {
    struct Order { std::string customer_id; std::string order_id; std::int64_t total_cents = 0; };
    BOOST_DESCRIBE_STRUCT(Order, (), (customer_id, order_id, total_cents))
    constexpr auto dynantic_schema(const Order*) {          // found by ADL
        return dynantic::table("orders").partition_key(&Order::customer_id).sort_key(&Order::order_id);
    }
    }
    @endcode

    Lookup order: a specialization of `dynantic::schema<T>` if the user wrote one, else the
    function `dynantic_schema(const T*)` found by argument-dependent lookup in T's namespace.
    The declaration types a schema holds (indexes, version, TTL, ...) are in
    detail/schema_decls.hpp. */

#include <dynantic/codec/item.hpp>
#include <dynantic/detail/schema_decls.hpp>
#include <dynantic/index_projection.hpp>
#include <dynantic/view.hpp>

#include <string_view>
#include <tuple>
#include <type_traits>

namespace dynantic {

/** A table's schema. Built by `table(name).partition_key(...)[.sort_key(...)]` followed by
    further declarations (each returns a new schema type); the types make a second partition
    key, a key of another model, or a key of a non-scalar type compile errors.
    `Decls` are the further declarations (indexes, version attribute, ...), kept in `decls`. */
template <class Model, class PartitionKey, class SortKey = detail::no_sort_key, class... Decls>
struct TableSchema {
    using model_type = Model;                 ///< the model stored in the table
    using partition_key_type = PartitionKey;  ///< the partition key member's type
    using sort_key_type = SortKey;            ///< the sort key member's type (`detail::no_sort_key` without one)
    /** True when the table has a sort key. */
    static constexpr bool has_sort_key = !std::is_same_v<SortKey, detail::no_sort_key>;

    std::string_view name;                         ///< table name, before any client prefix
    PartitionKey Model::*partition_key_member{};   ///< the partition key member
    /** The sort key member (an empty tag without a sort key). */
    std::conditional_t<has_sort_key, SortKey Model::*, detail::no_sort_key> sort_key_member{};
    std::tuple<Decls...> decls{};                  ///< indexes, version, TTL, ... in declaration order

    /** Attribute names of the keys (the described member names, or their renames). */
    constexpr std::string_view partition_key_name() const { return detail::member_name(partition_key_member); }
    /** The sort key's attribute name; empty without a sort key. */
    constexpr std::string_view sort_key_name() const {
        if constexpr (has_sort_key) return detail::member_name(sort_key_member);
        else return {};
    }

    /** Declares the sort (range) key. Must come directly after the partition key. */
    template <class S, class Other>
    constexpr TableSchema<Model, PartitionKey, S> sort_key(S Other::*member) const
        requires(!has_sort_key && sizeof...(Decls) == 0)
    {
        static_assert(std::is_same_v<Other, Model>,
                      "dynantic: the sort key must be a member of the same model as the partition key");
        static_assert(detail::valid_key_type<S>(),
                      "dynantic: a sort key must map to S, N or B (string, number or bytes)");
        if (detail::member_name(member).empty())
            detail::schema_error("dynantic: the sort key member is not listed in BOOST_DESCRIBE_STRUCT");
        return {name, partition_key_member, member, {}};
    }

    /** Adds a declaration (used by the declaration methods; rarely called directly). */
    template <class D>
    constexpr TableSchema<Model, PartitionKey, SortKey, Decls..., D> with(D decl) const {
        return {name, partition_key_member, sort_key_member, std::tuple_cat(decls, std::tuple<D>{decl})};
    }

    /** True when a declaration of type template `D` is present. */
    template <template <class...> class D>
    static constexpr bool has = (detail::is_instance_of<Decls, D>::value || ...);

    /** The first declaration of type template `D` (which must be present). */
    template <template <class...> class D>
    constexpr const auto& get() const {
        return std::get<detail::index_of_instance<D, Decls...>()>(decls);
    }

    /** Declares a global secondary index: its own partition key and optional sort key, any
        members of S, N or B type; `projection` chooses ALL (default) or KEYS_ONLY (INCLUDE and
        a default view: the `IndexProjection` overload below). Queries through it:
        `table.query_index<"Name">(pk)`; reading a KEYS_ONLY index needs a view
        (`query_index<"Name", View>`), checked at compile time. */
    template <class P, class Other>
    constexpr auto global_index(std::string_view index_name, P Other::*pk, Projection projection = Projection::all) const {
        return global_index(index_name, pk, plain_projection(projection));
    }
    /** Declares a global secondary index with a partition and a sort key. */
    template <class P, class S, class Other, class Other2>
    constexpr auto global_index(std::string_view index_name, P Other::*pk, S Other2::*sk,
                                Projection projection = Projection::all) const {
        return global_index(index_name, pk, sk, plain_projection(projection));
    }
    /** Declares a global secondary index whose projection is `keys_only<View>()` or
        `include<View>(&Model::member, ...)` (index_projection.hpp): KEYS_ONLY or INCLUDE, with
        the index's default view. Reads of the index return the default view unless they name
        another view (`query_index<"Name", View>`); a view that needs more than the index holds
        does not compile. */
    template <class P, class Other, class View, class... Included>
    constexpr auto global_index(std::string_view index_name, P Other::*pk, IndexProjection<View, Included...> projection) const {
        check_index<P, Other>(index_name, pk);
        return with(checked_index(detail::IndexDecl<Model, P, detail::no_sort_key, IndexProjection<View, Included...>>{
            index_name, true, pk, {}, projection.type, projection}));
    }
    /** As above, with a partition and a sort key. */
    template <class P, class S, class Other, class Other2, class View, class... Included>
    constexpr auto global_index(std::string_view index_name, P Other::*pk, S Other2::*sk,
                                IndexProjection<View, Included...> projection) const {
        check_index<P, Other>(index_name, pk);
        check_index<S, Other2>(index_name, sk);
        return with(checked_index(detail::IndexDecl<Model, P, S, IndexProjection<View, Included...>>{
            index_name, true, pk, sk, projection.type, projection}));
    }
    /** Declares a local secondary index: the table's partition key with another sort key. */
    template <class S, class Other>
    constexpr auto local_index(std::string_view index_name, S Other::*sk, Projection projection = Projection::all) const
        requires has_sort_key
    {
        return local_index(index_name, sk, plain_projection(projection));
    }
    /** As above, with `keys_only<View>()` or `include<View>(...)` (see `global_index`). */
    template <class S, class Other, class View, class... Included>
    constexpr auto local_index(std::string_view index_name, S Other::*sk, IndexProjection<View, Included...> projection) const
        requires has_sort_key
    {
        check_index<S, Other>(index_name, sk);
        return with(checked_index(detail::IndexDecl<Model, PartitionKey, S, IndexProjection<View, Included...>>{
            index_name, false, partition_key_member, sk, projection.type, projection}));
    }

    /** Declares the discriminator of a single-table design: a string member of this (base)
        model whose value names the entity type of each item; `base_value` is the value of the
        base model itself (empty: the base is abstract, only subtypes are stored). Register
        subtypes with `subtype<Sub>("VALUE")`. */
    template <class D, class Other>
    constexpr auto discriminator(D Other::*member, std::string_view base_value = {}) const
        requires(!has<detail::DiscriminatorDecl>)
    {
        static_assert(std::is_same_v<Other, Model>, "dynantic: the discriminator must be a member of the model");
        static_assert(std::is_same_v<D, std::string>, "dynantic: the discriminator must be a std::string member");
        if (detail::member_name(member).empty())
            detail::schema_error("dynantic: the discriminator member is not listed in BOOST_DESCRIBE_STRUCT");
        return with(detail::DiscriminatorDecl<Model, D>{member, base_value});
    }

    /** Registers `Sub` (a class derived from this model, described with
        `BOOST_DESCRIBE_STRUCT(Sub, (Base), (...))`) under discriminator value `value`. Subtypes
        share the base's table, keys and indexes; `Table<Sub>` reads and writes only them. */
    template <class Sub>
    constexpr auto subtype(std::string_view value) const
        requires has<detail::DiscriminatorDecl>
    {
        static_assert(std::is_base_of_v<Model, Sub> && !std::is_same_v<Model, Sub>,
                      "dynantic: a subtype must derive from the model that declares the discriminator");
        static_assert(detail::described_struct<Sub>, "dynantic: a subtype must be described with BOOST_DESCRIBE_STRUCT");
        if (value.empty()) detail::schema_error("dynantic: a subtype needs a non-empty discriminator value");
        return with(detail::SubtypeDecl<Sub>{value});
    }

    /** Declares the table's time-to-live attribute. A `std::chrono::sys_time` member (or an
        optional one) is stored as epoch seconds (N), as DynamoDB's TTL requires, and read back
        as time; an integer member is stored as it is (epoch seconds). */
    template <class T, class Other>
    constexpr auto ttl(T Other::*member) const
        requires(!has<detail::TtlDecl>)
    {
        static_assert(std::is_same_v<Other, Model>, "dynantic: the TTL attribute must be a member of the model");
        static_assert(detail::is_time_point<T>::value || detail::is_integral_or_optional<T>::value,
                      "dynantic: a TTL attribute must be a std::chrono::sys_time or an integer (epoch seconds)");
        const auto n = detail::member_name(member);
        if (n.empty()) detail::schema_error("dynantic: the TTL member is not listed in BOOST_DESCRIBE_STRUCT");
        if (n == partition_key_name() || n == sort_key_name())
            detail::schema_error("dynantic: the TTL attribute cannot be a key attribute");
        return with(detail::TtlDecl<Model, T>{member});
    }

    /** Marks a `boost::uuids::uuid` partition or sort key as generated: every write of an item
        whose key is nil stores a random (version 4) UUID and sets it in the item. Both keys may
        be generated (`.auto_uuid(&Log::stream_id).auto_uuid(&Log::event_id)`: one declaration
        each); declaring one member twice is a compile error. */
    template <class T, class Other>
    constexpr auto auto_uuid(T Other::*member) const {
        static_assert(std::is_same_v<Other, Model>, "dynantic: the auto-UUID key must be a member of the model");
        static_assert(requires(const T& t) { t.is_nil(); }, "dynantic: an auto-UUID key must be a boost::uuids::uuid");
        const auto n = detail::member_name(member);
        if (n != partition_key_name() && n != sort_key_name())
            detail::schema_error("dynantic: an auto-UUID member must be the partition or the sort key");
        std::apply([&](const auto&... d) { (check_not_auto_uuid(d, n), ...); }, decls);
        return with(detail::AutoUuidDecl<Model, T>{member});
    }

    /** Marks members required: every read through the table (get, query, scan, batches,
        transactions, streams) fails with a `DecodeError` naming the first of them the item
        lacks. Other members read a missing attribute as their default member initializer
        (codec/item.hpp); the keys and the discriminator are always required. May be declared
        more than once; each member must be a described member of the model. */
    template <class... Members, class... Others>
    constexpr auto required(Members Others::*... members) const {
        static_assert(sizeof...(Members) > 0, "dynantic: required() needs at least one member");
        static_assert((std::is_same_v<Others, Model> && ...), "dynantic: a required member must be a member of the model");
        if (((detail::member_name(members).empty()) || ...))
            detail::schema_error("dynantic: a required member is not listed in BOOST_DESCRIBE_STRUCT");
        return with(detail::RequiredDecl<Model, Members...>{{members...}});
    }

    /** Visits every index declaration: `f(const detail::IndexDecl<...>&)`. */
    template <class F>
    constexpr void for_each_index(F&& f) const {
        std::apply([&](const auto&... d) { (visit_index(f, d), ...); }, decls);
    }

    /** Declares the optimistic-locking version attribute (an integer, or an optional one):
        writes check that the stored version equals the item's, or that none is stored when the
        item's is 0 / nullopt, and store the next version (PynamoDB's semantics). */
    template <class V, class Other>
    constexpr auto version(V Other::*member) const
        requires(!has<detail::VersionDecl>)
    {
        static_assert(std::is_same_v<Other, Model>, "dynantic: the version attribute must be a member of the model");
        static_assert(detail::version_type<V>, "dynantic: a version attribute must be an integer or std::optional of one");
        const auto n = detail::member_name(member);
        if (n.empty()) detail::schema_error("dynantic: the version member is not listed in BOOST_DESCRIBE_STRUCT");
        if (n == partition_key_name() || n == sort_key_name())
            detail::schema_error("dynantic: the version attribute cannot be a key attribute");
        return with(detail::VersionDecl<Model, V>{member});
    }

private:
    static constexpr IndexProjection<void> plain_projection(Projection projection) {
        if (projection == Projection::include)
            detail::schema_error("dynantic: an INCLUDE index names its non-key members: pass include(&Model::member, ...)");
        return {projection, {}};
    }
    /** The included members are non-key members of the model; the default view is a view of the
        model whose members the index holds. */
    template <class I>
    constexpr I checked_index(const I& index) const {
        std::apply([&](const auto&... m) { (check_included(index, m), ...); }, index.projected.members);
        using View = typename I::declared_view;
        if constexpr (!std::is_void_v<View>) {
            static_assert(detail::check_view<Model, View>());
            if (!detail::view_within<Model, View>([&](std::string_view a) {
                    return index.projects(a, partition_key_name(), sort_key_name());
                }))
                detail::schema_error("dynantic: the index's default view has a member the index does not hold: add it "
                                     "to include(...) or drop it from the view");
        }
        return index;
    }
    template <class I, class Pointer>
    constexpr void check_included(const I& index, Pointer member) const {
        static_assert(std::is_same_v<typename detail::member_pointer_class<Pointer>::type, Model>,
                      "dynantic: include() takes members of the index's model");
        const auto n = detail::member_name(member);
        if (n.empty()) detail::schema_error("dynantic: an included member is not listed in BOOST_DESCRIBE_STRUCT");
        if (n == partition_key_name() || n == sort_key_name() || n == index.partition_key_name() || n == index.sort_key_name())
            detail::schema_error("dynantic: include() lists non-key members only (an index always holds the keys)");
    }
    template <class K, class Other>
    static constexpr void check_index(std::string_view index_name, K Other::*member) {
        static_assert(std::is_same_v<Other, Model>, "dynantic: index keys must be members of the model");
        static_assert(detail::valid_key_type<K>(), "dynantic: index keys must map to S, N or B (string, number or bytes)");
        if (detail::member_name(member).empty())
            detail::schema_error("dynantic: an index key member is not listed in BOOST_DESCRIBE_STRUCT");
        if (index_name.size() < 3 || index_name.size() > 255)
            detail::schema_error("dynantic: an index name must have 3 to 255 characters");
    }
    template <class D>
    static constexpr void check_not_auto_uuid(const D& d, std::string_view name) {
        if constexpr (detail::is_instance_of<D, detail::AutoUuidDecl>::value) {
            if (detail::member_name(d.member) == name)
                detail::schema_error("dynantic: this member is already declared auto_uuid");
        }
    }
    template <class F, class D>
    static constexpr void visit_index(F& f, const D& d) {
        if constexpr (detail::is_instance_of<D, detail::IndexDecl>::value) f(d);
    }
};

/** The first step of a schema: a table name awaiting its partition key. */
struct TableName {
    std::string_view name;   ///< the table name, before any client prefix

    /** Declares the partition (hash) key; the model type is the member pointer's class. */
    template <class Model, class K>
    constexpr TableSchema<Model, K> partition_key(K Model::*member) const {
        static_assert(detail::described_struct<Model>,
                      "dynantic: a model must be described with BOOST_DESCRIBE_STRUCT");
        static_assert(detail::valid_key_type<K>(),
                      "dynantic: a partition key must map to S, N or B (string, number or bytes)");
        if (detail::member_name(member).empty())
            detail::schema_error("dynantic: the partition key member is not listed in BOOST_DESCRIBE_STRUCT");
        return {name, member, {}, {}};
    }
};

/** Starts a schema: `table("users").partition_key(&User::id)`. */
constexpr TableName table(std::string_view name) { return TableName{name}; }

/** The schema of `Model`. Specialize to declare it outside the model's namespace; the primary
    template calls `dynantic_schema(const Model*)` found by argument-dependent lookup. */
template <class Model>
struct schema {
    /** The `TableSchema` value. */
    static constexpr auto value = dynantic_schema(static_cast<const Model*>(nullptr));
};

template <class Model>
concept model = detail::described_struct<Model> && requires { schema<Model>::value; };

}  // namespace dynantic
