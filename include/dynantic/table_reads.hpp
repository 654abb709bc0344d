// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The read builders of `Table<Model>`: `query`, `query_index<Name>`, `scan`, `scan_index<Name>`
    (TableReads, a base of Table), and the names each read targets (the table or a declared
    secondary index, its key attributes and their wire types). Builders: query.hpp. */

#include <dynantic/client.hpp>
#include <dynantic/detail/client_ref.hpp>
#include <dynantic/detail/read_target.hpp>
#include <dynantic/detail/table_admin.hpp>
#include <dynantic/query.hpp>
#include <dynantic/read_result.hpp>
#include <dynantic/schema.hpp>

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>

namespace dynantic {

namespace detail {

/** The declaration of the secondary index `Name` of `Model`'s schema; an undeclared name does
    not compile. */
template <class Model, fixed_string Name>
struct index_lookup {
    static constexpr const auto& schema_ = schema<Model>::value;
    static constexpr std::size_t position = index_position<Name>(schema_);
    static_assert(position != static_cast<std::size_t>(-1),
                  "dynantic: no index with this name is declared in the model's schema");
    using type = std::remove_cvref_t<decltype(std::get<position>(schema_.decls))>;
    static constexpr const type& value = std::get<position>(schema_.decls);
};

/** The wire type of a key's C++ type; NUL for `no_sort_key`. */
template <class Key>
constexpr AttributeType key_wire_type() {
    if constexpr (std::is_same_v<Key, no_sort_key>) return AttributeType::NUL;
    else return wire_type_of<Key>();
}

/** What a read of `Model`'s table targets. */
template <class Model>
constexpr ReadTarget table_read_target() {
    constexpr const auto& s = schema<Model>::value;
    using S = std::remove_cvref_t<decltype(s)>;
    return {{}, IndexKind::table, s.partition_key_name(), s.sort_key_name(), s.partition_key_name(), s.sort_key_name(),
            wire_type_of<typename S::partition_key_type>(), key_wire_type<typename S::sort_key_type>(),
            wire_type_of<typename S::partition_key_type>(), key_wire_type<typename S::sort_key_type>()};
}

/** What a read of the secondary index `Name` of `Model`'s table targets. */
template <class Model, fixed_string Name>
constexpr ReadTarget index_read_target() {
    constexpr const auto& s = schema<Model>::value;
    using S = std::remove_cvref_t<decltype(s)>;
    using L = index_lookup<Model, Name>;
    constexpr const auto& index = L::value;
    using I = typename L::type;
    return {index.name, index.global ? IndexKind::global : IndexKind::local, index.partition_key_name(),
            index.sort_key_name(), s.partition_key_name(), s.sort_key_name(),
            wire_type_of<typename I::partition_key_type>(), key_wire_type<typename I::sort_key_type>(),
            wire_type_of<typename S::partition_key_type>(), key_wire_type<typename S::sort_key_type>()};
}

/** The kind of the index `Name`: global or local. */
template <class Model, fixed_string Name>
inline constexpr IndexKind index_kind = index_lookup<Model, Name>::value.global ? IndexKind::global : IndexKind::local;

}  // namespace detail

/** The read builders of `Table<Model>` (CRTP: `Derived` provides `bound_client()`). */
template <class Derived, class Model>
class TableReads {
    using Schema = std::remove_cvref_t<decltype(schema<Model>::value)>;
    using PartitionKey = typename Schema::partition_key_type;
    template <fixed_string Name>
    using index_t = typename detail::index_lookup<Model, Name>::type;

public:
    /** A Query of one partition of the table (see query.hpp).
        @throws ValidationError for an empty or oversize key value. */
    Query<Model, PartitionKey, typename Schema::sort_key_type, IndexKind::table> query(const PartitionKey& pk) const {
        return {ref(), detail::table_read_target<Model>(), pk};
    }

    /** A Query of one partition of the secondary index `Name` declared in the schema; sort-key
        conditions take the index's sort key type. An undeclared name does not compile. */
    template <fixed_string Name>
    Query<Model, typename index_t<Name>::partition_key_type, typename index_t<Name>::sort_key_type,
          detail::index_kind<Model, Name>>
    query_index(const typename index_t<Name>::partition_key_type& pk) const {
        return {ref(), detail::index_read_target<Model, Name>(), pk};
    }

    /** A Scan of the whole table. */
    Scan<Model, IndexKind::table> scan() const { return {ref(), detail::table_read_target<Model>()}; }

    /** A Scan of the secondary index `Name`. */
    template <fixed_string Name>
    Scan<Model, detail::index_kind<Model, Name>> scan_index() const {
        return {ref(), detail::index_read_target<Model, Name>()};
    }

private:
    detail::ClientRef ref() const { return {static_cast<const Derived&>(*this).bound_client(), schema<Model>::value.name}; }
};

}  // namespace dynantic
