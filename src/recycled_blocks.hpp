// SPDX-License-Identifier: BSL-1.0
#pragma once
// Memory for the arenas that Query and Scan pages are parsed into, kept from one page to the next.
#include <boost/json/memory_resource.hpp>
#include <boost/json/monotonic_resource.hpp>

#include <cstddef>

namespace dynantic::detail {

/** A memory resource (upstream of the pagers' monotonic arenas) that keeps the large blocks it is
    given back, per thread, up to 4 MiB, and hands them out again for requests of the same size.
    Without it each page's arena came fresh from the operating system: glibc returns large freed
    blocks at the top of the heap (or mmap'd ones) at once, and touching them again cost page
    faults, about 40% of a 100-item Query's CPU. Stateless: usable from any thread, blocks freed
    on one thread are kept by that thread; a thread's blocks are freed when it exits. */
boost::json::memory_resource& recycled_blocks() noexcept;

/** Frees `arena`'s blocks and restarts it as a new arena on `recycled_blocks()` whose first block
    holds `initial_size` bytes. Not `arena.release()`: Boost.JSON 1.81 keeps the doubled block
    size across a release, so an arena released page after page (or batch after batch) asked for
    ever larger blocks (1 KiB * 2^n after n blocks: none recycled, std::bad_alloc within a few
    dozen pages). Values in the arena must not be used afterwards. */
void restart_arena(boost::json::monotonic_resource& arena, std::size_t initial_size) noexcept;

}  // namespace dynantic::detail
