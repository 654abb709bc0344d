// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/limits.hpp>

#include <dynantic/codec/bytes.hpp>
#include <dynantic/codec/item.hpp>

#include "codec/number_text.hpp"

#include <string>

namespace dynantic::detail {
namespace {

bool is_plain_name(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

std::size_t number_text_size(const boost::json::value& v) {
    if (!v.is_string()) return 0;
    const auto& s = v.get_string();
    return number_size(analyze_number(std::string_view(s.data(), s.size())));
}

std::size_t scalar_payload_size(AttributeType t, const boost::json::value& v) {
    switch (t) {
    case AttributeType::S: return v.is_string() ? v.get_string().size() : 0;
    case AttributeType::N: return number_text_size(v);
    case AttributeType::B: return v.is_string() ? base64_decoded_size(std::string_view(v.get_string())) : 0;
    default: return 1;
    }
}

/** Size of an AttributeValue; `levels` is the nesting level of the value itself (1 for a
    top-level attribute). Throws AttributeError when lists and maps nest too deep. */
std::size_t value_size(const boost::json::value& av, unsigned levels, bool check_depth) {
    const auto* obj = av.if_object();
    if (obj == nullptr || obj->size() != 1) return 0;  // malformed: DynamoDB will say so
    const AttributeType t = type_of(av);
    const auto& payload = obj->begin()->value();
    switch (t) {
    case AttributeType::M:
    case AttributeType::L: {
        if (check_depth && levels >= max_nesting_levels)
            throw_attribute_error("lists and maps nest deeper than DynamoDB's " + std::to_string(max_nesting_levels) +
                                      " levels",
                                  true);
        std::size_t size = 3;
        if (const auto* m = payload.if_object()) {
            for (const auto& entry : *m) {
                try {
                    size += 1 + entry.key().size() + value_size(entry.value(), levels + 1, check_depth);
                } catch (AttributeError& e) {
                    // The DOM does not say whether an M is a struct or a map: plain names read
                    // as members (`address.city`), others as keys (`tags["a b"]`).
                    if (is_plain_name(entry.key())) prepend_path(e, entry.key());
                    else prepend_key(e, entry.key());
                    throw;
                }
            }
        } else if (const auto* l = payload.if_array()) {
            std::size_t i = 0;
            for (const auto& element : *l) {
                try {
                    size += 1 + value_size(element, levels + 1, check_depth);
                } catch (AttributeError& e) {
                    prepend_index(e, i);
                    throw;
                }
                ++i;
            }
        }
        return size;
    }
    case AttributeType::SS:
    case AttributeType::NS:
    case AttributeType::BS: {
        std::size_t size = 0;
        const AttributeType element = t == AttributeType::SS ? AttributeType::S
                                    : t == AttributeType::NS ? AttributeType::N
                                                             : AttributeType::B;
        if (const auto* l = payload.if_array())
            for (const auto& e : *l) size += scalar_payload_size(element, e);
        return size;
    }
    default: return scalar_payload_size(t, payload);
    }
}

}  // namespace

boost::json::parse_options response_parse_options() noexcept {
    boost::json::parse_options options;
    options.max_depth = 2 * max_nesting_levels + 16;
    return options;
}

std::size_t attribute_value_size(const boost::json::value& av) { return value_size(av, 1, false); }

std::size_t item_size(const boost::json::object& item) {
    std::size_t size = 0;
    for (const auto& entry : item) size += entry.key().size() + value_size(entry.value(), 1, false);
    return size;
}

void check_item_limits(const boost::json::object& item, const ErrorInfo& context) {
    std::size_t size = 0;
    std::size_t largest = 0;
    std::string_view largest_name;
    for (const auto& entry : item) {
        std::size_t attribute = 0;
        try {
            attribute = entry.key().size() + value_size(entry.value(), 1, true);
        } catch (AttributeError& e) {
            prepend_path(e, entry.key());
            throw_item_error(e, context);
        }
        size += attribute;
        if (attribute > largest) {
            largest = attribute;
            largest_name = entry.key();
        }
    }
    if (size > max_item_size) {
        ErrorInfo info = context;
        info.message = "item is " + std::to_string(size) + " bytes by DynamoDB's size rules, over the 400 KB limit (" +
                       std::to_string(max_item_size) + " bytes); the largest attribute is '" + std::string(largest_name) +
                       "' (" + std::to_string(largest) + " bytes)";
        throw ValidationError(std::move(info));
    }
}

}  // namespace dynantic::detail
