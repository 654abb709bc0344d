// SPDX-License-Identifier: BSL-1.0
#include <dynantic/expressions/update.hpp>

#include <dynantic/codec/compare.hpp>
#include <dynantic/error.hpp>

namespace dynantic {
namespace {

/** The AttributeValue at `path` in `item` (map keys only); null when absent. Sets `tellable`
    false for a path through list elements, whose position an update may shift. */
const boost::json::value* find_at(const boost::json::object& item, const Path& path, bool& tellable) {
    for (const PathElement& element : path.elements())
        if (std::holds_alternative<std::size_t>(element)) {
            tellable = false;
            return nullptr;
        }
    const boost::json::object* members = &item;
    const boost::json::value* found = nullptr;
    for (const PathElement& element : path.elements()) {
        const auto& name = std::get<std::string>(element);
        if (members == nullptr) return nullptr;
        found = members->if_contains(name);
        if (found == nullptr) return nullptr;
        members = nullptr;
        if (const auto* av = found->if_object(); av != nullptr && av->size() == 1 && av->begin()->key() == "M")
            members = av->begin()->value().if_object();
    }
    return found;
}

}  // namespace

bool UpdateExpression::applied_to(const boost::json::object& item) const {
    std::size_t told = 0;
    for (const auto& action : actions_) {
        bool tellable = true;
        if (action.kind == detail::UpdateAction::Kind::set && action.operand.kind == detail::SetOperand::Kind::value) {
            const boost::json::value* found = find_at(item, action.path, tellable);
            if (!tellable) continue;
            if (found == nullptr || !same_attribute_value(*found, action.operand.value)) return false;
            ++told;
        } else if (action.kind == detail::UpdateAction::Kind::remove) {
            const boost::json::value* found = find_at(item, action.path, tellable);
            if (!tellable) continue;
            if (found != nullptr) return false;
            ++told;
        }
    }
    return told > 0;
}

void UpdateExpression::set(Path path, detail::SetOperand operand) {
    actions_.push_back({detail::UpdateAction::Kind::set, std::move(path), std::move(operand)});
}

void UpdateExpression::remove(Path path) {
    actions_.push_back({detail::UpdateAction::Kind::remove, std::move(path), {}});
}

void UpdateExpression::add(Path path, boost::json::value value) {
    actions_.push_back({detail::UpdateAction::Kind::add, std::move(path), detail::set_value(std::move(value))});
}

void UpdateExpression::delete_elements(Path path, boost::json::value value) {
    actions_.push_back({detail::UpdateAction::Kind::delete_elements, std::move(path), detail::set_value(std::move(value))});
}

void UpdateExpression::check(const ErrorInfo& context) const {
    if (actions_.empty()) {
        ErrorInfo info = context;
        info.message = "an update needs at least one action";
        throw ValidationError(std::move(info));
    }
    for (std::size_t i = 0; i < actions_.size(); ++i) {
        for (std::size_t j = i + 1; j < actions_.size(); ++j) {
            if (actions_[i].path.overlaps(actions_[j].path)) {
                ErrorInfo info = context;
                info.message = "two update actions on overlapping paths '" + actions_[i].path.to_string() + "' and '" +
                               actions_[j].path.to_string() + "'";
                throw ValidationError(std::move(info));
            }
        }
    }
}

}  // namespace dynantic
