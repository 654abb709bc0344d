// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `ReadBuilder`: the part `Query` and `Scan` share (query.hpp) — filters, limits, terminals
    (`all`, `first`, `one`, `count`, `page`) and lazy iteration over `detail::Pager`. */

#include <dynantic/client.hpp>
#include <dynantic/detail/async_front.hpp>
#include <dynantic/detail/client_ref.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/pager.hpp>
#include <dynantic/detail/projection.hpp>
#include <dynantic/detail/paging_iterator.hpp>
#include <dynantic/detail/read_target.hpp>
#include <dynantic/detail/typed_reader.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/operations/combine.hpp>
#include <dynantic/operations/read_page.hpp>
#include <dynantic/operations/read_request.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/read_result.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

/** The shared part of `Query` and `Scan` (CRTP): filters, limits, terminals, iteration.
    Builder methods called on a temporary return the builder by value, so
    `for (auto& x : table.query(k).reverse())` never iterates a destroyed builder. */
template <class Derived, class Model, class View = Model>
class ReadBuilder {
    using Read = detail::ReadAs<Model, View>;

public:
    /** What the read yields: the model, or a variant for a polymorphic base. */
    using value_type = typename Read::value_type;

    /// @cond INTERNAL
protected:
    /** Pages of a plain model are decoded from their text (detail/typed_reader.hpp); those of a
        view or a polymorphic model from the pager's arena DOM. */
    static constexpr bool typed_pages = Read::whole && detail::typed_reads<Model>();
    using Sink = std::conditional_t<typed_pages, detail::TypedPageSink<Model>, detail::NoPageSink<value_type>>;
    static std::uint64_t required_bits() {
        if constexpr (typed_pages) return detail::required_members<Model>();
        else return 0;
    }
    static detail::ItemSink* item_sink(Sink& sink) {
        if constexpr (typed_pages) return &sink;
        else return nullptr;
    }
    /// @endcond

public:

    /** Adds a FilterExpression condition; several are AND-combined. Filters apply after
        DynamoDB reads a page, so pages may come back short or empty. */
    template <class C>
        requires detail::any_condition<C>
    Derived& filter(const C& condition) & {
        static_assert(detail::check_condition_model<C, Model>());
        detail::and_into(filter_, condition);
        return self();
    }
    /** As above, on a temporary builder: returns the builder by value. */
    template <class C>
        requires detail::any_condition<C>
    Derived filter(const C& condition) && { return std::move(filter(condition)); }
    /** At most `n` items in total, across pages. */
    Derived& limit(std::size_t n) & {
        limit_ = n;
        return self();
    }
    /** As above, on a temporary builder. */
    Derived limit(std::size_t n) && { return std::move(limit(n)); }
    /** DynamoDB's `Limit`: items evaluated per request (1 MB is DynamoDB's own page cap). */
    Derived& page_size(std::size_t n) & {
        page_size_ = n;
        return self();
    }
    /** As above, on a temporary builder. */
    Derived page_size(std::size_t n) && { return std::move(page_size(n)); }
    /** Ask for ReturnConsumedCapacity = `level` (TOTAL, or INDEXES for the per-index
        breakdown). `PageResult::capacity` / `ReadResult::capacity` report it summed over the
        read's requests (and `consumed_capacity` its units). `sink`, when given, also receives
        each request's capacity as it arrives — for reads that return no result object
        (iteration, `count()`, `parallel()`, summed over every segment); it must outlive the
        read and is not synchronized (one read at a time).
        @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-ReturnConsumedCapacity */
    Derived& return_consumed_capacity(ReturnConsumedCapacity level = ReturnConsumedCapacity::total,
                                      ConsumedCapacity* sink = nullptr) & {
        capacity_ = level;
        capacity_sink_ = level == ReturnConsumedCapacity::none ? nullptr : sink;
        return self();
    }
    /** As above, on a temporary builder. */
    Derived return_consumed_capacity(ReturnConsumedCapacity level = ReturnConsumedCapacity::total,
                                     ConsumedCapacity* sink = nullptr) && {
        return std::move(return_consumed_capacity(level, sink));
    }

    /** The first request as an operation value (`op::QueryPage` / `op::ScanPage`), or the
        request of the page after `start_key` (a LastEvaluatedKey); `Limit` is the smaller of
        `page_size` and `limit`. Pure: needs no client. */
    auto operation(std::optional<boost::json::object> start_key = std::nullopt) const {
        op::ReadRequest request = self().read_request();
        request.limit = page_size_;
        if (limit_) request.limit = request.limit ? std::min(*request.limit, *limit_) : *limit_;
        request.exclusive_start_key = std::move(start_key);
        return typename Derived::page_type(std::move(request));
    }

    /** The first request's body, without sending (a dry run). */
    OperationRequest to_request() const { return operation().render(table_.name()); }

    /** A copy that runs through `client`. */
    Derived bind(Client client) const {
        Derived copy = self();
        copy.table_.bound = std::move(client);
        copy.table_.detached = false;
        return copy;
    }
    /** A copy that runs through `table`'s client (`table.bound_client()`, else
        `current_client()` at each call): `users.query(...)` built once, run on several tables. */
    template <class TableLike>
        requires std::is_same_v<typename TableLike::model_type, Model> &&
                 requires(const TableLike& t) { t.bound_client(); }
    Derived bind(const TableLike& table) const {
        Derived copy = self();
        copy.table_.bound = table.bound_client();
        copy.table_.detached = false;
        return copy;
    }

    /** Every item (up to `limit`), fetching all pages. */
    std::vector<value_type> all() const {
        std::vector<value_type> out;
        for (auto&& item : *this) out.push_back(std::move(item));
        return out;
    }

    /** As `all()`, with DynamoDB's `Count` and `ScannedCount` summed over the pages and the
        number of requests made: `q.filter(c).all_with_counts().scanned_count` tells what a
        filter cost. */
    ReadResult<value_type> all_with_counts() const { return collect({}); }

    /** The first item, or `std::nullopt`; stops after the first match. */
    std::optional<value_type> first() const {
        auto spec = this->spec();
        spec.limit = 1;
        Sink sink(required_bits());
        detail::Pager pager(table_.client(), spec, std::nullopt, item_sink(sink));
        return take(pager, sink);
    }

    /** The single item.
        @throws ValidationError when there is none or more than one. */
    value_type one() const {
        auto spec = this->spec();
        spec.limit = 2;
        Sink sink(required_bits());
        detail::Pager pager(table_.client(), spec, std::nullopt, item_sink(sink));
        std::optional<value_type> m = take(pager, sink);
        if (!m) fail("one() found no item");
        if (pager.advance()) fail("one() found more than one item");
        return std::move(*m);
    }

    /** The number of matching items (Select = COUNT; all pages; capped by `limit`). */
    std::size_t count() const { return detail::count_items(table_.client(), spec()); }

    /** One page starting at `cursor` (none: the beginning). With `limit(n)` a page holds up
        to n items, gathered over as many requests as needed; without, it is one DynamoDB
        page. `next_cursor` resumes after the last item of this page.
        @throws ValidationError for a malformed, tampered or foreign cursor (see the file
                comment), before sending; Error (errc::invalid_response) for a malformed page or
                a repeated LastEvaluatedKey; DecodeError for an item that does not fit. */
    PageResult<value_type> page(const std::optional<std::string>& cursor = std::nullopt) const {
        const auto spec = this->spec();
        const Client client = table_.client();
        Sink sink(required_bits());
        detail::Pager pager(client, spec, start_key(cursor, spec, client), item_sink(sink));
        PageResult<value_type> result;
        if (spec.limit) {
            while (auto item = take(pager, sink)) result.items.push_back(std::move(*item));
        } else if (pager.fetch_page()) {
            if (pager.typed()) {
                result.items = std::move(sink.items);
            } else {
                const auto& items = pager.page_items();
                result.items.reserve(items.size());
                for (std::size_t i = 0; i < items.size(); ++i)
                    result.items.push_back(decode(detail::element_object(items[i], "Items", i, spec.context)));
            }
            pager.consume_page();
        }
        result.count = result.items.size();
        result.scanned_count = pager.scanned_count();
        set_capacity(result, pager);
        if (auto key = pager.resume_key()) result.next_cursor = detail::encode_cursor(*key, spec.binding, client.cursor_secret());
        return result;
    }

    ///@{
    /** `page(cursor)` asynchronously, with an Asio completion token (needs
        `#include <dynantic/asio.hpp>`; see table_async.hpp for tokens, executors and
        cancellation): completes with `void(std::exception_ptr, PageResult<value_type>)`, the
        same page and cursor as `page(cursor)` (with `limit(n)`, up to n items over as many
        requests as needed; without, one DynamoDB page), the exception being what `page` would
        throw. The read is copied.
        @code
        std::optional<std::string> cursor;
        do {
            auto page = co_await users.query("u1").limit(20).async_page(cursor, asio::use_awaitable);
            show(page.items);
            cursor = page.next_cursor;
        } while (cursor);
        @endcode */
    template <class CompletionToken>
    auto async_page(CompletionToken&& token) const {
        return async_page(std::optional<std::string>(), std::forward<CompletionToken>(token));
    }
    /** As above, from `cursor` (a `next_cursor`; none: the beginning). */
    template <class CompletionToken>
    auto async_page(std::optional<std::string> cursor, CompletionToken&& token) const {
        return detail::AsyncFrontEnd<detail::async_key<CompletionToken>>::read_page(self(), std::move(cursor),
                                                                                    std::forward<CompletionToken>(token));
    }
    ///@}
    /** `all()` asynchronously: completes with `std::vector<value_type>`, every item (up to
        `limit`) of every page. For reads too large to hold, use `async_pager()`. */
    template <class CompletionToken>
    auto async_all(CompletionToken&& token) const {
        return detail::AsyncFrontEnd<detail::async_key<CompletionToken>>::read_all(self(),
                                                                                  std::forward<CompletionToken>(token));
    }
    /** `first()` asynchronously: completes with `std::optional<value_type>`, the first item
        (one request with Limit = 1 per page until an item comes or the pages end). */
    template <class CompletionToken>
    auto async_first(CompletionToken&& token) const {
        return detail::AsyncFrontEnd<detail::async_key<CompletionToken>>::read_first(self(),
                                                                                    std::forward<CompletionToken>(token));
    }
    /** `count()` asynchronously: completes with `std::size_t`, DynamoDB's Count summed over
        every page (Select = COUNT), capped by `limit`. */
    template <class CompletionToken>
    auto async_count(CompletionToken&& token) const {
        return detail::AsyncFrontEnd<detail::async_key<CompletionToken>>::read_count(self(),
                                                                                    std::forward<CompletionToken>(token));
    }
    /** An asynchronous iteration over the items (up to `limit`), one DynamoDB page in memory at
        a time: `dynantic::asio::Pager` (asio/pager.hpp), whose `async_next(token)` completes with
        the next item or `std::nullopt` at the end. `Token` is only there to defer the lookup of
        the front end; the default is fine.
        @code
        auto items = users.query("u1").async_pager();
        while (auto u = co_await items.async_next(asio::use_awaitable)) use(*u);
        @endcode */
    template <class Token = void>
    auto async_pager() const {
        return detail::AsyncFrontEnd<detail::async_key<Token>>::pager(self());
    }

    /// @cond INTERNAL
    /** The client the read runs through. */
    Client client() const { return table_.client(); }

    /** Where a page starts: the key of `cursor` (checked against `spec`'s binding and, for a
        query, its partition key value), or none without a cursor.
        @throws ValidationError for a malformed, tampered or foreign cursor. */
    std::optional<boost::json::object> start_key(const std::optional<std::string>& cursor, const detail::ReadSpec& spec,
                                                 const Client& client) const {
        if (!cursor) return std::nullopt;
        boost::json::object start =
            detail::decode_cursor(*cursor, spec.binding, client.cursor_secret(), spec.key_attributes, spec.context);
        if (!spec.partition_key.empty() && start.at(spec.partition_key) != spec.partition_value)
            fail("invalid cursor: made for another partition key value");
        return start;
    }

    /** What an iteration holds: the read's request, its pager and the current item. */
    struct IterationState {
        using value_type = ReadBuilder::value_type;
        explicit IterationState(const ReadBuilder& b)
            : builder(b), spec(b.spec()), sink(required_bits()), pager(b.table_.client(), spec, std::nullopt, item_sink(sink)) {}
        void advance() { current = builder.take(pager, sink); }
        const ReadBuilder& builder;
        detail::ReadSpec spec;
        Sink sink;
        detail::Pager pager;
        std::optional<value_type> current;
    };
    /// @endcond
    /** Input iterator over the items; fetches the next page only when needed. */
    using iterator = detail::PagingIterator<IterationState>;

    /** Starts the read: fetches the first page. @throws Error as `all()` does. */
    iterator begin() const { return iterator(std::make_shared<IterationState>(*this)); }
    /** The end of the items. */
    std::default_sentinel_t end() const { return {}; }

    /// @cond INTERNAL
    /** The request of every page, the limits and what cursors are bound to. */
    detail::ReadSpec spec() const {
        detail::ReadSpec spec;
        spec.request = self().read_request();
        spec.table = table_.name();
        spec.key_attributes = detail::read_key_attributes(target_);
        spec.limit = limit_;
        spec.page_size = page_size_;
        // What a cursor of this read is bound to; the derived add_binding() adds its own part.
        spec.binding = "dynantic-cursor-2\n" + std::string(to_string(spec.request.operation)) + "\ntable=" + spec.table +
                       "\nindex=" + std::string(target_.index_name) + "\nmodel=" + detail::model_type_name<Model>();
        spec.context = detail::operation_context(spec.request.operation, spec.table);
        spec.capacity_sink = capacity_sink_;
        self().add_binding(spec);
        return spec;
    }

protected:
    explicit ReadBuilder(detail::ClientRef table, detail::ReadTarget target) : table_(std::move(table)), target_(target) {}

    /** The request members common to Query and Scan. Pure. */
    op::ReadRequest base_request() const {
        op::ReadRequest request;
        request.operation = Derived::page_type::operation;
        request.target = target_;
        if constexpr (detail::Entity<Model>::is_subtype) {
            // A subtype's reads see only its own items.
            request.filter = attr_name(std::string(detail::Entity<Model>::discriminator_name())) ==
                             std::string(detail::Entity<Model>::discriminator_value());
        }
        if (filter_) detail::and_into(request.filter, *filter_);
        // A view: its attributes, and the keys cursors and LastEvaluatedKeys are made of.
        request.projection = Read::projection_paths({target_.table_partition_key, target_.table_sort_key,
                                                     target_.partition_key, target_.sort_key}, false);
        request.return_consumed_capacity = capacity_;
        return request;
    }

    ErrorInfo context() const { return detail::operation_context(Derived::page_type::operation, table_.name()); }
    /** The context of errors raised while building: a value built without a table names the
        schema's table (no client is asked for its prefix). */
    ErrorInfo build_context() const {
        return detail::operation_context(Derived::page_type::operation, table_.detached && !table_.bound ? std::string(table_.table) : table_.name());
    }
    /** As `fail`, while building. */
    [[noreturn]] void fail_building(std::string message) const {
        ErrorInfo info = build_context();
        info.message = std::move(message);
        throw ValidationError(std::move(info));
    }
    [[noreturn]] void fail(std::string message) const {
        ErrorInfo info = context();
        info.message = std::move(message);
        throw ValidationError(std::move(info));
    }
    value_type decode(const boost::json::object& item) const { return Read::decode(item, context()); }

    /** The next item of `pager` (decoded by the sink, or from a raw item), or nullopt at the end. */
    std::optional<value_type> take(detail::Pager& pager, Sink& sink) const {
        if (!pager.advance()) return std::nullopt;
        if (pager.typed()) return std::move(sink.items[pager.item_index()]);
        return decode(*pager.raw_item());
    }

    /** Reads every page (up to `limit`), calling `on_page(result)` after each. */
    template <class OnPage = void (*)(const ReadResult<value_type>&)>
    ReadResult<value_type> collect(OnPage on_page) const {
        const auto spec = this->spec();
        Sink sink(required_bits());
        detail::Pager pager(table_.client(), spec, std::nullopt, item_sink(sink));
        ReadResult<value_type> result;
        const auto full = [&] { return spec.limit && result.items.size() >= *spec.limit; };
        while (!full() && pager.fetch_page()) {
            ++result.pages;
            if (pager.typed()) {
                result.count += sink.items.size();
                for (auto& item : sink.items) {
                    if (full()) break;
                    result.items.push_back(std::move(item));
                }
            } else {
                const auto& items = pager.page_items();
                result.count += items.size();
                for (const auto& item : items) {
                    if (full()) break;
                    if (!item.is_object()) fail("a response item is not an object");
                    result.items.push_back(decode(item.get_object()));
                }
            }
            pager.consume_page();
            result.scanned_count = pager.scanned_count();
            if constexpr (!std::is_pointer_v<OnPage>) on_page(result);
        }
        set_capacity(result, pager);
        return result;
    }

    detail::ClientRef table_;   ///< the client and table name the read runs on
    detail::ReadTarget target_;
    std::optional<Condition> filter_;
    std::optional<std::size_t> limit_;
    std::optional<std::size_t> page_size_;
    ReturnConsumedCapacity capacity_ = ReturnConsumedCapacity::none;
    ConsumedCapacity* capacity_sink_ = nullptr;

    /** Sets a result's capacity members from `pager`'s sums, when they were asked for. */
    template <class Result>
    void set_capacity(Result& result, const detail::Pager& pager) const {
        if (capacity_ == ReturnConsumedCapacity::none) return;
        result.consumed_capacity = pager.consumed_capacity();
        result.capacity = pager.capacity().value_or(ConsumedCapacity{});
    }
    /// @endcond

private:
    Derived& self() { return static_cast<Derived&>(*this); }
    const Derived& self() const { return static_cast<const Derived&>(*this); }
};

}  // namespace dynantic
