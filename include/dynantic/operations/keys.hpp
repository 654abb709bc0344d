// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The one place a model's key is encoded, validated and decoded: `detail::ModelKey<Model>`.
    Every operation value (put, delete, update, condition check, get), the batches and the
    transactions use it; so do `Table::key` and `Table::key_of`. */

#include <dynantic/codec/item.hpp>
#include <dynantic/detail/pager.hpp>
#include <dynantic/error.hpp>
#include <dynantic/schema.hpp>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace dynantic::detail {

/** Attribute names of a table's key. */
struct KeyNames {
    std::string_view partition;
    std::string_view sort;  ///< empty without a sort key
};

/** The canonical text of the key of an item or key object: the key attributes serialized in
    (partition, sort) order. Empty if a key attribute is missing (src/batch.cpp). */
std::string key_text(const boost::json::object& item, KeyNames names);

/** A std::pair or std::tuple of two: a (partition key, sort key) value. */
template <class T>
concept pair_like = requires(const T& t) {
    typename std::tuple_size<T>::type;
    requires std::tuple_size<T>::value == 2;
    std::get<0>(t);
    std::get<1>(t);
};

/** Encoding, validation and decoding of `Model`'s key (the schema's partition and sort key). */
template <class Model>
struct ModelKey {
    static constexpr auto schema_ = schema<Model>::value;
    using Schema = std::remove_cvref_t<decltype(schema_)>;
    using partition_key_type = typename Schema::partition_key_type;
    using sort_key_type = typename Schema::sort_key_type;
    static constexpr bool has_sort_key = Schema::has_sort_key;
    /** One key as a value: the partition key, or `std::pair{partition, sort}`. */
    using key_type = std::conditional_t<has_sort_key, std::pair<partition_key_type, sort_key_type>, partition_key_type>;

    /** The key attribute names. */
    static constexpr KeyNames names() { return {schema_.partition_key_name(), schema_.sort_key_name()}; }

    /** `{"pk": {...}}` of a partition key value, in `storage`.
        @throws ValidationError (in `ctx`) for an empty or oversize key value. */
    static boost::json::object encode(const ErrorInfo& ctx, const partition_key_type& pk,
                                      boost::json::storage_ptr storage = {}) {
        boost::json::object key(std::move(storage));
        encode_value(pk, schema_.partition_key_name(), key, ctx, KeyRole::partition);
        return key;
    }
    /** `{"pk": {...}, "sk": {...}}`, in `storage`. */
    static boost::json::object encode(const ErrorInfo& ctx, const partition_key_type& pk, const sort_key_type& sk,
                                      boost::json::storage_ptr storage = {})
        requires has_sort_key
    {
        boost::json::object key(std::move(storage));
        encode_value(pk, schema_.partition_key_name(), key, ctx, KeyRole::partition);
        encode_value(sk, schema_.sort_key_name(), key, ctx, KeyRole::sort);
        return key;
    }
    /** The key object of a key value: a partition key, or a pair/tuple (pk, sk); in `storage`. */
    template <class K>
    static boost::json::object encode_any(const ErrorInfo& ctx, const K& key, boost::json::storage_ptr storage = {}) {
        if constexpr (!has_sort_key) {
            static_assert(std::is_convertible_v<const K&, partition_key_type>,
                          "dynantic: a key of this table is a partition key value");
            return encode(ctx, key, std::move(storage));
        } else {
            static_assert(pair_like<K>,
                          "dynantic: a key of a table with a sort key is a std::pair or std::tuple (pk, sk)");
            return encode(ctx, std::get<0>(key), std::get<1>(key), std::move(storage));
        }
    }
    /** The key object of an item. */
    static boost::json::object of_item(const ErrorInfo& ctx, const Model& item) {
        if constexpr (has_sort_key)
            return encode(ctx, item.*schema_.partition_key_member, item.*schema_.sort_key_member);
        else
            return encode(ctx, item.*schema_.partition_key_member);
    }
    /** The key value of an item. */
    static key_type value_of(const Model& item) {
        if constexpr (has_sort_key) return {item.*schema_.partition_key_member, item.*schema_.sort_key_member};
        else return item.*schema_.partition_key_member;
    }

    /** Checks the key attributes of an encoded item: present, S/N/B, not empty, within limits.
        @throws ValidationError naming the attribute. */
    static void check_item(const boost::json::object& item, const ErrorInfo& ctx) {
        const KeyRole roles[] = {KeyRole::partition, KeyRole::sort};
        const std::string_view key_names[] = {schema_.partition_key_name(), schema_.sort_key_name()};
        for (int r = 0; r < 2; ++r) {
            const std::string_view k = key_names[r];
            if (k.empty()) continue;
            const auto* av = item.if_contains(k);
            if (av == nullptr) {
                ErrorInfo info = ctx;
                info.message = "key attribute '" + std::string(k) + "' is missing";
                throw ValidationError(std::move(info));
            }
            check_key_value(*av, k, ctx, roles[r]);
        }
    }

    /** The value of a key attribute object, decoded to `key_type`.
        @throws DecodeError naming the attribute. */
    static key_type decode(const boost::json::object& key, const ErrorInfo& ctx) {
        constexpr KeyNames n = names();
        try {
            auto part = [&](std::string_view name, auto tag) {
                using V = typename decltype(tag)::type;
                const auto* av = key.if_contains(name);
                if (av == nullptr) throw_attribute_error("key attribute '" + std::string(name) + "' is missing");
                try {
                    return dynantic::from_attribute<V>(*av);
                } catch (AttributeError& e) {
                    prepend_path(e, name);
                    throw;
                }
            };
            if constexpr (has_sort_key)
                return {part(n.partition, std::type_identity<partition_key_type>{}),
                        part(n.sort, std::type_identity<sort_key_type>{})};
            else
                return part(n.partition, std::type_identity<partition_key_type>{});
        } catch (const AttributeError& e) {
            throw_item_error(e, ctx);
        }
    }

private:
    template <class V>
    static void encode_value(const V& value, std::string_view attribute, boost::json::object& key, const ErrorInfo& ctx,
                             KeyRole role) {
        auto& av = key[attribute];
        try {
            to_attribute(value, av);
        } catch (AttributeError& e) {
            prepend_path(e, attribute);
            throw_item_error(e, ctx);
        }
        check_key_value(av, attribute, ctx, role);
    }
};

}  // namespace dynantic::detail
