// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Query and Scan pages without holding a thread: `detail::PageReader` sends a read's page
    requests one at a time (the request of `ReadBuilder::spec()`, the `Limit` of
    `detail::page_limit`, the typed decoding of `op::ReadPage`), and the coroutines behind
    `async_page(cursor)` and `async_all()`.
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html */

#include <dynantic/asio/call.hpp>
#include <dynantic/client.hpp>
#include <dynantic/detail/pager.hpp>
#include <dynantic/detail/typed_response.hpp>
#include <dynantic/operations/read_page.hpp>
#include <dynantic/read_result.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic::asio::detail {

/** The pages of one read (`Read`: a `Query` or `Scan`), fetched one request at a time. */
template <class Read>
class PageReader {
public:
    using value_type = typename Read::value_type;   ///< an item, decoded
    using page_type = typename Read::page_type;     ///< op::QueryPage or op::ScanPage

    /** The pages of `spec` (`read.spec()`) through `client`, from `start` (none: the first). */
    PageReader(Client client, ::dynantic::detail::ReadSpec spec, std::optional<boost::json::object> start)
        : client_(std::move(client)), spec_(std::move(spec)), last_key_(std::move(start)) {}

    /** True while a page is left: none fetched yet, or the last one had a LastEvaluatedKey, and
        the read's `limit` is not reached. */
    bool more() const noexcept {
        if (spec_.limit && returned_ >= *spec_.limit) return false;
        return !fetched_ || last_key_.has_value();
    }

    /** Sends the next page request and decodes its page.
        @throws as `ReadBuilder::page` (a malformed page, a repeated LastEvaluatedKey, an item
                that does not fit); the call's errors. */
    boost::asio::awaitable<op::Page<value_type>> next() {
        op::ReadRequest request = spec_.request;
        request.exclusive_start_key = std::move(last_key_);
        request.limit = ::dynantic::detail::page_limit(spec_, returned_);
        last_key_.reset();
        OperationRequest sent = ::dynantic::detail::render_read(request, spec_.table);
        op::Page<value_type> page;
        using Model = typename page_type::model_type;
        if constexpr (std::is_same_v<value_type, Model> && ::dynantic::detail::typed_reads<Model>()) {
            // The items straight from the text, as the synchronous pager reads them.
            CallOptions options = arena_call_options();
            const boost::json::storage_ptr keep = options.storage;   // declared first: outlives `read`
            const auto read = read_body_state<::dynantic::detail::TypedPageRead<Model>>(options);
            (void)co_await async_call(client_, sent.operation, std::move(sent.body), std::move(options),
                                      boost::asio::use_awaitable);
            fetched_ = true;
            page = read->result(spec_.table, request);
        } else {
            const boost::json::object response = co_await async_call(client_, sent.operation, std::move(sent.body),
                                                                     CallOptions(), boost::asio::use_awaitable);
            fetched_ = true;
            page = page_type::decode(response, spec_.table, request);
        }
        returned_ += page.items.size();
        scanned_ += page.scanned_count;
        if (page.consumed_capacity) capacity_ += *page.consumed_capacity;
        if (page.capacity) {
            if (spec_.capacity_sink != nullptr) *spec_.capacity_sink += *page.capacity;
            capacity_sum_ += *page.capacity;
        }
        last_key_ = page.last_evaluated_key;
        co_return page;
    }

    /** Where the next page starts (the last LastEvaluatedKey), as a cursor of the read; none
        when nothing is left. */
    std::optional<std::string> cursor() const {
        if (!last_key_) return std::nullopt;
        return ::dynantic::detail::encode_cursor(*last_key_, spec_.binding, client_.cursor_secret());
    }

    const ::dynantic::detail::ReadSpec& spec() const noexcept { return spec_; }   ///< the read
    std::size_t scanned_count() const noexcept { return scanned_; }   ///< ScannedCount, summed
    double consumed_capacity() const noexcept { return capacity_; }   ///< capacity units, summed
    const ConsumedCapacity& capacity() const noexcept { return capacity_sum_; }   ///< ConsumedCapacity, summed

private:
    Client client_;
    ::dynantic::detail::ReadSpec spec_;
    std::optional<boost::json::object> last_key_;   ///< ExclusiveStartKey of the next request
    bool fetched_ = false;
    std::size_t returned_ = 0;
    std::size_t scanned_ = 0;
    double capacity_ = 0;
    ConsumedCapacity capacity_sum_;
};

/** `read.page(cursor)` without blocking: with a limit, up to `limit` items over as many
    requests as needed (each asks for no more than is left, so the page ends at a DynamoDB page
    boundary); without, one DynamoDB page. */
template <class Read>
boost::asio::awaitable<PageResult<typename Read::value_type>> read_page(Read read, std::optional<std::string> cursor) {
    const Client client = read.client();
    auto spec = read.spec();
    auto start = read.start_key(cursor, spec, client);
    PageReader<Read> reader(client, std::move(spec), std::move(start));
    PageResult<typename Read::value_type> result;
    do {
        if (!reader.more()) break;
        op::Page<typename Read::value_type> page = co_await reader.next();
        if (result.items.empty()) result.items = std::move(page.items);
        else
            for (auto& item : page.items) result.items.push_back(std::move(item));
    } while (reader.spec().limit);
    result.count = result.items.size();
    result.scanned_count = reader.scanned_count();
    if (reader.spec().request.return_consumed_capacity != ReturnConsumedCapacity::none) {
        result.consumed_capacity = reader.consumed_capacity();
        result.capacity = reader.capacity();
    }
    result.next_cursor = reader.cursor();
    co_return result;
}

/** `read.all()` without blocking: every item of every page (up to `limit`). */
template <class Read>
boost::asio::awaitable<std::vector<typename Read::value_type>> read_all(Read read) {
    PageReader<Read> reader(read.client(), read.spec(), std::nullopt);
    std::vector<typename Read::value_type> items;
    while (reader.more()) {
        op::Page<typename Read::value_type> page = co_await reader.next();
        for (auto& item : page.items) items.push_back(std::move(item));
    }
    co_return items;
}

/** `read.first()` without blocking: the read with a limit of one item. */
template <class Read>
boost::asio::awaitable<std::optional<typename Read::value_type>> read_first(Read read) {
    read.limit(1);
    std::vector<typename Read::value_type> items = co_await read_all(std::move(read));
    if (items.empty()) co_return std::nullopt;
    co_return std::move(items.front());
}

/** `read.count()` without blocking: `detail::CountRun` driven by asynchronous calls. */
template <class Read>
boost::asio::awaitable<std::size_t> read_count(Read read) {
    const Client client = read.client();
    const ::dynantic::detail::ReadSpec spec = read.spec();
    ::dynantic::detail::CountRun run(spec);
    while (run.more()) {
        const boost::json::object response =
            co_await async_call(client, spec.request.operation, run.body(), CallOptions(), boost::asio::use_awaitable);
        run.on_response(response);
    }
    co_return run.total();
}

}  // namespace dynantic::asio::detail
