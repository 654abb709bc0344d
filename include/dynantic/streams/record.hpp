#pragma once
/** @file
    DynamoDB Streams records decoded into a model: `StreamRecord<Model>` and
    `decode_stream_record<Model>(record)`, for the records of a Lambda event
    (`{"Records": [...]}`) and those of the Streams API's GetRecords (streams/reader.hpp).

    @code
    for (const auto& r : event.at("Records").as_array()) {
        const dy::StreamRecord<User> rec = dy::decode_stream_record<User>(r.as_object());
        if (rec.expired_by_ttl()) archive(*rec.old_image);
        else if (rec.new_image) index(*rec.new_image);
    }
    @endcode

    A record has the shape
    `{"eventID", "eventName": "INSERT"|"MODIFY"|"REMOVE", "eventSource": "aws:dynamodb",
      "eventSourceARN"?, "awsRegion"?, "userIdentity"?: {"type"|"Type", "principalId"|"PrincipalId"},
      "dynamodb": {"ApproximateCreationDateTime": epoch_seconds, "Keys": {...}, "NewImage"?: {...},
                   "OldImage"?: {...}, "SequenceNumber": "...", "SizeBytes": n, "StreamViewType": "..."}}`,
    images in DynamoDB JSON (`{"S": ...}`). Images the stream view type leaves out are
    `std::nullopt`, not errors.

    @see https://docs.aws.amazon.com/amazondynamodbstreams/latest/APIReference/API_Record.html
    @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html */

#include <dynantic/detail/entity.hpp>
#include <dynantic/error.hpp>
#include <dynantic/table.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic {

/** What happened to the item (eventName). */
enum class StreamEventName { insert, modify, remove };

/** The wire name: "INSERT", "MODIFY" or "REMOVE". */
constexpr std::string_view to_string(StreamEventName e) noexcept {
    constexpr std::string_view names[] = {"INSERT", "MODIFY", "REMOVE"};
    return names[static_cast<int>(e)];
}

/** The wire name of a stream view type: "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE",
    "NEW_AND_OLD_IMAGES" (empty for `StreamView::none`). */
constexpr std::string_view to_string(StreamView v) noexcept {
    constexpr std::string_view names[] = {"", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"};
    return names[static_cast<int>(v)];
}

/** Who made the change (userIdentity), present only for deletions by DynamoDB itself. */
struct StreamUserIdentity {
    std::string type;          ///< "Service"
    std::string principal_id;  ///< "dynamodb.amazonaws.com" for an item expired by TTL
};

namespace detail {

/** The parts of a record that do not depend on the model; images and keys point into the
    record. */
struct StreamRecordEnvelope {
    std::string event_id;
    StreamEventName event_name{};
    std::string event_source;
    std::string event_source_arn;
    std::string aws_region;
    std::string sequence_number;
    std::chrono::sys_time<std::chrono::milliseconds> approximate_creation_time{};
    std::int64_t size_bytes = 0;
    StreamView view_type = StreamView::none;
    const boost::json::object* keys = nullptr;
    const boost::json::object* new_image = nullptr;
    const boost::json::object* old_image = nullptr;
    std::optional<StreamUserIdentity> user_identity;
};

/** Checks a record's shape and reads its envelope (src/streams/record.cpp). `context.table`, when
    empty, is filled from the eventSourceARN.
    @throws DecodeError naming the record (event id, sequence number) and what is wrong. */
StreamRecordEnvelope parse_stream_record(const boost::json::object& record, ErrorInfo& context);

/** "record <eventID> (sequence number <n>)", or what is known of it. */
std::string stream_record_label(std::string_view event_id, std::string_view sequence_number);

/** Throws a DecodeError "<label>: <part>: <cause of e>", keeping `context`. */
[[noreturn]] void throw_stream_record_error(const ErrorInfo& context, std::string_view label, std::string_view part,
                                            const Error& e);
[[noreturn]] void throw_stream_record_error(const ErrorInfo& context, std::string_view label, std::string_view part,
                                            const AttributeError& e);

/** The table name in a stream ARN ("arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>");
    empty when it is not one. */
std::string table_of_stream_arn(std::string_view arn);

}  // namespace detail

/** One stream record of `Model`'s table, typed.
    For a polymorphic base model (a schema with a discriminator and subtypes) the images are
    `std::variant<Model, Subtypes...>`, as `Table<Model>` reads return. */
template <class Model>
struct StreamRecord {
    /** An image's type: `Model`, or `std::variant<Model, Subtypes...>` (as `Table<Model>::value_type`). */
    using value_type = typename Table<Model>::value_type;
    /** The partition key, or `std::pair{partition, sort}` (as `Table<Model>::key_type`). */
    using key_type = typename Table<Model>::key_type;

    std::string event_id;                   ///< eventID: unique per record
    StreamEventName event_name{};           ///< eventName
    std::string sequence_number;            ///< dynamodb.SequenceNumber: the order within a shard (decimal digits)
    /** dynamodb.ApproximateCreationDateTime (sent as epoch seconds; kept to the millisecond). */
    std::chrono::sys_time<std::chrono::milliseconds> approximate_creation_time{};
    std::int64_t size_bytes = 0;            ///< dynamodb.SizeBytes: the record's size
    StreamView view_type = StreamView::none;  ///< dynamodb.StreamViewType
    key_type key{};                         ///< dynamodb.Keys, decoded
    boost::json::object keys;               ///< dynamodb.Keys as sent (DynamoDB JSON)
    std::optional<value_type> new_image;    ///< dynamodb.NewImage: absent for REMOVE and for KEYS_ONLY / OLD_IMAGE streams
    std::optional<value_type> old_image;    ///< dynamodb.OldImage: absent for INSERT and for KEYS_ONLY / NEW_IMAGE streams
    std::optional<StreamUserIdentity> user_identity;  ///< userIdentity, for deletions made by DynamoDB
    std::string event_source_arn;           ///< eventSourceARN (Lambda events; empty from GetRecords)
    std::string aws_region;                 ///< awsRegion

    /** True for a REMOVE made by DynamoDB's time to live: userIdentity is
        `{"type": "Service", "principalId": "dynamodb.amazonaws.com"}`.
        @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html */
    bool expired_by_ttl() const noexcept {
        return event_name == StreamEventName::remove && user_identity && user_identity->type == "Service" &&
               user_identity->principal_id == "dynamodb.amazonaws.com";
    }
};

/** Decodes one stream record into `Model` (or its polymorphic variant).
    `context` names the operation and table in errors (default: operation "StreamRecord", the
    table of the record's eventSourceARN).
    @throws DecodeError naming the record (event id and sequence number) and the cause: a missing
            or mistyped field, an unknown eventName or StreamViewType, a key or image that does not
            fit the model, an image of an unknown polymorphic subtype. Item values are never quoted. */
template <class Model>
StreamRecord<Model> decode_stream_record(const boost::json::object& record, ErrorInfo context = {}) {
    if (context.operation.empty()) context.operation = "StreamRecord";
    detail::StreamRecordEnvelope env = detail::parse_stream_record(record, context);
    const std::string label = detail::stream_record_label(env.event_id, env.sequence_number);
    StreamRecord<Model> out;
    out.event_id = std::move(env.event_id);
    out.event_name = env.event_name;
    out.sequence_number = std::move(env.sequence_number);
    out.approximate_creation_time = env.approximate_creation_time;
    out.size_bytes = env.size_bytes;
    out.view_type = env.view_type;
    out.user_identity = std::move(env.user_identity);
    out.event_source_arn = std::move(env.event_source_arn);
    out.aws_region = std::move(env.aws_region);
    out.keys = *env.keys;

    constexpr const auto& schema = Table<Model>::table_schema();
    const auto key_value = [&]<class K>(std::type_identity<K>, std::string_view name) -> K {
        const auto* av = env.keys->if_contains(name);
        if (av == nullptr) {
            ErrorInfo info = context;
            info.message = label + ": Keys: key attribute '" + std::string(name) + "' is missing";
            throw DecodeError(std::move(info));
        }
        try {
            return from_attribute<K>(*av);
        } catch (detail::AttributeError& e) {
            detail::prepend_path(e, name);
            detail::throw_stream_record_error(context, label, "Keys", e);
        }
    };
    using PK = typename Table<Model>::partition_key_type;
    if constexpr (Table<Model>::has_sort_key) {
        using SK = typename Table<Model>::sort_key_type;
        out.key = {key_value(std::type_identity<PK>{}, schema.partition_key_name()),
                   key_value(std::type_identity<SK>{}, schema.sort_key_name())};
    } else {
        out.key = key_value(std::type_identity<PK>{}, schema.partition_key_name());
    }

    const auto image = [&](const boost::json::object* item, std::string_view part, std::optional<typename StreamRecord<Model>::value_type>& slot) {
        if (item == nullptr) return;
        try {
            slot.emplace(detail::Entity<Model>::decode(*item, context));
        } catch (const Error& e) {
            detail::throw_stream_record_error(context, label, part, e);
        }
    };
    image(env.new_image, "NewImage", out.new_image);
    image(env.old_image, "OldImage", out.old_image);
    return out;
}

}  // namespace dynantic
