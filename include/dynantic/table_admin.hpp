// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Table administration of a model's table, the part of `Table<Model>` (table.hpp) that manages
    the table rather than items: CreateTable from the schema (keys, indexes, billing, stream,
    TTL), DescribeTable, verification against the schema, DeleteTable. The untyped work is in
    detail/table_admin.hpp and src/table.cpp. */

#include <dynantic/client.hpp>
#include <dynantic/codec/traits.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/table_admin.hpp>
#include <dynantic/options.hpp>
#include <dynantic/request.hpp>
#include <dynantic/schema.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <type_traits>
#include <vector>

namespace dynantic {

/** The table-management members of `Table<Model>` (CRTP: `Derived` provides `client()` and
    `name()`). */
template <class Derived, class Model>
class TableAdministration {
    static constexpr auto schema_ = schema<Model>::value;
    using Schema = std::remove_cvref_t<decltype(schema_)>;

public:
    /** CreateTable request from the schema: key schema, attribute definitions, on-demand
        billing (PAY_PER_REQUEST). */
    OperationRequest create_table_request() const {
        std::vector<detail::IndexDefinition> indexes;
        schema_.for_each_index([&](const auto& index) {
            using I = std::remove_cvref_t<decltype(index)>;
            AttributeType sk_type = AttributeType::S;
            if constexpr (I::has_sort_key) sk_type = detail::wire_type_of<typename I::sort_key_type>();
            indexes.push_back({index.name, index.global, index.partition_key_name(),
                               detail::wire_type_of<typename I::partition_key_type>(), index.sort_key_name(), sk_type,
                               index.projection, index.non_key_attributes()});
        });
        return {Operation::CreateTable,
                detail::create_table_body(self().name(), schema_.partition_key_name(), detail::wire_type_of<typename Schema::partition_key_type>(),
                                          schema_.sort_key_name(), sort_key_wire_type(), indexes)};
    }

    /** Creates the table from the schema (CreateTable): keys, secondary indexes and their
        projections, on-demand or provisioned billing, stream; by default waits until the table
        and its indexes are ACTIVE and enables TTL when the schema declares a TTL attribute.
        @throws Error (errc::resource_in_use) if it exists; Error (errc::timeout) if it does not
                become ACTIVE within `options.timeout`.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html */
    void create_table(CreateTableOptions options = {}) const {
        const Client c = self().client();
        boost::json::object body = create_table_request().body;
        detail::apply_create_options(body, options);
        c.call(Operation::CreateTable, body);
        if (options.wait || (detail::Entity<Model>::has_ttl && options.enable_ttl)) detail::wait_for_table(c, self().name(), true, options.timeout, &options.progress);
        if constexpr (detail::Entity<Model>::has_ttl)
            if (options.enable_ttl) detail::enable_ttl(c, self().name(), detail::Entity<Model>::ttl_name());
    }

    /** Enables TTL on the schema's TTL attribute (UpdateTimeToLive).
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html */
    void enable_ttl() const
        requires detail::Entity<Model>::has_ttl
    {
        detail::enable_ttl(self().client(), self().name(), detail::Entity<Model>::ttl_name());
    }
    /** The table's TTL setting (DescribeTimeToLive). */
    TimeToLive describe_ttl() const { return detail::describe_ttl(self().client(), self().name()); }

    /** DescribeTable's "Table" object.
        @throws TableNotFoundError if the table does not exist. */
    boost::json::object describe_table() const { return detail::describe_table(self().client(), self().name()); }

    /** Compares the table DynamoDB describes with the model's schema: key schema, key
        attribute types, secondary indexes and their projections, the TTL attribute. Returns
        one line per difference; empty when they agree.
        @throws TableNotFoundError if the table does not exist. */
    std::vector<std::string> verify_table() const {
        const Client c = self().client();
        return detail::table_drift(create_table_request().body, detail::describe_table(c, self().name()), detail::Entity<Model>::ttl_name(),
                                   detail::describe_ttl(c, self().name()));
    }

    /** Deletes the table (DeleteTable) and waits until it is gone.
        @throws TableNotFoundError if it does not exist. */
    void delete_table(std::chrono::seconds timeout = std::chrono::seconds{300}) const {
        const Client c = self().client();
        boost::json::object body;
        body["TableName"] = self().name();
        c.call(Operation::DeleteTable, body);
        detail::wait_for_table(c, self().name(), false, timeout);
    }

    /** True if the table exists (DescribeTable). */
    bool table_exists() const { return detail::table_exists(self().client(), self().name()); }


private:
    const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
    static constexpr AttributeType sort_key_wire_type() {
        if constexpr (Schema::has_sort_key) return detail::wire_type_of<typename Schema::sort_key_type>();
        else return AttributeType::NUL;
    }
};

}  // namespace dynantic
