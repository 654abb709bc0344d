// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Conditions (for ConditionExpression, FilterExpression) as a typed tree, and the untyped
    attribute reference `attr("a.b[2]")`.

    Logical operators: `&&`, `||` and `!` (as sqlpp11); `&`, `|` and `~` are aliases for code
    ported from the Python library. Values are stored as AttributeValues encoded by their C++
    type's codec; names and values become `#n` / `:v` placeholders when compiled, so user input
    can never change an expression's structure.

    @code
    auto c = dy::attr("status") == "active" && dy::attr("tags").contains("vip");
    @endcode

    @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html */

#include <dynantic/codec/item.hpp>
#include <dynantic/expressions/path.hpp>

#include <boost/json/value.hpp>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic {

namespace detail {

/** An operand of a comparison or function: an attribute path, a value, or `size(path)`. */
struct Operand {
    enum class Kind { path, value, size };
    Kind kind = Kind::path;
    Path path;                  ///< for path and size
    boost::json::value value;   ///< for value: an AttributeValue
};

enum class ConditionOp {
    eq, ne, lt, le, gt, ge, between, in, begins_with, contains, exists, not_exists, attribute_type,
    logical_and, logical_or, logical_not
};

struct ConditionNode;
using ConditionPtr = std::shared_ptr<const ConditionNode>;

struct ConditionNode {
    ConditionOp op;
    std::vector<Operand> operands;   ///< comparison and function arguments
    std::vector<ConditionPtr> children;  ///< logical operators
};

/** The AttributeValue of a value, by its C++ type's codec. String literals are strings.
    @throws ValidationError for a value DynamoDB cannot store (NaN, an empty set). */
template <class V>
boost::json::value encode_value(const V& v);

Operand path_operand(Path p);
Operand size_operand(Path p);
Operand value_operand(boost::json::value v);

[[noreturn]] void throw_encode_error(const AttributeError& e);

template <class V>
boost::json::value encode_value(const V& v) {
    if constexpr (std::is_convertible_v<const V&, std::string_view> && !std::is_same_v<V, std::string>) {
        return encode_value(std::string(std::string_view(v)));
    } else {
        if (omit_attribute(v)) throw_encode_error(AttributeError{{}, "an empty set or nullopt is not a value", true});
        boost::json::value out;
        try {
            to_attribute(v, out);
        } catch (const AttributeError& e) {
            throw_encode_error(e);
        }
        return out;
    }
}

}  // namespace detail

/** A condition: a tree of comparisons, functions and logical operators. Cheap to copy
    (shares its nodes). */
class Condition {
public:
    /** Wraps an expression tree node (built by the DSL; not needed in user code). */
    explicit Condition(detail::ConditionPtr node) : node_(std::move(node)) {}
    /** A node `op` over `operands` (built by the DSL; not needed in user code). */
    Condition(detail::ConditionOp op, std::vector<detail::Operand> operands);

    /** The root of the tree, rendered by `ExpressionContext`. */
    const detail::ConditionNode& node() const noexcept { return *node_; }
    /** The shared root, for building larger trees. */
    const detail::ConditionPtr& ptr() const noexcept { return node_; }

private:
    detail::ConditionPtr node_;
};

/** A condition built from typed fields of `Model` (see field.hpp). Operations of `Table<Model>`
    accept it and untyped conditions; a condition on another model's fields does not compile. */
template <class Model>
class ConditionOf : public Condition {
public:
    using model_type = Model;   ///< the model whose fields the condition names
    /** `c`, typed as a condition on `Model`. */
    explicit ConditionOf(Condition c) : Condition(std::move(c)) {}
};

namespace detail {

template <class C>
struct condition_model {
    using type = void;
};
template <class M>
struct condition_model<ConditionOf<M>> {
    using type = M;
};

template <class C>
concept any_condition = std::is_base_of_v<Condition, C>;

Condition combine(ConditionOp op, const Condition& a, const Condition& b);
Condition negate(const Condition& a);

/** The condition type of `a op b`: typed if either side is, refused if they name different models. */
template <class A, class B>
auto wrap_combined(Condition c) {
    using MA = typename condition_model<A>::type;
    using MB = typename condition_model<B>::type;
    static_assert(std::is_void_v<MA> || std::is_void_v<MB> || std::is_base_of_v<MA, MB> || std::is_base_of_v<MB, MA>,
                  "dynantic: cannot combine conditions on fields of different models");
    if constexpr (std::is_void_v<MA> && std::is_void_v<MB>) return c;
    else if constexpr (std::is_void_v<MB>) return ConditionOf<MA>(std::move(c));
    else if constexpr (std::is_void_v<MA>) return ConditionOf<MB>(std::move(c));
    else if constexpr (std::is_base_of_v<MA, MB>) return ConditionOf<MB>(std::move(c));  // the more derived
    else return ConditionOf<MA>(std::move(c));
}

/** True when a condition may be used with `Model`'s table: untyped, or typed by `Model` or a
    base of it (a subtype's table accepts conditions on the base's fields). */
template <class C, class Model>
concept condition_for = any_condition<C> && (std::is_void_v<typename condition_model<C>::type> ||
                                             std::is_base_of_v<typename condition_model<C>::type, Model>);

}  // namespace detail

/** @name Logical operators
    `a && b` renders `(a) AND (b)`, `a || b` `(a) OR (b)`, `!a` `NOT (a)`; `&`, `|`, `~` are
    aliases. Typed conditions stay typed; combining conditions on two different models does not
    compile. */
///@{
/** `a AND b`. */
template <detail::any_condition A, detail::any_condition B>
auto operator&&(const A& a, const B& b) {
    return detail::wrap_combined<A, B>(detail::combine(detail::ConditionOp::logical_and, a, b));
}
/** `a OR b`. */
template <detail::any_condition A, detail::any_condition B>
auto operator||(const A& a, const B& b) {
    return detail::wrap_combined<A, B>(detail::combine(detail::ConditionOp::logical_or, a, b));
}
/** `NOT a`. */
template <detail::any_condition A>
auto operator!(const A& a) {
    return detail::wrap_combined<A, A>(detail::negate(a));
}
/** Alias of `&&`. */
template <detail::any_condition A, detail::any_condition B>
auto operator&(const A& a, const B& b) { return a && b; }
/** Alias of `||`. */
template <detail::any_condition A, detail::any_condition B>
auto operator|(const A& a, const B& b) { return a || b; }
/** Alias of `!`. */
template <detail::any_condition A>
auto operator~(const A& a) { return !a; }
///@}

/** `size(path)` as an operand: compared with numbers. */
class SizeOf {
public:
    /** `size(path)`. */
    explicit SizeOf(Path path) : path_(std::move(path)) {}
    ///@{
    /** `size(path) <op> :n`, e.g. `attr("tags").size() > 3`. */
    Condition operator==(std::int64_t n) const { return compare(detail::ConditionOp::eq, n); }
    Condition operator!=(std::int64_t n) const { return compare(detail::ConditionOp::ne, n); }
    Condition operator<(std::int64_t n) const { return compare(detail::ConditionOp::lt, n); }
    Condition operator<=(std::int64_t n) const { return compare(detail::ConditionOp::le, n); }
    Condition operator>(std::int64_t n) const { return compare(detail::ConditionOp::gt, n); }
    Condition operator>=(std::int64_t n) const { return compare(detail::ConditionOp::ge, n); }
    ///@}
    /** `size(path) BETWEEN :lo AND :hi` (inclusive). */
    Condition between(std::int64_t lo, std::int64_t hi) const;

private:
    Condition compare(detail::ConditionOp op, std::int64_t n) const;
    Path path_;
};

/** Shared operations of `Attr` and typed fields: presence, type and size tests. */
class PathOperand {
public:
    /** An operand naming `path`. */
    explicit PathOperand(Path path) : path_(std::move(path)) {}
    /** The attribute path. */
    const Path& path() const noexcept { return path_; }

    /** `attribute_exists(path)` */
    Condition exists() const;
    /** `attribute_not_exists(path)` */
    Condition not_exists() const;
    /** `attribute_type(path, :t)` with "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS". */
    Condition attribute_type(AttributeType type) const;
    /** `size(path)`: bytes of an S or B value; elements of a set, list or map. */
    SizeOf size() const { return SizeOf(path_); }

protected:
    /** `path <op> :v` for an encoded AttributeValue `v`. */
    Condition compare(detail::ConditionOp op, boost::json::value v) const;
    /** `path <op> other`. */
    Condition compare_path(detail::ConditionOp op, const Path& other) const;
    Path path_;   ///< the attribute path
};

/** An untyped attribute reference: any path, values of any storable type. */
class Attr : public PathOperand {
public:
    using PathOperand::PathOperand;

    ///@{
    /** `path <op> :v` for a value of any storable type: `attr("age") >= 18`. */
    template <class V> Condition operator==(const V& v) const { return compare(detail::ConditionOp::eq, detail::encode_value(v)); }
    template <class V> Condition operator!=(const V& v) const { return compare(detail::ConditionOp::ne, detail::encode_value(v)); }
    template <class V> Condition operator<(const V& v) const { return compare(detail::ConditionOp::lt, detail::encode_value(v)); }
    template <class V> Condition operator<=(const V& v) const { return compare(detail::ConditionOp::le, detail::encode_value(v)); }
    template <class V> Condition operator>(const V& v) const { return compare(detail::ConditionOp::gt, detail::encode_value(v)); }
    template <class V> Condition operator>=(const V& v) const { return compare(detail::ConditionOp::ge, detail::encode_value(v)); }
    ///@}

    ///@{
    /** Comparisons between two attributes: `attr("a") < attr("b")`. */
    Condition operator==(const Attr& o) const { return compare_path(detail::ConditionOp::eq, o.path_); }
    Condition operator!=(const Attr& o) const { return compare_path(detail::ConditionOp::ne, o.path_); }
    Condition operator<(const Attr& o) const { return compare_path(detail::ConditionOp::lt, o.path_); }
    Condition operator<=(const Attr& o) const { return compare_path(detail::ConditionOp::le, o.path_); }
    Condition operator>(const Attr& o) const { return compare_path(detail::ConditionOp::gt, o.path_); }
    Condition operator>=(const Attr& o) const { return compare_path(detail::ConditionOp::ge, o.path_); }
    ///@}

    /** `path BETWEEN :lo AND :hi` (inclusive). */
    template <class V>
    Condition between(const V& lo, const V& hi) const {
        return {detail::ConditionOp::between, {detail::path_operand(path_), detail::value_operand(detail::encode_value(lo)),
                                               detail::value_operand(detail::encode_value(hi))}};
    }
    /** `path IN (:a, :b, ...)`; 1 to 100 values. */
    template <class V>
    Condition is_in(std::initializer_list<V> values) const {
        return is_in_encoded(encode_all(values));
    }
    /** `path IN (...)` over a range of values (a vector, a set...); 1 to 100 values. */
    template <class Range>
        requires requires(const Range& r) { r.begin(); r.end(); } && (!std::is_convertible_v<const Range&, std::string_view>)
    Condition is_in(const Range& values) const {
        return is_in_encoded(encode_all(values));
    }
    /** `begins_with(path, :prefix)` */
    Condition begins_with(std::string_view prefix) const;
    /** `contains(path, :v)`: a substring of a string, or an element of a set or list. */
    template <class V>
    Condition contains(const V& v) const { return compare(detail::ConditionOp::contains, detail::encode_value(v)); }

    /** Steps into a map key or a list element. */
    Attr operator/(std::string key) const { return Attr(path_ / std::move(key)); }
    /** Steps into list element `index`: `attr("tags")[0]`. */
    Attr operator[](std::size_t index) const { return Attr(path_[index]); }

private:
    template <class Range>
    static std::vector<boost::json::value> encode_all(const Range& values) {
        std::vector<boost::json::value> out;
        for (const auto& v : values) out.push_back(detail::encode_value(v));
        return out;
    }
    Condition is_in_encoded(std::vector<boost::json::value> values) const;
};

/** An attribute path in text form (see path.hpp): `attr("address.city")`, `attr("items[0]")`.
    @throws ValidationError for a malformed path. */
inline Attr attr(std::string_view path) { return Attr(Path::parse(path)); }

/** A top-level attribute whose name is taken literally, dots and all: `attr_name("a.b")`. */
inline Attr attr_name(std::string name) { return Attr(Path(std::move(name))); }

}  // namespace dynantic
