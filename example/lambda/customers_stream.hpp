#pragma once
// A Lambda function on the `customers` table's stream: it keeps a change log of each customer in
// the `customer_changes` table (one item per stream record: created, updated, deleted, or expired
// by time to live), and reports failed records as a partial batch response.
//
// Delivery is at least once (a retried batch brings records again): each change is written with
// `create` (PutItem if absent, keyed by the record's sequence number), so a record seen twice
// is recorded once.

#include "stream_handler.hpp"

#include <dynantic/dynantic.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace customers_stream {

struct Customer {
    std::string id;
    std::string name;
    std::string tier;
    std::optional<std::chrono::sys_seconds> expires_at;   // time to live (epoch seconds)
};
BOOST_DESCRIBE_STRUCT(Customer, (), (id, name, tier, expires_at))

constexpr auto dynantic_schema(const Customer*) {
    return dynantic::table("customers").partition_key(&Customer::id).ttl(&Customer::expires_at);
}

/** One change of a customer. Sequence numbers of one item's changes increase; DynamoDB writes
    them with the same number of digits within a stream, so they sort as strings. */
struct Change {
    std::string customer_id;
    std::string sequence_number;
    std::string change;                 // "created", "updated", "deleted", "expired"
    std::optional<std::string> name;    // the name after the change (before it, for deletions)
    std::optional<std::string> tier;
    dynantic::Timestamp at{};           // ApproximateCreationDateTime
};
BOOST_DESCRIBE_STRUCT(Change, (), (customer_id, sequence_number, change, name, tier, at))

constexpr auto dynantic_schema(const Change*) {
    return dynantic::table("customer_changes").partition_key(&Change::customer_id).sort_key(&Change::sequence_number);
}

/** The change a record makes. */
Change change_of(const dynantic::StreamRecord<Customer>& record);

/** Records one stream record (PutItem if absent; an existing entry means it was recorded before).
    @throws dynantic::Error when DynamoDB fails. */
void record_change(const dynantic::Table<Change>& changes, const dynantic::StreamRecord<Customer>& record);

/** Handles one DynamoDB stream event (JSON text) and returns the partial batch response.
    @throws dynantic::DecodeError when the event is not a stream event. */
std::string handle_event(const dynantic::Table<Change>& changes, std::string_view event,
                         lambda::StreamHandlerOptions options = {});

}  // namespace customers_stream
