// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Batches without holding a thread: the coroutines behind `Table::async_batch_get`,
    `async_batch_save` and `async_batch_remove`. They run the very algorithm of the synchronous
    batches (`detail::BatchWriteRun`, `detail::BatchGetRun`: chunks of 25 writes or 100 keys,
    UnprocessedItems / UnprocessedKeys retried with full-jitter backoff, deadlines, progress,
    `BatchError` with everything not known to be applied), with asynchronous calls and the
    backoff delays on timers. A cancellation during a delay ends the batch with a `BatchError`
    that holds every request not known to be applied (cause: TransportError, errc::cancelled);
    during a call, as that call's failure would.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */

#include <dynantic/asio/call.hpp>
#include <dynantic/asio/run.hpp>
#include <dynantic/batch_writer.hpp>
#include <dynantic/detail/batch_run.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>

#include <exception>
#include <optional>
#include <utility>
#include <vector>

namespace dynantic::asio::detail {

/** Drives a `BatchWriteRun` or `BatchGetRun` (`Run`) to its end: each send an asynchronous
    call (of a copy of the body: the run takes its body back), each wait a timer. */
template <class Run>
boost::asio::awaitable<void> drive_batch(Run& run, Client client, ErrorInfo context) {
    for (;;) {
        ::dynantic::detail::BatchStep step = run.next();
        if (step.kind == ::dynantic::detail::BatchStep::Kind::done) co_return;
        if (step.kind == ::dynantic::detail::BatchStep::Kind::wait) {
            std::exception_ptr cancelled;
            try {
                co_await wait_for(step.delay, context);
            } catch (...) {
                cancelled = std::current_exception();
            }
            if (cancelled) run.stop(cancelled);
            continue;
        }
        boost::json::object body(step.body, boost::json::storage_ptr());
        CallOptions options{.timeout = step.timeout};
        std::optional<boost::json::object> response;
        std::exception_ptr failure;
        try {
            response = co_await async_call(client, step.operation, std::move(body), std::move(options),
                                           boost::asio::use_awaitable);
        } catch (...) {
            failure = std::current_exception();
        }
        if constexpr (requires { run.on_result(step.body, nullptr, failure); })
            run.on_result(step.body, response ? &*response : nullptr, failure);
        else
            run.on_result(response ? &*response : nullptr, failure);
    }
}

/** A prepared BatchWriteItem (`detail::prepare_batch_save` / `prepare_batch_remove`) run
    asynchronously; the versions of the items written are set, also on failure. */
template <class Model>
boost::asio::awaitable<void> batch_write(::dynantic::detail::BatchWritePlan<Model> plan, BatchOptions batch,
                                         ProgressCallback progress) {
    ::dynantic::detail::BatchWriteRun run(plan.client, plan.context.table, plan.requests,
                                          ::dynantic::detail::ModelKey<Model>::names(), batch, plan.written, progress,
                                          std::move(plan.key_texts));
    std::exception_ptr failure;
    try {
        co_await drive_batch(run, plan.client, plan.context);
    } catch (...) {
        failure = std::current_exception();
    }
    plan.applied();
    if (failure) std::rethrow_exception(failure);
}

/** A prepared BatchGetItem run asynchronously: the items found, decoded, in the keys' order. */
template <class Model, class View>
boost::asio::awaitable<std::vector<typename ::dynantic::detail::BatchGetPlan<Model, View>::value_type>> batch_get(
    ::dynantic::detail::BatchGetPlan<Model, View> plan, ProgressCallback progress) {
    ::dynantic::detail::BatchGetRun run(plan.client, plan.context.table, plan.keys, ::dynantic::detail::ModelKey<Model>::names(),
                                        plan.consistent_read, plan.batch, progress, plan.projection_members());
    co_await drive_batch(run, plan.client, plan.context);
    co_return plan.decode(run.items());
}

}  // namespace dynantic::asio::detail
