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

#include <dynantic/detail/client_ref.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/pager.hpp>
#include <dynantic/detail/read_target.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/field.hpp>
#include <dynantic/operations/read_page.hpp>
#include <dynantic/progress.hpp>
#include <dynantic/read_builder.hpp>
#include <dynantic/read_result.hpp>
#include <dynantic/request.hpp>

#include <boost/json/serialize.hpp>

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

/** A Query: the items of one partition, in sort-key order. `SortKey` is the C++ type of the
    table's or index's sort key (`detail::no_sort_key` when there is none); sort-key conditions
    take values of that type. `Kind` tells table, global or local index. `View` is the type read:
    the model, or a view of it (view.hpp). */
template <class Model, class PartitionKey, class SortKey, IndexKind Kind, class View = Model>
class Query : public ReadBuilder<Query<Model, PartitionKey, SortKey, Kind, View>, Model, View> {
    using Base = ReadBuilder<Query, Model, View>;
    friend Base;
    static constexpr bool has_sort_key = !std::is_same_v<SortKey, detail::no_sort_key>;

public:
    /** The value of one page request (operations/read_page.hpp). */
    using page_type = op::QueryPage<Model, View>;

    /** The query of partition `pk` (made by `Table::query`, `query_index` and
        `dynantic::query<Model>`).
        @throws ValidationError for an empty or oversized key value. */
    Query(detail::ClientRef table, detail::ReadTarget target, const PartitionKey& pk)
        : Base(std::move(table), target), partition_value_(detail::encode_value(pk)) {
        detail::check_key_value(partition_value_, target.partition_key, this->build_context());
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
    /** `begins_with(sort key, prefix)`; for string and binary sort keys (a number's does not
        compile, with the fix in the message). */
    Query& begins_with(const SortKey& prefix) &
        requires has_sort_key
    {
        static_assert(detail::string_or_binary<SortKey>(),
                      "dynantic: begins_with(prefix) in a key condition needs a string or binary sort key, and this "
                      "sort key is a number: query a numeric range with between(lo, hi), ge(lo) or lt(hi) instead");
        return key(detail::ConditionOp::begins_with, prefix);
    }
    Query begins_with(const SortKey& prefix) &&
        requires has_sort_key
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
    /** The request of every page, without paging. Pure. */
    op::ReadRequest read_request() const {
        op::ReadRequest request = this->base_request();
        Condition key_condition(detail::ConditionOp::eq, {detail::path_operand(Path(std::string(this->target_.partition_key))),
                                                          detail::value_operand(partition_value_)});
        if (sort_condition_) key_condition = key_condition && *sort_condition_;
        request.key_condition = std::move(key_condition);
        request.forward = forward_;
        request.consistent_read = consistent_;
        return request;
    }
    /** Binds cursors to the partition key value, the sort key condition and the direction. */
    void add_binding(detail::ReadSpec& spec) const {
        spec.partition_key = this->target_.partition_key;
        spec.partition_value = partition_value_;
        spec.binding += "\npartition=" + boost::json::serialize(partition_value_) + "\nsort=" + sort_binding_ +
                        (forward_ ? "\nforward" : "\nreverse");
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
    `parallel(n)` runs all n segments on threads. `View` is the type read (as for `Query`). */
template <class Model, IndexKind Kind, class View = Model>
class Scan : public ReadBuilder<Scan<Model, Kind, View>, Model, View> {
    using Base = ReadBuilder<Scan, Model, View>;
    friend Base;

public:
    /** The value of one page request (operations/read_page.hpp). */
    using page_type = op::ScanPage<Model, View>;

    /** A scan of `table` or one of its indexes (made by `Table::scan`, `scan_index` and
        `dynantic::scan<Model>`). */
    Scan(detail::ClientRef table, detail::ReadTarget target) : Base(std::move(table), target) {}

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
        if (total == 0 || index >= total || total > 1'000'000)
            this->fail_building("segment must satisfy 0 <= index < total <= 1000000");
        segment_ = std::pair{index, total};
        return *this;
    }
    /** Scans `segments` segments on as many threads and returns all items (up to `limit` per
        segment). `progress` (progress.hpp), when set, is called after each page of any segment,
        one call at a time: segments finished of `segments`, pages and items so far. The
        consumed capacity of every segment is added to the sink of `return_consumed_capacity`. */
    std::vector<typename Base::value_type> parallel(unsigned segments, ProgressCallback progress = {}) const {
        if (segments == 0) this->fail("parallel scan needs at least one segment");
        std::mutex mutex;   // serializes the progress callback and its totals
        Progress totals{"Scan", 0, segments, 0, 0};
        std::vector<std::size_t> seen(segments, 0);   // items of each segment reported so far
        return detail::run_segments(segments, [&, this](unsigned i) {
            Scan s = *this;
            s.segment(i, segments);
            s.capacity_sink_ = nullptr;   // each segment's sum is added under the lock below
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
            if (this->capacity_sink_ != nullptr && result.capacity) {
                const std::lock_guard lock(mutex);
                *this->capacity_sink_ += *result.capacity;
            }
            report(result, true);
            return std::move(result.items);
        });
    }

    /// @cond INTERNAL
    /** The request of every page, without paging. Pure. */
    op::ReadRequest read_request() const {
        op::ReadRequest request = this->base_request();
        request.consistent_read = consistent_;
        request.segment = segment_;
        return request;
    }
    /** Binds cursors to the segment. */
    void add_binding(detail::ReadSpec& spec) const {
        spec.binding += segment_ ? "\nsegment=" + std::to_string(segment_->first) + "/" + std::to_string(segment_->second)
                                 : std::string("\nsegment=all");
    }
    /// @endcond

private:
    bool consistent_ = false;
    std::optional<std::pair<unsigned, unsigned>> segment_;
};


}  // namespace dynantic
