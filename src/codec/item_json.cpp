// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/item.hpp>
#include <dynantic/codec/limits.hpp>

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

namespace dynantic::detail {

boost::json::value parse_item_json(std::string_view text, boost::json::storage_ptr storage, const ErrorInfo& context) {
    // One parser per thread keeps its temporary stack between calls.
    thread_local boost::json::parser parser(boost::json::storage_ptr(), response_parse_options());
    parser.reset(std::move(storage));
    boost::json::error_code ec;
    parser.write(text.data(), text.size(), ec);
    if (ec) {
        ErrorInfo info = context;
        info.message = "item is not valid JSON: " + ec.message();
        parser.reset();
        throw DecodeError(std::move(info));
    }
    boost::json::value item = parser.release();
    if (!item.is_object()) {
        ErrorInfo info = context;
        info.message = "item is not a JSON object";
        throw DecodeError(std::move(info));
    }
    return item;
}

}  // namespace dynantic::detail
