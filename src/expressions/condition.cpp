// SPDX-License-Identifier: BSL-1.0
#include <dynantic/expressions/condition.hpp>

namespace dynantic {

Condition::Condition(detail::ConditionOp op, std::vector<detail::Operand> operands)
    : node_(std::make_shared<const detail::ConditionNode>(detail::ConditionNode{op, std::move(operands), {}})) {}

Condition PathOperand::exists() const { return {detail::ConditionOp::exists, {detail::path_operand(path_)}}; }

Condition PathOperand::not_exists() const { return {detail::ConditionOp::not_exists, {detail::path_operand(path_)}}; }

Condition PathOperand::compare(detail::ConditionOp op, boost::json::value v) const {
    return {op, {detail::path_operand(path_), detail::value_operand(std::move(v))}};
}

Condition PathOperand::compare_path(detail::ConditionOp op, const Path& other) const {
    return {op, {detail::path_operand(path_), detail::path_operand(other)}};
}

Condition Attr::begins_with(std::string_view prefix) const {
    return compare(detail::ConditionOp::begins_with, detail::encode_value(prefix));
}

Condition PathOperand::attribute_type(AttributeType type) const {
    boost::json::value v;
    v.emplace_object()["S"] = to_string(type);
    return {detail::ConditionOp::attribute_type, {detail::path_operand(path_), detail::value_operand(std::move(v))}};
}

Condition SizeOf::compare(detail::ConditionOp op, std::int64_t n) const {
    return {op, {detail::size_operand(path_), detail::value_operand(detail::encode_value(n))}};
}

Condition SizeOf::between(std::int64_t lo, std::int64_t hi) const {
    return {detail::ConditionOp::between, {detail::size_operand(path_), detail::value_operand(detail::encode_value(lo)),
                                           detail::value_operand(detail::encode_value(hi))}};
}

Condition Attr::is_in_encoded(std::vector<boost::json::value> values) const {
    if (values.empty() || values.size() > 100)
        throw ValidationError({{}, {}, {}, "IN needs 1 to 100 values, got " + std::to_string(values.size()), 0, {}});
    std::vector<detail::Operand> operands{detail::path_operand(path_)};
    for (auto& v : values) operands.push_back(detail::value_operand(std::move(v)));
    return {detail::ConditionOp::in, std::move(operands)};
}

namespace detail {

void throw_encode_error(const AttributeError& e) {
    throw ValidationError({{}, {}, {}, "expression value: " + e.message, 0, {}});
}

Operand path_operand(Path p) { return {Operand::Kind::path, std::move(p), {}}; }
Operand size_operand(Path p) { return {Operand::Kind::size, std::move(p), {}}; }
Operand value_operand(boost::json::value v) { return {Operand::Kind::value, {}, std::move(v)}; }

Condition combine(ConditionOp op, const Condition& a, const Condition& b) {
    return Condition(std::make_shared<const ConditionNode>(ConditionNode{op, {}, {a.ptr(), b.ptr()}}));
}

Condition negate(const Condition& a) {
    return Condition(std::make_shared<const ConditionNode>(ConditionNode{ConditionOp::logical_not, {}, {a.ptr()}}));
}

}  // namespace detail
}  // namespace dynantic
