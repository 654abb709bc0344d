// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Described enums (`BOOST_DESCRIBE_ENUM`): S, the enumerator's name.

    @code
    enum class Status { active, inactive };
    BOOST_DESCRIBE_ENUM(Status, active, inactive)     // stored as "active" / "inactive"
    @endcode

    Reading an unknown name is a `DecodeError` naming the attribute, the value and the known
    enumerators; writing a value that is no enumerator (`static_cast<Status>(7)`) is a
    `ValidationError`. For other spellings ("ACTIVE", numbers) specialize
    `dynantic::attribute_traits<Status>` (an explicit specialization wins over this one). An enum
    that is not described has no mapping. */

#include <dynantic/codec/traits.hpp>

#include <boost/core/type_name.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace dynantic {
namespace detail {

template <class E>
concept described_enum = std::is_enum_v<E> && boost::describe::has_describe_enumerators<E>::value;

template <described_enum E>
std::string enumerator_list() {
    std::string out;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
        if (!out.empty()) out += ", ";
        out += D.name;
    });
    return out;
}

}  // namespace detail

/** Described enums: S, the enumerator name. */
template <detail::described_enum E>
struct attribute_traits<E> {
    static constexpr AttributeType type = AttributeType::S;   ///< the wire type

    /** Calls `f` with the value's wire text (the fast path of `to_item_json`). */
    template <class F>
    static void with_text(E v, F&& f) {
        const char* name = nullptr;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
            if (name == nullptr && D.value == v) name = D.name;
        });
        if (name == nullptr)
            detail::throw_attribute_error(
                "value " + std::to_string(static_cast<std::underlying_type_t<E>>(v)) + " is not an enumerator of " +
                    boost::core::type_name<E>(),
                true);
        f(std::string_view(name));
    }

    /** Writes the value's AttributeValue into `out` (raw tier). */
    static void to_attribute(E v, boost::json::value& out) {
        with_text(v, [&](std::string_view text) { detail::set_attribute(out, type, text); });
    }

    /** Reads an AttributeValue; a wrong type or value is a `DecodeError` naming the attribute. */
    static E from_attribute(const boost::json::value& av) {
        const auto& s = detail::expect_type(av, type).get_string();
        const std::string_view text(s.data(), s.size());
        E result{};
        bool found = false;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
            if (!found && text == D.name) {
                result = D.value;
                found = true;
            }
        });
        if (!found)
            detail::throw_attribute_error(redacted(text) + " is not an enumerator of " +
                                          boost::core::type_name<E>() + " (expected one of " +
                                          detail::enumerator_list<E>() + ")");
        return result;
    }
};

}  // namespace dynantic
