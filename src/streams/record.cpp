#include <dynantic/streams/record.hpp>

#include <charconv>
#include <cmath>
#include <limits>

namespace dynantic::detail {

namespace {

const boost::json::string* string_field(const boost::json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

[[noreturn]] void malformed(const ErrorInfo& context, std::string_view label, std::string message) {
    ErrorInfo info = context;
    info.message = std::string(label) + ": " + std::move(message);
    throw DecodeError(std::move(info));
}

/** A JSON number (or a decimal string, as some tools write it) as a double. */
std::optional<double> number_field(const boost::json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_uint64()) return static_cast<double>(v->get_uint64());
    if (v->is_double()) return v->get_double();
    return std::nullopt;
}

std::optional<StreamView> view_of(std::string_view s) {
    if (s == "KEYS_ONLY") return StreamView::keys_only;
    if (s == "NEW_IMAGE") return StreamView::new_image;
    if (s == "OLD_IMAGE") return StreamView::old_image;
    if (s == "NEW_AND_OLD_IMAGES") return StreamView::new_and_old_images;
    return std::nullopt;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

/** Printable, short: event ids and sequence numbers are ours to quote, but a malformed record
    may carry anything there. */
std::string sanitized(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 64)) out += (c >= 0x20 && c < 0x7f && c != '\'') ? c : '?';
    if (s.size() > 64) out += "...";
    return out;
}

}  // namespace

std::string stream_record_label(std::string_view event_id, std::string_view sequence_number) {
    std::string out = "record";
    if (!event_id.empty()) out += " " + sanitized(event_id);
    if (!sequence_number.empty()) out += " (sequence number " + sanitized(sequence_number) + ")";
    return out;
}

void throw_stream_record_error(const ErrorInfo& context, std::string_view label, std::string_view part, const Error& e) {
    malformed(context, label, std::string(part) + ": " + std::string(e.message()));
}

void throw_stream_record_error(const ErrorInfo& context, std::string_view label, std::string_view part,
                               const AttributeError& e) {
    malformed(context, label, std::string(part) + ": attribute '" + e.path + "': " + e.message);
}

std::string table_of_stream_arn(std::string_view arn) {
    // arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000
    if (!arn.starts_with("arn:")) return {};
    const auto table = arn.find(":table/");
    if (table == std::string_view::npos) return {};
    std::string_view rest = arn.substr(table + 7);
    const auto slash = rest.find('/');
    return std::string(rest.substr(0, slash));
}

StreamRecordEnvelope parse_stream_record(const boost::json::object& record, ErrorInfo& context) {
    StreamRecordEnvelope env;
    if (const auto* s = string_field(record, "eventSourceARN")) env.event_source_arn = std::string(*s);
    if (context.table.empty()) context.table = table_of_stream_arn(env.event_source_arn);

    const auto* id = string_field(record, "eventID");
    const boost::json::object* ddb = nullptr;
    if (const auto* d = record.if_contains("dynamodb"); d != nullptr && d->is_object()) ddb = &d->get_object();
    const auto* seq = ddb != nullptr ? string_field(*ddb, "SequenceNumber") : nullptr;
    const std::string label = stream_record_label(id != nullptr ? std::string_view(*id) : std::string_view{},
                                                  seq != nullptr ? std::string_view(*seq) : std::string_view{});

    if (id == nullptr || id->empty()) malformed(context, label, "eventID is missing or not a string");
    env.event_id = std::string(*id);
    if (ddb == nullptr) malformed(context, label, "\"dynamodb\" is missing or not an object");
    if (seq == nullptr || !all_digits(*seq)) malformed(context, label, "dynamodb.SequenceNumber is missing or not a decimal string");
    env.sequence_number = std::string(*seq);

    const auto* name = string_field(record, "eventName");
    if (name == nullptr) malformed(context, label, "eventName is missing or not a string");
    if (*name == "INSERT") env.event_name = StreamEventName::insert;
    else if (*name == "MODIFY") env.event_name = StreamEventName::modify;
    else if (*name == "REMOVE") env.event_name = StreamEventName::remove;
    else malformed(context, label, "eventName '" + sanitized(*name) + "' is not INSERT, MODIFY or REMOVE");

    if (const auto* s = string_field(record, "eventSource")) {
        env.event_source = std::string(*s);
        if (env.event_source != "aws:dynamodb")
            malformed(context, label, "eventSource '" + sanitized(env.event_source) + "' is not aws:dynamodb");
    }
    if (const auto* s = string_field(record, "awsRegion")) env.aws_region = std::string(*s);

    if (const auto* u = record.if_contains("userIdentity"); u != nullptr && !u->is_null()) {
        if (!u->is_object()) malformed(context, label, "userIdentity is not an object");
        const auto& o = u->get_object();
        StreamUserIdentity who;
        // Lambda events spell the fields "type" and "principalId"; GetRecords "Type" and "PrincipalId".
        for (const char* k : {"type", "Type"})
            if (const auto* s = string_field(o, k)) who.type = std::string(*s);
        for (const char* k : {"principalId", "PrincipalId"})
            if (const auto* s = string_field(o, k)) who.principal_id = std::string(*s);
        env.user_identity = std::move(who);
    }

    const std::optional<double> created = number_field(*ddb, "ApproximateCreationDateTime");
    if (!created || !std::isfinite(*created) || *created < 0 || *created > 1e11)
        malformed(context, label, "dynamodb.ApproximateCreationDateTime is missing or not epoch seconds");
    env.approximate_creation_time =
        std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(std::llround(*created * 1000.0)));

    const std::optional<double> size = number_field(*ddb, "SizeBytes");
    if (!size || *size < 0 || *size != std::floor(*size) || *size > 1e12)
        malformed(context, label, "dynamodb.SizeBytes is missing or not a whole number");
    env.size_bytes = static_cast<std::int64_t>(*size);

    const auto* view = string_field(*ddb, "StreamViewType");
    if (view == nullptr) malformed(context, label, "dynamodb.StreamViewType is missing or not a string");
    const auto v = view_of(*view);
    if (!v) malformed(context, label, "dynamodb.StreamViewType '" + sanitized(*view) + "' is not a stream view type");
    env.view_type = *v;

    const auto* keys = ddb->if_contains("Keys");
    if (keys == nullptr || !keys->is_object() || keys->get_object().empty())
        malformed(context, label, "dynamodb.Keys is missing or not an object of key attributes");
    env.keys = &keys->get_object();
    for (const char* part : {"NewImage", "OldImage"}) {
        const auto* image = ddb->if_contains(part);
        if (image == nullptr || image->is_null()) continue;
        if (!image->is_object()) malformed(context, label, "dynamodb." + std::string(part) + " is not an object");
        (part[0] == 'N' ? env.new_image : env.old_image) = &image->get_object();
    }
    return env;
}

}  // namespace dynantic::detail
