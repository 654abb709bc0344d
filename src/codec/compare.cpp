#include <dynantic/codec/compare.hpp>

#include <dynantic/codec/decimal.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace dynantic {
namespace {

/** The one member of an AttributeValue, or null when `v` is not one. */
const boost::json::key_value_pair* only_member(const boost::json::value& v) {
    const auto* o = v.if_object();
    if (o == nullptr || o->size() != 1) return nullptr;
    return &*o->begin();
}

bool same_number(std::string_view a, std::string_view b) {
    if (a == b) return true;
    const auto x = Decimal::parse(a);
    const auto y = Decimal::parse(b);
    return x && y && *x == *y;
}

/** A number's canonical text (normalized), or the text itself when it does not parse. */
std::string canonical_number(std::string_view text) {
    if (const auto d = Decimal::parse(text)) return d->is_zero() ? std::string("0") : d->normalized().to_string();
    return std::string(text);
}

bool same_set(const boost::json::array& a, const boost::json::array& b, bool numbers) {
    if (a.size() != b.size()) return false;
    std::vector<std::string> x, y;
    x.reserve(a.size());
    y.reserve(b.size());
    for (const auto& e : a) {
        if (!e.is_string()) return a == b;
        x.push_back(numbers ? canonical_number(e.get_string()) : std::string(e.get_string()));
    }
    for (const auto& e : b) {
        if (!e.is_string()) return false;
        y.push_back(numbers ? canonical_number(e.get_string()) : std::string(e.get_string()));
    }
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    return x == y;
}

}  // namespace

bool same_attribute_value(const boost::json::value& a, const boost::json::value& b) {
    const auto* ma = only_member(a);
    const auto* mb = only_member(b);
    if (ma == nullptr || mb == nullptr) return a == b;
    if (ma->key() != mb->key()) return false;
    const std::string_view type = ma->key();
    const boost::json::value& x = ma->value();
    const boost::json::value& y = mb->value();
    if (type == "N" && x.is_string() && y.is_string()) return same_number(x.get_string(), y.get_string());
    if ((type == "SS" || type == "BS" || type == "NS") && x.is_array() && y.is_array())
        return same_set(x.get_array(), y.get_array(), type == "NS");
    if (type == "M" && x.is_object() && y.is_object()) return same_item(x.get_object(), y.get_object());
    if (type == "L" && x.is_array() && y.is_array()) {
        const auto& la = x.get_array();
        const auto& lb = y.get_array();
        if (la.size() != lb.size()) return false;
        for (std::size_t i = 0; i < la.size(); ++i)
            if (!same_attribute_value(la[i], lb[i])) return false;
        return true;
    }
    return x == y;
}

bool same_item(const boost::json::object& a, const boost::json::object& b) {
    if (a.size() != b.size()) return false;
    for (const auto& [name, value] : a) {
        const auto* other = b.if_contains(name);
        if (other == nullptr || !same_attribute_value(value, *other)) return false;
    }
    return true;
}

}  // namespace dynantic
