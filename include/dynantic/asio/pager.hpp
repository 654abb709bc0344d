// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `dynantic::asio::Pager<Read>`: the items of a Query or Scan, fetched one DynamoDB page at a
    time without holding a thread, for a coroutine that handles them one by one (or page by page)
    without loading them all. Made by `query.async_pager()` / `scan.async_pager()`.

    @code
    auto pager = users.query("u1").filter(dy::field(&User::age) > 18).async_pager();
    while (std::optional<User> u = co_await pager.async_next(asio::use_awaitable)) handle(*u);
    @endcode
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html */

#include <dynantic/asio/reads.hpp>
#include <dynantic/asio/run.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dynantic::asio {

/** Asynchronous iteration over the items of a read (`Read`: a `Query` or `Scan`, copied), up to
    its `limit`. One page of items is held at a time. Like an Asio I/O object: one operation at
    a time, and the pager must outlive the operations it starts. Not thread-safe. */
template <class Read>
class Pager {
public:
    using value_type = typename Read::value_type;   ///< an item: the model, a view or a variant

    /** The items of `read`, from the beginning. */
    explicit Pager(const Read& read) : reader_(read.client(), read.spec(), std::nullopt) {}

    /** The next item: completes with `void(std::exception_ptr, std::optional<value_type>)`,
        `std::nullopt` after the last item; sends the next page request (Query or Scan) only when
        the items fetched are used up.
        @throws (through the completion) as `ReadBuilder::page`. */
    template <class CompletionToken>
    auto async_next(CompletionToken&& token) {
        return run<std::optional<value_type>>(
            [this]() -> boost::asio::awaitable<std::optional<value_type>> {
                while (index_ >= items_.size()) {
                    if (!reader_.more()) co_return std::nullopt;
                    op::Page<value_type> page = co_await reader_.next();
                    items_ = std::move(page.items);
                    index_ = 0;
                }
                co_return std::move(items_[index_++]);
            },
            std::forward<CompletionToken>(token));
    }

    /** The items not yet handed out of the current page, else the next page's (which may be
        empty when a filter left nothing of it): completes with
        `void(std::exception_ptr, std::optional<std::vector<value_type>>)`, `std::nullopt` when
        nothing is left. */
    template <class CompletionToken>
    auto async_next_page(CompletionToken&& token) {
        using Items = std::vector<value_type>;
        return run<std::optional<Items>>(
            [this]() -> boost::asio::awaitable<std::optional<Items>> {
                if (index_ < items_.size()) {
                    Items rest(std::make_move_iterator(items_.begin() + static_cast<std::ptrdiff_t>(index_)),
                               std::make_move_iterator(items_.end()));
                    items_.clear();
                    index_ = 0;
                    co_return rest;
                }
                if (!reader_.more()) co_return std::nullopt;
                op::Page<value_type> page = co_await reader_.next();
                co_return std::move(page.items);
            },
            std::forward<CompletionToken>(token));
    }

    /** The cursor of the next page (for `page(cursor)` / `async_page(cursor)`, in this or another
        process) once the items fetched are all handed out; none when nothing is left. */
    std::optional<std::string> cursor() const { return reader_.cursor(); }

private:
    detail::PageReader<Read> reader_;
    std::vector<value_type> items_;
    std::size_t index_ = 0;
};

}  // namespace dynantic::asio
