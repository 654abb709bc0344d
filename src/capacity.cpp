// SPDX-License-Identifier: BSL-1.0
#include <dynantic/detail/capacity.hpp>

#include <dynantic/log.hpp>

#include <string>

namespace dynantic {

TableCapacity& TableCapacity::operator+=(const TableCapacity& other) {
    CapacityUnits::operator+=(other);
    table += other.table;
    for (const auto& [name, units] : other.global_secondary_indexes) global_secondary_indexes[name] += units;
    for (const auto& [name, units] : other.local_secondary_indexes) local_secondary_indexes[name] += units;
    return *this;
}

ConsumedCapacity& ConsumedCapacity::operator+=(const ConsumedCapacity& other) {
    CapacityUnits::operator+=(other);
    for (const auto& [name, units] : other.tables) tables[name] += units;
    return *this;
}

}  // namespace dynantic

namespace dynantic::detail {
namespace {

/** A number member, or 0 when absent; false when present and not a number. */
bool read_number(const boost::json::object& o, std::string_view name, double& out) noexcept {
    const auto* v = o.if_contains(name);
    if (v == nullptr) return true;
    if (!v->is_number()) return false;
    boost::system::error_code ec;
    out = v->to_number<double>(ec);
    return !ec;
}

bool read_units(const boost::json::object& o, CapacityUnits& out) noexcept {
    return read_number(o, "CapacityUnits", out.capacity_units) &&
           read_number(o, "ReadCapacityUnits", out.read_capacity_units) &&
           read_number(o, "WriteCapacityUnits", out.write_capacity_units);
}

bool read_indexes(const boost::json::object& entry, std::string_view member,
                  std::map<std::string, CapacityUnits, std::less<>>& out) {
    const auto* v = entry.if_contains(member);
    if (v == nullptr) return true;
    if (!v->is_object()) return false;
    for (const auto& [name, units] : v->get_object()) {
        if (!units.is_object()) return false;
        CapacityUnits u;
        if (!read_units(units.get_object(), u)) return false;
        out[std::string(name)] += u;
    }
    return true;
}

/** One `ConsumedCapacity` entry added to `sum`; false (nothing added) when malformed. */
bool add_entry(const boost::json::value& value, ConsumedCapacity& sum) {
    if (!value.is_object()) return false;
    const auto& entry = value.get_object();
    TableCapacity table;
    if (!read_units(entry, table)) return false;
    if (const auto* t = entry.if_contains("Table")) {
        if (!t->is_object() || !read_units(t->get_object(), table.table)) return false;
    }
    if (!read_indexes(entry, "GlobalSecondaryIndexes", table.global_secondary_indexes) ||
        !read_indexes(entry, "LocalSecondaryIndexes", table.local_secondary_indexes))
        return false;
    std::string name;
    if (const auto* n = entry.if_contains("TableName")) {
        if (!n->is_string()) return false;
        name = n->get_string();
    }
    sum.CapacityUnits::operator+=(table);
    sum.tables[name] += table;
    return true;
}

}  // namespace

std::optional<ConsumedCapacity> read_consumed_capacity(const boost::json::object& response,
                                                       Operation operation) noexcept {
    try {
        const auto* cc = response.if_contains("ConsumedCapacity");
        if (cc == nullptr) return std::nullopt;
        ConsumedCapacity sum;
        bool ok = true;
        if (cc->is_array()) {
            for (const auto& entry : cc->get_array()) ok = add_entry(entry, sum) && ok;
        } else {
            ok = add_entry(*cc, sum);
        }
        if (!ok) log(LogLevel::warn, std::string(to_string(operation)) + ": a malformed ConsumedCapacity entry in the response was skipped");
        return sum;
    } catch (...) {   // std::bad_alloc: no report rather than a failed call
        return std::nullopt;
    }
}

}  // namespace dynantic::detail
