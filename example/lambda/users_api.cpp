#include "users_api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace users_api {

namespace json = boost::json;

namespace {

std::string proxy_response(int status, const json::value& body) {
    json::object r;
    r["statusCode"] = status;
    r["headers"] = json::object{{"content-type", "application/json"}};
    r["body"] = json::serialize(body);
    return json::serialize(r);
}

std::string message(int status, std::string_view text) { return proxy_response(status, json::object{{"message", text}}); }

json::object to_json(const User& u) {
    json::object o{{"id", u.id}, {"name", u.name}, {"email", u.email}};
    if (u.age) o["age"] = *u.age;
    return o;
}

std::string_view string_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

const json::object* object_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

/** The method of a REST API (1.0) or HTTP API (2.0) event. */
std::string_view method_of(const json::object& event) {
    if (auto m = string_at(event, "httpMethod"); !m.empty()) return m;
    if (const auto* ctx = object_at(event, "requestContext"))
        if (const auto* http = object_at(*ctx, "http")) return string_at(*http, "method");
    return {};
}

/** The {id} of /users/{id}: pathParameters.id, else parsed from the path. */
std::optional<std::string> user_id_of(const json::object& event) {
    if (const auto* params = object_at(event, "pathParameters"))
        if (auto id = string_at(*params, "id"); !id.empty()) return std::string(id);
    std::string_view path = string_at(event, "rawPath");
    if (path.empty()) path = string_at(event, "path");
    constexpr std::string_view prefix = "/users/";
    if (!path.starts_with(prefix)) return std::nullopt;
    path.remove_prefix(prefix.size());
    if (path.empty() || path.find('/') != std::string_view::npos) return std::nullopt;
    return std::string(path);
}

}  // namespace

std::string handle_event(const dynantic::Table<User>& users, std::string_view event_text) {
    json::error_code ec;
    const json::value parsed = json::parse(event_text, ec);
    if (ec || !parsed.is_object()) throw std::invalid_argument("the event is not a JSON object");
    const json::object& event = parsed.get_object();

    const auto id = user_id_of(event);
    if (!id) return message(404, "no such route; use /users/{id}");
    const std::string_view method = method_of(event);

    if (method == "GET") {
        const std::optional<User> user = users.get(*id);
        if (!user) return message(404, "user " + *id + " not found");
        return proxy_response(200, to_json(*user));
    }
    if (method == "PUT") {
        const auto* body_value = event.if_contains("body");
        if (body_value == nullptr || !body_value->is_string()) return message(400, "a JSON body is required");
        if (const auto* b64 = event.if_contains("isBase64Encoded"); b64 != nullptr && b64->is_bool() && b64->get_bool())
            return message(415, "send the body as application/json");
        const json::value body = json::parse(body_value->get_string(), ec);
        if (ec || !body.is_object()) return message(400, "the body is not a JSON object");
        const json::object& o = body.get_object();
        User user{*id, std::string(string_at(o, "name")), std::string(string_at(o, "email")), std::nullopt};
        if (user.name.empty() || user.email.empty()) return message(400, "name and email are required strings");
        if (const auto* age = o.if_contains("age"); age != nullptr && !age->is_null()) {
            if (!age->is_int64()) return message(400, "age must be an integer");
            user.age = age->get_int64();
        }
        users.save(user);
        return proxy_response(200, to_json(user));
    }
    return message(405, "method not allowed; use GET or PUT");
}

}  // namespace users_api
