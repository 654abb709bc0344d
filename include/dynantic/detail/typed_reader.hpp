// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Decoding items into models straight from the events of their text (Query and Scan pages,
    codec/sax_page.hpp), without building a DOM of the item. Internal (detail).

    Each C++ type has a `TypeOps` table saying how its AttributeValue is read: the scalars the
    library maps (strings, integers, floating point, `bool`, `Decimal`), `std::optional` of them,
    lists, string and number sets, string-keyed maps and described structs are written member by
    member as their text is read; every other type (a user mapping, times, UUIDs, enums, bytes)
    has its AttributeValue built as a small DOM and read by its `attribute_traits`, as `from_item`
    would. The readers accept exactly what `from_item` accepts and produce the same values; on
    anything else (a wrong type, a malformed value, a repeated attribute, a missing required
    attribute) they stop, and the page is decoded from its DOM instead, so every check and error
    message stays that of `from_item`. */

#include <dynantic/codec/containers.hpp>
#include <dynantic/codec/decimal.hpp>
#include <dynantic/codec/item.hpp>
#include <dynantic/codec/sax_page.hpp>
#include <dynantic/codec/sets.hpp>
#include <dynantic/detail/entity.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace dynantic::detail {

/** How the payload of an AttributeValue is read, once its type key is known. */
enum class Payload : unsigned char {
    reject,    ///< a type the C++ type does not take: the pass stops
    string,    ///< S, N or B: one string
    boolean,   ///< BOOL or NULL: one bool
    strings,   ///< SS or NS: an array of strings
    list,      ///< L: an array of AttributeValues
    map,       ///< M: an object of AttributeValues
};

struct TypeOps;

/** A C++ object being read, with the table of its type. */
struct Slot {
    const TypeOps* ops = nullptr;
    void* target = nullptr;
};

/** How a C++ type is read (see the file comment). Functions a type does not need are null. */
struct TypeOps {
    /** The AttributeValue is built as a DOM and handed to `assign` (types without a direct reader). */
    bool whole = true;
    /** The type key has been read: how the payload is read. May redirect `self` (an optional to
        the value it engages). */
    Payload (*open)(Slot& self, AttributeType type) = nullptr;
    /** A string payload, or one element of a set; false when the text is not a value. */
    bool (*string)(void* target, std::string_view text) = nullptr;
    /** A BOOL or NULL payload. */
    bool (*boolean)(void* target, bool value) = nullptr;
    /** The next element of a list. */
    Slot (*element)(void* target) = nullptr;
    /** The member `key` of a map or struct: `ops` null to skip it, `&reject_ops` for a key seen
        before (`seen` holds one bit per struct member). */
    Slot (*member)(void* target, std::string_view key, std::uint64_t& seen) = nullptr;
    /** Reads a whole AttributeValue, as `from_attribute`. @throws what it throws. */
    void (*assign)(void* target, const boost::json::value& av) = nullptr;
};

/** The slot returned for a repeated member: the pass stops. */
inline constexpr TypeOps reject_ops{};

/** Reads the attributes of items, event by event, into the slot `new_item` returns for each
    (src/codec/typed_reader.cpp). Every function returning bool returns false where the text is
    not what the types take; the pass then stops (see the file comment). */
class TypedItemReader {
public:
    /** What `attribute` decided. */
    enum class Attribute : unsigned char { skip, read, stop };

    /** `new_item(context)` default-constructs the next item and returns its struct's slot. */
    TypedItemReader(Slot (*new_item)(void*), void* context);
    TypedItemReader(const TypedItemReader&) = delete;
    TypedItemReader& operator=(const TypedItemReader&) = delete;
    ~TypedItemReader();

    /** A new item begins. */
    void begin_item();
    /** The item's attribute `name` comes next: read (its value's events follow), skipped (the
        model has no such member) or a repeated one. */
    Attribute attribute(std::string_view name);
    /** Reads a captured attribute of the item (one the page handler builds as a DOM).
        @throws what `from_attribute` throws; std::invalid_argument for an unknown or repeated one. */
    void apply(std::string_view name, const boost::json::value& av);
    /** One bit per member of the item's struct, for the attributes read so far. */
    std::uint64_t seen() const noexcept { return root_seen_; }
    /** True between attributes (the last value was complete). */
    bool idle() const noexcept { return depth_ == 0; }

    bool object_begin();                   ///< `{`
    bool object_end(std::size_t members);  ///< `}` closing an object of `members` members
    bool array_begin();                    ///< `[`
    bool array_end(std::size_t elements);  ///< `]` closing an array of `elements` elements
    bool key(std::string_view text);       ///< an object key
    bool string(std::string_view text);    ///< a string
    bool boolean(bool value);              ///< true or false
    /** A number or null: never an AttributeValue's payload, but possible inside an unknown
        member (skipped) or a value read whole. */
    bool number(std::int64_t value);
    bool number(std::uint64_t value);   ///< as above
    bool number(double value);          ///< as above
    bool null();                        ///< as above

private:
    /** One AttributeValue being read. */
    struct Frame {
        enum class State : unsigned char {
            start,     ///< before its `{`
            type,      ///< before its type key
            payload,   ///< before its payload
            strings,   ///< in the array of a set
            list,      ///< in the array of a list
            map,       ///< in the object of a map or struct
            done,      ///< after its payload, before its `}`
        };
        Slot slot;
        State state = State::start;
        Payload payload = Payload::reject;
        std::uint64_t seen = 0;   ///< the struct members read so far
    };
    /** AttributeValues nested deeper stop the pass (DynamoDB stores 32 levels). */
    static constexpr std::size_t max_depth = 40;
    struct Capture;
    bool skipped_value(bool container);
    bool passed_container();
    template <class Push>
    bool bare_value(Push push);
    bool push(Slot slot);
    Frame& top() noexcept { return frames_[depth_ - 1]; }

    Slot (*new_item_)(void*);
    void* context_;
    Slot root_;
    std::uint64_t root_seen_ = 0;
    Frame frames_[max_depth];
    std::size_t depth_ = 0;              ///< frames in use
    std::unique_ptr<Capture> capture_;   ///< the DOM of a value read whole (made when first needed)
    std::size_t capture_depth_ = 0;
    std::size_t skip_depth_ = 0;
    bool skip_next_ = false;             ///< the next value is an unknown member's
};

template <class T>
constexpr const TypeOps& type_ops();

/** Readers of each kind of type (see `type_ops`). */
template <class T>
struct TypeReader {
    static void assign(void* t, const boost::json::value& av) { *static_cast<T*>(t) = dynantic::from_attribute<T>(av); }
    static constexpr TypeOps ops{.assign = &assign};
};

/** Scalars: one string payload of wire type `Wire`, read by `Read`. */
template <class T, AttributeType Wire, T (*Read)(std::string_view)>
struct ScalarReader : TypeReader<T> {
    static Payload open(Slot&, AttributeType type) { return type == Wire ? Payload::string : Payload::reject; }
    static bool string(void* t, std::string_view text) {
        *static_cast<T*>(t) = Read(text);
        return true;
    }
    static constexpr TypeOps ops{.whole = false, .open = &open, .string = &string, .assign = &TypeReader<T>::assign};
};

inline std::string read_string(std::string_view text) { return std::string(text); }
template <class T>
T read_integer(std::string_view text) { return parse_integer<T>(text); }
template <class T>
T read_floating(std::string_view text) { return static_cast<T>(parse_double(text)); }

/** NULL, whatever its payload's bool: the optional or set was reset by `open`. */
inline bool accept_null(void*, bool) { return true; }
inline constexpr TypeOps null_ops{.whole = false, .boolean = &accept_null};

struct BoolReader : TypeReader<bool> {
    static Payload open(Slot&, AttributeType type) { return type == AttributeType::BOOL ? Payload::boolean : Payload::reject; }
    static bool boolean(void* t, bool v) {
        *static_cast<bool*>(t) = v;
        return true;
    }
    static constexpr TypeOps ops{.whole = false, .open = &open, .boolean = &boolean, .assign = &TypeReader<bool>::assign};
};

template <class T>
struct OptionalReader : TypeReader<std::optional<T>> {
    static Payload open(Slot& self, AttributeType type) {
        auto& v = *static_cast<std::optional<T>*>(self.target);
        if (type == AttributeType::NUL) {
            v.reset();
            self.ops = &null_ops;
            return Payload::boolean;
        }
        self = Slot{&type_ops<T>(), &v.emplace()};
        return self.ops->open(self, type);
    }
    static constexpr TypeOps ops{.whole = false, .open = &open, .assign = &TypeReader<std::optional<T>>::assign};
};

template <class List>
struct ListReader : TypeReader<List> {
    static Payload open(Slot& self, AttributeType type) {
        if (type != AttributeType::L) return Payload::reject;
        static_cast<List*>(self.target)->clear();
        return Payload::list;
    }
    static Slot element(void* t) {
        auto& list = *static_cast<List*>(t);
        // The length is not known before the end: room for about 256 bytes of elements at once
        // instead of growing one, two, four... (the DOM path reserved the exact length).
        if constexpr (requires { list.reserve(1); })
            if (list.capacity() == 0) list.reserve(std::max<std::size_t>(1, 256 / sizeof(typename List::value_type)));
        return Slot{&type_ops<typename List::value_type>(), &list.emplace_back()};
    }
    static constexpr TypeOps ops{.whole = false, .open = &open, .element = &element, .assign = &TypeReader<List>::assign};
};

template <class Set>
struct SetReader : TypeReader<Set> {
    using E = typename Set::key_type;
    static Payload open(Slot& self, AttributeType type) {
        static_cast<Set*>(self.target)->clear();
        if (type == AttributeType::NUL) {
            self.ops = &null_ops;
            return Payload::boolean;
        }
        return type == set_traits<Set>::type ? Payload::strings : Payload::reject;
    }
    static bool string(void* t, std::string_view text) {
        if constexpr (std::is_same_v<E, std::string>) static_cast<Set*>(t)->emplace(text);
        else if constexpr (std::is_floating_point_v<E>) static_cast<Set*>(t)->insert(read_floating<E>(text));
        else static_cast<Set*>(t)->insert(parse_integer<E>(text));
        return true;
    }
    static constexpr TypeOps ops{.whole = false, .open = &open, .string = &string, .assign = &TypeReader<Set>::assign};
};

template <class Map>
struct MapReader : TypeReader<Map> {
    static Payload open(Slot& self, AttributeType type) {
        if (type != AttributeType::M) return Payload::reject;
        static_cast<Map*>(self.target)->clear();
        return Payload::map;
    }
    static Slot member(void* t, std::string_view key, std::uint64_t&) {
        auto [it, inserted] = static_cast<Map*>(t)->try_emplace(std::string(key));
        if (!inserted) return Slot{&reject_ops, nullptr};
        return Slot{&type_ops<typename Map::mapped_type>(), &it->second};
    }
    static constexpr TypeOps ops{.whole = false, .open = &open, .member = &member, .assign = &TypeReader<Map>::assign};
};

template <class T>
struct StructReader : TypeReader<T> {
    static Payload open(Slot& self, AttributeType type) {
        if (type != AttributeType::M) return Payload::reject;
        *static_cast<T*>(self.target) = T{};   // from_attribute starts from T{}, not the parent's initializer
        return Payload::map;
    }
    static Slot member(void* t, std::string_view key, std::uint64_t& seen) {
        Slot out;
        std::size_t i = 0;
        boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
            if (out.ops == nullptr && key == attribute_name<T, decltype(D)>()) {
                const std::uint64_t bit = std::uint64_t{1} << i;
                if ((seen & bit) != 0) {
                    out = Slot{&reject_ops, nullptr};
                } else {
                    seen |= bit;
                    auto& m = static_cast<T*>(t)->*D.pointer;
                    out = Slot{&type_ops<std::remove_cvref_t<decltype(m)>>(), &m};
                }
            }
            ++i;
        });
        return out;
    }
    static constexpr TypeOps ops{.whole = false, .open = &open, .member = &member, .assign = &TypeReader<T>::assign};
};

template <class T, template <class...> class Tpl>
inline constexpr bool instance_of_v = false;
template <template <class...> class Tpl, class... A>
inline constexpr bool instance_of_v<Tpl<A...>, Tpl> = true;

/** The library's own mapping of `T` (not a user's specialization), of a kind read directly. */
template <class T>
constexpr bool direct_struct() {
    if constexpr (described_struct<T> && requires { attribute_traits<T>::library_codec; })
        return std::is_default_constructible_v<T> && std::is_move_assignable_v<T> &&
               boost::mp11::mp_size<described_members<T>>::value <= 64;
    else
        return false;
}

template <class T>
constexpr const TypeOps& type_ops() {
    if constexpr (std::is_same_v<T, std::string>) {
        return ScalarReader<T, AttributeType::S, &read_string>::ops;
    } else if constexpr (std::is_same_v<T, bool>) {
        return BoolReader::ops;
    } else if constexpr (std::is_same_v<T, Decimal>) {
        return ScalarReader<T, AttributeType::N, &parse_decimal_attribute>::ops;
    } else if constexpr (std::is_integral_v<T> && requires { attribute_traits<T>::library_codec; }) {
        return ScalarReader<T, AttributeType::N, &read_integer<T>>::ops;
    } else if constexpr (std::is_floating_point_v<T> && requires { attribute_traits<T>::library_codec; }) {
        return ScalarReader<T, AttributeType::N, &read_floating<T>>::ops;
    } else if constexpr (instance_of_v<T, std::optional> && requires { attribute_traits<T>::library_codec; }) {
        if constexpr (type_ops<typename T::value_type>().whole) return TypeReader<T>::ops;
        else return OptionalReader<typename T::value_type>::ops;
    } else if constexpr ((instance_of_v<T, std::vector> || instance_of_v<T, std::deque> || instance_of_v<T, std::list>) &&
                         requires { attribute_traits<T>::library_codec; }) {
        // (Not std::vector<bool>, whose elements have no address.)
        if constexpr (std::is_default_constructible_v<typename T::value_type> && !std::is_same_v<typename T::value_type, bool>)
            return ListReader<T>::ops;
        else
            return TypeReader<T>::ops;
    } else if constexpr ((instance_of_v<T, std::set> || instance_of_v<T, std::unordered_set>) &&
                         requires { attribute_traits<T>::library_codec; }) {
        using E = typename T::key_type;
        if constexpr (std::is_same_v<E, std::string> || std::is_floating_point_v<E> ||
                      (std::is_integral_v<E> && requires { attribute_traits<E>::library_codec; }))
            return SetReader<T>::ops;
        else
            return TypeReader<T>::ops;
    } else if constexpr ((instance_of_v<T, std::map> || instance_of_v<T, std::unordered_map>) &&
                         requires { attribute_traits<T>::library_codec; }) {
        if constexpr (std::is_default_constructible_v<typename T::mapped_type>) return MapReader<T>::ops;
        else return TypeReader<T>::ops;
    } else if constexpr (direct_struct<T>()) {
        return StructReader<T>::ops;
    } else {
        return TypeReader<T>::ops;
    }
}

/** The items of a page decoded into `Model`s from the text (`Entity<Model>::plain_reads()`):
    every attribute through the typed reader, but those the page handler captures (the read's
    keys, see `reads`), which come whole in `decode`. An item lacking one of `required` (one bit
    per member, as `TypedItemReader::seen`) stops the pass, so the DOM path reports it. `Items`
    is `std::vector<Model>`, or `std::optional<Model>` for a response of one item (GetItem). */
template <class Model, class Items = std::vector<Model>>
class TypedPageSink final : public ItemSink {
public:
    explicit TypedPageSink(std::uint64_t required) : required_(required), reader_(&new_item, this) {}
    bool reads(std::string_view) const noexcept override { return false; }
    TypedItemReader* reader() noexcept override { return &reader_; }
    void decode(const boost::json::object& captured) override {
        for (const auto& entry : captured) reader_.apply(entry.key(), entry.value());
        if ((reader_.seen() & required_) != required_) throw std::invalid_argument("a required attribute is missing");
    }
    void clear() noexcept override { items = Items(); }

    Items items;   ///< the decoded items of the last page, in order

private:
    static Slot new_item(void* self) {
        auto& items = static_cast<TypedPageSink*>(self)->items;
        if constexpr (requires { items.emplace_back(); }) return Slot{&type_ops<Model>(), &items.emplace_back()};
        else return Slot{&type_ops<Model>(), &items.emplace()};
    }
    std::uint64_t required_;
    TypedItemReader reader_;
};

/** One bit per member of `T` (as `TypedItemReader::seen`) for each attribute name that
    `for_each(f)` passes to `f`; every bit when one names no member (no item then passes). */
template <class T, class ForEach>
std::uint64_t member_bits(const ForEach& for_each) {
    std::uint64_t bits = 0;
    for_each([&](std::string_view name) {
        std::uint64_t bit = ~std::uint64_t{0};
        std::size_t i = 0;
        boost::mp11::mp_for_each<described_members<T>>([&](auto D) {
            if (attribute_name<T, decltype(D)>() == name) bit = std::uint64_t{1} << i;
            ++i;
        });
        bits |= bit;
    });
    return bits;
}

/** True when reads of `Model` itself (not a view) decode items through `TypedPageSink`. */
template <class Model>
constexpr bool typed_reads() {
    return Entity<Model>::plain_reads() && direct_struct<Model>();
}

/** The members `Entity<Model>::decode` requires, as `TypedPageSink` takes them. */
template <class Model>
std::uint64_t required_members() {
    return member_bits<Model>([](const auto& f) { Entity<Model>::for_each_required(f); });
}

/** In place of a `TypedPageSink` where pages are decoded from their DOM. */
template <class Value>
struct NoPageSink {
    explicit NoPageSink(std::uint64_t) {}
    std::vector<Value> items;   ///< always empty
};

}  // namespace dynantic::detail
