#pragma once
/** @file
    Described structs <-> DynamoDB items. A model is a plain struct listed with
    `BOOST_DESCRIBE_STRUCT`; each described member (public, including inherited ones) is one
    attribute named after the member. A nested described struct is a map (M).

    Reading ignores attributes the model does not name. A member that is neither
    `std::optional` nor a set must be present, else decoding fails with `DecodeError`. */

#include <dynantic/codec/scalars.hpp>
#include <dynantic/error.hpp>

#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/object.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/pfr/core.hpp>

#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

namespace dynantic {
namespace detail {

constexpr unsigned member_modifiers = boost::describe::mod_public | boost::describe::mod_inherited;

template <class T>
using described_members = boost::describe::describe_members<T, member_modifiers>;

template <class T>
concept described_struct = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;

/** Boost.PFR sees every field of an aggregate; Describe sees only the listed ones. */
template <class T>
constexpr bool all_fields_described() {
    if constexpr (std::is_aggregate_v<T> && boost::describe::has_describe_bases<T>::value &&
                  boost::mp11::mp_empty<boost::describe::describe_bases<T, boost::describe::mod_any_access>>::value) {
        return boost::pfr::tuple_size_v<T> == boost::mp11::mp_size<described_members<T>>::value;
    } else {
        return true;
    }
}

template <class T>
constexpr void check_model() {
    static_assert(all_fields_described<T>(),
                  "dynantic: every member of a model must appear in BOOST_DESCRIBE_STRUCT");
}

/** True when a missing attribute reads as the member's default (optional, sets). */
template <class M>
constexpr bool missing_is_default() {
    if constexpr (raw_traits<M>) return requires(const M& m) { attribute_traits<M>::omit(m); };
    else return false;
}

template <class T>
void encode_members(const T& value, boost::json::object& out) {
    check_model<T>();
    boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
        using M = std::remove_cvref_t<decltype(value.*D.pointer)>;
        static_assert(attribute_type<M>,
                      "dynantic: a model member has a type with no attribute_traits specialization");
        const M& member = value.*D.pointer;
        if (omit_attribute(member)) return;
        try {
            dynantic::to_attribute(member, out[D.name]);
        } catch (AttributeError& e) {
            prepend_path(e, D.name);
            throw;
        }
    });
}

template <class T>
void decode_members(const boost::json::object& in, T& out) {
    check_model<T>();
    boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
        using M = std::remove_cvref_t<decltype(out.*D.pointer)>;
        static_assert(attribute_type<M>,
                      "dynantic: a model member has a type with no attribute_traits specialization");
        const auto it = in.find(D.name);
        if (it == in.end()) {
            if constexpr (!missing_is_default<M>()) {
                AttributeError e{D.name, "required attribute is missing"};
                throw e;
            }
            return;
        }
        try {
            out.*D.pointer = dynantic::from_attribute<M>(it->value());
        } catch (AttributeError& e) {
            prepend_path(e, D.name);
            throw;
        } catch (const std::exception& e) {
            throw AttributeError{D.name, e.what()};
        }
    });
}

/** Turns an AttributeError into the public exception, naming the attribute. */
[[noreturn]] void throw_item_error(const AttributeError& e, ErrorInfo context);

}  // namespace detail

/** Nested described structs: M. */
template <detail::described_struct T>
struct attribute_traits<T> {
    static constexpr AttributeType type = AttributeType::M;
    static void to_attribute(const T& v, boost::json::value& out) {
        auto& m = out.emplace_object()["M"].emplace_object();
        detail::encode_members(v, m);
    }
    static T from_attribute(const boost::json::value& av) {
        const auto& m = detail::expect_type(av, type);
        if (!m.is_object()) detail::throw_attribute_error("malformed M attribute value");
        T out{};
        detail::decode_members(m.get_object(), out);
        return out;
    }
};

/** The item (attribute name -> AttributeValue) for a described struct.
    @throws ValidationError naming the attribute, for a value DynamoDB cannot store.
    `context` names the operation and table in the error. */
template <detail::described_struct T>
boost::json::object to_item(const T& value, ErrorInfo context = {}) {
    boost::json::object out;
    try {
        detail::encode_members(value, out);
    } catch (const detail::AttributeError& e) {
        detail::throw_item_error(e, std::move(context));
    }
    return out;
}

/** A described struct from an item.
    @throws DecodeError naming the attribute, expected and found, when the item does not fit. */
template <detail::described_struct T>
T from_item(const boost::json::object& item, ErrorInfo context = {}) {
    T out{};
    try {
        detail::decode_members(item, out);
    } catch (const detail::AttributeError& e) {
        detail::throw_item_error(e, std::move(context));
    }
    return out;
}

}  // namespace dynantic
