// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `op::Get<Model[, View]>`: one GetItem as a value (key, options), its pure request rendering and its
    pure response decoding. `Table::get` runs it; `transact_get` renders it as a `Get`. With a
    view (view.hpp), the request carries the view's `ProjectionExpression` (plus the table's
    keys) and the item decodes into the view.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html */

#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/projection.hpp>
#include <dynantic/detail/response.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/detail/capacity.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic::op {

/** A GetItem of the item with one key, read as `Model` or as `View`, a view of it. */
template <class Model, class View = Model>
class Get {
    using Keys = detail::ModelKey<Model>;
    using Read = detail::ReadAs<Model, View>;

public:
    using model_type = Model;                        ///< the model read
    using view_type = View;                          ///< the type read (the model, or a view of it)
    using key_type = typename Keys::key_type;        ///< the partition key, or a pair with the sort key
    /** What the read yields: the view; for the model itself, the model, or a variant for a polymorphic base. */
    using value_type = typename Read::value_type;
    /** The operation name. */
    static constexpr Operation operation = Operation::GetItem;

    /** A read of the item with `key`. */
    explicit Get(key_type key, GetOptions options = {}) : key_(std::move(key)), options_(options) {}

    /** Strongly consistent read (ConsistentRead). */
    Get& consistent_read(bool on = true) noexcept {
        options_.consistent_read = on;
        return *this;
    }

    /** Ask for the consumed capacity (ReturnConsumedCapacity), added to `*sink` when not null
        by `Table::execute`/`get`. */
    Get& return_consumed_capacity(ReturnConsumedCapacity level = ReturnConsumedCapacity::total,
                                  ConsumedCapacity* sink = nullptr) noexcept {
        options_.return_consumed_capacity = level;
        options_.consumed_capacity = sink;
        return *this;
    }

    /** The key. */
    const key_type& key() const noexcept { return key_; }
    /** The read options. */
    const GetOptions& options() const noexcept { return options_; }

    /** The GetItem request for table `table`; `context_operation` names the operation in errors;
        `storage`: where the JSON lives.
        @throws ValidationError for an empty or oversize key value. */
    OperationRequest render(std::string_view table, Operation context_operation = operation,
                            boost::json::storage_ptr storage = {}) const {
        OperationRequest request =
            render_key(table, Keys::encode_any(detail::operation_context(context_operation, table), key_, storage),
                       options_, storage);
        if constexpr (!Read::whole) {   // a view: its ProjectionExpression, with the table's keys
            constexpr auto& s = schema<Model>::value;
            ExpressionContext names;
            Read::project(request.body, names, {s.partition_key_name(), s.sort_key_name()}, true);
            names.apply(request.body);
        }
        return request;
    }
    /** The GetItem request of a key already encoded (`Table::key`), as `render` makes it. */
    static OperationRequest render_key(std::string_view table, boost::json::object key, GetOptions options = {},
                                       boost::json::storage_ptr storage = {}) {
        boost::json::object body(std::move(storage));
        body["TableName"] = table;
        body["Key"] = std::move(key);
        if (options.consistent_read) body["ConsistentRead"] = true;
        detail::add_return_consumed_capacity(body, options.return_consumed_capacity);
        return {operation, std::move(body)};
    }

    /** The item of a GetItem response, or `std::nullopt` when none has this key (or, for a
        subtype's table, when the item is of another entity type).
        @throws DecodeError naming the attribute; Error (errc::invalid_response) when `Item` is
                not an object. */
    static std::optional<value_type> decode(const boost::json::object& response, std::string_view table) {
        const auto* item = response.if_contains("Item");
        if (item == nullptr) return std::nullopt;   // no item with this key
        if (!item->is_object()) [[unlikely]]
            detail::throw_invalid_response(detail::operation_context(operation, table),
                                           "Item is " + std::string(detail::json_kind(*item)) + ", not an object");
        // A table of one subtype reads only that subtype: another entity type is nullopt.
        return Read::decode_own(item->get_object(), detail::operation_context(operation, table));
    }

private:
    key_type key_;
    GetOptions options_;
};

}  // namespace dynantic::op
