// SPDX-License-Identifier: BSL-1.0
#include <dynantic/codec/print.hpp>

#include <boost/json/serialize.hpp>

namespace dynantic::detail {
namespace {

void append_string(std::string& out, const boost::json::value& v) {
    if (v.is_string()) out += boost::json::serialize(v.get_string());
    else out += boost::json::serialize(v);
}

void append_number(std::string& out, const boost::json::value& v) {
    if (v.is_string()) out += std::string_view(v.get_string());
    else out += boost::json::serialize(v);
}

void append(std::string& out, const boost::json::value& av);

void append_members(std::string& out, const boost::json::object& members) {
    out += '{';
    bool first = true;
    for (const auto& entry : members) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::string_view(entry.key()));
        out += ':';
        append(out, entry.value());
    }
    out += '}';
}

void append(std::string& out, const boost::json::value& av) {
    const auto* obj = av.if_object();
    if (obj == nullptr || obj->size() != 1) {
        out += boost::json::serialize(av);
        return;
    }
    const std::string_view type = obj->begin()->key();
    const auto& payload = obj->begin()->value();
    if (type == "S" || type == "B") {
        append_string(out, payload);
    } else if (type == "N") {
        append_number(out, payload);
    } else if (type == "BOOL") {
        out += payload.is_bool() && payload.get_bool() ? "true" : "false";
    } else if (type == "NULL") {
        out += "null";
    } else if (type == "M" && payload.is_object()) {
        append_members(out, payload.get_object());
    } else if ((type == "L" || type == "SS" || type == "NS" || type == "BS") && payload.is_array()) {
        out += '[';
        bool first = true;
        for (const auto& e : payload.get_array()) {
            if (!first) out += ',';
            first = false;
            if (type == "L") append(out, e);
            else if (type == "NS") append_number(out, e);
            else append_string(out, e);
        }
        out += ']';
    } else {
        out += boost::json::serialize(av);
    }
}

}  // namespace

std::string plain_json_text(const boost::json::value& av) {
    std::string out;
    append(out, av);
    return out;
}

std::string plain_json_text(const boost::json::object& item) {
    std::string out;
    append_members(out, item);
    return out;
}

std::string unprintable(const AttributeError& e) {
    return "<unprintable: attribute '" + e.path + "': " + e.message + ">";
}

}  // namespace dynantic::detail
