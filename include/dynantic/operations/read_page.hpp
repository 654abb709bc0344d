// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `op::QueryPage<Model>` and `op::ScanPage<Model>`: one Query or Scan request (one DynamoDB
    page) as a value, its pure rendering for a table name and its pure decoding into the typed
    page (`op::Page`). `Query` and `Scan` (query.hpp) make them (`operation(start_key)`) and page
    through them; `Table::execute(page)` runs one.
    @code
    auto page = users.query("u1").begins_with("a").operation();   // op::QueryPage<User>
    OperationRequest r = page.render("users");                     // no client needed
    op::Page<User> p = op::QueryPage<User>::decode(response, "users", page.request());
    @endcode
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html */

#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/projection.hpp>
#include <dynantic/codec/sax_page.hpp>
#include <dynantic/detail/response.hpp>
#include <dynantic/operations/read_request.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace dynantic::op {

/** One decoded Query or Scan page. */
template <class Value>
struct Page {
    std::vector<Value> items;   ///< the page's items, in DynamoDB's order
    /** LastEvaluatedKey: where the next page starts; `std::nullopt` on the last page. */
    std::optional<boost::json::object> last_evaluated_key;
    std::size_t count = 0;          ///< DynamoDB's Count: items after the filter
    std::size_t scanned_count = 0;  ///< DynamoDB's ScannedCount: items evaluated, before the filter
    /** ConsumedCapacity.CapacityUnits, when the request asked for it. */
    std::optional<double> consumed_capacity;
    /** The whole ConsumedCapacity (per table, and per index with `ReturnConsumedCapacity::indexes`),
        when the request asked for it; empty when DynamoDB reported none. */
    std::optional<ConsumedCapacity> capacity;
};

/** The typed part `QueryPage` and `ScanPage` share; `View` is the type read (the model, or a
    view of it: view.hpp). */
template <class Model, class View = Model>
class ReadPage {
public:
    using model_type = Model;   ///< the model read
    /** What an item decodes into: the view; for the model, the model or a variant for a polymorphic base. */
    using value_type = typename detail::ReadAs<Model, View>::value_type;

    /** The request's members (target, expressions, options, start key), to read or change;
        `request().projection` is where a projection goes. */
    ReadRequest& request() noexcept { return request_; }
    /** The request's members, to read. */
    const ReadRequest& request() const noexcept { return request_; }

    /** The request for table `table` (the name sent, prefix included). Pure. */
    OperationRequest render(std::string_view table) const { return detail::render_read(request_, table); }

    /** The typed page of `response`, a response to `render(table)`. Pure.
        @throws Error (errc::invalid_response) for a malformed page (see `detail::decode_page`),
                an item that is not an object or a LastEvaluatedKey equal to the ExclusiveStartKey
                sent; DecodeError naming the attribute for an item that does not fit the model. */
    Page<value_type> decode(const boost::json::object& response, std::string_view table) const {
        return decode(response, table, request_);
    }
    /** As above, for a request given explicitly. */
    static Page<value_type> decode(const boost::json::object& response, std::string_view table, const ReadRequest& request) {
        const ErrorInfo ctx = detail::operation_context(request.operation, table);
        const auto keys = detail::read_key_attributes(request.target);
        const detail::PageShape shape =
            detail::decode_page(response, ctx, keys, request.exclusive_start_key, 1, request.select_count);
        Page<value_type> out = page_of(shape, request);
        if (shape.items != nullptr) {
            out.items.reserve(shape.items->size());
            for (std::size_t i = 0; i < shape.items->size(); ++i)
                out.items.push_back(detail::ReadAs<Model, View>::decode(detail::element_object((*shape.items)[i], "Items", i, ctx), ctx));
        }
        return out;
    }
    /** As above, for a response read by `detail::read_page_text`: when its items were decoded
        from the text, they are `items` (the sink's, moved); else the DOM is decoded as above. */
    static Page<value_type> decode(const detail::ResponseText& text, std::vector<value_type>& items, std::string_view table,
                                   const ReadRequest& request) {
        if (!text.typed) return decode(*text.dom, table, request);
        const ErrorInfo ctx = detail::operation_context(request.operation, table);
        const auto keys = detail::read_key_attributes(request.target);
        // As `decode_page` of the whole response: a COUNT page's items are not counted against Count.
        Page<value_type> out =
            page_of(request.select_count
                        ? detail::decode_page(text.page.head, ctx, keys, request.exclusive_start_key, 1, true)
                        : detail::decode_page_head(text.page.head, text.page.has_items, text.page.items, ctx, keys,
                                                   request.exclusive_start_key, 1),
                    request);
        out.items = std::move(items);
        return out;
    }

protected:
    /** A page of `request` (made by `QueryPage` and `ScanPage`). */
    explicit ReadPage(ReadRequest request) : request_(std::move(request)) {}

private:
    /** A page's members but its items. */
    static Page<value_type> page_of(const detail::PageShape& shape, const ReadRequest& request) {
        Page<value_type> out;
        out.count = shape.count;
        out.scanned_count = shape.scanned;
        if (request.return_consumed_capacity != ReturnConsumedCapacity::none) {
            out.consumed_capacity = shape.capacity;
            out.capacity = shape.consumed.value_or(ConsumedCapacity{});
        }
        if (shape.last_key != nullptr) out.last_evaluated_key.emplace(*shape.last_key);
        return out;
    }

    ReadRequest request_;
};

/** One Query request of `Model`'s table or index (one page). */
template <class Model, class View = Model>
class QueryPage : public ReadPage<Model, View> {
public:
    /** The operation name. */
    static constexpr Operation operation = Operation::Query;
    /** A Query page of `request` (its `operation` is set to "Query"). */
    explicit QueryPage(ReadRequest request) : ReadPage<Model, View>((request.operation = operation, std::move(request))) {}
};

/** One Scan request of `Model`'s table or index (one page, or one page of a segment). */
template <class Model, class View = Model>
class ScanPage : public ReadPage<Model, View> {
public:
    /** The operation name. */
    static constexpr Operation operation = Operation::Scan;
    /** A Scan page of `request` (its `operation` is set to "Scan"). */
    explicit ScanPage(ReadRequest request) : ReadPage<Model, View>((request.operation = operation, std::move(request))) {}
};

}  // namespace dynantic::op
