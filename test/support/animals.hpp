#pragma once
// The polymorphic test models of a single-table design: `Animal` (discriminator `kind`, base value
// "ANIMAL") with the subtypes `Dog` ("DOG") and `Cat` ("CAT"), stored in table "animals".
#include <dynantic/schema.hpp>

#include <boost/describe/class.hpp>

#include <string>

namespace dynantic::test::zoo {

struct Animal {
    std::string id;
    std::string kind;
    std::string name;
};
BOOST_DESCRIBE_STRUCT(Animal, (), (id, kind, name))
struct Dog : Animal {
    bool good = true;
};
BOOST_DESCRIBE_STRUCT(Dog, (Animal), (good))
struct Cat : Animal {
    int lives = 9;
};
BOOST_DESCRIBE_STRUCT(Cat, (Animal), (lives))
constexpr auto dynantic_schema(const Animal*) {
    return dynantic::table("animals")
        .partition_key(&Animal::id)
        .discriminator(&Animal::kind, "ANIMAL")
        .subtype<Dog>("DOG")
        .subtype<Cat>("CAT");
}

}  // namespace dynantic::test::zoo
