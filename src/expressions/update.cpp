// SPDX-License-Identifier: BSL-1.0
#include <dynantic/expressions/update.hpp>

#include <dynantic/error.hpp>

namespace dynantic {

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
