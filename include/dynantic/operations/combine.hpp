// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The one place a condition is AND-combined into an optional one (`when` called twice, the
    version condition, `if_absent`, a subtype's own-items filter). */

#include <dynantic/expressions/condition.hpp>

#include <optional>

namespace dynantic::detail {

/** `slot = slot AND c`, or `c` when `slot` is empty: renders `(slot) AND (c)`. */
template <class C>
void and_into(std::optional<Condition>& slot, const C& c) {
    if (slot) slot = Condition(*slot && c);
    else slot = Condition(c);
}

}  // namespace dynantic::detail
