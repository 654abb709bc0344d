// AWS Lambda custom runtime ("provided.al2023") consuming the `customers` table's DynamoDB stream.
//
// Lambda runs this `stream_bootstrap` (packaged as `bootstrap`) once per execution environment;
// it builds the DynamoDB client, then loops: take the next stream event from the Runtime API,
// record each change with customers_stream::handle_event, answer with the partial batch response
// `{"batchItemFailures": [...]}`. Configure the event source mapping with
// `FunctionResponseTypes: ["ReportBatchItemFailures"]`. See README.md beside this file.
#include "customers_stream.hpp"
#include "lambda_client.hpp"
#include "runtime.hpp"

#include <dynantic/dynantic.hpp>

#include <chrono>

int main() {
    return lambda::serve("stream_bootstrap", [] {
        dynantic::Table<customers_stream::Change> changes(lambda::client_from_environment("CUSTOMERS_TABLE_PREFIX"));
        return lambda::Handler([changes](const lambda::Invocation& invocation) {
            // Leave 2 s to answer: records not begun by then are reported and retried.
            return customers_stream::handle_event(changes, invocation.payload,
                                                  {.deadline = invocation.deadline - std::chrono::seconds(2)});
        });
    });
}
