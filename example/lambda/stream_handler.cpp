#include "stream_handler.hpp"

#include <dynantic/error.hpp>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace lambda {

namespace {

[[noreturn]] void malformed(std::string message) {
    dynantic::ErrorInfo info;
    info.operation = "StreamEvent";
    info.message = std::move(message);
    throw dynantic::DecodeError(std::move(info));
}

const boost::json::string* string_at(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

}  // namespace

std::string_view sequence_number_of(const boost::json::object& record) {
    if (const auto* d = record.if_contains("dynamodb"); d != nullptr && d->is_object())
        if (const auto* s = string_at(d->get_object(), "SequenceNumber")) return *s;
    return {};
}

std::string_view event_id_of(const boost::json::object& record) {
    if (const auto* s = string_at(record, "eventID")) return *s;
    return {};
}

boost::json::value parse_stream_event(std::string_view event) {
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(event, ec);
    if (ec || !parsed.is_object()) malformed("the event is not a JSON object");
    const auto* records = parsed.get_object().if_contains("Records");
    if (records == nullptr || !records->is_array()) malformed("the event has no Records array: not a DynamoDB stream event");
    const auto& list = records->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_object()) malformed("record " + std::to_string(i) + " is not an object");
        if (sequence_number_of(list[i].get_object()).empty()) {
            std::string label = "record " + std::to_string(i);
            if (const auto id = event_id_of(list[i].get_object()); !id.empty() && id.size() <= 64)
                label += " (eventID " + std::string(id) + ")";
            malformed(label + " has no dynamodb.SequenceNumber: it cannot be reported as a batch item failure");
        }
    }
    return parsed;
}

std::string StreamEventResult::response() const {
    boost::json::array failures;
    failures.reserve(failed.size());
    for (const auto& f : failed) failures.push_back(boost::json::object{{"itemIdentifier", f.sequence_number}});
    boost::json::object body;
    body["batchItemFailures"] = std::move(failures);
    return boost::json::serialize(body);
}

}  // namespace lambda
