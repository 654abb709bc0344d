// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `ReadBuilder`: the part `Query` and `Scan` share (query.hpp) — filters, limits, terminals
    (`all`, `first`, `one`, `count`, `page`) and lazy iteration over `detail::Pager`. */

#include <dynantic/detail/client_ref.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/pager.hpp>
#include <dynantic/detail/paging_iterator.hpp>
#include <dynantic/detail/read_target.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/operations/combine.hpp>
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
template <class Derived, class Model>
class ReadBuilder {
public:
    /** What the read yields: the model, or a variant for a polymorphic base. */
    using value_type = typename detail::Entity<Model>::value_type;

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

    /// @cond INTERNAL
    /** What an iteration holds: the read's request, its pager and the current item. */
    struct IterationState {
        using value_type = ReadBuilder::value_type;
        explicit IterationState(const ReadBuilder& b) : builder(b), spec(b.self().spec()), pager(b.table_.client(), spec, std::nullopt) {}
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
    /// @endcond
    /** Input iterator over the items; fetches the next page only when needed. */
    using iterator = detail::PagingIterator<IterationState>;

    /** Starts the read: fetches the first page. @throws Error as `all()` does. */
    iterator begin() const { return iterator(std::make_shared<IterationState>(*this)); }
    /** The end of the items. */
    std::default_sentinel_t end() const { return {}; }

    /// @cond INTERNAL
protected:
    explicit ReadBuilder(detail::ClientRef table, detail::ReadTarget target) : table_(std::move(table)), target_(target) {}

    /** The request body common to Query and Scan. */
    detail::ReadSpec base_spec(std::string operation, ExpressionContext& names) const {
        detail::ReadSpec spec;
        spec.operation = std::move(operation);
        const std::string table_name = table_.name();
        spec.body["TableName"] = table_name;
        if (!target_.index_name.empty()) spec.body["IndexName"] = target_.index_name;
        std::optional<Condition> filter;
        if constexpr (detail::Entity<Model>::is_subtype) {
            // A subtype's reads see only its own items.
            filter = attr_name(std::string(detail::Entity<Model>::discriminator_name())) ==
                     std::string(detail::Entity<Model>::discriminator_value());
        }
        if (filter_) detail::and_into(filter, *filter_);
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

    detail::ClientRef table_;   ///< the client and table name the read runs on
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

}  // namespace dynantic
