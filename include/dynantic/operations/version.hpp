// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The one place of optimistic locking: a model's version attribute, its condition, the value a
    write stores and the bump after a write (`detail::Versioning<Model>`). Used by the put,
    delete and update operation values, and through them by `Table`, batches and transactions. */

#include <dynantic/codec/item.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/expressions/path.hpp>
#include <dynantic/expressions/update.hpp>
#include <dynantic/operations/combine.hpp>
#include <dynantic/schema.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace dynantic::detail {

template <class Model>
struct Versioning {
    static constexpr auto schema_ = schema<Model>::value;
    /** True when the schema declares a version attribute. */
    static constexpr bool enabled = std::remove_cvref_t<decltype(schema_)>::template has<VersionDecl>;

    /** The version attribute's name; empty without one. */
    static constexpr std::string_view name() {
        if constexpr (enabled) return member_name(schema_.template get<VersionDecl>().member);
        else return {};
    }
    /** The item's version as a number; 0 when absent (or without a version attribute). */
    static std::int64_t current(const Model& item) {
        if constexpr (enabled) {
            const auto& v = item.*(schema_.template get<VersionDecl>().member);
            if constexpr (requires { v.has_value(); }) return v ? static_cast<std::int64_t>(*v) : 0;
            else return static_cast<std::int64_t>(v);
        } else {
            return 0;
        }
    }
    /** Sets the item's version to current + 1 (after a write that stored it). */
    static void bump(Model& item) {
        if constexpr (enabled) {
            auto& v = item.*(schema_.template get<VersionDecl>().member);
            using V = std::remove_cvref_t<decltype(v)>;
            const std::int64_t next = current(item) + 1;
            if constexpr (requires { v.has_value(); }) v = static_cast<typename V::value_type>(next);
            else v = static_cast<V>(next);
        }
    }
    /** `attribute_not_exists(version)` for a new item (version 0), else `version = :current`. */
    static Condition condition(std::int64_t current_version) {
        Attr v = attr_name(std::string(name()));
        return current_version == 0 ? v.not_exists() : (v == current_version);
    }
    /** ANDs the version condition of `item` into `slot` (when versioned and `check`). */
    static void add_condition(std::optional<Condition>& slot, const Model& item, bool check) {
        if constexpr (enabled)
            if (check) and_into(slot, condition(current(item)));
    }
    /** Stores version + 1 in an encoded item (a PutItem's `Item`), in the item's storage. */
    static void store_next(boost::json::object& encoded, const Model& item) {
        if constexpr (enabled) {
            boost::json::value next(encoded.storage());
            to_attribute(current(item) + 1, next);
            encoded[name()] = std::move(next);
        }
    }
    /** The version's SET of an UpdateItem: `version = :current + 1` for an item, else
        `version = if_not_exists(version, 0) + 1` (a key-only update increments unchecked). */
    static void add_update(UpdateExpression& expression, const Model* item) {
        if constexpr (enabled) {
            const auto vpath = Path(std::string(name()));
            if (item != nullptr) {
                boost::json::value next;
                to_attribute(current(*item) + 1, next);
                expression.set(vpath, set_value(std::move(next)));
            } else {
                boost::json::value zero, one;
                to_attribute(0, zero);
                to_attribute(1, one);
                expression.set(vpath, set_call(SetOperand::Kind::plus,
                                               set_call(SetOperand::Kind::if_not_exists, set_path(vpath), set_value(zero)),
                                               set_value(one)));
            }
        }
    }
};

}  // namespace dynantic::detail
