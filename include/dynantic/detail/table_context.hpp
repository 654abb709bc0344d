#pragma once
// Errors of calls whose request names no table (the Streams API, PartiQL): the error is thrown
// again, of the same class and with the same details, naming the table the caller knows of.

#include <dynantic/client.hpp>
#include <dynantic/error.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace dynantic::detail {

/** Throws `e` again as the same class (TransportError, TransactionCanceledError with its reasons,
    ConditionalCheckFailedError with its item, the service error classes, ValidationError,
    DecodeError, Error) with `table` as its table. */
[[noreturn]] void rethrow_with_table(const Error& e, std::string_view table);

/** `client.call(operation, request, options)`, whose errors name `table`. */
boost::json::object call_for_table(const Client& client, Operation operation, const boost::json::object& request,
                                   std::string_view table, CallOptions options = {});

}  // namespace dynantic::detail
