// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Decoding a page of items straight from the response text (Query, Scan): one pass of
    Boost.JSON's `basic_parser` (SAX) over the body, without a DOM of the page. Each element of
    the page's item array is handed to an `ItemSink` as an object holding only the attributes the
    sink reads (the others are skipped as they are read, never built), in a small arena reused
    item after item; the page's other members of interest (`Count`, `ScannedCount`,
    `LastEvaluatedKey`, `ConsumedCapacity`) are captured on the way. Internal (detail).

    The pass only takes well-formed pages: for anything else (text that is not JSON or not an
    object, an item array that is not an array of objects, a repeated item array, an item the sink
    refuses) it stops and returns false, and the caller parses the text as a DOM and reads it the
    way it always has, so every check and every error message stays exactly what it was. */

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace dynantic::detail {

class TypedItemReader;   // detail/typed_reader.hpp

/** The typed side of a page decode. */
class ItemSink {
public:
    ItemSink() = default;
    ItemSink(const ItemSink&) = default;
    ItemSink(ItemSink&&) = default;
    ItemSink& operator=(const ItemSink&) = default;
    ItemSink& operator=(ItemSink&&) = default;
    virtual ~ItemSink() = default;
    /** True for an attribute the decode reads; the others are skipped without being built. */
    virtual bool reads(std::string_view attribute) const noexcept = 0;
    /** Decodes one item (holding the attributes `reads` accepts, as the text has them) and keeps
        the result; throws what the decode throws (the pass then stops, see the file comment). */
    virtual void decode(const boost::json::object& item) = 0;
    /** Drops what was decoded so far. */
    virtual void clear() noexcept = 0;
    /** With a reader, the attributes `reads` declines are handed to it event by event (each item
        begins with `begin_item`) and `decode` gets only those `reads` accepts; without one, they
        are skipped. */
    virtual TypedItemReader* reader() noexcept { return nullptr; }
};

/** The items of a page decoded into `Value`s by `Decode` (`Value(const boost::json::object&)`),
    which reads exactly the attributes `names` (generic over the decoded type: a model, a variant
    of subtypes, a view). */
template <class Value, class Decode>
class PageSink final : public ItemSink {
public:
    PageSink(std::span<const std::string_view> names, Decode decode) : names_(names), decode_(std::move(decode)) {}
    bool reads(std::string_view attribute) const noexcept override {
        return std::find(names_.begin(), names_.end(), attribute) != names_.end();
    }
    void decode(const boost::json::object& item) override { items.push_back(decode_(item)); }
    void clear() noexcept override { items.clear(); }

    std::vector<Value> items;   ///< the decoded items of the last page, in order

private:
    std::span<const std::string_view> names_;
    Decode decode_;
};

/** What a page's text holds besides its items. */
struct PageText {
    boost::json::object head;   ///< the captured members, as a DOM parse would hold them
    bool has_items = false;     ///< the item array is present
    std::size_t items = 0;      ///< its length (each element was handed to the sink)
};

/** Decodes `text` (a JSON object) in one pass: each element of the member `items_member` goes to
    `sink`, the members named in `head_members` are captured into `out.head` (allocated in
    `storage`, which must outlive it), every other member is skipped. The text's limits are
    `response_parse_options()` (codec/limits.hpp).
    @returns false when the pass does not take the text (see the file comment); `out` and the
             sink then hold partial results to be dropped. Never throws but `std::bad_alloc`. */
bool decode_page_text(std::string_view text, std::string_view items_member,
                      std::span<const std::string_view> head_members, ItemSink& sink,
                      boost::json::storage_ptr storage, PageText& out);

/** A response read by `read_item_text` (GetItem) or `read_page_text` (Query, Scan). */
struct ResponseText {
    bool typed = false;                        ///< the items (if any) went to the sink; `page` holds the rest
    PageText page;                             ///< with `typed`: the captured members, and what the items were
    std::optional<boost::json::object> dom;    ///< without `typed`: the whole response, parsed
};

/** Reads a response whose member `item_member` holds one item as an object (GetItem's "Item"):
    through `sink` as `decode_page_text` does (the item goes to the sink), or, when that pass does
    not take the text, as a DOM into `out.dom` so the caller reads it as it always has. Both in
    `storage`, which must outlive `out`.
    @returns false for a body that is not a JSON object (a `CallOptions::read_body` hook). */
bool read_item_text(std::string_view text, std::string_view item_member, std::span<const std::string_view> head_members,
                    ItemSink& sink, boost::json::storage_ptr storage, ResponseText& out);

/** The members of a Query or Scan page besides its items: all `decode_page` reads. */
inline constexpr std::string_view page_head_members[] = {"Count", "ScannedCount", "LastEvaluatedKey", "ConsumedCapacity"};

/** As `read_item_text`, for a Query or Scan page: the elements of "Items" through `sink`, the
    `page_head_members` captured (`out.page`), or the DOM. */
bool read_page_text(std::string_view text, ItemSink& sink, boost::json::storage_ptr storage, ResponseText& out);

}  // namespace dynantic::detail
