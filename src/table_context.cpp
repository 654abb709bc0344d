#include <dynantic/detail/table_context.hpp>

namespace dynantic::detail {

void rethrow_with_table(const Error& e, std::string_view table) {
    ErrorInfo info = e.info();
    info.table = std::string(table);
    if (const auto* t = dynamic_cast<const TransportError*>(&e))
        throw TransportError(static_cast<errc>(e.code().value()), std::move(info), t->request_sent());
    if (const auto* c = dynamic_cast<const TransactionCanceledError*>(&e)) throw TransactionCanceledError(std::move(info), c->reasons());
    if (const auto* c = dynamic_cast<const ConditionalCheckFailedError*>(&e))
        throw ConditionalCheckFailedError(std::move(info), c->item());
    if (dynamic_cast<const DecodeError*>(&e) != nullptr) throw DecodeError(std::move(info));
    if (!info.aws_code.empty()) throw_service_error(std::move(info));
    if (dynamic_cast<const ValidationError*>(&e) != nullptr) throw ValidationError(std::move(info));
    throw Error(e.code(), std::move(info));
}

boost::json::object call_for_table(const Client& client, Operation operation, const boost::json::object& request,
                                   std::string_view table, CallOptions options) {
    try {
        return client.call(operation, request, std::move(options));
    } catch (const Error& e) {
        if (!e.table().empty() || table.empty()) throw;
        rethrow_with_table(e, table);
    }
}

}  // namespace dynantic::detail
