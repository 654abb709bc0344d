// AWS Lambda custom runtime ("provided.al2023") serving a users API from DynamoDB.
//
// Lambda runs this `bootstrap` executable once per execution environment; it initialises the
// DynamoDB client (region and credentials come from the environment Lambda sets), then loops:
// take the next event from the Runtime API, answer it with users_api::handle_event, repeat.
// A failing initialisation is reported with /runtime/init/error. See README.md beside this file
// for building and packaging.
#include "lambda_client.hpp"
#include "runtime.hpp"
#include "users_api.hpp"

#include <dynantic/dynantic.hpp>

int main() {
    return lambda::serve("bootstrap", [] {
        dynantic::Table<users_api::User> users(lambda::client_from_environment("USERS_TABLE_PREFIX"));
        return lambda::Handler([users](const lambda::Invocation& invocation) {
            return users_api::handle_event(users, invocation.payload);
        });
    });
}
