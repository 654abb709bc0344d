// SPDX-License-Identifier: BSL-1.0
#pragma once
// Create-table-on-first-write (`TableOptions::create_table_on_first_write`): a write that finds
// its table missing creates it from the schema, once per process and table, and is sent once more.

#include <dynantic/client.hpp>
#include <dynantic/detail/table_admin.hpp>
#include <dynantic/error.hpp>
#include <dynantic/options.hpp>

#include <algorithm>
#include <chrono>
#include <string>

namespace dynantic::detail {

/** Creates `table`'s table (a `Table<Model>`: `client()`, `name()`, `create_table`) from its
    schema with `options.create_table`, waiting until it is ACTIVE (bounded by the client's
    `call_timeout` when set), at most once per process (`create_table_once`). A table that
    exists or is being created already (ResourceInUseException) is waited for. */
/** How a table missing on a write is created: `options.create_table`, waiting until ACTIVE,
    the wait bounded by the client's `call_timeout` when set (rounded up to whole seconds). */
inline CreateTableOptions missing_table_options(const Client& client, const TableOptions& options) {
    CreateTableOptions o = options.create_table;
    o.wait = true;
    if (const auto bound = client.call_timeout(); bound.count() > 0)
        o.timeout = std::min(o.timeout, std::chrono::ceil<std::chrono::seconds>(bound));
    return o;
}

template <class T>
void create_missing_table(const T& table, const TableOptions& options) {
    const Client c = table.client();
    const std::string name = table.name();
    create_table_once(c, name, [&] {
        const CreateTableOptions o = missing_table_options(c, options);
        try {
            table.create_table(o);
        } catch (const Error& e) {
            if (e.code() != errc::resource_in_use) throw;
            wait_for_table(c, name, true, o.timeout);
        }
    });
}

/** Runs the write `f`; with `options` asking for it, a TableNotFoundError (nothing was written)
    runs `create` and then `f` once more. */
template <class F, class Create>
decltype(auto) write_creating_table(const TableOptions* options, F&& f, Create&& create) {
    if (options == nullptr || !options->create_table_on_first_write) return f();
    try {
        return f();
    } catch (const TableNotFoundError&) {
        create();
    }
    return f();
}

}  // namespace dynantic::detail
