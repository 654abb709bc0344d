// custom_type: storing your own C++ types by specializing dynantic::attribute_traits<T>.
//
// A shop's products keyed by a validated SKU type and priced in a Money type. Shows the easy
// tier of attribute_traits (convert to and from a type the library already maps: the wire type
// follows), a custom type as a table key, in a typed filter and in a set, and what happens when
// a stored value does not convert: a DecodeError naming the attribute. (The raw tier, writing
// the AttributeValue JSON yourself, is in test/unit/attribute_traits_test.cpp.) Each step checks
// its result and the program exits with 1 on a wrong one, so it runs in the test suite too.
// Run it with `scripts/demo.sh custom_type`.
#include <dynantic/dynantic.hpp>

#include <boost/json/object.hpp>

#include <cctype>
#include <compare>
#include <cstdlib>
#include <iostream>
#include <set>
#include <stdexcept>
#include <string>

namespace dy = dynantic;

namespace store {

/** A stock-keeping unit: three letters, a dash and four digits ("TEA-0001"). */
class Sku {
public:
    explicit Sku(std::string code) : code_(std::move(code)) {
        const bool ok = code_.size() == 8 && code_[3] == '-' && std::isupper(static_cast<unsigned char>(code_[0])) &&
                        std::isdigit(static_cast<unsigned char>(code_[7]));
        if (!ok) throw std::invalid_argument("'" + code_ + "' is not an SKU (like TEA-0001)");
    }
    const std::string& code() const { return code_; }
    auto operator<=>(const Sku&) const = default;

private:
    std::string code_;
};

/** An amount of money in cents, never a floating-point number. */
struct Money {
    std::int64_t cents = 0;
    auto operator<=>(const Money&) const = default;
};

struct Product {
    Sku sku{"XXX-0000"};
    std::string name;
    Money price;
    std::set<Sku> related;   // a set of a custom string type is a string set (SS)
};
BOOST_DESCRIBE_STRUCT(Product, (), (sku, name, price, related))

constexpr auto dynantic_schema(const Product*) { return dy::table("example-custom-products").partition_key(&Product::sku); }

}  // namespace store

// The easy tier: `to` returns a type dynantic maps (std::string: S), `from` takes it back.
// An exception from `from` becomes a DecodeError naming the attribute.
template <>
struct dynantic::attribute_traits<store::Sku> {
    static std::string to(const store::Sku& s) { return s.code(); }
    static store::Sku from(std::string text) { return store::Sku(std::move(text)); }
};

// To a number: std::int64_t, so Money is stored as N and compares as a number in expressions.
template <>
struct dynantic::attribute_traits<store::Money> {
    static std::int64_t to(const store::Money& m) { return m.cents; }
    static store::Money from(std::int64_t cents) { return store::Money{cents}; }
};

using store::Money;
using store::Product;
using store::Sku;

namespace {
void check(bool ok, const char* what) {
    std::cout << (ok ? "  ok: " : "  WRONG: ") << what << '\n';
    if (!ok) std::exit(1);
}
}  // namespace

int main() try {
    dy::Table<Product> products;
    if (products.table_exists()) products.delete_table();
    products.create_table();   // the key attribute "sku" is declared as S, from the traits

    std::cout << "custom types on the wire:\n";
    const Product tea{Sku("TEA-0001"), "Green tea", Money{450}, {Sku("CUP-0001")}};
    const std::string item = dy::to_item_json(tea);
    std::cout << "  " << item << '\n';
    check(item == R"({"sku":{"S":"TEA-0001"},"name":{"S":"Green tea"},"price":{"N":"450"},"related":{"SS":["CUP-0001"]}})",
          "Sku is S, Money is N, std::set<Sku> is SS");

    std::cout << "as a key, and in a typed filter:\n";
    products.save(tea);
    products.save({Sku("CUP-0001"), "Cup", Money{1200}, {}});
    std::optional<Product> got = products.get(Sku("TEA-0001"));
    check(got && got->price == Money{450} && got->related.count(Sku("CUP-0001")) == 1, "get(Sku) reads the product back");
    // The filter's value is a Money, encoded by the same traits; `>= 10` would not compile.
    const auto dear = products.scan().filter(dy::field(&Product::price) >= Money{1000}).all();
    check(dear.size() == 1 && dear[0].name == "Cup", "filter price >= Money{1000} finds the cup");

    std::cout << "a stored value that does not convert:\n";
    // Written by some other program, with a malformed SKU in "related".
    boost::json::object bad = dy::to_item(tea);
    bad["related"] = {{"SS", {"nonsense"}}};
    products.client().call("PutItem", {{"TableName", products.name()}, {"Item", bad}});
    try {
        (void)products.get(Sku("TEA-0001"));
        check(false, "the malformed SKU should not decode");
    } catch (const dy::DecodeError& e) {
        std::cout << "  " << e.what() << '\n';
        check(std::string(e.what()).find("related") != std::string::npos, "DecodeError names the attribute");
    }

    products.delete_table();
    return 0;
} catch (const dy::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
