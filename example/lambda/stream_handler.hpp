#pragma once
// A handler shape for DynamoDB stream events (a Lambda event source mapping on a table's stream):
// the records come to the user's function one by one, typed as `dynantic::StreamRecord<Model>`,
// and the result reports the records that failed as a partial batch response,
//
//   {"batchItemFailures": [{"itemIdentifier": "<SequenceNumber>"}, ...]}
//
// so that Lambda retries only from there (enable `ReportBatchItemFailures` on the mapping:
// `FunctionResponseTypes: ["ReportBatchItemFailures"]`). A record fails when it does not decode
// into the model (a malformed record, an image of an unknown polymorphic subtype) or when the
// user's function throws for it; other records are not affected.
//
// Lambda checkpoints a stream at the lowest sequence number reported and retries every record
// after it, in order. So by default (`AfterFailure::stop`) the handler stops at the first failure
// and reports it: the records after it are not processed now (they come again, in order, with the
// retry). `AfterFailure::keep_going` processes every record and reports every failure: for
// consumers that do not need per-item order, at the price of processing later records twice.
//
// https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
// https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html

#include "runtime.hpp"

#include <dynantic/streams/record.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lambda {

/** What the handler does after a record fails. */
enum class AfterFailure {
    stop,        ///< report the failed record; leave the rest of the batch for the retry (ordered)
    keep_going,  ///< process every record; report each failure
};

struct StreamHandlerOptions {
    AfterFailure after_failure = AfterFailure::stop;
    /** Records not begun by this time are reported as failures (Lambda retries them) instead of
        being cut off by the invocation's timeout; `{}` = no deadline. Use
        `invocation.deadline - margin`. */
    std::chrono::system_clock::time_point deadline{};
};

/** One record that failed. */
struct StreamRecordOutcome {
    std::string sequence_number;   ///< the itemIdentifier reported
    std::string event_id;
    ErrorReport error;             ///< the exception's type and message (no item values from dynantic)
};

/** What one event's handling did. */
struct StreamEventResult {
    std::size_t records = 0;                  ///< records in the event
    std::size_t processed = 0;                ///< handed to the user's function and returned normally
    std::vector<StreamRecordOutcome> failed;  ///< reported as batch item failures, in record order
    /** Records after a failure (AfterFailure::stop) or past the deadline, left for the retry. A
        record past the deadline is reported (in `failed`) only when it is the first left. */
    std::size_t skipped = 0;

    /** The partial batch response: `{"batchItemFailures":[{"itemIdentifier":"<seq>"},...]}`. */
    std::string response() const;
};

/** The event's `Records` array, checked: an object `{"Records": [<object>...]}` whose every record
    has a `dynamodb.SequenceNumber` string (without one a record cannot be reported alone).
    @throws dynantic::DecodeError (operation "StreamEvent") naming the record by index and eventID. */
boost::json::value parse_stream_event(std::string_view event);

/** dynamodb.SequenceNumber and eventID of a record checked by parse_stream_event. */
std::string_view sequence_number_of(const boost::json::object& record);
std::string_view event_id_of(const boost::json::object& record);

/** Handles one DynamoDB stream event: decodes each record into `Model` and calls `on_record`.
    @throws dynantic::DecodeError when the event itself is malformed (see parse_stream_event):
            the whole invocation then fails and Lambda retries the batch. */
template <class Model>
StreamEventResult handle_stream_event(std::string_view event,
                                      const std::function<void(const dynantic::StreamRecord<Model>&)>& on_record,
                                      StreamHandlerOptions options = {}) {
    const boost::json::value parsed = parse_stream_event(event);
    const auto& records = parsed.at("Records").get_array();
    StreamEventResult result;
    result.records = records.size();
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = records[i].get_object();
        if (options.deadline != std::chrono::system_clock::time_point{} &&
            std::chrono::system_clock::now() >= options.deadline) {
            // Report the first record not begun; Lambda retries it and everything after it.
            result.failed.push_back({std::string(sequence_number_of(record)), std::string(event_id_of(record)),
                                     {"lambda::DeadlineReached", "the invocation's deadline was near; left for the retry"}});
            result.skipped = records.size() - i;
            break;
        }
        try {
            const dynantic::StreamRecord<Model> typed = dynantic::decode_stream_record<Model>(record);
            on_record(typed);
            ++result.processed;
        } catch (...) {
            result.failed.push_back({std::string(sequence_number_of(record)), std::string(event_id_of(record)),
                                     error_report(std::current_exception())});
            if (options.after_failure == AfterFailure::stop) {
                result.skipped = records.size() - i - 1;
                break;
            }
        }
    }
    return result;
}

}  // namespace lambda
