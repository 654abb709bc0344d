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
    function `dynantic_schema(const T*)` found by argument-dependent lookup in T's namespace. */

#include <dynantic/codec/item.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <string_view>
#include <tuple>
#include <type_traits>

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

template <class T, template <class...> class D>
struct is_instance_of : std::false_type {};
template <template <class...> class D, class... A>
struct is_instance_of<D<A...>, D> : std::true_type {};

}  // namespace detail

/** A table's schema. Built by `table(name).partition_key(...)[.sort_key(...)]` followed by
    further declarations (each returns a new schema type); the types make a second partition
    key, a key of another model, or a key of a non-scalar type compile errors.
    `Decls` are the further declarations (indexes, version attribute, ...), kept in `decls`. */
template <class Model, class PartitionKey, class SortKey = detail::no_sort_key, class... Decls>
struct TableSchema {
    using model_type = Model;
    using partition_key_type = PartitionKey;
    using sort_key_type = SortKey;
    static constexpr bool has_sort_key = !std::is_same_v<SortKey, detail::no_sort_key>;

    std::string_view name;                         ///< table name, before any client prefix
    PartitionKey Model::*partition_key_member{};
    std::conditional_t<has_sort_key, SortKey Model::*, detail::no_sort_key> sort_key_member{};
    std::tuple<Decls...> decls{};

    /** Attribute names of the keys (the described member names, or their renames). */
    constexpr std::string_view partition_key_name() const { return detail::member_name(partition_key_member); }
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
};

/** The first step of a schema: a table name awaiting its partition key. */
struct TableName {
    std::string_view name;

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
    static constexpr auto value = dynantic_schema(static_cast<const Model*>(nullptr));
};

template <class Model>
concept model = detail::described_struct<Model> && requires { schema<Model>::value; };

}  // namespace dynantic
