#include "customers_stream.hpp"

#include <cstdio>

namespace customers_stream {

Change change_of(const dynantic::StreamRecord<Customer>& record) {
    Change c;
    c.customer_id = record.key;
    c.sequence_number = record.sequence_number;
    c.at = std::chrono::time_point_cast<std::chrono::microseconds>(record.approximate_creation_time);
    switch (record.event_name) {
    case dynantic::StreamEventName::insert: c.change = "created"; break;
    case dynantic::StreamEventName::modify: c.change = "updated"; break;
    case dynantic::StreamEventName::remove: c.change = record.expired_by_ttl() ? "expired" : "deleted"; break;
    }
    // The image after the change, or before it for a removal (absent in a KEYS_ONLY stream).
    const auto& image = record.new_image ? record.new_image : record.old_image;
    if (image) {
        c.name = image->name;
        c.tier = image->tier;
    }
    return c;
}

void record_change(const dynantic::Table<Change>& changes, const dynantic::StreamRecord<Customer>& record) {
    try {
        changes.create(change_of(record));
    } catch (const dynantic::ConditionalCheckFailedError&) {
        // Recorded by an earlier delivery of this record.
    }
}

std::string handle_event(const dynantic::Table<Change>& changes, std::string_view event,
                         lambda::StreamHandlerOptions options) {
    const lambda::StreamEventResult result = lambda::handle_stream_event<Customer>(
        event, [&](const dynantic::StreamRecord<Customer>& record) { record_change(changes, record); }, options);
    for (const auto& f : result.failed)   // CloudWatch Logs; dynantic's messages carry no item values
        std::fprintf(stderr, "record %s failed: %s: %s\n", f.sequence_number.c_str(), f.error.type.c_str(),
                     f.error.message.c_str());
    return result.response();
}

}  // namespace customers_stream
