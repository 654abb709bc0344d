// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Right-hand sides of SET actions in an UpdateExpression: a value, another attribute,
    `if_not_exists(path, value)`, `list_append(a, b)`, and `a + b` / `a - b`.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html */

#include <dynantic/expressions/path.hpp>

#include <boost/json/value.hpp>

#include <vector>

namespace dynantic {
namespace detail {

/** One operand of a SET action. `args` hold the operands of functions and arithmetic. */
struct SetOperand {
    enum class Kind { path, value, if_not_exists, list_append, plus, minus };
    Kind kind = Kind::value;
    Path path;                     ///< for path
    boost::json::value value;      ///< for value: an AttributeValue
    std::vector<SetOperand> args;  ///< for functions and arithmetic (two each)
};

inline SetOperand set_value(boost::json::value av) { return {SetOperand::Kind::value, {}, std::move(av), {}}; }
inline SetOperand set_path(Path p) { return {SetOperand::Kind::path, std::move(p), {}, {}}; }
inline SetOperand set_call(SetOperand::Kind kind, SetOperand a, SetOperand b) {
    SetOperand out{kind, {}, {}, {}};
    out.args.reserve(2);
    out.args.push_back(std::move(a));
    out.args.push_back(std::move(b));
    return out;
}

}  // namespace detail

/** A SET right-hand side whose result has C++ type `T` (`void` when untyped). Made by
    `field + n`, `if_not_exists(field, v)`, `list_append(field, v)`. */
template <class T>
class UpdateValue {
public:
    using value_type = T;   ///< the C++ type of the result
    /** Wraps a rendered operand (built by the DSL). */
    explicit UpdateValue(detail::SetOperand operand) : operand_(std::move(operand)) {}
    /** The operand, rendered by `ExpressionContext`. */
    const detail::SetOperand& operand() const noexcept { return operand_; }

private:
    detail::SetOperand operand_;
};

}  // namespace dynantic
