// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The library's version. These macros are the single source of the version number: the
    top-level CMakeLists.txt reads them for `project(VERSION)`, the CMake package, the pkg-config
    file and the Debian package. */

#include <string_view>

/** Major version: 0 while the API may still change between minor versions. */
#define DYNANTIC_VERSION_MAJOR 0
/** Minor version. In 0.x, a new minor version may change the API. */
#define DYNANTIC_VERSION_MINOR 1
/** Patch version: fixes only. */
#define DYNANTIC_VERSION_PATCH 0

/** The version as one number, `major * 10000 + minor * 100 + patch` (0.1.0 is 100), for
    `#if DYNANTIC_VERSION >= 200`. */
#define DYNANTIC_VERSION (DYNANTIC_VERSION_MAJOR * 10000 + DYNANTIC_VERSION_MINOR * 100 + DYNANTIC_VERSION_PATCH)

/** The version as text, "major.minor.patch". */
#define DYNANTIC_VERSION_STRING "0.1.0"

namespace dynantic {

/** The version of the library linked into the program, "major.minor.patch" (it equals
    `DYNANTIC_VERSION_STRING` unless the headers and the library come from different releases).
    Sent in the `User-Agent` header of every request as `dynantic/<version>`. */
std::string_view version() noexcept;

}  // namespace dynantic
