// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    A PartiQL statement as a value: its text and its `?` parameters bound, in order, from C++
    values through the codec (`statement(text, args...)`). partiql.hpp sends statements. */

#include <dynantic/codec/traits.hpp>
#include <dynantic/error.hpp>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace dynantic {

/** One PartiQL statement with its parameters (ParameterizedStatement / BatchStatementRequest). */
struct Statement {
    std::string text;                ///< the statement, with `?` placeholders
    boost::json::array parameters;   ///< one AttributeValue per `?`, in order
    bool consistent_read = false;    ///< ConsistentRead (reads, outside transactions)
};

namespace detail {

template <class T>
struct is_std_optional : std::false_type {};
template <class T>
struct is_std_optional<std::optional<T>> : std::true_type {};

[[noreturn]] void throw_parameter_error(std::size_t index, std::string_view message);

/** The AttributeValue bound to parameter `index` (0-based). */
template <class V>
boost::json::value partiql_parameter(const V& v, std::size_t index) {
    boost::json::value out;
    if constexpr (std::is_same_v<V, std::nullptr_t> || std::is_same_v<V, std::nullopt_t>) {
        set_null_attribute(out);
    } else if constexpr (is_std_optional<V>::value) {
        if (!v) set_null_attribute(out);
        else out = partiql_parameter(*v, index);
    } else if constexpr (std::is_same_v<V, boost::json::value>) {
        out = v;   // an AttributeValue written by hand
    } else if constexpr (std::is_convertible_v<const V&, std::string_view> && !std::is_same_v<V, std::string>) {
        out = partiql_parameter(std::string(std::string_view(v)), index);
    } else {
        if (omit_attribute(v)) throw_parameter_error(index, "an empty set is not a value (DynamoDB stores no empty sets)");
        try {
            to_attribute(v, out);
        } catch (const AttributeError& e) {
            throw_parameter_error(index, e.message);
        }
    }
    return out;
}

/** `"name"` with embedded quotes doubled: a PartiQL quoted identifier. */
std::string quote_identifier(std::string_view name);
/** True for a statement whose first word is SELECT (sent as idempotent). */
bool is_select(std::string_view text) noexcept;

}  // namespace detail

/** A statement with its parameters bound, in order, from `args` (see the file comment).
    @throws ValidationError naming the parameter for a value DynamoDB cannot store (NaN, an
            empty set, invalid UTF-8). */
template <class... Args>
Statement statement(std::string text, const Args&... args) {
    Statement s{std::move(text), {}, false};
    s.parameters.reserve(sizeof...(Args));
    std::size_t i = 0;
    (s.parameters.push_back(detail::partiql_parameter(args, i++)), ...);
    return s;
}

}  // namespace dynantic
