#pragma once
// The DynamoDB client a Lambda bootstrap builds once per execution environment.

#include <dynantic/client.hpp>

namespace lambda {

/** A client configured from the environment Lambda sets (region, credentials), using Amazon
    Linux 2023's CA bundle when SSL_CERT_FILE is unset, and the table name prefix held by the
    environment variable `table_prefix_variable` when it is set. */
dynantic::Client client_from_environment(const char* table_prefix_variable);

}  // namespace lambda
