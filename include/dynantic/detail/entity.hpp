// SPDX-License-Identifier: BSL-1.0
#pragma once
// How a model's items are written and read beyond the plain codec: the discriminator of a
// single-table design (subtypes), the TTL attribute stored as epoch seconds, generated UUID keys,
// the attributes every read requires (keys, discriminator, members marked `required`).
// Every write path encodes through `Entity<Model>::encode` and every read path decodes through
// `Entity<Model>::decode`, so these rules hold for save, batch, transactions, get and queries.

#include <dynantic/codec/item.hpp>
#include <dynantic/schema.hpp>

#include <boost/json/object.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace dynantic::detail {

template <class Schema>
struct schema_decls;
template <class M, class PK, class SK, class... Decls>
struct schema_decls<TableSchema<M, PK, SK, Decls...>> {
    using type = boost::mp11::mp_list<Decls...>;
};

template <class D>
struct subtype_of_decl {
    using type = void;
};
template <class Sub>
struct subtype_of_decl<SubtypeDecl<Sub>> {
    using type = Sub;
};
template <class D>
using is_subtype_decl = is_instance_of<D, SubtypeDecl>;

/** The registered subtypes of a schema, in declaration order. */
template <class Schema>
using subtypes_t = boost::mp11::mp_transform_q<boost::mp11::mp_quote_trait<subtype_of_decl>,
                                               boost::mp11::mp_filter<is_subtype_decl, typename schema_decls<Schema>::type>>;

/** Generates a random (version 4) UUID into `id` (src/entity.cpp). */
template <class T>
void generate_uuid(T& id);
void generate_uuid_bytes(unsigned char (&bytes)[16]);

/** @throws DecodeError "attribute 'name': required attribute is missing" when `item` lacks `name`. */
void require_attribute(const boost::json::object& item, std::string_view name, const ErrorInfo& context);

[[noreturn]] void throw_discriminator_error(const ErrorInfo& context, std::string_view attribute, std::string_view found,
                                            std::string_view expected);

template <class Model, class View>
struct ReadAs;   // detail/projection.hpp: reads into a view, with the TTL rule of this file

template <class Model>
struct Entity {
    template <class, class>
    friend struct ReadAs;
    static constexpr auto schema_ = schema<Model>::value;
    using Schema = std::remove_cvref_t<decltype(schema_)>;
    using Base = typename Schema::model_type;
    using Subtypes = subtypes_t<Schema>;

    static constexpr bool discriminated = Schema::template has<DiscriminatorDecl>;
    static constexpr bool is_base = std::is_same_v<Model, Base>;
    static constexpr bool is_subtype = !is_base && boost::mp11::mp_contains<Subtypes, Model>::value;
    static constexpr bool polymorphic = is_base && discriminated && boost::mp11::mp_size<Subtypes>::value > 0;
    static constexpr bool has_ttl = Schema::template has<TtlDecl>;
    static constexpr bool has_auto_uuid = Schema::template has<AutoUuidDecl>;

    static_assert(is_base || is_subtype,
                  "dynantic: the schema found for this model belongs to another model; a derived model must be "
                  "registered with subtype<Derived>(\"VALUE\") in its base's schema");

    /** What reads return: the model, or for a polymorphic base a variant of it and its subtypes. */
    using value_type = std::conditional_t<polymorphic, boost::mp11::mp_rename<boost::mp11::mp_push_front<Subtypes, Model>, std::variant>,
                                          Model>;

    static constexpr std::string_view discriminator_name() {
        if constexpr (discriminated) return member_name(schema_.template get<DiscriminatorDecl>().member);
        else return {};
    }

    /** This model's own discriminator value (empty for an abstract base). */
    static constexpr std::string_view discriminator_value() {
        if constexpr (!discriminated) {
            return {};
        } else if constexpr (is_base) {
            return schema_.template get<DiscriminatorDecl>().base_value;
        } else {
            std::string_view out;
            std::apply([&](const auto&... d) {
                ((void)[&] {
                    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(d)>, SubtypeDecl<Model>>) out = d.value;
                }(), ...);
            }, schema_.decls);
            return out;
        }
    }

    template <class Sub>
    static constexpr std::string_view value_of() {
        return Entity<Sub>::discriminator_value();
    }

    static constexpr std::string_view ttl_name() {
        if constexpr (has_ttl) return member_name(schema_.template get<TtlDecl>().member);
        else return {};
    }

    /** Fills every nil auto-UUID key (the partition key, the sort key, or both). */
    static void prepare(Model& item) {
        if constexpr (has_auto_uuid) {
            std::apply([&](const auto&... d) { (fill_uuid(item, d), ...); }, schema_.decls);
        }
    }

    /** The item to store: the codec's item, plus the discriminator and the TTL as epoch seconds.
        @throws ValidationError naming the attribute for a value DynamoDB cannot store. */
    static boost::json::object encode(const Model& item, const ErrorInfo& context, boost::json::storage_ptr storage = {}) {
        boost::json::object out = to_item(item, context, std::move(storage));
        if constexpr (discriminated) {
            constexpr std::string_view value = discriminator_value();
            if constexpr (!value.empty()) out[discriminator_name()] = boost::json::object{{"S", value}};
        }
        if constexpr (has_ttl) {
            using T = std::remove_cvref_t<decltype(item.*(schema_.template get<TtlDecl>().member))>;
            if constexpr (is_time_point<T>::value) {
                const auto& v = item.*(schema_.template get<TtlDecl>().member);
                if constexpr (requires { v.has_value(); }) {
                    if (v) out[ttl_name()] = epoch_seconds(*v);
                } else {
                    out[ttl_name()] = epoch_seconds(v);
                }
            }
        }
        return out;
    }

    /** The model (or variant) an item decodes to.
        @throws DecodeError naming the attribute; for a discriminator that names no registered
                type, naming the value found and the values known. */
    static value_type decode(const boost::json::object& item, const ErrorInfo& context) {
        check_required(item, context);
        if constexpr (is_time_point<ttl_member_t>::value) {
            const auto* ttl = item.if_contains(ttl_name());
            if (ttl != nullptr && ttl->is_object() && ttl->get_object().contains("N")) {
                boost::json::object copy = item;
                copy[ttl_name()] = ttl_as_time(*ttl, context);
                return decode_typed(copy, context);
            }
        }
        return decode_typed(item, context);
    }

    /** Every attribute `decode` reads: the members of the model (and of its subtypes), the keys,
        the discriminator and the TTL attribute. A page decoded from its text builds only these. */
    static std::span<const std::string_view> read_names() {
        static const std::vector<std::string_view> names = [] {
            std::vector<std::string_view> out;
            const auto add = [&](std::string_view n) {
                if (!n.empty() && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
            };
            add(schema_.partition_key_name());
            if constexpr (Schema::has_sort_key) add(schema_.sort_key_name());
            add(discriminator_name());
            add(ttl_name());
            add_members<Model>(add);
            if constexpr (polymorphic)
                boost::mp11::mp_for_each<boost::mp11::mp_transform<std::type_identity, Subtypes>>(
                    [&](auto sub) { add_members<typename decltype(sub)::type>(add); });
            std::apply([&](const auto&... d) { (required_of(d, add), ...); }, schema_.decls);
            return out;
        }();
        return names;
    }

    /** Calls `f(name)` for each attribute `decode` requires, in the order it checks them: the
        keys, the discriminator (not for the polymorphic paths, which check it themselves) and
        the members the schema marks required. */
    template <class F>
    static void for_each_required(const F& f) {
        f(schema_.partition_key_name());
        if constexpr (Schema::has_sort_key) f(schema_.sort_key_name());
        if constexpr (discriminated && !polymorphic && !is_subtype) f(discriminator_name());
        std::apply([&](const auto&... d) { (required_of(d, f), ...); }, schema_.decls);
    }

    /** True when `decode` is `from_item<Model>` after the required attributes are checked (no
        subtypes to choose between, no TTL kept as a time): pages of such a model can be decoded
        from their text (detail/typed_reader.hpp). */
    static constexpr bool plain_reads() { return !polymorphic && !is_subtype && !is_time_point<ttl_member_t>::value; }

    /** As `decode`, for reads by key (get, batch_get, transact_get): a table of one subtype sees
        only that subtype, so an item whose discriminator names another entity type (a sibling
        subtype, or the base) is `std::nullopt`, as its queries and scans filter such items out.
        @throws DecodeError as `decode` (a missing discriminator too). */
    static std::optional<value_type> decode_own(const boost::json::object& item, const ErrorInfo& context) {
        if constexpr (is_subtype) {
            const auto* av = item.if_contains(discriminator_name());
            const auto* s = av != nullptr && av->is_object() ? av->get_object().if_contains("S") : nullptr;
            if (s != nullptr && s->is_string() && s->get_string() != discriminator_value()) return std::nullopt;
        }
        return decode(item, context);
    }

private:
    template <class T, class Add>
    static void add_members(const Add& add) {
        boost::mp11::mp_for_each<described_members<T>>([&](auto D) { add(attribute_name<T, decltype(D)>()); });
    }
    template <class D, class F>
    static void required_of(const D& d, const F& f) {
        if constexpr (is_instance_of<D, RequiredDecl>::value)
            std::apply([&](const auto&... m) { (f(member_name(m)), ...); }, d.members);
    }

    template <class D>
    static void fill_uuid(Model& item, const D& d) {
        if constexpr (is_instance_of<D, AutoUuidDecl>::value) {
            auto& id = item.*(d.member);
            if (id.is_nil()) generate_uuid(id);
        }
    }

    /** The keys, the discriminator (the polymorphic paths check it themselves) and the members
        the schema marks required must be present. */
    static void check_required(const boost::json::object& item, const ErrorInfo& context) {
        for_each_required([&](std::string_view name) { require_attribute(item, name, context); });
    }

    template <class D> struct decl_value { using type = int; };
    template <class M, class T> struct decl_value<TtlDecl<M, T>> { using type = T; };
    static auto ttl_member_type() {
        if constexpr (has_ttl) return std::type_identity<typename decl_value<std::remove_cvref_t<decltype(schema_.template get<TtlDecl>())>>::type>{};
        else return std::type_identity<int>{};
    }
    using ttl_member_t = typename decltype(ttl_member_type())::type;

    template <class TP>
    static boost::json::value epoch_seconds(const TP& tp) {
        boost::json::value av;
        to_attribute(static_cast<std::int64_t>(std::chrono::floor<std::chrono::seconds>(tp.time_since_epoch()).count()), av);
        return av;
    }

    /** An N epoch-seconds TTL value in the form the member's time codec reads. */
    static boost::json::value ttl_as_time(const boost::json::value& av, const ErrorInfo& context) {
        std::int64_t seconds = 0;
        try {
            seconds = from_attribute<std::int64_t>(av);
        } catch (AttributeError& e) {
            prepend_path(e, ttl_name());
            throw_item_error(e, context);
        }
        using T = unwrap_time_t<ttl_member_t>;
        boost::json::value out;
        to_attribute(T(std::chrono::duration_cast<typename T::duration>(std::chrono::seconds(seconds))), out);
        return out;
    }

    template <class T> struct unwrap_time { using type = T; };
    template <class T> struct unwrap_time<std::optional<T>> { using type = T; };
    template <class T> using unwrap_time_t = typename unwrap_time<T>::type;

    static value_type decode_typed(const boost::json::object& item, const ErrorInfo& context) {
        if constexpr (polymorphic) {
            const std::string_view found = discriminator_of(item, context);
            std::optional<value_type> out;
            boost::mp11::mp_for_each<boost::mp11::mp_transform<std::type_identity, Subtypes>>([&](auto sub) {
                using Sub = typename decltype(sub)::type;
                if (!out && found == value_of<Sub>()) out.emplace(std::in_place_type<Sub>, from_item<Sub>(item, context));
            });
            if (out) return std::move(*out);
            constexpr std::string_view base_value = discriminator_value();
            if (!base_value.empty() && found == base_value) return value_type(std::in_place_type<Model>, from_item<Model>(item, context));
            throw_discriminator_error(context, discriminator_name(), found, known_values());
        } else if constexpr (is_subtype) {
            const std::string_view found = discriminator_of(item, context);
            if (found != discriminator_value()) throw_discriminator_error(context, discriminator_name(), found, discriminator_value());
            return from_item<Model>(item, context);
        } else {
            return from_item<Model>(item, context);
        }
    }

    static std::string_view discriminator_of(const boost::json::object& item, const ErrorInfo& context) {
        const auto* av = item.if_contains(discriminator_name());
        if (av != nullptr && av->is_object()) {
            if (const auto* s = av->get_object().if_contains("S"); s != nullptr && s->is_string()) return s->get_string();
        }
        throw_discriminator_error(context, discriminator_name(), {}, known_values());
    }

    static std::string known_values() {
        std::string out;
        auto add = [&](std::string_view v) {
            if (v.empty()) return;
            if (!out.empty()) out += ", ";
            out += v;
        };
        add(discriminator_value());
        boost::mp11::mp_for_each<boost::mp11::mp_transform<std::type_identity, Subtypes>>(
            [&](auto sub) { add(value_of<typename decltype(sub)::type>()); });
        return out;
    }
};

template <class T>
void generate_uuid(T& id) {
    static_assert(sizeof(id.data) == 16);
    unsigned char bytes[16];
    generate_uuid_bytes(bytes);
    for (std::size_t i = 0; i < 16; ++i) id.data[i] = bytes[i];
}

}  // namespace dynantic::detail
