// SPDX-License-Identifier: BSL-1.0
#pragma once
// Responses of a plain model decoded straight from their text (detail/typed_reader.hpp): the state
// a `CallOptions::read_body` hook fills, and the result, exactly as the operation's `decode` of the
// parsed response (to which it falls back for a response the typed pass does not take). GetItem
// for the synchronous `Table::execute(op::Get)` and the asynchronous get; Query and Scan pages for
// the asynchronous page reader (the synchronous one has `detail::Pager`).

#include <dynantic/detail/batch_engine.hpp>   // add_capacity
#include <dynantic/detail/typed_reader.hpp>
#include <dynantic/operations/get.hpp>
#include <dynantic/operations/read_page.hpp>

#include <boost/json/storage_ptr.hpp>

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace dynantic::detail {

/** True when `op::Get<Model, View>` is read from the text. */
template <class Model, class View>
inline constexpr bool typed_get = std::is_same_v<Model, View> && typed_reads<Model>();

/** What a typed GetItem reads: the hook's state. Everything is allocated in `storage`. */
template <class Model>
class TypedGet {
public:
    explicit TypedGet(boost::json::storage_ptr storage) : storage_(std::move(storage)) {}

    /** The `read_body` hook: the item through the typed readers, else the response as a DOM. */
    bool read(std::string_view body) {
        static constexpr std::string_view head[] = {"ConsumedCapacity"};
        text_ = {};
        return read_item_text(body, "Item", head, sink_, storage_, text_);
    }

    /** The item of the response read (none without one), after adding its capacity to the get's
        sink. @throws as `op::Get<Model>::decode`. */
    std::optional<Model> result(const op::Get<Model>& get, std::string_view table) {
        if (!text_.typed) {
            add_capacity(get.options().consumed_capacity, *text_.dom, Operation::GetItem);
            return op::Get<Model>::decode(*text_.dom, table);
        }
        add_capacity(get.options().consumed_capacity, text_.page.head, Operation::GetItem);
        if (!text_.page.has_items) return std::nullopt;
        return std::move(sink_.items);
    }

private:
    boost::json::storage_ptr storage_;
    TypedPageSink<Model, std::optional<Model>> sink_{required_members<Model>()};
    ResponseText text_;
};

/** What a typed Query or Scan page reads: the hook's state. Everything is allocated in `storage`. */
template <class Model>
class TypedPageRead {
public:
    explicit TypedPageRead(boost::json::storage_ptr storage) : storage_(std::move(storage)) {}

    /** The `read_body` hook: the items through the typed readers, else the page as a DOM. */
    bool read(std::string_view body) {
        text_ = {};
        return read_page_text(body, sink_, storage_, text_);
    }

    /** The page read, as `op::ReadPage<Model>::decode` of the response to `request`.
        @throws as that. */
    op::Page<Model> result(std::string_view table, const op::ReadRequest& request) {
        return op::ReadPage<Model>::decode(text_, sink_.items, table, request);
    }

private:
    boost::json::storage_ptr storage_;
    TypedPageSink<Model> sink_{required_members<Model>()};
    ResponseText text_;
};

}  // namespace dynantic::detail
