// optimistic_locking: concurrent edits that never overwrite each other silently.
//
// A wiki page edited by two writers at once. The schema's `.version(&Page::version)` makes every
// write conditional on the version the writer read, and increments it on success; the writer
// that lost the race gets a ConditionalCheckFailedError, reloads and applies its change again.
// Each step checks its result and the program exits with 1 on a wrong one, so it runs in the
// test suite too. Run it with `scripts/demo.sh optimistic_locking`.
#include <dynantic/dynantic.hpp>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>

namespace dy = dynantic;

namespace wiki {

struct Page {
    std::string slug;
    std::string body;
    std::int64_t version = 0;   // 0: never saved; DynamoDB holds 1 after the first save
};
BOOST_DESCRIBE_STRUCT(Page, (), (slug, body, version))

constexpr auto dynantic_schema(const Page*) {
    return dy::table("example-pages").partition_key(&Page::slug).version(&Page::version);
}

}  // namespace wiki

using wiki::Page;

namespace {
void check(bool ok, const char* what) {
    std::cout << (ok ? "  ok: " : "  WRONG: ") << what << '\n';
    if (!ok) std::exit(1);
}

// The usual loop: read, change, write; on a conflict read the new version and try again.
void edit(const dy::Table<Page>& pages, const std::string& slug, const std::function<void(Page&)>& change) {
    for (int attempt = 1;; ++attempt) {
        Page page = pages.get(slug).value();
        change(page);
        try {
            pages.save(page);   // PutItem ... ConditionExpression: version = :read_version
            return;
        } catch (const dy::ConditionalCheckFailedError&) {
            if (attempt == 5) throw;   // someone keeps winning: give up
        }
    }
}
}  // namespace

int main() try {
    dy::Table<Page> pages;
    if (pages.table_exists()) pages.delete_table();
    pages.create_table();

    std::cout << "the first save creates the page at version 1:\n";
    Page home{"home", "Welcome.", 0};
    pages.save(home);   // condition: attribute_not_exists(version); sets home.version = 1
    check(home.version == 1 && pages.get("home")->version == 1, "version 1 in memory and in the table");
    Page again{"home", "Hello!", 0};
    try {
        pages.save(again);   // also "new" (version 0): refused, the page exists
        check(false, "a second new page with the same key should be refused");
    } catch (const dy::ConditionalCheckFailedError&) {
        check(true, "a second \"new\" page with the same slug is refused");
    }

    std::cout << "two writers read version 1; the first to save wins:\n";
    Page ann = *pages.get("home");
    Page bob = *pages.get("home");
    ann.body += " Ann was here.";
    pages.save(ann);
    check(ann.version == 2, "ann saved version 2");
    bob.body += " Bob was here.";
    try {
        pages.save(bob);   // still at version 1: would overwrite ann's edit
        check(false, "bob's stale save should be refused");
    } catch (const dy::ConditionalCheckFailedError&) {
        check(bob.version == 1, "bob's stale save is refused and his copy keeps version 1");
    }

    std::cout << "bob retries with the read-change-write loop:\n";
    edit(pages, "home", [](Page& p) { p.body += " Bob was here."; });
    const Page now = *pages.get("home");
    check(now.version == 3 && now.body == "Welcome. Ann was here. Bob was here.", "both edits kept, version 3");

    std::cout << "updates and deletes check the version too:\n";
    Page stale = ann;   // version 2, but the table holds 3
    try {
        pages.update_item(stale).set(&Page::body, std::string("overwritten")).execute();
        check(false, "an update from a stale copy should be refused");
    } catch (const dy::ConditionalCheckFailedError&) {
        check(true, "update_item(stale copy) is refused");
    }
    try {
        pages.remove_item(stale);
        check(false, "a delete from a stale copy should be refused");
    } catch (const dy::ConditionalCheckFailedError&) {
        check(pages.get("home").has_value(), "remove_item(stale copy) is refused; the page is still there");
    }

    pages.delete_table();
    return 0;
} catch (const dy::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
