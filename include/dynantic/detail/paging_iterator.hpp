// SPDX-License-Identifier: BSL-1.0
#pragma once
// The input iterator of every paged read (Query, Scan, ExecuteStatement): it holds a shared
// `State` that fetches pages as needed. `State` provides `value_type`, `std::optional<value_type>
// current` and `void advance()` (moves to the next item, fetching a page when needed; resets
// `current` at the end).

#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>

namespace dynantic::detail {

template <class State>
class PagingIterator {
public:
    using value_type = typename State::value_type;       ///< the decoded item
    using difference_type = std::ptrdiff_t;             ///< required of iterators
    using iterator_concept = std::input_iterator_tag;   ///< single pass

    /** The end iterator (equal to the sentinel). */
    PagingIterator() = default;
    /** Starts a read over `state`: fetches up to its first item. */
    explicit PagingIterator(std::shared_ptr<State> state) : state_(std::move(state)) { state_->advance(); }

    /** The current item. */
    value_type& operator*() const { return *state_->current; }
    /** The current item's members. */
    value_type* operator->() const { return &*state_->current; }
    /** Moves to the next item, fetching the next page when this one is used up.
        @throws Error as the read does (a failed page request, an item that does not fit). */
    PagingIterator& operator++() {
        state_->advance();
        return *this;
    }
    /** As the prefix form (an input iterator returns nothing). */
    void operator++(int) { ++*this; }
    /** True at the end of the items. */
    friend bool operator==(const PagingIterator& it, std::default_sentinel_t) {
        return !it.state_ || !it.state_->current.has_value();
    }

private:
    std::shared_ptr<State> state_;
};

}  // namespace dynantic::detail
