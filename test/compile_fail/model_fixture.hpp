// Shared by the compile-fail sources: a small model and its table.
#pragma once
#include <dynantic/table.hpp>
#include <boost/describe.hpp>
#include <set>
#include <string>

namespace cf {
struct User {
    std::string id;
    std::string email;
    int age = 0;
    std::set<std::string> tags;
    int version = 0;
};
BOOST_DESCRIBE_STRUCT(User, (), (id, email, age, tags, version))
constexpr auto dynantic_schema(const User*) { return dynantic::table("users").partition_key(&User::id); }

struct Other {
    std::string id;
    int age = 0;
};
BOOST_DESCRIBE_STRUCT(Other, (), (id, age))
constexpr auto dynantic_schema(const Other*) { return dynantic::table("others").partition_key(&Other::id); }
}  // namespace cf
