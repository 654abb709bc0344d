// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The read builders of `Table<Model>`: `query`, `query_index<Name>`, `scan`, `scan_index<Name>`
    (TableReads, a base of Table), each reading the model or a view of it (view.hpp), and the names each read targets (the table or a declared
    secondary index, its key attributes and their wire types). Builders: query.hpp. */

#include <dynantic/client.hpp>
#include <dynantic/detail/client_ref.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/projection.hpp>
#include <dynantic/operations/read_page.hpp>
#include <dynantic/request.hpp>
#include <dynantic/detail/read_target.hpp>
#include <dynantic/detail/table_admin.hpp>
#include <dynantic/query.hpp>
#include <dynantic/read_result.hpp>
#include <dynantic/schema.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

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

/** What a read of index `I` returns by default on `Model`'s table: the index's declared default
    view, else `Model` (for a subtype's table, the subtype, not the base that declares the index). */
template <class Model, class I>
using index_view_t = std::conditional_t<std::is_void_v<typename I::declared_view>, Model, typename I::declared_view>;

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
    using value_type = typename detail::Entity<Model>::value_type;   ///< what reads of the model yield

    /** A Query of one partition of the table (see query.hpp), read as the model or as `View`,
        a view of it (view.hpp: `query<UserSummary>("u1")` sends the view's ProjectionExpression).
        @throws ValidationError for an empty or oversize key value. */
    template <class View = Model>
    Query<Model, PartitionKey, typename Schema::sort_key_type, IndexKind::table, View> query(const PartitionKey& pk) const {
        return {ref(), detail::table_read_target<Model>(), pk};
    }

    /** A Query of one partition of the secondary index `Name` declared in the schema; sort-key
        conditions take the index's sort key type. An undeclared name does not compile. Reads
        `View`: by default the index's default view (index_projection.hpp), else the model; a
        type that needs attributes a KEYS_ONLY or INCLUDE index does not hold does not compile,
        naming the index's default view. */
    template <fixed_string Name, class View = detail::index_view_t<Model, index_t<Name>>>
    Query<Model, typename index_t<Name>::partition_key_type, typename index_t<Name>::sort_key_type,
          detail::index_kind<Model, Name>, View>
    query_index(const typename index_t<Name>::partition_key_type& pk) const {
        static_assert(detail::check_index_read<Model, View, detail::index_lookup<Model, Name>::position>());
        return {ref(), detail::index_read_target<Model, Name>(), pk};
    }

    /** A Scan of the whole table, read as the model or as `View`, a view of it. */
    template <class View = Model>
    Scan<Model, IndexKind::table, View> scan() const { return {ref(), detail::table_read_target<Model>()}; }

    /** A Scan of the secondary index `Name`, read as `View` (as `query_index`). */
    template <fixed_string Name, class View = detail::index_view_t<Model, index_t<Name>>>
    Scan<Model, detail::index_kind<Model, Name>, View> scan_index() const {
        static_assert(detail::check_index_read<Model, View, detail::index_lookup<Model, Name>::position>());
        return {ref(), detail::index_read_target<Model, Name>()};
    }

    /** Runs a query built elsewhere (`dynantic::query<Model>(pk)`, or another table's) on this
        table: `read.bind(*this).all()`. @throws as `all()`. */
    template <class P, class S, IndexKind K, class V>
    std::vector<typename Query<Model, P, S, K, V>::value_type> execute(const Query<Model, P, S, K, V>& read) const {
        return read.bind(self()).all();
    }
    /** Runs a scan built elsewhere on this table: `read.bind(*this).all()`. @throws as `all()`. */
    template <IndexKind K, class V>
    std::vector<typename Scan<Model, K, V>::value_type> execute(const Scan<Model, K, V>& read) const {
        return read.bind(self()).all();
    }

    /** Sends one Query page request (`q.operation(start_key)`) to this table and decodes the page.
        @throws as `op::ReadPage::decode`; the client's errors. */
    template <class V>
    op::Page<typename op::ReadPage<Model, V>::value_type> execute(const op::QueryPage<Model, V>& page) const {
        return run_page(page);
    }
    /** Sends one Scan page request to this table and decodes the page. @throws as above. */
    template <class V>
    op::Page<typename op::ReadPage<Model, V>::value_type> execute(const op::ScanPage<Model, V>& page) const {
        return run_page(page);
    }

private:
    const Derived& self() const { return static_cast<const Derived&>(*this); }
    detail::ClientRef ref() const { return {self().bound_client(), schema<Model>::value.name}; }

    template <class V>
    op::Page<typename op::ReadPage<Model, V>::value_type> run_page(const op::ReadPage<Model, V>& page) const {
        const Client client = self().client();
        const std::string table = client.table_name(schema<Model>::value.name);
        const OperationRequest request = page.render(table);
        return page.decode(client.call(request.operation, request.body), table);
    }
};

///@{
/** A Query or Scan of `Model`'s table (or its index `Name`) built without a table or client:
    a value to keep, copy and run later with `table.execute(q)`, `q.bind(table)` or
    `q.operation()` (the page request). Run directly (`all()`, iteration, ...) it uses
    `current_client()`, as `Table<Model>{}.query(pk)` does.
    @throws ValidationError for an empty or oversize key value. */
template <class Model, class View = Model>
auto query(const typename std::remove_cvref_t<decltype(schema<Model>::value)>::partition_key_type& pk) {
    using S = std::remove_cvref_t<decltype(schema<Model>::value)>;
    return Query<Model, typename S::partition_key_type, typename S::sort_key_type, IndexKind::table, View>(
        detail::ClientRef{std::nullopt, schema<Model>::value.name, true}, detail::table_read_target<Model>(), pk);
}
template <class Model, fixed_string Name, class View = detail::index_view_t<Model, typename detail::index_lookup<Model, Name>::type>>
auto query_index(const typename detail::index_lookup<Model, Name>::type::partition_key_type& pk) {
    using I = typename detail::index_lookup<Model, Name>::type;
    static_assert(detail::check_index_read<Model, View, detail::index_lookup<Model, Name>::position>());
    return Query<Model, typename I::partition_key_type, typename I::sort_key_type, detail::index_kind<Model, Name>, View>(
        detail::ClientRef{std::nullopt, schema<Model>::value.name, true}, detail::index_read_target<Model, Name>(), pk);
}
template <class Model, class View = Model>
Scan<Model, IndexKind::table, View> scan() {
    return {detail::ClientRef{std::nullopt, schema<Model>::value.name, true}, detail::table_read_target<Model>()};
}
template <class Model, fixed_string Name, class View = detail::index_view_t<Model, typename detail::index_lookup<Model, Name>::type>>
Scan<Model, detail::index_kind<Model, Name>, View> scan_index() {
    static_assert(detail::check_index_read<Model, View, detail::index_lookup<Model, Name>::position>());
    return {detail::ClientRef{std::nullopt, schema<Model>::value.name, true}, detail::index_read_target<Model, Name>()};
}
///@}

}  // namespace dynantic
