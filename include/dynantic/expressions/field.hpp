// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Typed fields: `field(&User::age)` names the member's attribute (from Describe) and knows its
    C++ type, so misuse is a compile error:

    @code
    dy::field(&User::age) >= 18                       // ok
    dy::field(&User::age) == "18"                     // error: a string is not a value of an int field
    dy::field(&User::email).begins_with("a")          // ok
    dy::field(&User::age).begins_with("1")            // error: begins_with needs a string or bytes field
    dy::field(&User::tags).contains("vip")            // ok: element of a set or list, or a substring
    dy::field(&User::address, &Address::city) == "Oslo"   // nested members
    dy::field(&User::scores)[0] > 10                  // list elements
    @endcode

    Conditions built from fields are `ConditionOf<Model>`, accepted only by `Table<Model>`. */

#include <dynantic/codec/category.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/expressions/update_value.hpp>
#include <dynantic/schema.hpp>

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace dynantic {
namespace detail {

template <class T> struct unwrap_optional { using type = T; };
template <class T> struct unwrap_optional<std::optional<T>> { using type = T; };
template <class T> using unwrap_optional_t = typename unwrap_optional<T>::type;

template <class T> concept number_type = (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) ||
                                         (attribute_type<T> && !set_type<T> && wire_type_of<T>() == AttributeType::N);
template <class T> concept string_like = std::is_convertible_v<const T&, std::string_view>;

/** False, for a `static_assert` that fires only when its template is used. */
template <class...> inline constexpr bool dependent_false = false;

/** Values a `T` field can be compared with or set to: convertible to T, without turning a
    floating point number into an integer or anything into a bool. */
template <class V, class T>
concept value_for =
    std::is_convertible_v<const V&, T> &&
    !(std::is_floating_point_v<V> && std::is_integral_v<T>) &&
    (std::is_same_v<std::remove_cvref_t<V>, bool> == std::is_same_v<T, bool> || !std::is_arithmetic_v<V>);

template <class T>
constexpr bool ordered_type() {
    if constexpr (!attribute_type<T> || set_type<T>) {
        return false;
    } else {
        constexpr AttributeType w = wire_type_of<T>();
        return w == AttributeType::S || w == AttributeType::N || w == AttributeType::B;
    }
}

template <class T>
constexpr bool string_or_binary() {
    if constexpr (!attribute_type<T> || set_type<T> || list_type<T>) {
        return false;
    } else {
        constexpr AttributeType w = wire_type_of<T>();
        return w == AttributeType::S || w == AttributeType::B;
    }
}

}  // namespace detail

/** A typed attribute of `Model` whose C++ type is `T`. Made by `field(&Model::member, ...)`. */
template <class Model, class T>
class Field : public PathOperand {
public:
    using model_type = Model;   ///< the model the field belongs to
    using member_type = T;      ///< the member's C++ type
    /** The type compared with: `T`, or `U` for `std::optional<U>`. */
    using value_type = detail::unwrap_optional_t<T>;

    /** The field at `path` (made by `field()`; the path is not checked against the model). */
    explicit Field(Path path) : PathOperand(std::move(path)) {}

    ///@{
    /** `path <op> :v` with a value of the field's type; ordering only for string, number and
        binary fields. Another type does not compile. */
    template <class V> requires detail::value_for<V, value_type>
    ConditionOf<Model> operator==(const V& v) const { return cmp(detail::ConditionOp::eq, v); }
    template <class V> requires detail::value_for<V, value_type>
    ConditionOf<Model> operator!=(const V& v) const { return cmp(detail::ConditionOp::ne, v); }
    template <class V> requires detail::value_for<V, value_type> && (detail::ordered_type<value_type>())
    ConditionOf<Model> operator<(const V& v) const { return cmp(detail::ConditionOp::lt, v); }
    template <class V> requires detail::value_for<V, value_type> && (detail::ordered_type<value_type>())
    ConditionOf<Model> operator<=(const V& v) const { return cmp(detail::ConditionOp::le, v); }
    template <class V> requires detail::value_for<V, value_type> && (detail::ordered_type<value_type>())
    ConditionOf<Model> operator>(const V& v) const { return cmp(detail::ConditionOp::gt, v); }
    template <class V> requires detail::value_for<V, value_type> && (detail::ordered_type<value_type>())
    ConditionOf<Model> operator>=(const V& v) const { return cmp(detail::ConditionOp::ge, v); }
    ///@}

    ///@{
    /** Comparison with another field of the same model and value type. */
    template <class U> requires std::is_same_v<detail::unwrap_optional_t<U>, value_type>
    ConditionOf<Model> operator==(const Field<Model, U>& o) const { return typed(compare_path(detail::ConditionOp::eq, o.path())); }
    template <class U> requires std::is_same_v<detail::unwrap_optional_t<U>, value_type>
    ConditionOf<Model> operator!=(const Field<Model, U>& o) const { return typed(compare_path(detail::ConditionOp::ne, o.path())); }
    template <class U> requires std::is_same_v<detail::unwrap_optional_t<U>, value_type> && (detail::ordered_type<value_type>())
    ConditionOf<Model> operator<(const Field<Model, U>& o) const { return typed(compare_path(detail::ConditionOp::lt, o.path())); }
    template <class U> requires std::is_same_v<detail::unwrap_optional_t<U>, value_type> && (detail::ordered_type<value_type>())
    ConditionOf<Model> operator<=(const Field<Model, U>& o) const { return typed(compare_path(detail::ConditionOp::le, o.path())); }
    template <class U> requires std::is_same_v<detail::unwrap_optional_t<U>, value_type> && (detail::ordered_type<value_type>())
    ConditionOf<Model> operator>(const Field<Model, U>& o) const { return typed(compare_path(detail::ConditionOp::gt, o.path())); }
    template <class U> requires std::is_same_v<detail::unwrap_optional_t<U>, value_type> && (detail::ordered_type<value_type>())
    ConditionOf<Model> operator>=(const Field<Model, U>& o) const { return typed(compare_path(detail::ConditionOp::ge, o.path())); }
    ///@}

    /** `path BETWEEN :lo AND :hi` (inclusive); for string, number and binary fields. */
    ConditionOf<Model> between(const value_type& lo, const value_type& hi) const
        requires(detail::ordered_type<value_type>())
    {
        return typed(Condition(detail::ConditionOp::between,
                               {detail::path_operand(path_), detail::value_operand(detail::encode_value(lo)),
                                detail::value_operand(detail::encode_value(hi))}));
    }

    /** `path IN (...)`: 1 to 100 values of the field's type. */
    ConditionOf<Model> is_in(std::initializer_list<value_type> values) const { return in_range(values); }
    /** `path IN (...)` over a range (vector, set...) of 1 to 100 values of the field's type. */
    template <class Range>
        requires requires(const Range& r) { r.begin(); r.end(); } &&
                 std::is_convertible_v<decltype(*std::declval<const Range&>().begin()), value_type>
    ConditionOf<Model> is_in(const Range& values) const {
        return in_range(values);
    }

    /** `begins_with(path, :prefix)`; for string and binary fields. */
    template <class P>
        requires(detail::string_or_binary<value_type>() && detail::value_for<P, value_type>)
    ConditionOf<Model> begins_with(const P& prefix) const {
        return cmp(detail::ConditionOp::begins_with, prefix);
    }

    /** Misuse: `begins_with` on a number field does not compile; the message states the fix. */
    template <class P>
        requires detail::number_type<value_type>
    ConditionOf<Model> begins_with(const P&) const {
        static_assert(detail::dependent_false<P>,
                      "dynantic: begins_with() needs a string or binary field, and this field is a number; "
                      "compare the number instead: field >= low && field < high, or field.between(low, high)");
        return exists();   // not reached: the assertion above fails
    }

    /** `contains(path, :v)`: an element of a set or list field (a type stored as SS, NS, BS or
        L, user types included), or a substring of a string field. */
    template <class V>
        requires(((detail::set_type<value_type> || detail::list_type<value_type>) &&
                  detail::value_for<V, detail::container_element_t<value_type>>) ||
                 (detail::string_like<value_type> && detail::string_like<V>))
    ConditionOf<Model> contains(const V& v) const {
        if constexpr (detail::set_type<value_type> || detail::list_type<value_type>)
            return typed(compare(detail::ConditionOp::contains,
                                 detail::encode_value(static_cast<detail::container_element_t<value_type>>(v))));
        else
            return typed(compare(detail::ConditionOp::contains, detail::encode_value(std::string_view(v))));
    }

    /** Misuse: `contains` on a number field does not compile; the message states the fix. */
    template <class V>
        requires detail::number_type<value_type>
    ConditionOf<Model> contains(const V&) const {
        static_assert(detail::dependent_false<V>,
                      "dynantic: contains() needs a string, set or list field, and this field is a number; "
                      "compare the number instead (field == v), or test several values with field.is_in({...})");
        return exists();   // not reached: the assertion above fails
    }

    /** `attribute_exists(path)`, typed. */
    ConditionOf<Model> exists() const { return typed(PathOperand::exists()); }
    /** `attribute_not_exists(path)`, typed. */
    ConditionOf<Model> not_exists() const { return typed(PathOperand::not_exists()); }
    /** `attribute_type(path, :t)`, typed. */
    ConditionOf<Model> attribute_type(AttributeType t) const { return typed(PathOperand::attribute_type(t)); }

    /** A member of a nested described struct: `field(&User::address) / &Address::city`. */
    template <class U, class S>
        requires std::is_same_v<S, value_type>
    Field<Model, U> operator/(U S::*member) const {
        return Field<Model, U>(path_ / std::string(detail::member_name(member)));
    }
    /** An element of a list field. */
    auto operator[](std::size_t index) const
        requires detail::list_type<value_type>
    {
        return Field<Model, detail::container_element_t<value_type>>(path_[index]);
    }
    /** A value of a map field, by key. */
    auto operator[](std::string key) const
        requires detail::map_type<value_type>
    {
        return Field<Model, detail::container_element_t<value_type>>(path_ / std::move(key));
    }

    /** `path + :n` / `path - :n` for SET actions on number fields. */
    template <class V> requires detail::number_type<value_type> && detail::value_for<V, value_type>
    UpdateValue<T> operator+(const V& n) const {
        return UpdateValue<T>(detail::set_call(detail::SetOperand::Kind::plus, detail::set_path(path_),
                                               detail::set_value(detail::encode_value(static_cast<value_type>(n)))));
    }
    /** `path - :n` for SET actions on number fields. */
    template <class V> requires detail::number_type<value_type> && detail::value_for<V, value_type>
    UpdateValue<T> operator-(const V& n) const {
        return UpdateValue<T>(detail::set_call(detail::SetOperand::Kind::minus, detail::set_path(path_),
                                               detail::set_value(detail::encode_value(static_cast<value_type>(n)))));
    }

private:
    static ConditionOf<Model> typed(Condition c) { return ConditionOf<Model>(std::move(c)); }
    template <class V>
    ConditionOf<Model> cmp(detail::ConditionOp op, const V& v) const {
        return typed(compare(op, detail::encode_value(static_cast<value_type>(v))));
    }
    template <class Range>
    ConditionOf<Model> in_range(const Range& values) const {
        std::vector<detail::Operand> operands{detail::path_operand(path_)};
        for (const auto& v : values)
            operands.push_back(detail::value_operand(detail::encode_value(static_cast<value_type>(v))));
        return typed(Condition(detail::ConditionOp::in, std::move(operands)));
    }
};

/** The typed field of a described member; further members step into nested structs:
    `field(&User::address, &Address::city)`. A member missing from `BOOST_DESCRIBE_STRUCT` is a
    compile error. */
template <class Model, class T>
Field<Model, T> field(T Model::*member) {
    static_assert(detail::described_struct<Model>, "dynantic: field() needs a model described with BOOST_DESCRIBE_STRUCT");
    return Field<Model, T>(Path(std::string(detail::member_name(member))));
}
/** A field inside nested structs: `field(&User::address, &Address::city)` is `address.city`. */
template <class Model, class T, class... Rest>
auto field(T Model::*member, Rest... rest)
    requires(sizeof...(Rest) > 0)
{
    return (field(member) / ... / rest);
}

/** `if_not_exists(path, :v)`: the attribute's value, or `v` when it is absent. */
template <class Model, class T, class V>
    requires detail::value_for<V, detail::unwrap_optional_t<T>>
UpdateValue<T> if_not_exists(const Field<Model, T>& f, const V& v) {
    return UpdateValue<T>(detail::set_call(detail::SetOperand::Kind::if_not_exists, detail::set_path(f.path()),
                                           detail::set_value(detail::encode_value(
                                               static_cast<detail::unwrap_optional_t<T>>(v)))));
}

/** `list_append(path, :list)`: the list field with `values` appended (or prepended with
    `list_prepend`). */
template <class Model, class T>
    requires detail::list_type<detail::unwrap_optional_t<T>>
UpdateValue<T> list_append(const Field<Model, T>& f, const detail::unwrap_optional_t<T>& values) {
    return UpdateValue<T>(detail::set_call(detail::SetOperand::Kind::list_append, detail::set_path(f.path()),
                                           detail::set_value(detail::encode_value(values))));
}
/** `list_append(:list, path)`: the list field with `values` put in front. */
template <class Model, class T>
    requires detail::list_type<detail::unwrap_optional_t<T>>
UpdateValue<T> list_prepend(const Field<Model, T>& f, const detail::unwrap_optional_t<T>& values) {
    return UpdateValue<T>(detail::set_call(detail::SetOperand::Kind::list_append,
                                           detail::set_value(detail::encode_value(values)), detail::set_path(f.path())));
}

}  // namespace dynantic
