// SPDX-License-Identifier: BSL-1.0
#pragma once
// The names a Query or Scan needs (table or index, key attributes and their wire types), the
// model's stable type name bound into cursors, and the threads of a parallel scan.

#include <dynantic/codec/traits.hpp>
#include <dynantic/read_result.hpp>

#include <boost/core/type_name.hpp>

#include <exception>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic {

namespace detail {

/** The names a read needs: the index (empty for the table) and the key attributes. */
struct ReadTarget {
    std::string_view index_name;
    IndexKind kind = IndexKind::table;
    std::string_view partition_key;   ///< of the table or index read
    std::string_view sort_key;        ///< of the table or index read; empty if none
    std::string_view table_partition_key;
    std::string_view table_sort_key;
    // Wire types (S, N or B) of the four keys above, for checking LastEvaluatedKeys and cursors.
    AttributeType partition_key_type = AttributeType::S;
    AttributeType sort_key_type = AttributeType::S;
    AttributeType table_partition_key_type = AttributeType::S;
    AttributeType table_sort_key_type = AttributeType::S;
};

/** The name of a model type, the same in every build ("shop::Order"), bound into cursors. */
template <class Model>
const std::string& model_type_name() {
    static const std::string name = boost::core::type_name<Model>();
    return name;
}

/** Calls `task(0)` ... `task(count - 1)`, each on a thread of its own, and returns when all have
    returned. A thread the system refuses to start runs its task on the calling thread instead,
    so no task is skipped. `task` must not throw. */
void run_on_threads(unsigned count, const std::function<void(unsigned)>& task);

/** Runs `segments` parallel scans on threads and concatenates their results. */
template <class Fn>
auto run_segments(unsigned segments, Fn&& scan_segment) {
    using Result = decltype(scan_segment(0u));
    std::vector<Result> results(segments);
    std::vector<std::exception_ptr> errors(segments);
    run_on_threads(segments, [&](unsigned i) {
        try {
            results[i] = scan_segment(i);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    });
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    Result all;
    for (auto& r : results) std::move(r.begin(), r.end(), std::back_inserter(all));
    return all;
}

}  // namespace detail

}  // namespace dynantic
