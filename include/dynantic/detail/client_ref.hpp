// SPDX-License-Identifier: BSL-1.0
#pragma once
// The client a table-bound front end (Table, UpdateBuilder, Query, Scan, BatchWriter) runs its
// operation values through: its own, or `current_client()` at each call.

#include <dynantic/client.hpp>
#include <dynantic/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic::detail {

struct ClientRef {
    std::optional<Client> bound;   ///< empty: `current_client()` at each call
    std::string_view table;        ///< the schema's table name, before the client's prefix
    /** A value built without a table (`dynantic::query<Model>(pk)`): errors raised while it is
        built name `table` without asking `current_client()` for the prefix. */
    bool detached = false;

    Client client() const { return bound ? *bound : current_client(); }
    /** The table name sent, prefix included. */
    std::string name() const { return client().table_name(table); }
    ErrorInfo context(Operation operation) const {
        return operation_context(operation, name());
    }
};

}  // namespace dynantic::detail
