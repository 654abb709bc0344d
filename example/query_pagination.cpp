// query_pagination: reading many items with Query, and paging through them with cursors.
//
// A chat channel's messages, keyed by channel and time. Shows: sort-key conditions
// (between, begins_with), filters on other attributes, a global secondary index, newest-first
// reads, `limit` (items in total) versus `page_size` (DynamoDB's per-request Limit), stateless
// pagination with opaque cursors (what a web API hands to its client), and DynamoDB's
// Count/ScannedCount. Each step checks its result and the program exits with 1 on a wrong one,
// so it runs in the test suite too. Run it with `scripts/demo.sh query_pagination`.
#include <dynantic/dynantic.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <set>
#include <string>

namespace dy = dynantic;

namespace chat {

struct Message {
    std::string channel;   // partition key
    std::string sent_at;   // sort key: "2024-05-01T10:07", sorts as a string
    std::string author;
    std::string text;
    int likes = 0;
};
BOOST_DESCRIBE_STRUCT(Message, (), (channel, sent_at, author, text, likes))

constexpr auto dynantic_schema(const Message*) {
    return dy::table("example-messages")
        .partition_key(&Message::channel)
        .sort_key(&Message::sent_at)
        .global_index("ByAuthor", &Message::author, &Message::sent_at);   // "everything ann wrote"
}

}  // namespace chat

using chat::Message;

namespace {
void check(bool ok, const char* what) {
    std::cout << (ok ? "  ok: " : "  WRONG: ") << what << '\n';
    if (!ok) std::exit(1);
}

std::string minute(int i) {   // "2024-05-01T10:07"
    char text[32];
    std::snprintf(text, sizeof text, "2024-05-01T10:%02d", i);
    return text;
}
}  // namespace

int main() try {
    dy::Table<Message> messages;   // the default client: endpoint, region, credentials from the environment
    if (messages.table_exists()) messages.delete_table();
    messages.create_table();

    // 30 messages, one a minute, by three authors; every 7th gets 5 or more likes.
    std::vector<Message> all;
    const char* authors[] = {"ann", "bob", "cy"};
    for (int i = 0; i < 30; ++i) all.push_back({"general", minute(i), authors[i % 3], "message " + std::to_string(i), i % 7});
    messages.batch_save(all);

    std::cout << "sort-key conditions and filters:\n";
    // Iteration is lazy: pages are fetched as the loop needs them.
    std::size_t n = 0;
    for (const Message& m : messages.query("general").between(minute(10), minute(19)))
        n += m.sent_at >= minute(10) && m.sent_at <= minute(19);
    check(n == 10, "between(10:10, 10:19) reads 10 messages");
    check(messages.query("general").begins_with("2024-05-01T10:2").all().size() == 10,
          "begins_with(\"2024-05-01T10:2\") reads 10:20 to 10:29");
    // A filter runs after DynamoDB reads the partition: it saves bandwidth, not read capacity.
    const auto popular = messages.query("general").filter(dy::field(&Message::likes) >= 5).all();
    check(popular.size() == 8, "filter likes >= 5 keeps 8 messages");
    // `dy::field(&Message::likes) >= "5"` would not compile: likes is an int.

    std::cout << "a global secondary index, and newest first:\n";
    check(messages.query_index<"ByAuthor">("ann").all().size() == 10, "ann wrote 10 messages (index ByAuthor)");
    const std::optional<Message> newest = messages.query("general").reverse().first();
    check(newest && newest->sent_at == minute(29), "reverse().first() is the newest message");

    std::cout << "pagination with cursors, 7 messages a page:\n";
    // A web API returns `page.next_cursor` to its client and gets it back with the next request;
    // the cursor is an opaque string (sign it with ClientOptions::cursor_secret to stop tampering).
    std::optional<std::string> cursor;
    std::set<std::string> seen;
    int pages = 0;
    do {
        dy::PageResult<Message> page = messages.query("general").limit(7).page(cursor);
        ++pages;
        for (const Message& m : page.items) seen.insert(m.sent_at);
        std::cout << "  page " << pages << ": " << page.items.size() << " messages"
                  << (page.next_cursor ? ", more to come\n" : ", the last\n");
        cursor = page.next_cursor;
    } while (cursor && pages < 10);
    check(pages == 5 && seen.size() == 30, "5 pages (7+7+7+7+2) cover all 30 messages once");

    std::cout << "limit versus page_size, and DynamoDB's counts:\n";
    // limit(n): at most n items in all. page_size(n): DynamoDB's Limit, items evaluated per
    // request, so a filtered query may need many small requests to fill its result.
    const auto counted = messages.query("general").page_size(10).filter(dy::field(&Message::likes) >= 5).all_with_counts();
    check(counted.items.size() == 8 && counted.count == 8, "Count: 8 messages matched the filter");
    check(counted.scanned_count == 30, "ScannedCount: DynamoDB read all 30 to find them");
    check(counted.pages == 3 || counted.pages == 4, "page_size(10): three or four requests");
    check(messages.query("general").limit(3).all().size() == 3, "limit(3) returns 3 messages");
    check(messages.query("general").count() == 30, "count() asks DynamoDB for the number only (Select COUNT)");

    messages.delete_table();
    return 0;
} catch (const dy::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
