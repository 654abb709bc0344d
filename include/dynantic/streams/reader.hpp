#pragma once
/** @file
    `StreamReader<Model>`: the records of a table's DynamoDB stream, typed, read with the DynamoDB
    Streams API (DescribeTable for the stream, DescribeStream, GetShardIterator, GetRecords) —
    for tests and tools; a Lambda function gets its records in the event instead.

    @code
    dy::StreamReader<User> reader(client, {.start = dy::StreamStart::latest});  // positions taken now
    users.save(u);
    dy::StreamBatch<User> batch = reader.read();     // what the stream holds now, then returns
    for (const auto& r : batch.records) { ... }      // StreamRecord<User>, see streams/record.hpp
    @endcode

    `read()` follows shard lineage (a parent shard is read to its end before its children) and
    pagination (DescribeStream's LastEvaluatedShardId, GetRecords' NextShardIterator), and
    returns when every shard is read up to its present end (an open shard: a GetRecords that
    returned no records), or at `StreamReadOptions::max_records` or `time_limit`, whichever comes
    first: an open shard never ends, so a read always has a bound. The reader remembers where it
    stopped; the next `read()` continues there. Records that do not fit the model are returned in
    `failures` (with their sequence numbers), never dropped; a failed request leaves the positions
    where they were, so the next `read()` reads those records again. An iterator of DynamoDB
    expires after 15 minutes: the reader then takes a new one after the last record it read (or,
    in a shard it has read nothing from, of the kind it started with).

    The calls are sent with `Service::streams` (`X-Amz-Target: DynamoDBStreams_20120810.<Op>`, signed
    for `dynamodb`); DynamoDB Local serves them on its own port. Enable a stream with
    `CreateTableOptions::stream`.

    @see https://docs.aws.amazon.com/amazondynamodbstreams/latest/APIReference/Welcome.html */

#include <dynantic/client.hpp>
#include <dynantic/error.hpp>
#include <dynantic/streams/record.hpp>
#include <dynantic/table.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace dynantic {

/** Where a new reader starts in the shards that exist when it is made (ShardIteratorType).
    Shards that appear later are always read from their beginning. */
enum class StreamStart {
    trim_horizon,  ///< TRIM_HORIZON: the oldest record still in the stream (24 hours)
    latest,        ///< LATEST: only records written after the reader was made
};

/** Options of a `StreamReader`. */
struct StreamReaderOptions {
    StreamStart start = StreamStart::trim_horizon;   ///< ShardIteratorType of the shards open at creation
    /** The stream to read; empty: the table's latest stream (DescribeTable's LatestStreamArn). */
    std::string stream_arn{};
};

/** Bounds of one `StreamReader::read`. */
struct StreamReadOptions {
    std::size_t max_records = 10'000;          ///< return once this many records are read; 0 = no limit
    /** Begin no request after this long (a request in flight is bounded by the client's own
        timeouts); 0 = no limit. With both limits 0, a stream written without pause is read for ever. */
    std::chrono::milliseconds time_limit{10'000};
};

/** A stream record that did not decode into the model (see `decode_stream_record`). */
struct StreamRecordFailure {
    std::string event_id;         ///< eventID, when the record had one
    std::string sequence_number;  ///< dynamodb.SequenceNumber, when the record had one
    DecodeError error;            ///< names the record and the cause
};

/** What one `read()` returned. */
template <class Model>
struct StreamBatch {
    std::vector<StreamRecord<Model>> records;    ///< per shard in sequence order; parent shards first
    std::vector<StreamRecordFailure> failures;   ///< records that did not fit the model
    /** True when every shard was read up to its present end; false when a limit stopped the read
        (call `read()` again for the rest). */
    bool caught_up = false;
};

namespace detail {

/** The untyped part of a reader: shards, their lineage and positions (src/streams/reader.cpp). */
class ShardWalker {
public:
    /** Finds the stream (DescribeTable when `options.stream_arn` is empty) and, for
        `StreamStart::latest`, takes a LATEST position in each open shard.
        @throws ValidationError when the table has no stream; the client's errors, naming the table. */
    ShardWalker(Client client, std::string table, StreamReaderOptions options);

    /** Appends the raw records (GetRecords' `Records[]`) available now to `out`; true when caught up. */
    bool read(std::vector<boost::json::object>& out, const StreamReadOptions& options);

    const std::string& stream_arn() const noexcept { return stream_arn_; }
    const std::string& table() const noexcept { return table_; }

    struct Shard {
        std::string id;
        std::string parent;          ///< ParentShardId; empty for none
        bool closed = false;         ///< has an EndingSequenceNumber: ends once read
        bool done = false;           ///< read to its end
        std::string start_type;      ///< ShardIteratorType of its first iterator
        std::string iterator;        ///< where the next GetRecords reads; empty: none taken yet
        std::string last_sequence;   ///< of the last record read
    };

private:
    boost::json::object call(Operation operation, const boost::json::object& body) const;
    void discover(bool first);
    bool parent_pending(const Shard& s) const;
    std::string take_iterator(const Shard& s) const;
    /** Reads `s` until its present end or a limit; true when it reached its present end. */
    bool read_shard(Shard& s, std::vector<boost::json::object>& out, std::size_t max_records,
                    std::chrono::steady_clock::time_point deadline, bool& stopped);

    Client client_;
    std::string table_;
    std::string stream_arn_;
    StreamStart start_;
    std::vector<Shard> shards_;   ///< in discovery order
};

}  // namespace detail

/** Reads the records of `Model`'s table's stream, typed. Not thread-safe: one reader, one thread. */
template <class Model>
class StreamReader {
public:
    /** A reader of the table's stream through the current client. @see detail::ShardWalker */
    explicit StreamReader(StreamReaderOptions options = {}) : StreamReader(current_client(), std::move(options)) {}
    /** @throws ValidationError when the table has no stream; TableNotFoundError; the client's errors. */
    explicit StreamReader(Client client, StreamReaderOptions options = {})
        : walker_(client, Table<Model>(client).name(), std::move(options)) {}

    /** The records the stream holds now past the reader's positions, up to the limits.
        @throws the client's errors (naming the operation and table); positions are then unchanged.
        @throws Error (errc::invalid_response) for a response of the wrong shape. */
    StreamBatch<Model> read(StreamReadOptions options = {}) {
        std::vector<boost::json::object> raw;
        StreamBatch<Model> batch;
        batch.caught_up = walker_.read(raw, options);
        const ErrorInfo context{std::string(to_string(Operation::GetRecords)), walker_.table(), {}, {}, 0, {}};
        for (const auto& r : raw) {
            try {
                batch.records.push_back(decode_stream_record<Model>(r, context));
            } catch (const DecodeError& e) {
                StreamRecordFailure f{{}, {}, e};
                if (const auto* id = r.if_contains("eventID"); id != nullptr && id->is_string()) f.event_id = id->get_string();
                if (const auto* d = r.if_contains("dynamodb"); d != nullptr && d->is_object())
                    if (const auto* s = d->get_object().if_contains("SequenceNumber"); s != nullptr && s->is_string())
                        f.sequence_number = s->get_string();
                batch.failures.push_back(std::move(f));
            }
        }
        return batch;
    }

    /** The ARN of the stream read. */
    const std::string& stream_arn() const noexcept { return walker_.stream_arn(); }

private:
    detail::ShardWalker walker_;
};

}  // namespace dynantic
