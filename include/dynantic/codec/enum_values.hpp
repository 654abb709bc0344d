// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Enums stored by a value per enumerator, as Python's `Enum` stores its `.value` (Python
    Dynantic writes enum fields so): a string (S) or an integer (N) for each enumerator, declared
    beside the enum by a hook found by argument-dependent lookup.

    @code
    namespace shop {
    enum class Status { active, on_hold };
    BOOST_DESCRIBE_ENUM(Status, active, on_hold)
    constexpr auto dynantic_enum_values(const Status*) {      // class Status(str, Enum): ...
        return std::to_array<std::pair<Status, std::string_view>>({{Status::active, "ACTIVE"},
                                                                  {Status::on_hold, "ON HOLD"}});
    }
    enum class Priority { low, high };
    BOOST_DESCRIBE_ENUM(Priority, low, high)
    constexpr auto dynantic_enum_values(const Priority*) {    // class Priority(IntEnum): LOW = 0 ...
        return std::to_array<std::pair<Priority, std::int64_t>>({{Priority::low, 0}, {Priority::high, 10}});
    }
    }
    @endcode

    The hook returns a `std::array` (or any range) of `std::pair<E, V>`: `V` a `std::string_view`
    stores S, an integer type stores N. It replaces the default (the enumerator's name,
    codec/enum.hpp) for every member of that enum, on every path (items, keys, conditions,
    updates), since `.value` belongs to the Python enum class as well. The enum must be described
    (`BOOST_DESCRIBE_ENUM`); a described enumerator the mapping lacks, or two enumerators with
    one value, fail to compile.

    Reading a value the mapping lacks is a `DecodeError` naming the attribute and the values
    known; writing a value that is no enumerator is a `ValidationError`. */

#include <dynantic/codec/enum.hpp>
#include <dynantic/codec/scalars.hpp>

#include <boost/core/type_name.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace dynantic {
namespace detail {

template <class E>
concept valued_enum = described_enum<E> && requires { dynantic_enum_values(static_cast<const E*>(nullptr)); };

template <class E>
inline constexpr auto enum_value_table = dynantic_enum_values(static_cast<const E*>(nullptr));

template <class E>
using enum_value_t = std::remove_cvref_t<decltype(enum_value_table<E>.begin()->second)>;

/** True when every described enumerator has exactly one entry and no two entries share a value. */
template <class E>
constexpr bool enum_values_complete() {
    bool ok = true;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
        int count = 0;
        for (const auto& [e, v] : enum_value_table<E>)
            if (e == D.value) ++count;
        if (count != 1) ok = false;
    });
    for (auto a = enum_value_table<E>.begin(); a != enum_value_table<E>.end(); ++a)
        for (auto b = a + 1; b != enum_value_table<E>.end(); ++b)
            if (a->second == b->second) ok = false;
    return ok;
}

}  // namespace detail

/** Enums with a `dynantic_enum_values` hook: S or N, the enumerator's value (file comment). */
template <detail::valued_enum E>
struct attribute_traits<E> {
    /** The C++ type of the values: `std::string_view` or an integer type. */
    using value_type = detail::enum_value_t<E>;
    static_assert(std::is_same_v<value_type, std::string_view> ||
                      (std::is_integral_v<value_type> && !std::is_same_v<value_type, bool>),
                  "dynantic: dynantic_enum_values must pair each enumerator with a std::string_view or an integer");
    static_assert(detail::enum_values_complete<E>(),
                  "dynantic: dynantic_enum_values must give every described enumerator exactly one value, "
                  "and no two enumerators the same value");
    /** The wire type: S for string values, N for integers. */
    static constexpr AttributeType type =
        std::is_same_v<value_type, std::string_view> ? AttributeType::S : AttributeType::N;

    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(E v, boost::json::value& out) {
        for (const auto& [e, value] : detail::enum_value_table<E>) {
            if (e != v) continue;
            if constexpr (type == AttributeType::S) detail::set_attribute(out, type, value);
            else dynantic::to_attribute(value, out);
            return;
        }
        detail::throw_attribute_error("value " + std::to_string(static_cast<std::underlying_type_t<E>>(v)) +
                                          " is not an enumerator of " + boost::core::type_name<E>(),
                                      true);
    }

    /** Reads an AttributeValue; a wrong type or an unknown value is a `DecodeError` naming the
        attribute. */
    static E from_attribute(const boost::json::value& av) {
        std::string found;
        if constexpr (type == AttributeType::S) {
            const auto& s = detail::expect_type(av, type).get_string();
            const std::string_view text(s.data(), s.size());
            for (const auto& [e, value] : detail::enum_value_table<E>)
                if (value == text) return e;
            found = redacted(text);
        } else {
            const auto n = dynantic::from_attribute<std::int64_t>(av);
            for (const auto& [e, value] : detail::enum_value_table<E>)
                if (static_cast<std::int64_t>(value) == n) return e;
            found = redacted(std::to_string(n));
        }
        detail::throw_attribute_error(found + " is not a value of " + boost::core::type_name<E>() +
                                      " (expected one of " + known() + ")");
    }

private:
    static std::string known() {
        std::string out;
        for (const auto& [e, value] : detail::enum_value_table<E>) {
            if (!out.empty()) out += ", ";
            if constexpr (type == AttributeType::S) out += value;
            else out += std::to_string(value);
        }
        return out;
    }
};

}  // namespace dynantic
