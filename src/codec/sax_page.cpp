// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/sax_page.hpp>

#include <dynantic/codec/limits.hpp>
#include <dynantic/detail/typed_reader.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_stack.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace dynantic::detail {

namespace {

namespace json = boost::json;
using error_code = boost::system::error_code;

/** The first block of the arena an item is built in; larger items continue on the heap. */
constexpr std::size_t item_arena_size = 16 * 1024;

/** The SAX handler. Depths: 0 outside the document, 1 in the page object, 2 in the item array,
    3 in an item. A value that is captured (a head member, an attribute the sink reads) has its
    events forwarded to a `value_stack`, which builds it exactly as `boost::json::parse` would; an
    attribute the sink's typed reader takes has its events forwarded to that reader (strings and
    keys arriving in parts joined first); a value that is skipped is only counted through. */
class PageHandler {
public:
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    PageHandler(std::string_view items_member, bool single_item, std::span<const std::string_view> head_members,
                ItemSink& sink, json::storage_ptr storage)
        : items_member_(items_member), single_item_(single_item), head_members_(head_members), sink_(sink), reader_(sink.reader()),
          storage_(std::move(storage)) {}

    bool bailed() const noexcept { return bailed_; }
    std::size_t items() const noexcept { return items_; }
    bool has_items() const noexcept { return has_items_; }
    json::object take_head() { return std::move(head_object_); }

    bool on_document_begin(error_code&) {
        head_.reset(storage_);
        return true;
    }
    bool on_document_end(error_code&) { return true; }

    bool on_object_begin(error_code& ec) {
        if (forward_) {
            ++depth_;
            return reader_->object_begin() || bail(ec);
        }
        if (capture_ != nullptr || skip_) {
            ++depth_;
            return true;
        }
        switch (depth_) {
        case 0: break;
        case 1:
            if (member_ == Member::items) {
                // A single item (GetItem's "Item"): read as the one element of an item array.
                if (!single_item_ || has_items_) return bail(ec);
                has_items_ = true;
                begin_item();
                depth_ = 3;
                return true;
            }
            begin_member_value();
            break;
        case 2: begin_item(); break;
        default:
            if (forwards_) {
                forward_ = true;
                ++depth_;
                return reader_->object_begin() || bail(ec);
            }
            begin_attribute_value();
            break;
        }
        ++depth_;
        return true;
    }

    bool on_object_end(std::size_t n, error_code& ec) {
        if (forward_) {
            --depth_;
            if (!reader_->object_end(n)) return bail(ec);
            if (depth_ == 3) {   // the attribute's value is complete
                forward_ = false;
                if (!reader_->idle()) return bail(ec);
            }
            return true;
        }
        if (capture_ != nullptr) {
            capture_->push_object(n);
            end_container();
            return true;
        }
        if (skip_) {
            end_container();
            return true;
        }
        --depth_;
        if (depth_ == 2) {
            if (single_item_) depth_ = 1;   // the single item's object was the member's value
            return end_item(ec);
        }
        if (depth_ == 0) {
            head_.push_object(head_count_);
            head_object_ = std::move(head_.release().get_object());
        }
        return true;
    }

    bool on_array_begin(error_code& ec) {
        if (forward_) {
            ++depth_;
            return reader_->array_begin() || bail(ec);
        }
        if (capture_ != nullptr || skip_) {
            ++depth_;
            return true;
        }
        switch (depth_) {
        case 0: return bail(ec);
        case 1:
            if (member_ == Member::items) {
                // A repeated item array (the DOM keeps one of them), or an array for a single item.
                if (has_items_ || single_item_) return bail(ec);
                has_items_ = true;
            } else {
                begin_member_value();
            }
            break;
        case 2: return bail(ec);   // an item that is not an object
        default:
            if (forwards_) return bail(ec);   // an attribute value that is not an object
            begin_attribute_value();
            break;
        }
        ++depth_;
        return true;
    }

    bool on_array_end(std::size_t n, error_code& ec) {
        if (forward_) {
            --depth_;
            return reader_->array_end(n) || bail(ec);
        }
        if (capture_ != nullptr) {
            capture_->push_array(n);
            end_container();
            return true;
        }
        if (skip_) {
            end_container();
            return true;
        }
        --depth_;
        return true;
    }

    bool on_key_part(std::string_view s, std::size_t, error_code&) {
        if (capture_ != nullptr) capture_->push_chars(s);
        else if (!skip_) key_.append(s);
        return true;
    }

    bool on_key(std::string_view s, std::size_t, error_code& ec) {
        if (forward_) {
            const bool ok = reader_->key(joined(key_, s));
            key_.clear();
            return ok || bail(ec);
        }
        if (capture_ != nullptr) {
            capture_->push_key(s);
            return true;
        }
        if (skip_) return true;
        std::string_view key = s;
        if (!key_.empty()) {
            key_.append(s);
            key = key_;
        }
        if (depth_ == 1) {
            if (key == items_member_) {
                member_ = Member::items;
            } else if (std::find(head_members_.begin(), head_members_.end(), key) != head_members_.end()) {
                member_ = Member::head;
                head_.push_key(key);
            } else {
                member_ = Member::skip;
            }
        } else {   // depth 3: an attribute of an item
            reads_ = sink_.reads(key);
            forwards_ = false;
            if (reads_) {
                if (!item_built_) build_item();
                item_.push_key(key);
            } else if (reader_ != nullptr) {
                switch (reader_->attribute(key)) {
                case TypedItemReader::Attribute::skip: break;
                case TypedItemReader::Attribute::read: forwards_ = true; break;
                case TypedItemReader::Attribute::stop: key_.clear(); return bail(ec);
                }
            }
        }
        key_.clear();
        return true;
    }

    bool on_string_part(std::string_view s, std::size_t, error_code& ec) {
        if (forward_) {
            string_.append(s);
            return true;
        }
        return scalar(ec, false, [&](json::value_stack& st) { st.push_chars(s); });
    }
    bool on_string(std::string_view s, std::size_t, error_code& ec) {
        if (forward_) {
            const bool ok = reader_->string(joined(string_, s));
            string_.clear();
            return ok || bail(ec);
        }
        return scalar(ec, true, [&](json::value_stack& st) { st.push_string(s); });
    }
    bool on_number_part(std::string_view, error_code&) { return true; }
    bool on_int64(std::int64_t v, std::string_view, error_code& ec) {
        if (forward_) return reader_->number(v) || bail(ec);
        return scalar(ec, true, [&](json::value_stack& st) { st.push_int64(v); });
    }
    bool on_uint64(std::uint64_t v, std::string_view, error_code& ec) {
        if (forward_) return reader_->number(v) || bail(ec);
        return scalar(ec, true, [&](json::value_stack& st) { st.push_uint64(v); });
    }
    bool on_double(double v, std::string_view, error_code& ec) {
        if (forward_) return reader_->number(v) || bail(ec);
        return scalar(ec, true, [&](json::value_stack& st) { st.push_double(v); });
    }
    bool on_bool(bool v, error_code& ec) {
        if (forward_) return reader_->boolean(v) || bail(ec);
        return scalar(ec, true, [&](json::value_stack& st) { st.push_bool(v); });
    }
    bool on_null(error_code& ec) {
        if (forward_) return reader_->null() || bail(ec);
        return scalar(ec, true, [&](json::value_stack& st) { st.push_null(); });
    }
    bool on_comment_part(std::string_view, error_code&) { return true; }
    bool on_comment(std::string_view, error_code&) { return true; }

private:
    enum class Member { skip, head, items };

    bool bail(error_code& ec) {
        bailed_ = true;
        ec = json::error::exception;
        return false;
    }

    /** An item begins: a new arena on the same first block for each item (not `release()`:
        Boost.JSON 1.81 keeps doubling the block size across releases, see recycled_blocks.hpp). */
    void begin_item() {
        item_members_ = 0;
        item_built_ = false;
        if (reader_ != nullptr) reader_->begin_item();
    }
    /** The first attribute of the item to be built: its arena (the first block made once). */
    void build_item() {
        if (!arena_block_) arena_block_.reset(new unsigned char[item_arena_size]);
        item_arena_.emplace(arena_block_.get(), item_arena_size);
        item_.reset(json::storage_ptr(&*item_arena_));
        item_built_ = true;
    }

    /** A container value of a page member begins (depth 1). */
    void begin_member_value() {
        if (member_ == Member::head) {
            capture_ = &head_;
            ++head_count_;
        } else {
            skip_ = true;
        }
        owner_depth_ = 1;
    }
    /** A container value of an item attribute begins (depth 3). */
    void begin_attribute_value() {
        if (reads_) {
            capture_ = &item_;
            ++item_members_;
        } else {
            skip_ = true;
        }
        owner_depth_ = 3;
    }
    void end_container() {
        if (--depth_ == owner_depth_) {
            capture_ = nullptr;
            skip_ = false;
        }
    }

    /** A string (part), number, bool or null. */
    /** `last` appended to the `parts` that came before it, if any. */
    static std::string_view joined(std::string& parts, std::string_view last) {
        if (parts.empty()) return last;
        parts.append(last);
        return parts;
    }

    template <class Push>
    bool scalar(error_code& ec, bool last, Push push) {
        if (capture_ != nullptr) {
            push(*capture_);
            return true;
        }
        if (skip_) return true;
        switch (depth_) {
        case 1:
            if (member_ == Member::items) return bail(ec);   // the item array is not an array
            if (member_ == Member::head) {
                push(head_);
                if (last) ++head_count_;
            }
            return true;
        case 3:
            if (reads_) {
                push(item_);
                if (last) ++item_members_;
            } else if (forwards_) {
                return bail(ec);   // an attribute value that is not an object
            }
            return true;
        default: return bail(ec);   // a document or an item that is not an object
        }
    }

    bool end_item(error_code& ec) {
        try {
            if (item_built_) {
                item_.push_object(item_members_);
                const json::value item = item_.release();
                sink_.decode(item.get_object());
            } else {
                const json::object none;   // no attribute the sink reads: nothing was built
                sink_.decode(none);
            }
        } catch (...) {
            return bail(ec);
        }
        ++items_;
        return true;
    }

    std::string_view items_member_;
    bool single_item_;                     ///< the member holds one item, not an array of them
    std::span<const std::string_view> head_members_;
    ItemSink& sink_;
    TypedItemReader* reader_;              ///< the sink's typed reader, if any
    json::storage_ptr storage_;
    std::unique_ptr<unsigned char[]> arena_block_;
    std::optional<json::monotonic_resource> item_arena_;   ///< the current item's values
    bool item_built_ = false;              ///< the current item has an attribute the sink reads
    json::value_stack head_;
    json::value_stack item_;
    json::object head_object_;
    std::string key_;                      ///< a key arriving in parts
    std::string string_;                   ///< a forwarded string arriving in parts
    json::value_stack* capture_ = nullptr; ///< where events go while a value is captured
    bool skip_ = false;                    ///< a container value being skipped
    std::size_t owner_depth_ = 0;          ///< the depth of the object holding the captured or skipped value
    std::size_t depth_ = 0;
    Member member_ = Member::skip;         ///< the page member whose value comes next
    bool reads_ = false;                   ///< the item attribute whose value comes next is read
    bool forwards_ = false;                ///< ... or goes to the typed reader
    bool forward_ = false;                 ///< events go to the typed reader
    std::size_t head_count_ = 0;
    std::size_t item_members_ = 0;
    std::size_t items_ = 0;
    bool has_items_ = false;
    bool bailed_ = false;
};

}  // namespace

namespace {

bool decode_text(std::string_view text, std::string_view items_member, bool single_item,
                 std::span<const std::string_view> head_members, ItemSink& sink, boost::json::storage_ptr storage,
                 PageText& out) {
    try {
        json::basic_parser<PageHandler> parser(response_parse_options(), items_member, single_item, head_members, sink,
                                               std::move(storage));
        error_code ec;
        const std::size_t n = parser.write_some(false, text.data(), text.size(), ec);
        if (ec || n != text.size() || !parser.done()) return false;
        PageHandler& handler = parser.handler();
        out.head = handler.take_head();
        out.has_items = handler.has_items();
        out.items = handler.items();
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace

bool decode_page_text(std::string_view text, std::string_view items_member,
                      std::span<const std::string_view> head_members, ItemSink& sink,
                      boost::json::storage_ptr storage, PageText& out) {
    return decode_text(text, items_member, false, head_members, sink, std::move(storage), out);
}

namespace {

/** Through the sink, else as a DOM (`read_item_text`, `read_page_text`). */
bool read_text(std::string_view text, std::string_view member, bool single_item,
               std::span<const std::string_view> head_members, ItemSink& sink, boost::json::storage_ptr storage,
               ResponseText& out) {
    sink.clear();
    out.typed = decode_text(text, member, single_item, head_members, sink, storage, out.page);
    if (out.typed) return true;
    sink.clear();
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(text, ec, std::move(storage), response_parse_options());
    if (ec || !body.is_object()) return false;
    out.dom.emplace(std::move(body.get_object()));
    return true;
}

}  // namespace

bool read_item_text(std::string_view text, std::string_view item_member, std::span<const std::string_view> head_members,
                    ItemSink& sink, boost::json::storage_ptr storage, ResponseText& out) {
    return read_text(text, item_member, true, head_members, sink, std::move(storage), out);
}

bool read_page_text(std::string_view text, ItemSink& sink, boost::json::storage_ptr storage, ResponseText& out) {
    return read_text(text, "Items", false, page_head_members, sink, std::move(storage), out);
}

}  // namespace dynantic::detail
