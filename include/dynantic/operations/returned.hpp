// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    What a PutItem or DeleteItem response returns, decoded for `Model` (`WriteResult`): the old
    item (`ReturnValues = ALL_OLD`) and the consumed capacity; and the stored item a failed
    condition carries (`ReturnValuesOnConditionCheckFailure = ALL_OLD`). Shared by `op::Put`
    and `op::Delete`. */

#include <dynantic/detail/capacity.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/response.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/write_result.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace dynantic::detail {

/** The `WriteResult` of a PutItem or DeleteItem response (`operation`) on `table`.
    @throws DecodeError when the old item does not fit the model; Error (errc::invalid_response)
            when `Attributes` is not an object; both say the write was applied. */
template <class Model>
WriteResult<typename Entity<Model>::value_type> decode_write_result(const boost::json::object& response,
                                                                    Operation operation, std::string_view table) {
    WriteResult<typename Entity<Model>::value_type> result;
    if (const auto* a = response.if_contains("Attributes")) {
        const ErrorInfo ctx = operation_context(operation, table);
        if (!a->is_object()) [[unlikely]]
            throw_invalid_response(ctx, "Attributes is " + std::string(json_kind(*a)) +
                                            ", not an object (the write was applied)");
        if (!a->get_object().empty()) {
            try {
                // A table of one subtype sees only that subtype: an old item of another is none.
                result.old_item = Entity<Model>::decode_own(a->get_object(), ctx);
            } catch (const DecodeError& e) {
                ErrorInfo info = e.info();
                info.message += " (in the old item returned; the write was applied)";
                throw DecodeError(std::move(info));
            }
        }
    }
    result.capacity = read_consumed_capacity(response, operation);
    return result;
}

/** The item a `ConditionalCheckFailedError` carries, decoded (none when it carries none, or
    for a subtype's table an item of another type); `failed` is that error's context.
    @throws DecodeError when it does not fit the model. */
template <class Model>
std::optional<typename Entity<Model>::value_type> decode_current_item(const std::optional<boost::json::object>& item,
                                                                      const ErrorInfo& failed) {
    if (!item || item->empty()) return std::nullopt;
    return Entity<Model>::decode_own(*item, ErrorInfo{failed.operation, failed.table, {}, {}, 0, {}});
}

}  // namespace dynantic::detail
