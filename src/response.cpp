#include <dynantic/detail/response.hpp>

namespace dynantic::detail {

void throw_invalid_response(const ErrorInfo& context, std::string what) {
    ErrorInfo info = context;
    if (info.http_status == 0) info.http_status = 200;
    info.message = "invalid response: " + std::move(what);
    throw Error(errc::invalid_response, std::move(info));
}

std::string_view json_kind(const boost::json::value& v) noexcept {
    switch (v.kind()) {
    case boost::json::kind::object: return "an object";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::null: return "null";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return "a number";
    }
    return "a value";
}

namespace {
std::string member_label(std::string_view where, std::string_view member) {
    std::string out(where);
    if (!out.empty()) out += '.';
    out += member;
    return out;
}
}  // namespace

const boost::json::object* optional_object(const boost::json::object& object, std::string_view member,
                                           const ErrorInfo& context, std::string_view where) {
    const auto* v = object.if_contains(member);
    if (v == nullptr) return nullptr;
    if (const auto* o = v->if_object()) [[likely]]
        return o;
    throw_invalid_response(context, member_label(where, member) + " is " + std::string(json_kind(*v)) + ", not an object");
}

const boost::json::array* optional_array(const boost::json::object& object, std::string_view member,
                                         const ErrorInfo& context, std::string_view where) {
    const auto* v = object.if_contains(member);
    if (v == nullptr) return nullptr;
    if (const auto* a = v->if_array()) [[likely]]
        return a;
    throw_invalid_response(context, member_label(where, member) + " is " + std::string(json_kind(*v)) + ", not an array");
}

std::optional<std::size_t> optional_count(const boost::json::object& object, std::string_view member,
                                          const ErrorInfo& context) {
    const auto* v = object.if_contains(member);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64() && v->get_int64() >= 0) [[likely]]
        return static_cast<std::size_t>(v->get_int64());
    if (v->is_uint64()) return static_cast<std::size_t>(v->get_uint64());
    if (v->is_int64()) throw_invalid_response(context, std::string(member) + " is negative");
    throw_invalid_response(context, std::string(member) + " is " + std::string(json_kind(*v)) +
                                        (v->is_double() ? " with a fraction or exponent" : "") +
                                        ", not a non-negative integer");
}

std::string key_shape_problem(const boost::json::object& key, std::span<const KeyAttribute> attributes) {
    for (const auto& a : attributes) {
        const auto* av = key.if_contains(a.name);
        if (av == nullptr) return "key attribute '" + a.name + "' is missing";
        const auto* o = av->if_object();
        // NUL: a key type whose wire type the codec does not fix (a raw-tier trait): S, N or B.
        const bool any = a.type == AttributeType::NUL;
        const std::string_view want = any ? std::string_view("S, N or B") : to_string(a.type);
        const auto type_ok = [&](std::string_view t) { return any ? (t == "S" || t == "N" || t == "B") : t == want; };
        if (o == nullptr || o->size() != 1 || !type_ok(o->begin()->key()) || !o->begin()->value().is_string()) {
            std::string found = o == nullptr                                     ? std::string(json_kind(*av))
                                : o->size() != 1                                 ? "a malformed AttributeValue"
                                : !type_ok(o->begin()->key())                    ? std::string(o->begin()->key())
                                                                                 : "a non-string payload";
            return "key attribute '" + a.name + "' must be " + std::string(want) + ", found " + found;
        }
    }
    if (key.size() != attributes.size()) {
        for (const auto& member : key) {
            bool known = false;
            for (const auto& a : attributes) known = known || member.key() == a.name;
            if (!known) return "attribute '" + std::string(member.key()) + "' is not a key attribute";
        }
    }
    return {};
}

}  // namespace dynantic::detail
