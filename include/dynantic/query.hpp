// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Reading many items: `Query` (one partition, optionally a sort-key range, of the table or of
    a secondary index) and `Scan` (the whole table or index), lazy and typed.

    @code
    for (const User& u : users.query("u1").begins_with("a").filter(dy::field(&User::age) > 18)) {}
    auto page = users.query("u1").limit(20).page(cursor);     // PageResult<User>
    auto recent = users.query_index<"StatusIndex">(Status::active).gt(t0).all();
    std::size_t n = users.scan().filter(dy::attr("tags").contains("vip")).count();
    @endcode

    Terminals: `all()`, `all_with_counts()` (with DynamoDB's Count and ScannedCount), `first()`,
    `one()`, `count()`, `page(cursor)`, and iteration (an input
    range that fetches the next page only when needed). `limit(n)` caps the items returned in
    total, across pages; `page_size(n)` is DynamoDB's `Limit` per request.

    Cursors are opaque URL-safe strings: the `LastEvaluatedKey`, or, when a limit or iteration
    stopped inside a DynamoDB page, the key of the last item returned, so resuming neither skips
    nor repeats an item. A cursor is bound to the read that made it: model type, table, index,
    operation (Query or Scan, and the scan segment and total segments), partition key value,
    sort key condition and direction. With `ClientOptions::cursor_secret` set it is signed
    (HMAC-SHA256 over the binding and the key); without, it carries a digest of the binding and
    its key is checked for shape (exactly the table's or index's key attributes, with their
    types). A malformed, tampered or foreign cursor is refused with `ValidationError` before
    anything is sent.

    Every page is checked before use (`Items`, `Count`, `ScannedCount`, `LastEvaluatedKey`,
    `ConsumedCapacity`): a malformed one, or a `LastEvaluatedKey` equal to the
    `ExclusiveStartKey` just sent, ends the read with `Error` (errc::invalid_response).

    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html */

#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/pager.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/field.hpp>
#include <dynantic/progress.hpp>
#include <dynantic/request.hpp>

#include <boost/core/type_name.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace dynantic {

template <class Model>
class Table;

/** One page of results. */
template <class Model>
struct PageResult {
    std::vector<Model> items;   ///< the page's items, in DynamoDB's order
    /** Pass to `page()` to continue; `std::nullopt` when nothing is left. */
    std::optional<std::string> next_cursor;
    std::size_t count = 0;          ///< items in `items`
    std::size_t scanned_count = 0;  ///< items DynamoDB evaluated for this page, before filters
    /** Capacity units consumed, when asked with `return_consumed_capacity()`. */
    std::optional<double> consumed_capacity;
};

/** Every item of a read, with DynamoDB's totals over all the requests it made
    (`all_with_counts()`). */
template <class Model>
struct ReadResult {
    std::vector<Model> items;   ///< every item read, in DynamoDB's order
    /** Sum of DynamoDB's `Count`: items that matched the key condition and the filter, in every
        page fetched. Equals `items.size()` unless `limit` stopped inside a page. */
    std::size_t count = 0;
    /** Sum of DynamoDB's `ScannedCount`: items DynamoDB evaluated before filtering (what the
        read capacity is charged for). */
    std::size_t scanned_count = 0;
    std::size_t pages = 0;   ///< requests made
    /** Capacity units consumed, when asked with `return_consumed_capacity()`. */
    std::optional<double> consumed_capacity;
};

/** A string usable as a template argument: `query_index<"StatusIndex">(...)`. */
template <std::size_t N>
struct fixed_string {
    char data[N]{};   ///< the characters and the terminating NUL
    /** Copies a string literal (implicit, so `query_index<"Name">` works). */
    constexpr fixed_string(const char (&s)[N]) {
        for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
    }
    /** The text without the NUL. */
    constexpr operator std::string_view() const { return {data, N - 1}; }
};

/** Where a read goes: the table itself, a global or a local secondary index. */
enum class IndexKind { table, global, local };

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

/** Runs `segments` parallel scans on threads and concatenates their results. */
template <class Fn>
auto run_segments(unsigned segments, Fn&& scan_segment) {
    using Result = decltype(scan_segment(0u));
    std::vector<Result> results(segments);
    std::vector<std::exception_ptr> errors(segments);
    {
        std::vector<std::jthread> threads;
        threads.reserve(segments);
        for (unsigned i = 0; i < segments; ++i)
            threads.emplace_back([&, i] {
                try {
                    results[i] = scan_segment(i);
                } catch (...) {
                    errors[i] = std::current_exception();
                }
            });
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    Result all;
    for (auto& r : results) std::move(r.begin(), r.end(), std::back_inserter(all));
    return all;
}

}  // namespace detail

/** The shared part of `Query` and `Scan` (CRTP): filters, limits, terminals, iteration.
    Builder methods called on a temporary return the builder by value, so
    `for (auto& x : table.query(k).reverse())` never iterates a destroyed builder. */
template <class Derived, class Model>
class ReadBuilder {
public:
    /** What the read yields: the model, or a variant for a polymorphic base. */
    using value_type = typename detail::Entity<Model>::value_type;

    /** Adds a FilterExpression condition; several are AND-combined. Filters apply after
        DynamoDB reads a page, so pages may come back short or empty. */
    template <class C>
        requires detail::condition_for<C, Model>
    Derived& filter(const C& condition) & {
        filter_ = filter_ ? (*filter_ && condition) : Condition(condition);
        return self();
    }
    /** As above, on a temporary builder: returns the builder by value. */
    template <class C>
        requires detail::condition_for<C, Model>
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
    /** Ask for ReturnConsumedCapacity = TOTAL; `PageResult::consumed_capacity` reports it. */
    Derived& return_consumed_capacity() & {
        capacity_ = true;
        return self();
    }
    /** As above, on a temporary builder. */
    Derived return_consumed_capacity() && { return std::move(return_consumed_capacity()); }

    /** The first request's body, without sending (a dry run). */
    OperationRequest to_request() const {
        const auto spec = self().spec();
        boost::json::object body = spec.body;
        std::optional<std::size_t> limit = spec.page_size;
        if (spec.limit) limit = limit ? std::min(*limit, *spec.limit) : *spec.limit;
        if (limit) body["Limit"] = *limit;
        return {spec.operation, std::move(body)};
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
        auto spec = self().spec();
        spec.limit = 1;
        detail::Pager pager(table_.client(), spec, std::nullopt);
        if (const auto* item = pager.next()) return decode(*item);
        return std::nullopt;
    }

    /** The single item.
        @throws ValidationError when there is none or more than one. */
    value_type one() const {
        auto spec = self().spec();
        spec.limit = 2;
        detail::Pager pager(table_.client(), spec, std::nullopt);
        const auto* a = pager.next();
        if (a == nullptr) fail("one() found no item");
        value_type m = decode(*a);
        if (pager.next() != nullptr) fail("one() found more than one item");
        return m;
    }

    /** The number of matching items (Select = COUNT; all pages; capped by `limit`). */
    std::size_t count() const { return detail::count_items(table_.client(), self().spec()); }

    /** One page starting at `cursor` (none: the beginning). With `limit(n)` a page holds up
        to n items, gathered over as many requests as needed; without, it is one DynamoDB
        page. `next_cursor` resumes after the last item of this page.
        @throws ValidationError for a malformed, tampered or foreign cursor (see the file
                comment), before sending; Error (errc::invalid_response) for a malformed page or
                a repeated LastEvaluatedKey; DecodeError for an item that does not fit. */
    PageResult<value_type> page(const std::optional<std::string>& cursor = std::nullopt) const {
        const auto spec = self().spec();
        const Client client = table_.client();
        std::optional<boost::json::object> start;
        if (cursor) {
            start = detail::decode_cursor(*cursor, spec.binding, client.cursor_secret(), spec.key_attributes, spec.context);
            if (!spec.partition_key.empty() && start->at(spec.partition_key) != spec.partition_value)
                fail("invalid cursor: made for another partition key value");
        }
        detail::Pager pager(client, spec, std::move(start));
        PageResult<value_type> result;
        if (spec.limit) {
            while (const auto* item = pager.next()) result.items.push_back(decode(*item));
        } else if (pager.fetch_page()) {
            const auto& items = pager.page_items();
            result.items.reserve(items.size());
            for (std::size_t i = 0; i < items.size(); ++i)
                result.items.push_back(decode(detail::element_object(items[i], "Items", i, spec.context)));
            pager.consume_page();
        }
        result.count = result.items.size();
        result.scanned_count = pager.scanned_count();
        if (capacity_) result.consumed_capacity = pager.consumed_capacity();
        if (auto key = pager.resume_key()) result.next_cursor = detail::encode_cursor(*key, spec.binding, client.cursor_secret());
        return result;
    }

    /** Input iterator over the items; fetches the next page only when needed. */
    class iterator {
    public:
        using value_type = ReadBuilder::value_type;        ///< the decoded item
        using difference_type = std::ptrdiff_t;            ///< required of iterators
        using iterator_concept = std::input_iterator_tag;  ///< single pass

        /** The end iterator (equal to the sentinel). */
        iterator() = default;
        /** The current item. */
        value_type& operator*() const { return *state_->current; }
        /** The current item's members. */
        value_type* operator->() const { return &*state_->current; }
        /** Moves to the next item, fetching the next page when this one is used up.
            @throws Error as the read operation does (a failed page request, a bad item). */
        iterator& operator++() {
            state_->advance();
            return *this;
        }
        /** As the prefix form (an input iterator returns nothing). */
        void operator++(int) { ++*this; }
        /** True at the end of the items. */
        friend bool operator==(const iterator& it, std::default_sentinel_t) {
            return !it.state_ || !it.state_->current.has_value();
        }

    private:
        friend class ReadBuilder;
        struct State {
            State(const ReadBuilder& b) : builder(b), spec(b.self().spec()), pager(b.table_.client(), spec, std::nullopt) {}
            void advance() {
                const auto* item = pager.next();
                if (item == nullptr) current.reset();
                else current = builder.decode(*item);
            }
            const ReadBuilder& builder;
            detail::ReadSpec spec;
            detail::Pager pager;
            std::optional<value_type> current;
        };
        explicit iterator(std::shared_ptr<State> s) : state_(std::move(s)) {}
        std::shared_ptr<State> state_;
    };

    /** Starts the read: fetches the first page. @throws Error as `all()` does. */
    iterator begin() const {
        auto state = std::make_shared<typename iterator::State>(*this);
        state->advance();
        return iterator(std::move(state));
    }
    /** The end of the items. */
    std::default_sentinel_t end() const { return {}; }

    /// @cond INTERNAL
protected:
    explicit ReadBuilder(Table<Model> table, detail::ReadTarget target) : table_(std::move(table)), target_(target) {}

    /** The request body common to Query and Scan. */
    detail::ReadSpec base_spec(std::string operation, ExpressionContext& names) const {
        detail::ReadSpec spec;
        spec.operation = std::move(operation);
        const std::string table_name = table_.name();
        spec.body["TableName"] = table_name;
        if (!target_.index_name.empty()) spec.body["IndexName"] = target_.index_name;
        std::optional<Condition> filter = filter_;
        if constexpr (detail::Entity<Model>::is_subtype) {
            // A subtype's reads see only its own items.
            const Condition own = attr_name(std::string(detail::Entity<Model>::discriminator_name())) ==
                                  std::string(detail::Entity<Model>::discriminator_value());
            filter = filter ? (own && *filter) : own;
        }
        if (filter) spec.body["FilterExpression"] = names.render(*filter);
        if (capacity_) spec.body["ReturnConsumedCapacity"] = "TOTAL";
        const std::pair<std::string_view, AttributeType> keys[] = {
            {target_.table_partition_key, target_.table_partition_key_type},
            {target_.table_sort_key, target_.table_sort_key_type},
            {target_.partition_key, target_.partition_key_type},
            {target_.sort_key, target_.sort_key_type}};
        for (const auto& key : keys) {
            const std::string_view k = key.first;   // not a structured binding: clang 14 cannot capture those
            if (!k.empty() && std::none_of(spec.key_attributes.begin(), spec.key_attributes.end(),
                                           [k](const detail::KeyAttribute& a) { return a.name == k; }))
                spec.key_attributes.push_back({std::string(k), key.second});
        }
        spec.limit = limit_;
        spec.page_size = page_size_;
        // What a cursor of this read is bound to; the derived spec() adds its own part.
        spec.binding = "dynantic-cursor-2\n" + spec.operation + "\ntable=" + table_name + "\nindex=" +
                       std::string(target_.index_name) + "\nmodel=" + detail::model_type_name<Model>();
        spec.context = context();
        return spec;
    }

    ErrorInfo context() const { return ErrorInfo{std::string(self().operation_name()), table_.name(), {}, {}, 0, {}}; }
    [[noreturn]] void fail(std::string message) const {
        ErrorInfo info = context();
        info.message = std::move(message);
        throw ValidationError(std::move(info));
    }
    value_type decode(const boost::json::object& item) const { return detail::Entity<Model>::decode(item, context()); }

    /** Reads every page (up to `limit`), calling `on_page(result)` after each. */
    template <class OnPage = void (*)(const ReadResult<value_type>&)>
    ReadResult<value_type> collect(OnPage on_page) const {
        const auto spec = self().spec();
        detail::Pager pager(table_.client(), spec, std::nullopt);
        ReadResult<value_type> result;
        const auto full = [&] { return spec.limit && result.items.size() >= *spec.limit; };
        while (!full() && pager.fetch_page()) {
            ++result.pages;
            const auto& items = pager.page_items();
            result.count += items.size();
            for (const auto& item : items) {
                if (full()) break;
                if (!item.is_object()) fail("a response item is not an object");
                result.items.push_back(decode(item.get_object()));
            }
            pager.consume_page();
            result.scanned_count = pager.scanned_count();
            if constexpr (!std::is_pointer_v<OnPage>) on_page(result);
        }
        if (capacity_) result.consumed_capacity = pager.consumed_capacity();
        return result;
    }

    Table<Model> table_;
    detail::ReadTarget target_;
    std::optional<Condition> filter_;
    std::optional<std::size_t> limit_;
    std::optional<std::size_t> page_size_;
    bool capacity_ = false;
    /// @endcond

private:
    Derived& self() { return static_cast<Derived&>(*this); }
    const Derived& self() const { return static_cast<const Derived&>(*this); }
};

/** A Query: the items of one partition, in sort-key order. `SortKey` is the C++ type of the
    table's or index's sort key (`detail::no_sort_key` when there is none); sort-key conditions
    take values of that type. `Kind` tells table, global or local index. */
template <class Model, class PartitionKey, class SortKey, IndexKind Kind>
class Query : public ReadBuilder<Query<Model, PartitionKey, SortKey, Kind>, Model> {
    using Base = ReadBuilder<Query, Model>;
    friend Base;
    static constexpr bool has_sort_key = !std::is_same_v<SortKey, detail::no_sort_key>;

public:
    /** The query of partition `pk` (made by `Table::query` and `query_index`).
        @throws ValidationError for an empty or oversized key value. */
    Query(Table<Model> table, detail::ReadTarget target, const PartitionKey& pk)
        : Base(std::move(table), target), partition_value_(detail::encode_value(pk)) {
        detail::check_key_value(partition_value_, target.partition_key, this->context());
    }

    /** Sort key `= v`, `< v`, `<= v`, `> v`, `>= v`, `BETWEEN lo AND hi`, `begins_with`.
        DynamoDB has no `<>` in key conditions, nor filters on key attributes: for "sort key != v" run `lt(v)` and `gt(v)` as two queries. The `&&` overloads do the same on a
        temporary query and return it by value. */
    ///@{
    Query& eq(const SortKey& v) & requires has_sort_key { return key(detail::ConditionOp::eq, v); }
    Query eq(const SortKey& v) && requires has_sort_key { return std::move(eq(v)); }
    Query& lt(const SortKey& v) & requires has_sort_key { return key(detail::ConditionOp::lt, v); }
    Query lt(const SortKey& v) && requires has_sort_key { return std::move(lt(v)); }
    Query& le(const SortKey& v) & requires has_sort_key { return key(detail::ConditionOp::le, v); }
    Query le(const SortKey& v) && requires has_sort_key { return std::move(le(v)); }
    Query& gt(const SortKey& v) & requires has_sort_key { return key(detail::ConditionOp::gt, v); }
    Query gt(const SortKey& v) && requires has_sort_key { return std::move(gt(v)); }
    Query& ge(const SortKey& v) & requires has_sort_key { return key(detail::ConditionOp::ge, v); }
    Query ge(const SortKey& v) && requires has_sort_key { return std::move(ge(v)); }
    ///@}
    ///@{
    /** Aliases of `gt` / `lt` that read well with timestamps. */
    Query& after(const SortKey& v) & requires has_sort_key { return gt(v); }
    Query after(const SortKey& v) && requires has_sort_key { return std::move(gt(v)); }
    Query& before(const SortKey& v) & requires has_sort_key { return lt(v); }
    Query before(const SortKey& v) && requires has_sort_key { return std::move(lt(v)); }
    ///@}
    ///@{
    /** Sort key `BETWEEN lo AND hi` (inclusive). */
    Query between(const SortKey& lo, const SortKey& hi) && requires has_sort_key { return std::move(between(lo, hi)); }
    Query& between(const SortKey& lo, const SortKey& hi) & requires has_sort_key {
        boost::json::value low = detail::encode_value(lo), high = detail::encode_value(hi);
        sort_binding_ = "between " + boost::json::serialize(low) + " " + boost::json::serialize(high);
        sort_condition_ = Condition(detail::ConditionOp::between,
                                    {detail::path_operand(Path(std::string(this->target_.sort_key))),
                                     detail::value_operand(std::move(low)), detail::value_operand(std::move(high))});
        return *this;
    }
    ///@}
    ///@{
    /** `begins_with(sort key, prefix)`; for string and binary sort keys. */
    Query& begins_with(const SortKey& prefix) &
        requires(has_sort_key && detail::string_or_binary<SortKey>())
    {
        return key(detail::ConditionOp::begins_with, prefix);
    }
    Query begins_with(const SortKey& prefix) &&
        requires(has_sort_key && detail::string_or_binary<SortKey>())
    {
        return std::move(begins_with(prefix));
    }
    ///@}

    /** Descending sort-key order (ScanIndexForward = false). */
    Query& reverse() & {
        forward_ = false;
        return *this;
    }
    /** As above, on a temporary query. */
    Query reverse() && { return std::move(reverse()); }
    /** Strongly consistent reads; not available on global secondary indexes. */
    Query& consistent_read() &
        requires(Kind != IndexKind::global)
    {
        consistent_ = true;
        return *this;
    }
    /** As above, on a temporary query. */
    Query consistent_read() &&
        requires(Kind != IndexKind::global)
    {
        return std::move(consistent_read());
    }

    /// @cond INTERNAL
    static constexpr std::string_view operation_name() { return "Query"; }

    detail::ReadSpec spec() const {
        ExpressionContext names;
        Condition key_condition(detail::ConditionOp::eq, {detail::path_operand(Path(std::string(this->target_.partition_key))),
                                                          detail::value_operand(partition_value_)});
        if (sort_condition_) key_condition = key_condition && *sort_condition_;
        const std::string key_text = names.render(key_condition);
        detail::ReadSpec spec = this->base_spec("Query", names);
        spec.body["KeyConditionExpression"] = key_text;
        if (!forward_) spec.body["ScanIndexForward"] = false;
        if (consistent_) spec.body["ConsistentRead"] = true;
        names.apply(spec.body);
        spec.partition_key = this->target_.partition_key;
        spec.partition_value = partition_value_;
        spec.binding += "\npartition=" + boost::json::serialize(partition_value_) + "\nsort=" + sort_binding_ +
                        (forward_ ? "\nforward" : "\nreverse");
        return spec;
    }
    /// @endcond

private:
    Query& key(detail::ConditionOp op, const SortKey& v) {
        boost::json::value value = detail::encode_value(v);
        sort_binding_ = std::to_string(static_cast<int>(op)) + " " + boost::json::serialize(value);
        sort_condition_ = Condition(op, {detail::path_operand(Path(std::string(this->target_.sort_key))),
                                         detail::value_operand(std::move(value))});
        return *this;
    }

    boost::json::value partition_value_;
    std::optional<Condition> sort_condition_;
    std::string sort_binding_;   ///< the sort key condition as bound into cursors; empty: none
    bool forward_ = true;
    bool consistent_ = false;
};

/** A Scan of the table or an index; `segment(i, n)` reads one of n parallel segments and
    `parallel(n)` runs all n segments on threads. */
template <class Model, IndexKind Kind>
class Scan : public ReadBuilder<Scan<Model, Kind>, Model> {
    using Base = ReadBuilder<Scan, Model>;
    friend Base;

public:
    /** A scan of `table` or one of its indexes (made by `Table::scan` and `scan_index`). */
    Scan(Table<Model> table, detail::ReadTarget target) : Base(std::move(table), target) {}

    /** Strongly consistent reads; not available on global secondary indexes. */
    Scan& consistent_read() &
        requires(Kind != IndexKind::global)
    {
        consistent_ = true;
        return *this;
    }
    /** As above, on a temporary scan. */
    Scan consistent_read() &&
        requires(Kind != IndexKind::global)
    {
        return std::move(consistent_read());
    }
    /** Reads segment `index` of `total` (Segment / TotalSegments), 0 <= index < total <= 1,000,000.
        @throws ValidationError otherwise. */
    Scan segment(unsigned index, unsigned total) && { return std::move(segment(index, total)); }
    /** As above, on a named scan. */
    Scan& segment(unsigned index, unsigned total) & {
        if (total == 0 || index >= total || total > 1'000'000) this->fail("segment must satisfy 0 <= index < total <= 1000000");
        segment_ = std::pair{index, total};
        return *this;
    }
    /** Scans `segments` segments on as many threads and returns all items (up to `limit` per
        segment). `progress` (progress.hpp), when set, is called after each page of any segment,
        one call at a time: segments finished of `segments`, pages and items so far. */
    std::vector<typename Base::value_type> parallel(unsigned segments, ProgressCallback progress = {}) const {
        if (segments == 0) this->fail("parallel scan needs at least one segment");
        std::mutex mutex;   // serializes the progress callback and its totals
        Progress totals{"Scan", 0, segments, 0, 0};
        std::vector<std::size_t> seen(segments, 0);   // items of each segment reported so far
        return detail::run_segments(segments, [&, this](unsigned i) {
            Scan s = *this;
            s.segment(i, segments);
            const auto report = [&](const auto& so_far, bool finished) {
                if (!progress) return;
                const std::lock_guard lock(mutex);
                if (finished) ++totals.done;
                else {
                    ++totals.pages;
                    totals.items += so_far.items.size() - seen[i];
                    seen[i] = so_far.items.size();
                }
                detail::report_progress(progress, totals);
            };
            auto result = s.collect([&](const auto& so_far) { report(so_far, false); });
            report(result, true);
            return std::move(result.items);
        });
    }

    /// @cond INTERNAL
    static constexpr std::string_view operation_name() { return "Scan"; }

    detail::ReadSpec spec() const {
        ExpressionContext names;
        detail::ReadSpec spec = this->base_spec("Scan", names);
        if (consistent_) spec.body["ConsistentRead"] = true;
        if (segment_) {
            spec.body["Segment"] = segment_->first;
            spec.body["TotalSegments"] = segment_->second;
        }
        names.apply(spec.body);
        spec.binding += segment_ ? "\nsegment=" + std::to_string(segment_->first) + "/" + std::to_string(segment_->second)
                                 : std::string("\nsegment=all");
        return spec;
    }
    /// @endcond

private:
    bool consistent_ = false;
    std::optional<std::pair<unsigned, unsigned>> segment_;
};

}  // namespace dynantic
