// SPDX-License-Identifier: BSL-1.0
#pragma once
// Scratch memory for the JSON of one request or response that is only sent or only decoded.

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/storage_ptr.hpp>

namespace dynantic::detail {

/** A monotonic arena that starts in a 4 KB buffer on the stack, continues on the heap, and is
    released in one piece (no allocation, and no free, per JSON value). */
class RequestArena {
public:
    RequestArena() = default;
    RequestArena(const RequestArena&) = delete;
    RequestArena& operator=(const RequestArena&) = delete;
    boost::json::storage_ptr storage() noexcept { return &resource_; }

private:
    unsigned char buffer_[4096];
    boost::json::monotonic_resource resource_{buffer_, sizeof buffer_};
};

}  // namespace dynantic::detail
