// SPDX-License-Identifier: BSL-1.0
#pragma once
// Reading into a view (view.hpp): what a read of `Model` items as `View` yields, the
// ProjectionExpression it sends and how it decodes; and the compile-time check that an index
// holds what a view needs. `ReadAs<Model, Model>` is the plain read (Entity<Model>) and adds
// nothing to a request, so every read path takes a view type without a second code path.

#include <dynantic/codec/item.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/path.hpp>
#include <dynantic/schema.hpp>
#include <dynantic/view.hpp>

#include <boost/json/object.hpp>
#include <boost/mp11/algorithm.hpp>

#include <exception>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace dynantic::detail {

/** Names the index's default view in the compile error of `index_read_check`. */
template <class DefaultView>
struct use_view {};

/** Fails to compile when a read of an index needs attributes the index does not hold; the
    instantiation shows `use_view<TheIndexDefaultView>` (void: the index declares none). */
template <class UseView, bool Fits>
struct index_read_check {
    static_assert(Fits,
                  "dynantic: this index does not hold every attribute the type read needs (it is KEYS_ONLY or "
                  "INCLUDE): read it into a view of what it holds, e.g. the index's default view, named in use_view<...> "
                  "in this error (query_index<\"Index\", View>, scan_index<\"Index\", View>), or declare one with "
                  "keys_only<View>() / include<View>(...)");
    static constexpr bool value = Fits;
};

template <class Model, class View>
struct ReadAs {
    static_assert(check_view<Model, View>());
    static constexpr bool whole = std::is_same_v<Model, View>;
    using E = Entity<Model>;
    /** What the read yields: the model (or a polymorphic base's variant), or the view. */
    using value_type = std::conditional_t<whole, typename E::value_type, View>;

    /** @throws DecodeError naming the attribute. */
    static value_type decode(const boost::json::object& item, const ErrorInfo& context) {
        if constexpr (whole) return E::decode(item, context);
        else return decode_view(item, context, true);
    }
    /** As `decode`, for reads by key: `std::nullopt` for another entity type on a subtype's table. */
    static std::optional<value_type> decode_own(const boost::json::object& item, const ErrorInfo& context) {
        if constexpr (whole) {
            return E::decode_own(item, context);
        } else {
            if constexpr (E::is_subtype) {
                const auto* av = item.if_contains(E::discriminator_name());
                const auto* s = av != nullptr && av->is_object() ? av->get_object().if_contains("S") : nullptr;
                if (s != nullptr && s->is_string() && s->get_string() != E::discriminator_value()) return std::nullopt;
            }
            return decode_view(item, context, true);
        }
    }

    /** Adds the ProjectionExpression of a read into `View` to `body` (nothing for the model):
        the view's attributes, then each of `keys` not yet named, then, with `by_key`, the
        discriminator of a subtype. Names go through `names` (the caller applies them). */
    static void project(boost::json::object& body, ExpressionContext& names, std::initializer_list<std::string_view> keys,
                        bool by_key) {
        if constexpr (!whole) {
            std::string text;
            names.render_projection(projection_paths(keys, by_key), text);
            body["ProjectionExpression"] = std::move(text);
        } else {
            (void)body;
            (void)names;
            (void)keys;
            (void)by_key;
        }
    }

    /** The attributes `project` names, as paths (none for the model): for `op::ReadRequest::projection`. */
    static std::vector<Path> projection_paths(std::initializer_list<std::string_view> keys, bool by_key) {
        std::vector<Path> out;
        if constexpr (!whole) {
            std::vector<std::string_view> seen;
            const auto add = [&](std::string_view attribute) {
                if (attribute.empty()) return;
                for (const auto s : seen)
                    if (s == attribute) return;
                seen.push_back(attribute);
                out.emplace_back(std::string(attribute));
            };
            boost::mp11::mp_for_each<described_members<View>>([&](auto D) { add(model_attribute<Model>(decltype(D)::name)); });
            for (const auto k : keys) add(k);
            if constexpr (E::is_subtype) {
                if (by_key) add(E::discriminator_name());
            }
        } else {
            (void)keys;
            (void)by_key;
        }
        return out;
    }

    /** The view from an item: each member from the model's attribute of its name; with
        `check_required`, the table's keys and the schema's required members the view has must
        be present. @throws DecodeError naming the attribute. */
    static View decode_view(const boost::json::object& item, const ErrorInfo& context, bool check_required) {
        if (check_required) {
            boost::mp11::mp_for_each<described_members<View>>([&](auto D) {
                constexpr std::string_view name = model_attribute<Model>(decltype(D)::name);
                if constexpr (required(name)) require_attribute(item, name, context);
            });
        }
        View out{};
        try {
            boost::mp11::mp_for_each<described_members<View>>([&](auto D) {
                using M = std::remove_cvref_t<decltype(out.*decltype(D)::pointer)>;
                constexpr std::string_view name = model_attribute<Model>(decltype(D)::name);
                const auto it = item.find(name);
                if (it == item.end()) return;   // keeps the member's default
                try {
                    if constexpr (E::has_ttl && is_time_point<M>::value) {
                        if (name == E::ttl_name() && it->value().is_object() && it->value().get_object().contains("N")) {
                            out.*decltype(D)::pointer = from_attribute<M>(E::ttl_as_time(it->value(), context));
                            return;
                        }
                    }
                    out.*decltype(D)::pointer = from_attribute<M>(it->value());
                } catch (AttributeError& e) {
                    prepend_path(e, name);
                    throw;
                } catch (const Error&) {
                    throw;
                } catch (const std::exception& e) {
                    throw AttributeError{std::string(name), e.what()};
                }
            });
        } catch (const AttributeError& e) {
            throw_item_error(e, context);
        }
        return out;
    }

private:
    /** The table's keys and the members the schema marks required. */
    static constexpr bool required(std::string_view attribute) {
        constexpr auto& s = schema<Model>::value;
        if (attribute == s.partition_key_name() || (!s.sort_key_name().empty() && attribute == s.sort_key_name())) return true;
        bool found = false;
        std::apply([&](const auto&... d) { (required_by(d, attribute, found), ...); }, s.decls);
        return found;
    }
    template <class D>
    static constexpr void required_by(const D& d, std::string_view attribute, bool& found) {
        if constexpr (is_instance_of<D, RequiredDecl>::value)
            std::apply([&](const auto&... m) { ((found = found || member_name(m) == attribute), ...); }, d.members);
    }
};

/** Checks at compile time that the index at position `Pos` of `Model`'s schema declarations
    holds every attribute `View` needs. */
template <class Model, class View, std::size_t Pos>
constexpr bool check_index_read() {
    constexpr auto& s = schema<Model>::value;
    constexpr auto& index = std::get<Pos>(s.decls);
    using I = std::remove_cvref_t<decltype(index)>;
    constexpr bool fits = view_within<Model, View>(
        [](std::string_view a) { return std::get<Pos>(schema<Model>::value.decls).projects(a, schema<Model>::value.partition_key_name(), schema<Model>::value.sort_key_name()); });
    return index_read_check<use_view<typename I::declared_view>, fits>::value;
}

}  // namespace dynantic::detail
