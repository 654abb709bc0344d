#pragma once
// Checks of response shapes, shared by every operation that reads a response member: a member of
// the wrong JSON type, a count that is not a non-negative integer, a key that is not the table's
// or index's key. Each failure is an `Error` with errc::invalid_response naming the operation,
// the table and what was wrong (member names, types and positions; never values). The checks are
// type tests on what the caller reads anyway: no extra pass over items, no copies.

#include <dynantic/codec/traits.hpp>
#include <dynantic/error.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace dynantic::detail {

/** Throws `Error(errc::invalid_response)`: "<operation> on table '<t>': invalid response: <what>". */
[[noreturn]] void throw_invalid_response(const ErrorInfo& context, std::string what);

/** The JSON type of a value, for messages: "an object", "a string", "a number", "null", ... */
std::string_view json_kind(const boost::json::value& v) noexcept;

/** `object[member]` if it is an object; nullptr when absent.
    @throws Error (invalid_response) when present with another type (`where` prefixes the name). */
const boost::json::object* optional_object(const boost::json::object& object, std::string_view member,
                                           const ErrorInfo& context, std::string_view where = {});
/** `object[member]` if it is an array; nullptr when absent. @throws as `optional_object`. */
const boost::json::array* optional_array(const boost::json::object& object, std::string_view member,
                                         const ErrorInfo& context, std::string_view where = {});

/** A count (`Count`, `ScannedCount`): nullopt when absent.
    @throws Error (invalid_response) unless it is an integer >= 0. */
std::optional<std::size_t> optional_count(const boost::json::object& object, std::string_view member,
                                          const ErrorInfo& context);

/** One attribute of a table's or index's key and its wire type (S, N or B). */
struct KeyAttribute {
    std::string name;
    AttributeType type = AttributeType::S;
};

/** What is wrong with `key` as a key made of exactly `attributes` (each an AttributeValue of its
    type with a string payload); empty when nothing is. Names attributes and types, never values. */
std::string key_shape_problem(const boost::json::object& key, std::span<const KeyAttribute> attributes);

/** The element `index` of an array member as an object.
    @throws Error (invalid_response) "<member>[<index>] is a number, not an object". */
inline const boost::json::object& element_object(const boost::json::value& element, std::string_view member,
                                                 std::size_t index, const ErrorInfo& context) {
    if (const auto* o = element.if_object()) [[likely]]
        return *o;
    throw_invalid_response(context, std::string(member) + "[" + std::to_string(index) + "] is " +
                                        std::string(json_kind(element)) + ", not an object");
}

}  // namespace dynantic::detail
