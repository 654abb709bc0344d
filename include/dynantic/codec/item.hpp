// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Described structs <-> DynamoDB items. A model is a plain struct listed with
    `BOOST_DESCRIBE_STRUCT` (at most 52 members in Boost 1.81); each described member (public,
    including inherited ones) is one attribute named after the member, or after its rename
    (codec/names.hpp). A nested described struct is a map (M).

    Reading starts from the model's own default member initializers (`T{}`): an attribute the
    item lacks leaves its member at that value (`int age = 0;` reads a missing `age` as 0,
    `std::optional` as `std::nullopt`, sets as empty), so a model can gain members while
    older items stay readable. Attributes the model does not name are ignored, so a model can
    also lose members (or read another app's wider items). The same holds for nested structs.
    Strictness is the schema's business (schema.hpp, `TableSchema::required`): the table's keys,
    its discriminator and the members marked required must be present on every read through a
    table, else a `DecodeError` names the missing attribute.

    Errors name the attribute by its path, written as in C++: `address.city`, `tags[2]`,
    `prices["eur"]`, `history[0].event`, using stored (renamed) attribute names.

    When a model is an aggregate, Boost.PFR counts its fields and a `static_assert` fails if
    any is missing from `BOOST_DESCRIBE_STRUCT` (nested structs too, when first encoded or
    decoded). Models may default `operator==`; every mapped type is equality-comparable.

    Including this header brings every built-in mapping (scalars, `Decimal`, `Bytes`, times,
    UUIDs, enums and their value mappings, Python datetimes, lists, maps, sets). */

#include <dynantic/codec/bytes.hpp>
#include <dynantic/codec/containers.hpp>
#include <dynantic/codec/decimal.hpp>
#include <dynantic/codec/enum.hpp>
#include <dynantic/codec/enum_values.hpp>
#include <dynantic/codec/names.hpp>
#include <dynantic/codec/python_datetime.hpp>
#include <dynantic/codec/scalars.hpp>
#include <dynantic/codec/sets.hpp>
#include <dynantic/codec/time.hpp>
#include <dynantic/codec/uuid.hpp>
#include <dynantic/error.hpp>

#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/pfr/core.hpp>

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

namespace dynantic {
namespace detail {

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
    static_assert(renames_are_described<T>(),
                  "dynantic: a renamed member is not listed in BOOST_DESCRIBE_STRUCT");
    static_assert(attribute_names_are_unique<T>(),
                  "dynantic: two members of a model are stored under the same attribute name (or a rename is empty)");
}

template <class T>
void encode_members(const T& value, boost::json::object& out) {
    check_model<T>();
    // Room for every member at once: no rehash of the object as the attributes are added.
    out.reserve(out.size() + boost::mp11::mp_size<described_members<T>>::value);
    boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
        using M = std::remove_cvref_t<decltype(value.*D.pointer)>;
        static_assert(attribute_type<M>,
                      "dynantic: a model member has a type with no attribute_traits specialization");
        constexpr std::string_view name = attribute_name<T, decltype(D)>();
        const M& member = value.*D.pointer;
        if (omit_attribute(member)) return;
        try {
            dynantic::to_attribute(member, out[name]);
        } catch (AttributeError& e) {
            prepend_path(e, name);
            throw;
        }
    });
}

/** The text twin of `encode_members`: appends `{"name":{...},...}` exactly as serializing the
    object `encode_members` builds would, without building it. */
template <class T>
void append_members(const T& value, std::string& out) {
    check_model<T>();
    out += '{';
    bool first = true;
    boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
        using M = std::remove_cvref_t<decltype(value.*D.pointer)>;
        static_assert(attribute_type<M>,
                      "dynantic: a model member has a type with no attribute_traits specialization");
        constexpr std::string_view name = attribute_name<T, decltype(D)>();
        const M& member = value.*D.pointer;
        if (omit_attribute(member)) return;
        if (!first) out += ',';
        first = false;
        append_json_string(out, name);
        out += ':';
        try {
            append_attribute(member, out);
        } catch (AttributeError& e) {
            prepend_path(e, name);
            throw;
        }
    });
    out += '}';
}

/** Reads the attributes of `in` into the members of `out`, which holds the defaults: a missing
    attribute leaves its member as it is; unknown attributes are ignored. */
template <class T>
void decode_members(const boost::json::object& in, T& out) {
    check_model<T>();
    boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
        using M = std::remove_cvref_t<decltype(out.*D.pointer)>;
        static_assert(attribute_type<M>,
                      "dynantic: a model member has a type with no attribute_traits specialization");
        constexpr std::string_view name = attribute_name<T, decltype(D)>();
        const auto it = in.find(name);
        if (it == in.end()) return;   // keeps the member's default (file comment)
        try {
            out.*D.pointer = dynantic::from_attribute<M>(it->value());
        } catch (AttributeError& e) {
            prepend_path(e, name);
            throw;
        } catch (const std::exception& e) {
            throw AttributeError{std::string(name), e.what()};
        }
    });
}

/** Turns an AttributeError into the public exception, naming the attribute. */
[[noreturn]] void throw_item_error(const AttributeError& e, ErrorInfo context);

/** Parses DynamoDB JSON text of an item into `storage`.
    @throws DecodeError for text that is not a JSON object. */
boost::json::value parse_item_json(std::string_view text, boost::json::storage_ptr storage, const ErrorInfo& context);

}  // namespace detail

/** Nested described structs: M. */
template <detail::described_struct T>
struct attribute_traits<T> {
    static constexpr AttributeType type = AttributeType::M;   ///< the wire type
    static constexpr bool library_codec = true;   ///< the library's own mapping (pages read it from the text)
    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(const T& v, boost::json::value& out) {
        auto& m = out.emplace_object()["M"].emplace_object();
        detail::encode_members(v, m);
    }
    /** Appends the value's AttributeValue to `out` as JSON text (the fast path of `to_item_json`). */
    static void append_text(const T& v, std::string& out) {
        out += R"({"M":)";
        detail::append_members(v, out);
        out += '}';
    }
    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static T from_attribute(const boost::json::value& av) {
        const auto& m = detail::expect_type(av, type);
        if (!m.is_object()) detail::throw_attribute_error("malformed M attribute value");
        T out{};
        detail::decode_members(m.get_object(), out);
        return out;
    }
};

namespace detail {
/** Bytes of stack buffer for the DOM of `from_item_json`; larger items
    continue on the heap. */
inline constexpr std::size_t item_json_buffer_size = 8192;
}  // namespace detail

/** The item (attribute name -> AttributeValue) for a described struct.
    @throws ValidationError naming the attribute, for a value DynamoDB cannot store.
    `context` names the operation and table in the error; `storage` is where the item's JSON is
    allocated (default: the default resource). */
template <detail::described_struct T>
boost::json::object to_item(const T& value, ErrorInfo context = {}, boost::json::storage_ptr storage = {}) {
    boost::json::object out(std::move(storage));
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

/** An item's DynamoDB JSON text (`{"id":{"S":"p1"},...}`): byte for byte `serialize(to_item(value))`,
    written directly without building a DOM (for the built-in mappings; user raw-tier types
    go through their `to_attribute`). @throws ValidationError as `to_item`. */
template <detail::described_struct T>
std::string to_item_json(const T& value, ErrorInfo context = {}) {
    std::string out;
    out.reserve(512);
    try {
        detail::append_members(value, out);
    } catch (const detail::AttributeError& e) {
        detail::throw_item_error(e, std::move(context));
    }
    return out;
}

/** A described struct from an item's DynamoDB JSON text, e.g. a DynamoDB Streams record's
    `NewImage`. Parses into a monotonic buffer, then decodes as `from_item`.
    @throws DecodeError for text that is not a JSON object, or as `from_item`. */
template <detail::described_struct T>
T from_item_json(std::string_view text, ErrorInfo context = {}) {
    unsigned char buffer[detail::item_json_buffer_size];
    boost::json::monotonic_resource resource(buffer, sizeof buffer);
    const boost::json::value item = detail::parse_item_json(text, &resource, context);
    T out{};
    try {
        detail::decode_members(item.get_object(), out);
    } catch (const detail::AttributeError& e) {
        detail::throw_item_error(e, std::move(context));
    }
    return out;
}

}  // namespace dynantic
