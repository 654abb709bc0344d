// SPDX-License-Identifier: BSL-1.0
#pragma once
// Table administration behind `Table::create_table`, `verify_table`, `delete_table`, ...:
// CreateTable bodies, waiting for a table, TTL, drift between a schema and a described table
// (src/table.cpp).

#include <dynantic/client.hpp>
#include <dynantic/codec/item.hpp>
#include <dynantic/options.hpp>
#include <dynantic/progress.hpp>
#include <dynantic/schema.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <type_traits>
#include <vector>

namespace dynantic::detail {

/** A secondary index, as CreateTable needs it. */
struct IndexDefinition {
    std::string_view name;
    bool global = true;
    std::string_view partition_key;
    AttributeType partition_key_type = AttributeType::S;
    std::string_view sort_key;  ///< empty if none
    AttributeType sort_key_type = AttributeType::S;
    Projection projection = Projection::all;
    std::vector<std::string_view> non_key_attributes{};   ///< INCLUDE: the attributes copied besides the keys
};

/** CreateTable body: keys, attribute definitions (each once), indexes, on-demand billing. */
boost::json::object create_table_body(std::string_view table, std::string_view pk, AttributeType pk_type,
                                      std::string_view sk, AttributeType sk_type,
                                      const std::vector<IndexDefinition>& indexes = {});
/** Adds billing and stream settings to a CreateTable body. */
void apply_create_options(boost::json::object& body, const CreateTableOptions& options);
/** Every difference between what CreateTable would declare (`expected`, a CreateTable body) and
    the table DynamoDB describes (`described`, DescribeTable's "Table"), plus the TTL attribute. */
std::vector<std::string> table_drift(const boost::json::object& expected, const boost::json::object& described,
                                     std::string_view expected_ttl, const TimeToLive& ttl);
/** `{"TableName": table}`: the body of DescribeTable, DeleteTable, DescribeTimeToLive. */
boost::json::object table_name_body(const std::string& table);
/** DescribeTable's `Table` of `response` (moved out), checked.
    @throws Error (errc::invalid_response) for a malformed one. */
boost::json::object described_table(boost::json::object& response, const std::string& table);
/** The status of the table a DescribeTable `response` describes ("ACTIVE", "CREATING", ...),
    "INDEX_<status>" while a global index is not ACTIVE. `parts`, when given, gets {table and
    global indexes ACTIVE, all of them}. @throws as `described_table`. */
std::string table_status_of(boost::json::object& response, const std::string& table,
                            std::pair<std::size_t, std::size_t>* parts = nullptr);
/** The delay before poll `poll` + 1 while waiting for a table: 20 ms, doubling, at most 1 s. */
std::chrono::milliseconds table_wait_delay(std::size_t poll);
/** The Error (errc::timeout) of a wait for `table` to exist (`exists`) or to be gone. */
Error table_wait_timeout(const std::string& table, bool exists, std::chrono::seconds timeout);
/** The UpdateTimeToLive body enabling TTL on `attribute`. */
boost::json::object enable_ttl_body(const std::string& table, std::string_view attribute);
/** The TTL setting of a DescribeTimeToLive response (empty fields when absent). */
TimeToLive time_to_live_of(const boost::json::object& response);
TimeToLive describe_ttl(const Client& client, const std::string& table);
void enable_ttl(const Client& client, const std::string& table, std::string_view attribute);
boost::json::object describe_table(const Client& client, const std::string& table);
void wait_for_table(const Client& client, const std::string& table, bool exists, std::chrono::seconds timeout,
                    const ProgressCallback* progress = nullptr);
bool table_exists(const Client& client, const std::string& table);
/** Runs `create` (which creates `table` and waits until it is ACTIVE) at most once per process
    for `client`'s endpoint, region and `table`, until one run returns: callers that come while
    it runs wait for it; callers after it return at once. A run that throws lets the next caller
    try again. Thread-safe. */
void create_table_once(const Client& client, const std::string& table, const std::function<void()>& create);

/** Position of the index named `name` in the schema's declarations; `npos` if none. */
template <auto Name, class Schema>
constexpr std::size_t index_position(const Schema& s) {
    std::size_t pos = static_cast<std::size_t>(-1);
    std::size_t i = 0;
    std::apply([&](const auto&... d) {
        ((void)([&] {
             if constexpr (is_instance_of<std::remove_cvref_t<decltype(d)>, IndexDecl>::value)
                 if (pos == static_cast<std::size_t>(-1) && d.name == std::string_view(Name)) pos = i;
             ++i;
         }()),
         ...);
    }, s.decls);
    return pos;
}

}  // namespace dynantic::detail
