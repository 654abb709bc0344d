// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The customization point `dynantic::attribute_traits<T>`: how a C++ type becomes a DynamoDB
    AttributeValue (`{"S": "..."}`, `{"N": "42"}`, ...) and back.

    Two tiers, the easy one first (as fmt's `format_as` / `formatter`):

    1. Convert to and from a type the library already maps; the wire type follows from it.
       @code
       template <> struct dynantic::attribute_traits<Sku> {     // stored as S
           static std::string to(const Sku& s) { return s.code; }
           static Sku from(std::string s) { return Sku{std::move(s)}; }
       };
       template <> struct dynantic::attribute_traits<UserId>          // stored as UserId::value is
           : dynantic::as_member<&UserId::value> {};
       @endcode
    2. Raw: write and read the AttributeValue JSON yourself.
       @code
       template <> struct dynantic::attribute_traits<Point> {
           static constexpr dynantic::AttributeType type = dynantic::AttributeType::L;  // optional
           static void to_attribute(const Point& p, boost::json::value& out);
           static Point from_attribute(const boost::json::value& av);  // dynantic::attribute_payload
                                                                      // checks the wire type
           static bool omit(const Point&);                                            // optional
       };
       @endcode
    A `from` or `from_attribute` that throws any `std::exception` makes decoding fail with a
    `DecodeError` that names the attribute and carries the exception's message. A raw-tier
    `omit` returning true leaves the member out of the item (as `std::nullopt` and empty sets
    are); such a type must read a missing member, and a NULL, as its empty value. Inside lists
    and maps an omitted value is written as NULL, so positions and keys survive.

    Test/unit/attribute_traits_test.cpp shows each tier with a complete user type.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html */

#include <dynantic/log.hpp>

#include <boost/json/value.hpp>

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace dynantic {

/** DynamoDB's ten attribute wire types. */
enum class AttributeType { S, N, B, BOOL, NUL, M, L, SS, NS, BS };

/** The wire name of a type: "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS". */
constexpr std::string_view to_string(AttributeType t) noexcept {
    constexpr std::string_view names[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
    return names[static_cast<int>(t)];
}

/** Specialize for your own types (see the file comment). The library's own specializations
    cover strings, numbers, `Decimal`, bool, `Bytes`, times and dates, UUIDs, described enums,
    lists, string-keyed maps, sets, `std::optional` and described structs (see DESIGN.md's
    table and the headers in codec/). */
template <class T>
struct attribute_traits;

namespace detail {

/** Thrown by codecs for one attribute; the item codec adds the attribute path and turns it into
    a `DecodeError` or `ValidationError` that names the table and operation. Never escapes the
    library's public functions. */
struct AttributeError {
    std::string path;      ///< "address.city", filled in while unwinding; empty at the leaf
    std::string message;   ///< "expected N, found S"
    bool on_write = false; ///< true while encoding (a ValidationError), false while decoding
};

[[noreturn]] void throw_attribute_error(std::string message, bool on_write = false);

/** Prefixes a member name to the path of an AttributeError: "city" -> "address.city". Paths
    read like C++: members joined by '.', list and set positions as `tags[2]`, map keys quoted
    as `prices["eur"]` (JSON string escapes inside the quotes). */
void prepend_path(AttributeError& e, std::string_view name);
/** Prefixes a list or set position: "city" -> "[2].city". */
void prepend_index(AttributeError& e, std::size_t index);
/** Prefixes a map key: "" -> "[\"eur\"]". */
void prepend_key(AttributeError& e, std::string_view key);

/** The single member of an AttributeValue object, checked to be of wire type `t`.
    @throws AttributeError "expected S, found N" (or a malformed AttributeValue). */
const boost::json::value& expect_type(const boost::json::value& av, AttributeType t);

/** The wire type of an AttributeValue, by its single key. @throws AttributeError if malformed. */
AttributeType type_of(const boost::json::value& av);

/** Writes `{"<type>": text}` into out, reusing out's storage. */
void set_attribute(boost::json::value& out, AttributeType t, std::string_view text);
void set_bool_attribute(boost::json::value& out, bool v);
/** Writes `{"NULL": true}`. */
void set_null_attribute(boost::json::value& out);

template <class T>
concept raw_traits = requires(const T& v, boost::json::value& out, const boost::json::value& in) {
    attribute_traits<T>::to_attribute(v, out);
    { attribute_traits<T>::from_attribute(in) } -> std::convertible_to<T>;
};

template <class T>
concept easy_traits = requires(const T& v) {
    attribute_traits<T>::to(v);
} && !raw_traits<T>;

}  // namespace detail

/** True for types the library can store: a specialization of `attribute_traits` exists in
    either tier. */
template <class T>
concept attribute_type = detail::raw_traits<T> || detail::easy_traits<T>;

namespace detail {

template <class T>
struct easy_target {
    using type = std::remove_cvref_t<decltype(attribute_traits<T>::to(std::declval<const T&>()))>;
};

/** The wire type a C++ type maps to, when it is fixed (NUL when it varies). */
template <class T>
constexpr AttributeType wire_type_of() {
    if constexpr (raw_traits<T>) {
        if constexpr (requires { attribute_traits<T>::type; })
            return attribute_traits<T>::type;
        else
            return AttributeType::NUL;
    } else {
        return wire_type_of<typename easy_target<T>::type>();
    }
}

}  // namespace detail

/** For raw-tier traits: the payload of an AttributeValue (`{"L": [...]}` -> the array), checked
    to be of wire type `expected`. @throws a decode error "expected L, found S" otherwise. */
inline const boost::json::value& attribute_payload(const boost::json::value& av, AttributeType expected) {
    return detail::expect_type(av, expected);
}

/** Writes `value` as an AttributeValue into `out` (which keeps its storage).
    @throws detail::AttributeError on a value DynamoDB cannot store (NaN, ...). */
template <attribute_type T>
void to_attribute(const T& value, boost::json::value& out) {
    if constexpr (detail::raw_traits<T>) {
        attribute_traits<T>::to_attribute(value, out);
    } else {
        to_attribute(attribute_traits<T>::to(value), out);
    }
}

/** Reads an AttributeValue into a `T`. @throws detail::AttributeError when it does not fit. */
template <attribute_type T>
T from_attribute(const boost::json::value& av) {
    if constexpr (detail::raw_traits<T>) {
        return attribute_traits<T>::from_attribute(av);
    } else {
        using U = typename detail::easy_target<T>::type;
        return attribute_traits<T>::from(from_attribute<U>(av));
    }
}

/** True when `value` is written as no attribute at all (`std::nullopt`, an empty set). */
template <attribute_type T>
bool omit_attribute(const T& value) {
    if constexpr (detail::raw_traits<T>) {
        if constexpr (requires { attribute_traits<T>::omit(value); })
            return attribute_traits<T>::omit(value);
        else
            return false;
    } else {
        return false;
    }
}

namespace detail {

/** Internal fast path of the built-in scalar mappings: `attribute_traits<T>::with_text(v, f)`
    calls `f(std::string_view)` with the validated payload text (what goes inside `{"S": ...}`,
    `{"N": ...}`, `{"B": ...}`). The DOM writer (`to_attribute`), the text writer
    (`append_attribute`) and set elements all use it, so each type is formatted in one place.
    User traits need not provide it. */
struct text_sink {
    void operator()(std::string_view) const;
};
template <class T>
concept text_scalar = requires(const T& v, const text_sink& f) { attribute_traits<T>::with_text(v, f); };

/** Appends `{"<t>":"<text>"}`, escaping `text` as a JSON string. */
void append_scalar(std::string& out, AttributeType t, std::string_view text);
/** Appends `text` as a quoted JSON string (Boost.JSON's escaping). */
void append_json_string(std::string& out, std::string_view text);
/** Appends `boost::json::serialize(v)`. */
void append_serialized(std::string& out, const boost::json::value& v);

/** Calls `f(text)` with the payload text of a value whose wire type is S, N or B. */
template <class T, class F>
void scalar_text(const T& value, F&& f) {
    if constexpr (text_scalar<T>) {
        attribute_traits<T>::with_text(value, f);
    } else if constexpr (easy_traits<T>) {
        scalar_text(attribute_traits<T>::to(value), f);
    } else {
        boost::json::value av;
        dynantic::to_attribute(value, av);
        const auto* obj = av.if_object();
        const boost::json::value* payload = obj != nullptr && obj->size() == 1 ? &obj->begin()->value() : nullptr;
        if (payload == nullptr || !payload->is_string()) throw_attribute_error("value is not a scalar (S, N or B)", true);
        f(std::string_view(payload->get_string()));
    }
}

/** Appends the DynamoDB JSON text of `value`'s AttributeValue to `out`, exactly as
    `serialize` of `to_attribute` would, without building a DOM where the type allows. */
template <class T>
void append_attribute(const T& value, std::string& out) {
    if constexpr (text_scalar<T>) {
        attribute_traits<T>::with_text(value, [&](std::string_view text) {
            append_scalar(out, attribute_traits<T>::type, text);
        });
    } else if constexpr (requires { attribute_traits<T>::append_text(value, out); }) {
        attribute_traits<T>::append_text(value, out);
    } else if constexpr (easy_traits<T>) {
        append_attribute(attribute_traits<T>::to(value), out);
    } else {
        boost::json::value av;
        dynantic::to_attribute(value, av);
        append_serialized(out, av);
    }
}

}  // namespace detail

/** Easy-tier traits for a wrapper type stored as one of its members:
    @code
    struct UserId { std::string value; };
    template <> struct dynantic::attribute_traits<UserId> : dynantic::as_member<&UserId::value> {};
    @endcode
    The member's own mapping decides the wire type (here S, so UserId can be a key). Reading
    builds `T{member}` when that compiles, else a default-constructed `T` with the member set. */
template <auto Member>
struct as_member;

/** `as_member` for a pointer to member `M T::*`. */
template <class T, class M, M T::*Member>
struct as_member<Member> {
    static const M& to(const T& value) { return value.*Member; }   ///< the stored member
    /** A `T` holding `member`. */
    static T from(M member) {
        if constexpr (requires { T{std::move(member)}; }) {
            return T{std::move(member)};
        } else {
            T value{};
            value.*Member = std::move(member);
            return value;
        }
    }
};

}  // namespace dynantic
