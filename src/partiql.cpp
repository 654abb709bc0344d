#include <dynantic/partiql.hpp>

#include <dynantic/detail/table_context.hpp>

#include <cctype>

namespace dynantic {

namespace detail {

namespace {

/** BatchExecuteStatement takes at most 25 statements; ExecuteTransaction 100. */
constexpr std::size_t max_batch_statements = 25;

boost::json::object statement_object(const Statement& s) {
    boost::json::object o;
    o["Statement"] = s.text;
    if (!s.parameters.empty()) o["Parameters"] = s.parameters;
    return o;
}

[[noreturn]] void invalid(Operation operation, std::string_view table, std::string message) {
    ErrorInfo info{std::string(to_string(operation)), std::string(table), {}, {}, 0, {}};
    info.message = std::move(message);
    throw Error(errc::invalid_response, std::move(info));
}

/** The statement's first word, upper-cased ("SELECT", "UPDATE", ...), for messages. */
std::string verb_of(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string out;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) && out.size() < 16)
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
    return out;
}

bool all_select(const std::vector<Statement>& statements) {
    for (const auto& s : statements)
        if (!is_select(s.text)) return false;
    return true;
}

}  // namespace

void throw_parameter_error(std::size_t index, std::string_view message) {
    ErrorInfo info = detail::operation_context(Operation::ExecuteStatement, {});
    info.message = "parameter " + std::to_string(index + 1) + ": " + std::string(message);
    throw ValidationError(std::move(info));
}

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

bool is_select(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    constexpr std::string_view word = "SELECT";
    if (text.size() - i < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k)
        if (std::toupper(static_cast<unsigned char>(text[i + k])) != word[k]) return false;
    return text.size() - i == word.size() || !std::isalnum(static_cast<unsigned char>(text[i + word.size()]));
}

OperationRequest execute_statement_body(const Statement& s, std::optional<std::size_t> limit,
                                        const std::optional<std::string>& next_token) {
    boost::json::object body = statement_object(s);
    if (s.consistent_read) body["ConsistentRead"] = true;
    if (limit) body["Limit"] = *limit;
    if (next_token) body["NextToken"] = *next_token;
    return {Operation::ExecuteStatement, std::move(body)};
}

OperationRequest batch_execute_statement_body(const std::vector<Statement>& statements) {
    if (statements.size() > max_batch_statements) {
        ErrorInfo info = detail::operation_context(Operation::BatchExecuteStatement, {});
        info.message = "a batch holds at most " + std::to_string(max_batch_statements) + " statements, not " +
                       std::to_string(statements.size());
        throw ValidationError(std::move(info));
    }
    boost::json::object body;
    auto& list = body["Statements"].emplace_array();
    list.reserve(statements.size());
    for (const auto& s : statements) {
        boost::json::object o = statement_object(s);
        if (s.consistent_read) o["ConsistentRead"] = true;
        list.push_back(std::move(o));
    }
    return {Operation::BatchExecuteStatement, std::move(body)};
}

OperationRequest execute_transaction_body(const std::vector<Statement>& statements, const std::string& token) {
    check_action_count(Operation::ExecuteTransaction, statements.size());
    boost::json::object body;
    auto& list = body["TransactStatements"].emplace_array();
    list.reserve(statements.size());
    for (const auto& s : statements) list.push_back(statement_object(s));
    body["ClientRequestToken"] = token;
    return {Operation::ExecuteTransaction, std::move(body)};
}

boost::json::object send_execute_transaction(const Client& client, const std::vector<Statement>& statements,
                                             const TransactOptions& options) {
    const std::string token = options.client_request_token.empty() ? random_token() : options.client_request_token;
    const OperationRequest request = execute_transaction_body(statements, token);
    // Cancellation reasons name each statement by its verb (send_transaction fills them in).
    std::vector<RenderedAction> actions;
    actions.reserve(statements.size());
    for (const auto& s : statements) actions.push_back({verb_of(s.text), {}, {}, {}});
    return send_transaction(client, request, actions, options);
}

boost::json::array send_batch_statement(const Client& client, const std::vector<Statement>& statements,
                                        const std::string& table) {
    const OperationRequest request = batch_execute_statement_body(statements);
    const boost::json::object response = call_for_table(client, request.operation, request.body, table,
                                                        CallOptions{.idempotent = all_select(statements)});
    const auto* responses = response.if_contains("Responses");
    if (responses == nullptr || !responses->is_array())
        invalid(request.operation, table, "Responses is missing or not an array");
    const auto& list = responses->get_array();
    if (list.size() != statements.size())
        invalid(request.operation, table,
                std::to_string(list.size()) + " responses for " + std::to_string(statements.size()) + " statements");
    for (const auto& r : list)
        if (!r.is_object()) invalid(request.operation, table, "a response is not an object");
    return list;
}

std::optional<StatementError> batch_statement_error(const boost::json::object& response) {
    const auto* e = response.if_contains("Error");
    if (e == nullptr || e->is_null()) return std::nullopt;
    StatementError out;
    if (const auto* o = e->if_object()) {
        if (const auto* c = o->if_contains("Code"); c != nullptr && c->is_string()) out.code = c->get_string();
        for (const char* key : {"Message", "message"})
            if (const auto* m = o->if_contains(key); m != nullptr && m->is_string()) out.message = m->get_string();
        if (const auto* item = o->if_contains("Item"); item != nullptr && item->is_object()) out.item = item->get_object();
    }
    if (out.code.empty()) out.code = "Unknown";
    return out;
}

StatementPager::StatementPager(Client client, const Statement& statement, std::string table,
                               std::optional<std::size_t> limit, std::optional<std::string> next_token)
    : client_(std::move(client)), statement_(statement), table_(std::move(table)), limit_(limit), next_(std::move(next_token)) {}

bool StatementPager::fetch_page() {
    if (fetched_ && !next_) return false;
    const OperationRequest request = execute_statement_body(statement_, limit_, next_);
    const boost::json::object response = call_for_table(client_, request.operation, request.body, table_,
                                                        CallOptions{.idempotent = is_select(statement_.text)});
    fetched_ = true;
    items_.clear();
    index_ = 0;
    if (const auto* items = response.if_contains("Items"); items != nullptr) {
        if (!items->is_array()) invalid(request.operation, table_, "Items is not an array");
        items_ = items->get_array();
    }
    std::optional<std::string> previous = std::move(next_);
    next_.reset();
    if (const auto* token = response.if_contains("NextToken"); token != nullptr && !token->is_null()) {
        if (!token->is_string() || token->get_string().empty()) invalid(request.operation, table_, "NextToken is not a string");
        next_ = std::string(token->get_string());
        // The same token again would page for ever (as a repeated LastEvaluatedKey).
        if (previous && *previous == *next_) invalid(request.operation, table_, "NextToken repeated");
    }
    return true;
}

const boost::json::object* StatementPager::next() {
    for (;;) {
        if (fetched_ && index_ < items_.size()) {
            const auto& item = items_[index_++];
            if (!item.is_object()) invalid(Operation::ExecuteStatement, table_, "an item of Items is not an object");
            return &item.get_object();
        }
        if (!fetch_page()) return nullptr;
    }
}

}  // namespace detail

void execute_transaction(const Client& client, const std::vector<Statement>& statements, TransactOptions options) {
    if (statements.empty()) return;
    detail::send_execute_transaction(client, statements, options);
}

}  // namespace dynantic
