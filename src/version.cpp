// SPDX-License-Identifier: BSL-1.0
#include <dynantic/version.hpp>

namespace dynantic {

std::string_view version() noexcept { return DYNANTIC_VERSION_STRING; }

}  // namespace dynantic
