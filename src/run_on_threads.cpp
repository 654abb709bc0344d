// SPDX-License-Identifier: BSL-1.0
// The threads of a parallel scan, here rather than in the header: <thread> stays out of every
// translation unit that includes the library.
#include <dynantic/detail/read_target.hpp>

#include <system_error>
#include <thread>
#include <vector>

namespace dynantic::detail {

void run_on_threads(unsigned count, const std::function<void(unsigned)>& task) {
    std::vector<std::jthread> threads;
    threads.reserve(count);
    for (unsigned i = 0; i < count; ++i) {
        try {
            threads.emplace_back(task, i);
        } catch (const std::system_error&) {
            task(i);   // no thread to be had (EAGAIN): run this segment here, losing none
        }
    }
}   // the jthreads join here

}  // namespace dynantic::detail
