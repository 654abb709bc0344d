// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Rendering expressions to DynamoDB's text with `#n` / `:v` placeholders. One
    `ExpressionContext` collects the names and values of all expressions of one request (for
    example a KeyConditionExpression, a FilterExpression and a ProjectionExpression), so
    placeholders never clash and each attribute name appears once.

    @code
    auto e = dy::compile(dy::field(&User::age) >= 18 && dy::field(&User::email).begins_with("a"));
    // e.text == "#n0 >= :v0 AND begins_with(#n1, :v1)", e.names["#n1"] == "email"
    @endcode */

#include <dynantic/error.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/expressions/update.hpp>

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dynantic {

/** Collects the `#n` name and `:v` value placeholders of one request's expressions and renders them (see the file comment). */
class ExpressionContext {
public:
    /** The placeholder of an attribute name ("#n0"); the same name gets the same placeholder. */
    std::string name(std::string_view attribute_name);
    /** A new value placeholder (":v0") for an AttributeValue. */
    std::string value(boost::json::value attribute_value);

    /** Appends the text of a path, a condition, an update expression, a projection. */
    void render(const Path& path, std::string& out);
    /** Appends a condition: "#n0 >= :v0 AND begins_with(#n1, :v1)". */
    void render(const Condition& condition, std::string& out);
    /** Appends an update expression: "SET #n0 = :v0 ADD #n1 :v1". */
    void render(const UpdateExpression& update, std::string& out);
    /** Appends a projection: "#n0, #n1.#n2". */
    void render_projection(const std::vector<Path>& paths, std::string& out);

    /** The text of a condition. */
    std::string render(const Condition& condition) {
        std::string out;
        render(condition, out);
        return out;
    }

    /** Adds `ExpressionAttributeNames` / `ExpressionAttributeValues` to a request, each only
        when non-empty (DynamoDB refuses empty maps). */
    void apply(boost::json::object& request) const;

    /** Placeholder and attribute name pairs, in order of first use: {"#n0", "age"}. */
    const std::vector<std::pair<std::string, std::string>>& names() const noexcept { return names_; }
    /** Placeholders and their AttributeValues: ":v0" -> {"N": "18"}. */
    const boost::json::object& values() const noexcept { return values_; }

private:
    void render_operand(const detail::Operand& operand, std::string& out);
    void render_set_operand(const detail::SetOperand& operand, std::string& out);
    std::vector<std::pair<std::string, std::string>> names_;  // placeholder -> name
    boost::json::object values_;
};

/** A condition compiled alone: its text, names and values. */
struct CompiledExpression {
    std::string text;   ///< "#n0 >= :v0"
    std::map<std::string, std::string> names;   ///< "#n0" -> "age"
    boost::json::object values;                 ///< ":v0" -> {"N": "18"}
};

/** Renders a condition alone, with its own placeholders. */
CompiledExpression compile(const Condition& condition);
/** Renders an update expression alone, with its own placeholders. */
CompiledExpression compile(const UpdateExpression& update);

}  // namespace dynantic
