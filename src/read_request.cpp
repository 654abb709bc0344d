// SPDX-License-Identifier: BSL-1.0
// Query and Scan requests rendered (op::ReadRequest) and their pages decoded: pure functions.
#include <dynantic/operations/read_request.hpp>

#include <dynantic/detail/capacity.hpp>
#include <dynantic/expressions/compile.hpp>

#include <algorithm>
#include <string>

namespace dynantic::detail {

boost::json::object render_read_base(const op::ReadRequest& request, std::string_view table) {
    ExpressionContext names;
    // Placeholders are numbered in this order (key condition, filter, projection) whatever the
    // order of the members in the body.
    std::string key_text;
    if (request.key_condition) key_text = names.render(*request.key_condition);
    boost::json::object body;
    body["TableName"] = table;
    if (!request.target.index_name.empty()) body["IndexName"] = request.target.index_name;
    if (request.filter) body["FilterExpression"] = names.render(*request.filter);
    add_return_consumed_capacity(body, request.return_consumed_capacity);
    if (request.key_condition) body["KeyConditionExpression"] = key_text;
    if (!request.forward) body["ScanIndexForward"] = false;
    if (request.consistent_read) body["ConsistentRead"] = true;
    if (request.segment) {
        body["Segment"] = request.segment->first;
        body["TotalSegments"] = request.segment->second;
    }
    if (!request.projection.empty() && !request.select_count) {
        std::string projection;
        names.render_projection(request.projection, projection);
        body["ProjectionExpression"] = projection;
    }
    names.apply(body);
    if (request.select_count) body["Select"] = "COUNT";
    return body;
}

void append_paging(boost::json::object& body, const std::optional<boost::json::object>& start_key,
                   std::optional<std::size_t> limit) {
    if (start_key) body["ExclusiveStartKey"] = *start_key;
    if (limit) body["Limit"] = *limit;
}

OperationRequest render_read(const op::ReadRequest& request, std::string_view table) {
    boost::json::object body = render_read_base(request, table);
    append_paging(body, request.exclusive_start_key, request.limit);
    return {request.operation, std::move(body)};
}

std::vector<KeyAttribute> read_key_attributes(const ReadTarget& target) {
    std::vector<KeyAttribute> out;
    const std::pair<std::string_view, AttributeType> keys[] = {{target.table_partition_key, target.table_partition_key_type},
                                                               {target.table_sort_key, target.table_sort_key_type},
                                                               {target.partition_key, target.partition_key_type},
                                                               {target.sort_key, target.sort_key_type}};
    for (const auto& key : keys) {
        const std::string_view k = key.first;
        if (!k.empty() && std::none_of(out.begin(), out.end(), [k](const KeyAttribute& a) { return a.name == k; }))
            out.push_back({std::string(k), key.second});
    }
    return out;
}

PageShape decode_page(const boost::json::object& response, const ErrorInfo& ctx,
                      std::span<const KeyAttribute> key_attributes, const std::optional<boost::json::object>& sent_key,
                      std::size_t request, bool select_count) {
    PageShape out;
    out.items = optional_array(response, "Items", ctx);
    const auto count = optional_count(response, "Count", ctx);
    out.count = count.value_or(out.items != nullptr ? out.items->size() : 0);
    out.scanned = optional_count(response, "ScannedCount", ctx).value_or(0);
    if (!select_count) {
        if (out.items == nullptr && out.count > 0)
            throw_invalid_response(ctx, "Items is missing although Count is " + std::to_string(out.count));
        if (out.items != nullptr && out.count != out.items->size())
            throw_invalid_response(ctx, "Count is " + std::to_string(out.count) + " but Items holds " +
                                            std::to_string(out.items->size()) + " entries");
    }
    out.last_key = optional_object(response, "LastEvaluatedKey", ctx);
    if (out.last_key != nullptr) {
        if (std::string problem = key_shape_problem(*out.last_key, key_attributes); !problem.empty())
            throw_invalid_response(ctx, "LastEvaluatedKey: " + problem);
        if (sent_key && *sent_key == *out.last_key)
            throw_invalid_response(ctx, "LastEvaluatedKey repeats the ExclusiveStartKey just sent (request " +
                                            std::to_string(request) +
                                            " of this read): the results do not advance, so reading stopped");
    }
    if (const auto* cc = optional_object(response, "ConsumedCapacity", ctx)) {
        if (const auto* cu = cc->if_contains("CapacityUnits")) {
            if (!cu->is_number())
                throw_invalid_response(ctx, "ConsumedCapacity.CapacityUnits is " + std::string(json_kind(*cu)) +
                                                ", not a number");
            out.capacity = cu->to_number<double>();
        }
        out.consumed = read_consumed_capacity(response, ctx.operation == "Scan" ? Operation::Scan : Operation::Query);
    }
    return out;
}

PageShape decode_page_head(const boost::json::object& head, bool has_items, std::size_t items, const ErrorInfo& ctx,
                           std::span<const KeyAttribute> key_attributes,
                           const std::optional<boost::json::object>& sent_key, std::size_t request) {
    // The checks `decode_page` makes of the counts, in its order and with its messages, for items
    // that were counted rather than kept; then the rest (`select_count`: the items left alone).
    const std::size_t count = optional_count(head, "Count", ctx).value_or(has_items ? items : 0);
    (void)optional_count(head, "ScannedCount", ctx);
    if (!has_items && count > 0) throw_invalid_response(ctx, "Items is missing although Count is " + std::to_string(count));
    if (has_items && count != items)
        throw_invalid_response(ctx, "Count is " + std::to_string(count) + " but Items holds " + std::to_string(items) +
                                        " entries");
    return decode_page(head, ctx, key_attributes, sent_key, request, true);
}

}  // namespace dynantic::detail
