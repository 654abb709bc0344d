// SPDX-License-Identifier: BSL-1.0
#pragma once
// The process environment as the aws layer reads it. Private to src/.
#include <string>
#include <string_view>

namespace dynantic::aws::detail {

/** The variable's value; empty when unset. */
std::string_view env(const char* name) noexcept;

/** `path` with a leading "~/" (or a lone "~") replaced by $HOME. */
std::string expand_home(std::string_view path);

}  // namespace dynantic::aws::detail
