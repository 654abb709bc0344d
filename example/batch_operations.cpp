// batch_operations: writing and reading many items with BatchWriteItem and BatchGetItem.
//
// A product catalogue loaded, read back and trimmed in bulk. Shows: batch_save (25 items a
// request), batch_get (100 keys a request, missing keys simply absent), batch_remove, a
// BatchWriter mixing puts and deletes, a progress callback for a progress bar, and what to do
// with a BatchError (it carries exactly the work that was not done, so nothing is lost
// silently). Each step checks its result and the program exits with 1 on a wrong one, so it
// runs in the test suite too. Run it with `scripts/demo.sh batch_operations`.
#include <dynantic/dynantic.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace dy = dynantic;

namespace catalogue {

struct Product {
    std::string sku;
    std::string name;
    int stock = 0;
};
BOOST_DESCRIBE_STRUCT(Product, (), (sku, name, stock))

constexpr auto dynantic_schema(const Product*) { return dy::table("example-products").partition_key(&Product::sku); }

}  // namespace catalogue

using catalogue::Product;

namespace {
void check(bool ok, const char* what) {
    std::cout << (ok ? "  ok: " : "  WRONG: ") << what << '\n';
    if (!ok) std::exit(1);
}
std::string sku(int i) { return "SKU-" + std::to_string(1000 + i); }
}  // namespace

int main() try {
    dy::Table<Product> products;
    if (products.table_exists()) products.delete_table();
    products.create_table();

    std::cout << "batch_save of 120 products, with a progress line:\n";
    std::vector<Product> many;
    for (int i = 0; i < 120; ++i) many.push_back({sku(i), "product " + std::to_string(i), i % 10});
    dy::Progress last;
    const auto show = [&](const dy::Progress& p) {   // called after each BatchWriteItem request
        std::printf("    %zu/%zu written, %zu requests\n", p.done, p.total, p.pages);
        last = p;
    };
    products.batch_save(many, {}, show);   // {}: the default BatchOptions (retries of unprocessed items)
    check(last.done == 120 && last.total == 120, "the progress callback reached 120/120");
    check(last.pages >= 5, "at least 5 requests (25 items each at most)");

    std::cout << "batch_get of 120 keys and 3 that do not exist:\n";
    std::vector<std::string> keys;
    for (int i = 0; i < 123; ++i) keys.push_back(sku(i));   // SKU-1120..1122 were never written
    const std::vector<Product> got = products.batch_get(keys);
    check(got.size() == 120, "120 products came back; missing keys are simply absent");

    std::cout << "batch_remove of 20 keys:\n";
    std::vector<std::string> doomed(keys.begin(), keys.begin() + 20);
    products.batch_remove(doomed);
    check(products.scan().count() == 100, "100 products left");

    std::cout << "a BatchWriter mixing puts and deletes:\n";
    {
        auto writer = products.batch_writer();   // sends every 25 writes, and the rest at scope end
        for (int i = 200; i < 205; ++i) writer.save({sku(i), "new product", 1});
        for (int i = 20; i < 25; ++i) writer.remove(sku(i));
        check(writer.pending() == 10, "10 writes buffered, none sent yet");
    }   // flushed here (not when the scope is left by an exception)
    check(products.scan().count() == 100 && products.get(sku(200)).has_value() && !products.get(sku(20)),
          "5 added and 5 removed");

    // Unprocessed items are retried with backoff (BatchOptions); what still remains is thrown in
    // a BatchError that holds exactly those writes, to retry later or to report.
    try {
        products.batch_save(many);
    } catch (const dy::BatchError& e) {
        std::vector<Product> not_written = e.unprocessed_items<Product>();
        std::cerr << not_written.size() << " products were not written: " << e.what() << '\n';
        return 1;
    }
    check(products.scan().count() == 125, "saving the 120 again restored the 25 removed ones");

    products.delete_table();
    return 0;
} catch (const dy::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
