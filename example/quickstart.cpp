// quickstart: the walking skeleton of dynantic, end to end.
//
// Defines a model, creates its table if absent, saves a user, reads it back, changes and saves
// it again, deletes it, and prints each step. Runs against the endpoint the environment names
// (AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL, e.g. DynamoDB Local) or the regional AWS
// endpoint. `scripts/demo.sh` starts DynamoDB Local and runs this program.
#include <dynantic/dynantic.hpp>

#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <iostream>

namespace dy = dynantic;

namespace app {

struct User {
    std::string user_id;
    std::string email;
    std::string name;
    int age = 0;
    bool active = false;
    std::optional<std::int64_t> login_count;
};
BOOST_DESCRIBE_STRUCT(User, (), (user_id, email, name, age, active, login_count))

constexpr auto dynantic_schema(const User*) {
    return dy::table("quickstart-users").partition_key(&User::user_id).sort_key(&User::email);
}

std::ostream& operator<<(std::ostream& os, const User& u) {
    return os << boost::json::serialize(dy::to_item(u));
}

}  // namespace app

int main() try {
    dy::Table<app::User> users;
    std::cout << "endpoint: " << users.client().endpoint().url() << ", table: " << users.name() << '\n';

    if (!users.table_exists()) {
        users.create_table();
        std::cout << "created table " << users.name() << '\n';
    } else {
        std::cout << "table " << users.name() << " exists\n";
    }

    app::User alice{"u-1", "alice@example.com", "Alice", 30, true, std::nullopt};
    users.save(alice);
    std::cout << "saved:   " << alice << '\n';

    std::optional<app::User> got = users.get("u-1", "alice@example.com");
    if (!got) {
        std::cerr << "error: the saved user was not found\n";
        return 1;
    }
    std::cout << "fetched: " << *got << '\n';

    got->age += 1;
    got->login_count = 1;
    users.save(*got);
    std::cout << "changed: " << *users.get("u-1", "alice@example.com") << '\n';

    try {
        users.create(alice);  // the key exists: refused
    } catch (const dy::ConditionalCheckFailedError& e) {
        std::cout << "create refused as expected: " << e.what() << '\n';
    }

    users.remove("u-1", "alice@example.com");
    std::cout << "deleted; get now returns " << (users.get("u-1", "alice@example.com") ? "an item" : "nothing") << '\n';
    return 0;
} catch (const dy::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
