// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `UpdateBuilder<Model>`: the update DSL of `op::Update` (operations/update.hpp) paired with
    the table that runs it, as `Table::update(...)` and `Table::update_item(item)` return it.

    @code
    users.update("u1", "a@b.c")
         .set(&User::status, Status::active)
         .set(dy::field(&User::score), dy::field(&User::score) + 10)
         .add(&User::login_count, 1)
         .remove(&User::nickname)
         .when(dy::field(&User::version) == 5)
         .returning(dy::ReturnValues::all_new)
         .execute();
    @endcode
    `operation()` gives the update as a value (`op::Update<Model>`): kept, copied, or handed to
    a transaction (`tx.add(users.update("u1").add(&User::n, 1))` works too).
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html */

#include <dynantic/client.hpp>
#include <dynantic/detail/async_front.hpp>
#include <dynantic/detail/client_ref.hpp>
#include <dynantic/operations/update.hpp>
#include <dynantic/operations/returned.hpp>
#include <dynantic/request.hpp>
#include <dynantic/write_result.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace dynantic {

/** Builds one UpdateItem (SET, REMOVE, ADD and DELETE actions on typed fields or untyped `attr`
    paths, a condition, what to return) and sends it with `execute()`. */
template <class Model>
class UpdateBuilder : public detail::UpdateDsl<UpdateBuilder<Model>, Model> {
    using Base = detail::UpdateDsl<UpdateBuilder<Model>, Model>;
    friend Base;

public:
    using key_type = typename detail::ModelKey<Model>::key_type;   ///< the partition key, or a pair with the sort key

    /** An update of the item with `key`, sent through `client` (empty: `current_client()`);
        `item`, when given, is checked against and gets the new version of a versioned model.
        Made by `Table::update` and `Table::update_item`. */
    UpdateBuilder(std::optional<Client> client, key_type key, Model* item)
        : Base(detail::UpdateData<Model>(std::move(key), item)),
          table_{std::move(client), schema<Model>::value.name} {}

    /** Runs the update `data` (of an `op::Update`) through `client`. */
    UpdateBuilder(std::optional<Client> client, detail::UpdateData<Model> data)
        : Base(std::move(data)), table_{std::move(client), schema<Model>::value.name} {}

    /** What to return (ReturnValues); default none. */
    UpdateBuilder& returning(ReturnValues r) {
        this->data_.return_values = r;
        return *this;
    }

    /** The update as a value, without the table. */
    op::Update<Model> operation() const { return op::Update<Model>(this->data_); }

    /** The UpdateItem request, without sending.
        @throws ValidationError for no actions, overlapping paths, or an action on a key. */
    OperationRequest to_request() const { return this->data_.render(table_.name()); }

    /** Sends the UpdateItem. For `all_old` / `all_new` the result holds the item decoded as
        the model; for `updated_*` the raw attributes.
        A conditional update resent after an attempt whose answer was lost recognises its own
        earlier write by the values it SETs (plain values, on map paths), the attributes it
        REMOVEs and, for `update_item` on a versioned model, the new version; `returning`
        `all_old`, `updated_old` or, with a condition, `updated_new` is never resent then.
        @throws ConditionalCheckFailedError when the condition fails; WriteOutcomeUnknownError
                when the resend's condition failed on an item that does not show this update;
                ValidationError; DecodeError when a returned item does not fit the model; Error
                (errc::invalid_response) when `Attributes` is not an object (the update was
                applied: a versioned item already holds its new version); TableNotFoundError
                (unless the table was made with `TableOptions::create_table_on_first_write`). */
    UpdateResult<Model> execute() const {
        if (!on_missing_table_) return send();
        try {
            return send();
        } catch (const TableNotFoundError&) {   // nothing was written
            on_missing_table_();
        }
        return send();
    }

    /** The non-throwing form of a conditional `execute()`: when the condition fails
        (ConditionalCheckFailedException), `applied` is false and, with
        `return_item_on_condition_failure()`, `current_item` holds the stored item (none when no
        item has the key) instead of an exception; otherwise as `execute()`. A versioned item
        keeps its version when not applied.
        @code
        auto r = users.update("u1").add(&User::credits, -5).when(dy::field(&User::credits) >= 5)
                      .return_item_on_condition_failure().try_execute();
        if (!r) reject(r.current_item ? r.current_item->credits : 0);
        @endcode
        @throws as `execute()`, except ConditionalCheckFailedError (WriteOutcomeUnknownError
                still throws: such an update may have been applied). */
    Conditional<UpdateResult<Model>, typename detail::Entity<Model>::value_type> try_execute() const {
        Conditional<UpdateResult<Model>, typename detail::Entity<Model>::value_type> out;
        try {
            out.result = execute();
            out.applied = true;
        } catch (const ConditionalCheckFailedError& e) {
            out.current_item = detail::decode_current_item<Model>(e.item(), e.info());
        }
        return out;
    }

    /** `execute()` asynchronously, with an Asio completion token (needs
        `#include <dynantic/asio.hpp>`; see table_async.hpp for tokens, executors and
        cancellation): completes with `void(std::exception_ptr, UpdateResult<Model>)`, the
        exception being what `execute()` would throw. The builder is copied; for `update_item`,
        the item must outlive the operation (its version is set once the update is applied).
        @code
        auto r = co_await users.update("u1").add(&User::login_count, 1).async_execute(asio::use_awaitable);
        @endcode */
    template <class CompletionToken>
    auto async_execute(CompletionToken&& token) const {
        return detail::AsyncFrontEnd<detail::async_key<CompletionToken>>::update(*this,
                                                                                 std::forward<CompletionToken>(token));
    }

    /// @cond INTERNAL
    /** Called on a TableNotFoundError before the one resend (`Table` with
        `TableOptions::create_table_on_first_write` sets it). */
    UpdateBuilder& on_missing_table(std::function<void()> f) {
        on_missing_table_ = std::move(f);
        return *this;
    }
    /** The options of the table that made this builder (create-on-first-write for
        `async_execute`); null: none. */
    UpdateBuilder& table_options(std::shared_ptr<const TableOptions> options) {
        table_options_ = std::move(options);
        return *this;
    }
    /** As set by `table_options(options)`. */
    const TableOptions* table_options() const noexcept { return table_options_.get(); }
    /** The client the update is sent through. */
    Client client() const { return table_.client(); }

    /** One UpdateItem ready to send: the request and its call options. */
    struct Prepared {
        OperationRequest request;   ///< the UpdateItem request
        CallOptions call;           ///< idempotence, and how a resend recognises this update's write
    };
    /** The request for `table` (the name sent) and its call options: an update that would apply
        twice if resent (ADD, `x + n`) is not idempotent, unless the version condition makes a
        second application fail; a conditional one recognises its own earlier write by the values
        it sets (and the new version). Pure.
        @throws ValidationError as `to_request()`. */
    Prepared prepare(std::string_view table) const {
        const auto& d = this->data_;
        Prepared p{d.render(table), {}};
        const bool versioned_item = detail::Versioning<Model>::enabled && d.item != nullptr;
        p.call.idempotent = d.idempotent || (versioned_item && d.options.check_version);
        if (p.request.body.contains("ConditionExpression"))
            p.call.recognizes_write = [written = d.full_expression()](const boost::json::object& item) {
                return written.applied_to(item);
            };
        return p;
    }
    /** After the update was applied: a versioned item gets its new version. */
    void applied() const {
        if constexpr (detail::Versioning<Model>::enabled)
            if (this->data_.item != nullptr) detail::Versioning<Model>::bump(*this->data_.item);
    }
    /** The typed result of an UpdateItem response sent to `table`. */
    UpdateResult<Model> decode(const boost::json::object& response, std::string_view table) const {
        return this->data_.decode(response, table);
    }
    /// @endcond

private:
    UpdateResult<Model> send() const {
        const Client client = table_.client();
        const std::string table = client.table_name(table_.table);
        Prepared p = prepare(table);
        const boost::json::object response = client.call(p.request.operation, p.request.body, std::move(p.call));
        applied();
        return decode(response, table);
    }

    ErrorInfo key_error_context() const { return table_.context(Operation::UpdateItem); }

    detail::ClientRef table_;
    std::function<void()> on_missing_table_;
    std::shared_ptr<const TableOptions> table_options_;
};

}  // namespace dynantic
