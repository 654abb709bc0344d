// SPDX-License-Identifier: BSL-1.0
#include <dynantic/expressions/compile.hpp>

namespace dynantic {

std::string ExpressionContext::name(std::string_view attribute_name) {
    for (const auto& [placeholder, name] : names_)
        if (name == attribute_name) return placeholder;
    std::string placeholder = "#n" + std::to_string(names_.size());
    names_.emplace_back(placeholder, std::string(attribute_name));
    return placeholder;
}

std::string ExpressionContext::value(boost::json::value attribute_value) {
    std::string placeholder = ":v" + std::to_string(values_.size());
    values_.emplace(placeholder, std::move(attribute_value));
    return placeholder;
}

void ExpressionContext::render(const Path& path, std::string& out) {
    bool first = true;
    for (const auto& e : path.elements()) {
        if (const auto* index = std::get_if<std::size_t>(&e)) {
            out += '[';
            out += std::to_string(*index);
            out += ']';
        } else {
            if (!first) out += '.';
            out += name(std::get<std::string>(e));
        }
        first = false;
    }
}

void ExpressionContext::render_operand(const detail::Operand& operand, std::string& out) {
    switch (operand.kind) {
    case detail::Operand::Kind::path: render(operand.path, out); break;
    case detail::Operand::Kind::value: out += value(operand.value); break;
    case detail::Operand::Kind::size:
        out += "size(";
        render(operand.path, out);
        out += ')';
        break;
    }
}

namespace {
const char* comparator(detail::ConditionOp op) {
    switch (op) {
    case detail::ConditionOp::eq: return " = ";
    case detail::ConditionOp::ne: return " <> ";
    case detail::ConditionOp::lt: return " < ";
    case detail::ConditionOp::le: return " <= ";
    case detail::ConditionOp::gt: return " > ";
    case detail::ConditionOp::ge: return " >= ";
    default: return nullptr;
    }
}
const char* function_name(detail::ConditionOp op) {
    switch (op) {
    case detail::ConditionOp::begins_with: return "begins_with(";
    case detail::ConditionOp::contains: return "contains(";
    case detail::ConditionOp::exists: return "attribute_exists(";
    case detail::ConditionOp::not_exists: return "attribute_not_exists(";
    case detail::ConditionOp::attribute_type: return "attribute_type(";
    default: return nullptr;
    }
}
bool is_logical(detail::ConditionOp op) {
    return op == detail::ConditionOp::logical_and || op == detail::ConditionOp::logical_or;
}
}  // namespace

void ExpressionContext::render(const Condition& condition, std::string& out) {
    const auto& node = condition.node();
    using Op = detail::ConditionOp;
    if (const char* c = comparator(node.op)) {
        render_operand(node.operands[0], out);
        out += c;
        render_operand(node.operands[1], out);
        return;
    }
    if (const char* f = function_name(node.op)) {
        out += f;
        for (std::size_t i = 0; i < node.operands.size(); ++i) {
            if (i > 0) out += ", ";
            render_operand(node.operands[i], out);
        }
        out += ')';
        return;
    }
    switch (node.op) {
    case Op::between:
        render_operand(node.operands[0], out);
        out += " BETWEEN ";
        render_operand(node.operands[1], out);
        out += " AND ";
        render_operand(node.operands[2], out);
        return;
    case Op::in:
        render_operand(node.operands[0], out);
        out += " IN (";
        for (std::size_t i = 1; i < node.operands.size(); ++i) {
            if (i > 1) out += ", ";
            render_operand(node.operands[i], out);
        }
        out += ')';
        return;
    case Op::logical_and:
    case Op::logical_or:
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            if (i > 0) out += node.op == Op::logical_and ? " AND " : " OR ";
            const Condition child(node.children[i]);
            // Parenthesize a nested AND/OR of the other kind; same-kind chains read flat.
            const bool parens = is_logical(child.node().op) && child.node().op != node.op;
            if (parens) out += '(';
            render(child, out);
            if (parens) out += ')';
        }
        return;
    case Op::logical_not:
        out += "NOT (";
        render(Condition(node.children[0]), out);
        out += ')';
        return;
    default: return;
    }
}

void ExpressionContext::render_set_operand(const detail::SetOperand& operand, std::string& out) {
    using Kind = detail::SetOperand::Kind;
    switch (operand.kind) {
    case Kind::path: render(operand.path, out); return;
    case Kind::value: out += value(operand.value); return;
    case Kind::if_not_exists:
    case Kind::list_append:
        out += operand.kind == Kind::if_not_exists ? "if_not_exists(" : "list_append(";
        render_set_operand(operand.args[0], out);
        out += ", ";
        render_set_operand(operand.args[1], out);
        out += ')';
        return;
    case Kind::plus:
    case Kind::minus:
        render_set_operand(operand.args[0], out);
        out += operand.kind == Kind::plus ? " + " : " - ";
        render_set_operand(operand.args[1], out);
        return;
    }
}

void ExpressionContext::render(const UpdateExpression& update, std::string& out) {
    using Kind = detail::UpdateAction::Kind;
    static constexpr std::pair<Kind, const char*> clauses[] = {
        {Kind::set, "SET "}, {Kind::remove, "REMOVE "}, {Kind::add, "ADD "}, {Kind::delete_elements, "DELETE "}};
    for (const auto& [kind, keyword] : clauses) {
        bool first = true;
        for (const auto& action : update.actions()) {
            if (action.kind != kind) continue;
            if (first) {
                if (!out.empty()) out += ' ';
                out += keyword;
                first = false;
            } else {
                out += ", ";
            }
            render(action.path, out);
            switch (kind) {
            case Kind::set:
                out += " = ";
                render_set_operand(action.operand, out);
                break;
            case Kind::add:
            case Kind::delete_elements:
                out += ' ';
                render_set_operand(action.operand, out);
                break;
            case Kind::remove: break;
            }
        }
    }
}

void ExpressionContext::render_projection(const std::vector<Path>& paths, std::string& out) {
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (i > 0) out += ", ";
        render(paths[i], out);
    }
}

void ExpressionContext::apply(boost::json::object& request) const {
    if (!names_.empty()) {
        auto& names = request["ExpressionAttributeNames"].emplace_object();
        for (const auto& [placeholder, name] : names_) names[placeholder] = name;
    }
    if (!values_.empty()) request["ExpressionAttributeValues"] = values_;
}

namespace {
template <class E>
CompiledExpression compile_one(const E& e) {
    ExpressionContext ctx;
    CompiledExpression out;
    ctx.render(e, out.text);
    for (const auto& [placeholder, name] : ctx.names()) out.names.emplace(placeholder, name);
    out.values = ctx.values();
    return out;
}
}  // namespace

CompiledExpression compile(const Condition& condition) { return compile_one(condition); }
CompiledExpression compile(const UpdateExpression& update) { return compile_one(update); }

}  // namespace dynantic
