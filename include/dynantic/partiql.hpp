#pragma once
/** @file
    PartiQL: `ExecuteStatement` (a lazy, typed range over its pages), `BatchExecuteStatement`
    and `ExecuteTransaction`, with `?` parameters bound from C++ values through the codec.

    @code
    const std::string users = dy::partiql_table<User>(client);    // "\"<prefix>users\"", quoted
    for (const User& u : dy::execute_statement<User>(client, "SELECT * FROM " + users + " WHERE user_id = ?", "u1")) {}
    dy::execute_statement<User>(client, "UPDATE " + users + " SET age = ? WHERE user_id = ?", 42, "u1").execute();
    auto results = dy::batch_execute_statement<User>(client, {
        dy::statement("SELECT * FROM " + users + " WHERE user_id = ?", "u1"),
        dy::statement("DELETE FROM " + users + " WHERE user_id = ?", "u2")});   // one result each
    dy::execute_transaction(client, {
        dy::statement("UPDATE " + users + " SET age = 43 WHERE user_id = ? AND age = ?", "u1", 42),
        dy::statement("INSERT INTO " + users + " VALUE {'user_id': ?, 'age': ?}", "u3", 7)});
    @endcode

    Parameters are never spliced into the statement: each `?` is bound, in order, to the
    AttributeValue the value's `attribute_traits` produce (as for items); `std::nullopt` and
    `nullptr` bind NULL. Write table names with `partiql_table<Model>(client)`, which applies the
    client's table prefix and quotes the name.

    Statements other than SELECT are sent with `CallOptions::idempotent = false`: one whose outcome
    is unknown (a lost response) is reported, not sent again (an `INSERT` sent twice would fail as
    a duplicate, an `UPDATE ... SET n = n + 1` would count twice). `ExecuteTransaction` carries a
    `ClientRequestToken`, so it is resent safely.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html */

#include <dynantic/client.hpp>
#include <dynantic/codec/traits.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/paging_iterator.hpp>
#include <dynantic/error.hpp>
#include <dynantic/partiql_statement.hpp>
#include <dynantic/query.hpp>
#include <dynantic/request.hpp>
#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynantic {

namespace detail {

/** The ExecuteStatement body. */
OperationRequest execute_statement_body(const Statement& s, std::optional<std::size_t> limit,
                                        const std::optional<std::string>& next_token);
OperationRequest batch_execute_statement_body(const std::vector<Statement>& statements);
OperationRequest execute_transaction_body(const std::vector<Statement>& statements, const std::string& token);
/** Sends ExecuteTransaction, retrying cancellations for throttling and conflicts with the same
    token (as transact_write); returns the response. */
boost::json::object send_execute_transaction(const Client& client, const std::vector<Statement>& statements,
                                             const TransactOptions& options);

/** Pages of one ExecuteStatement, following NextToken (src/partiql.cpp). */
class StatementPager {
public:
    StatementPager(Client client, const Statement& statement, std::string table, std::optional<std::size_t> limit,
                   std::optional<std::string> next_token);
    /** Sends the next request; false when no page is left. */
    bool fetch_page();
    /** The items of the page fetched last. */
    const boost::json::array& items() const noexcept { return items_; }
    /** The NextToken of the page fetched last; nullopt when it was the last. */
    const std::optional<std::string>& next_token() const noexcept { return next_; }
    /** The next item, fetching pages as needed (skipping empty ones); nullptr at the end. */
    const boost::json::object* next();

private:
    Client client_;
    const Statement& statement_;
    std::string table_;
    std::optional<std::size_t> limit_;
    std::optional<std::string> next_;
    bool fetched_ = false;
    boost::json::array items_;
    std::size_t index_ = 0;
};

}  // namespace detail

/** The name of `Model`'s table as a PartiQL quoted identifier, with the client's table prefix:
    `"test-users"`. */
template <class Model>
std::string partiql_table(const Client& client) {
    return detail::quote_identifier(Table<Model>(client).name());
}
/** `partiql_table<Model>(client)` with `current_client()`. */
template <class Model>
std::string partiql_table() {
    return partiql_table<Model>(current_client());
}

/** An ExecuteStatement whose items decode into `Model` (or its polymorphic variant). Lazy:
    nothing is sent until iterated, `all()`, `page()` or `execute()`. Errors name the operation
    and `Model`'s table. */
template <class Model>
class StatementQuery {
public:
    /** What an item decodes into: `Model`, or a variant for a polymorphic base. */
    using value_type = typename detail::Entity<Model>::value_type;

    /** The statement, sent through `client`; nothing is sent yet. */
    StatementQuery(Client client, Statement statement) : client_(std::move(client)), statement_(std::move(statement)) {}

    /** Strongly consistent read (ConsistentRead). */
    StatementQuery& consistent_read() & {
        statement_.consistent_read = true;
        return *this;
    }
    /** As above, on a temporary (returns the query by value). */
    StatementQuery consistent_read() && { return std::move(consistent_read()); }
    /** DynamoDB's `Limit`: items evaluated per request. */
    StatementQuery& page_size(std::size_t n) & {
        page_size_ = n;
        return *this;
    }
    /** As above, on a temporary (returns the query by value). */
    StatementQuery page_size(std::size_t n) && { return std::move(page_size(n)); }

    /** The request `page(next_token)` sends (a dry run). */
    OperationRequest to_request(const std::optional<std::string>& next_token = std::nullopt) const {
        return detail::execute_statement_body(statement_, page_size_, next_token);
    }

    /** One response's items (a write statement's `RETURNING` items, usually none). Sends one
        request; for reads prefer iteration, `all()` or `page()`, which follow NextToken.
        @throws ConditionalCheckFailedError, DuplicateItem (as Error), ValidationError, ...,
                naming `Model`'s table; DecodeError when an item does not fit the model. */
    std::vector<value_type> execute() const { return page().items; }

    /** One page starting at `next_token` (none: the first). `next_cursor` is the NextToken to
        pass back; nullopt when there is no more. */
    PageResult<value_type> page(const std::optional<std::string>& next_token = std::nullopt) const {
        detail::StatementPager pager(client_, statement_, table(), page_size_, next_token);
        PageResult<value_type> result;
        if (pager.fetch_page())
            for (const auto& item : pager.items()) {
                if (!item.is_object()) invalid_item();
                result.items.push_back(decode(item.get_object()));
            }
        result.count = result.items.size();
        result.next_cursor = pager.next_token();
        return result;
    }

    /** Every item, following NextToken to the end. */
    std::vector<value_type> all() const {
        std::vector<value_type> out;
        for (auto&& item : *this) out.push_back(std::move(item));
        return out;
    }

    /// @cond INTERNAL
    /** What an iteration holds: the statement's pager and the current item. */
    struct IterationState {
        using value_type = StatementQuery::value_type;
        explicit IterationState(const StatementQuery& q)
            : query(q), pager(q.client_, q.statement_, q.table(), q.page_size_, std::nullopt) {}
        void advance() {
            const auto* item = pager.next();
            if (item == nullptr) current.reset();
            else current = query.decode(*item);
        }
        const StatementQuery& query;
        detail::StatementPager pager;
        std::optional<value_type> current;
    };
    /// @endcond
    /** Input iterator over the items; fetches the next page only when needed. */
    using iterator = detail::PagingIterator<IterationState>;

    /** Sends the first ExecuteStatement and points at its first item (pages with no items are
        skipped). Each call starts over.
        @throws Error as `execute()` does. */
    iterator begin() const { return iterator(std::make_shared<IterationState>(*this)); }
    /** The end of the items. */
    std::default_sentinel_t end() const { return {}; }

    /** The statement and its bound parameters, as sent. */
    const Statement& statement() const noexcept { return statement_; }

private:
    std::string table() const { return Table<Model>(client_).name(); }
    ErrorInfo context() const { return detail::operation_context(Operation::ExecuteStatement, table()); }
    value_type decode(const boost::json::object& item) const { return detail::Entity<Model>::decode(item, context()); }
    [[noreturn]] void invalid_item() const {
        ErrorInfo info = context();
        info.message = "an item of Items is not an object";
        throw Error(errc::invalid_response, std::move(info));
    }

    Client client_;
    Statement statement_;
    std::optional<std::size_t> page_size_;
};

/** `StatementQuery<Model>` of `statement(text, args...)`, through `client`. */
template <class Model, class... Args>
StatementQuery<Model> execute_statement(const Client& client, std::string text, const Args&... args) {
    return StatementQuery<Model>(client, statement(std::move(text), args...));
}
/** `StatementQuery<Model>` of a statement already built (`statement(text, args...)`), through
    `client`. */
template <class Model>
StatementQuery<Model> execute_statement(const Client& client, Statement s) {
    return StatementQuery<Model>(client, std::move(s));
}

/** Why one statement of a BatchExecuteStatement failed (BatchStatementError). */
struct StatementError {
    /** "ConditionalCheckFailed", "DuplicateItem", "ItemCollectionSizeLimitExceeded",
        "RequestLimitExceeded", "ValidationError", "ProvisionedThroughputExceeded",
        "TransactionConflict", "ThrottlingError", "InternalServerError", "ResourceNotFound",
        "AccessDenied"; or "DecodeError" when the item returned does not fit the model. */
    std::string code;
    std::string message;   ///< DynamoDB's message (or the decoding error's), for people
    /** The item, when the statement asked for it on a failed condition. */
    std::optional<boost::json::object> item;
};

/** The outcome of one statement of a batch (BatchStatementResponse). */
template <class Model>
struct BatchStatementResult {
    std::optional<typename detail::Entity<Model>::value_type> item;  ///< a SELECT's item, if found
    std::optional<StatementError> error;                               ///< set when the statement failed
    std::string table;                                                 ///< TableName, when sent
    /** True when the statement failed (`error` is set). */
    bool failed() const noexcept { return error.has_value(); }
};

namespace detail {
/** Sends a BatchExecuteStatement and checks that its `Responses` has one entry per statement. */
boost::json::array send_batch_statement(const Client& client, const std::vector<Statement>& statements,
                                        const std::string& table);
/** The error of a BatchStatementResponse, if any. */
std::optional<StatementError> batch_statement_error(const boost::json::object& response);
}  // namespace detail

/** Runs up to 25 statements in one BatchExecuteStatement (all reads or all writes) and returns
    one result per statement, in order: its item (reads) or its error. A failing statement does
    not fail the others, and is not retried. `Model` decodes the items and names the table in
    errors.
    @throws ValidationError before sending for more than 25 statements; the client's errors for
            the whole request; Error (errc::invalid_response) when DynamoDB does not answer every
            statement. An empty list sends nothing. */
template <class Model>
std::vector<BatchStatementResult<Model>> batch_execute_statement(const Client& client, const std::vector<Statement>& statements) {
    std::vector<BatchStatementResult<Model>> out;
    if (statements.empty()) return out;
    const std::string table = Table<Model>(client).name();
    const boost::json::array responses = detail::send_batch_statement(client, statements, table);
    out.reserve(responses.size());
    for (const auto& r : responses) {
        const auto& o = r.get_object();
        BatchStatementResult<Model> result;
        if (const auto* t = o.if_contains("TableName"); t != nullptr && t->is_string()) result.table = t->get_string();
        result.error = detail::batch_statement_error(o);
        if (!result.error) {
            if (const auto* item = o.if_contains("Item"); item != nullptr && item->is_object() && !item->get_object().empty()) {
                try {
                    result.item = detail::Entity<Model>::decode(item->get_object(),
                                                                 detail::operation_context(Operation::BatchExecuteStatement, table));
                } catch (const DecodeError& e) {
                    result.error = StatementError{"DecodeError", std::string(e.message()), std::nullopt};
                }
            }
        }
        out.push_back(std::move(result));
    }
    return out;
}

/** Runs up to 100 write statements (or up to 100 reads) as one ACID transaction
    (ExecuteTransaction), with a `ClientRequestToken` (`options.client_request_token`, else a
    random UUID) reused by every retry; cancellations for throttling or conflicts are retried as
    for `transact_write`.
    @throws TransactionCanceledError with one reason per statement (operation: the statement's
            verb, e.g. "UPDATE") when a condition failed or a statement was refused; nothing
            was written. ValidationError before sending for more than 100 statements. */
void execute_transaction(const Client& client, const std::vector<Statement>& statements, TransactOptions options = {});

/** A read transaction: one item per statement (`std::nullopt` where none matched), decoded into
    `Model`. @throws as above; DecodeError when an item does not fit the model. */
template <class Model>
std::vector<std::optional<typename detail::Entity<Model>::value_type>> execute_transaction(
    const Client& client, const std::vector<Statement>& statements, TransactOptions options = {}) {
    std::vector<std::optional<typename detail::Entity<Model>::value_type>> out;
    if (statements.empty()) return out;
    const boost::json::object response = detail::send_execute_transaction(client, statements, options);
    const std::string table = Table<Model>(client).name();
    const auto* responses = response.if_contains("Responses");
    out.resize(statements.size());
    if (responses == nullptr) return out;
    if (!responses->is_array() || responses->get_array().size() != statements.size()) {
        ErrorInfo info{std::string(to_string(Operation::ExecuteTransaction)), table, {}, {}, 0, {}};
        info.message = "Responses does not hold one entry per statement";
        throw Error(errc::invalid_response, std::move(info));
    }
    for (std::size_t i = 0; i < statements.size(); ++i) {
        const auto* o = responses->get_array()[i].if_object();
        const auto* item = o != nullptr ? o->if_contains("Item") : nullptr;
        if (item != nullptr && item->is_object() && !item->get_object().empty())
            out[i] = detail::Entity<Model>::decode(item->get_object(), detail::operation_context(Operation::ExecuteTransaction, table));
    }
    return out;
}

}  // namespace dynantic
