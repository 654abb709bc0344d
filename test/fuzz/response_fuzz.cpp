// Response fuzz target: `Client::call` and the decoding of GetItem, Query, Scan, BatchGetItem,
// BatchWriteItem and TransactGetItems responses, over a transport that answers every request with
// the input as a 200 body (with a correct x-amz-crc32, or none).
//
// Input: one selector byte, then the body. The selector picks the operation by its letter, case
// aside: g GetItem, q Query, s Scan, b BatchGetItem, w BatchWriteItem, t TransactGetItems (any
// other byte: its value modulo 6). An upper-case letter (or any byte with bit 0x20 clear) sends a
// correct x-amz-crc32 header, a lower-case one none.
//
// Every failure must be a dynantic::Error; anything else aborts (a finding). Whatever a get or a
// query returns (read from the text by the typed readers, detail/typed_reader.hpp) must also be
// what the DOM path makes of the same body; a difference aborts too. Built as a libFuzzer
// target by scripts/fuzz.sh (DYNANTIC_BUILD_FUZZERS), and replayed over test/fuzz/corpus by the
// CTest test fuzz.response_corpus (replay_main.cpp).

#include <dynantic/batch.hpp>
#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include <dynantic/codec/limits.hpp>

#include <boost/crc.hpp>
#include <boost/describe.hpp>
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace dy = dynantic;

namespace fuzzmodel {
struct Thing {
    std::string pk;
    std::int64_t sk = 0;
    std::string kind;
    std::optional<double> score;
    std::vector<std::string> tags;
    std::map<std::string, int> counts;
    std::set<std::string> labels;
    bool flag = false;
    dy::Bytes data;
    std::optional<dy::Timestamp> at;
    bool operator==(const Thing&) const = default;
};
BOOST_DESCRIBE_STRUCT(Thing, (), (pk, sk, kind, score, tags, counts, labels, flag, data, at))
constexpr auto dynantic_schema(const Thing*) {
    return dy::table("things").partition_key(&Thing::pk).sort_key(&Thing::sk).global_index("ByKind", &Thing::kind,
                                                                                             &Thing::sk);
}
}  // namespace fuzzmodel

using fuzzmodel::Thing;

namespace {

/** Answers every request with the current input. */
class FixtureTransport final : public dy::http::Transport {
public:
    dy::http::HttpResponse send(const dy::http::Endpoint&, const dy::http::HttpRequest&) override {
        ++requests;
        if (requests > 64) std::abort();   // a read that does not end: a finding
        dy::http::HttpResponse r;
        r.status = 200;
        r.body = body;
        if (with_crc) {
            boost::crc_32_type crc;
            crc.process_bytes(body.data(), body.size());
            r.headers.emplace_back("x-amz-crc32", std::to_string(crc.checksum()));
        }
        return r;
    }
    std::string body;
    bool with_crc = true;
    std::size_t requests = 0;
};

struct Fixture {
    std::shared_ptr<FixtureTransport> transport = std::make_shared<FixtureTransport>();
    dy::Client client;
    dy::Table<Thing> table;

    static dy::ClientOptions options(std::shared_ptr<FixtureTransport> t, std::string secret) {
        dy::ClientOptions o;
        o.transport = std::move(t);
        o.region = "us-east-1";
        o.endpoint = "http://127.0.0.1:1";
        o.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
            dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}});
        o.retry.max_attempts = 1;
        o.cursor_secret = std::move(secret);
        return o;
    }
    Fixture() : client(options(transport, "")), table(client) {}
};

/** The items the DOM path reads from `body` (the object `Item`, or the array `Items`), one by one
    as before the typed readers; aborts when it refuses what the typed path took, or reads it
    otherwise. */
void expect_dom_agrees(const std::string& body, bool single, const std::vector<Thing>& typed) {
    std::vector<Thing> dom;
    try {
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse(body, ec, {}, dy::detail::response_parse_options());
        if (ec || !v.is_object()) throw std::runtime_error("not a JSON object");
        const auto& response = v.get_object();
        if (single) {
            if (const auto* item = response.if_contains("Item"))
                dom.push_back(dy::detail::Entity<Thing>::decode(item->as_object(), {}));
        } else if (const auto* items = response.if_contains("Items")) {
            for (const auto& item : items->as_array()) dom.push_back(dy::detail::Entity<Thing>::decode(item.as_object(), {}));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "the typed path read what the DOM path refuses: %s\n", e.what());
        std::abort();
    }
    if (dom != typed) {
        std::fprintf(stderr, "the typed path and the DOM path read different items\n");
        std::abort();
    }
}

constexpr dy::BatchOptions batch_options{.max_attempts = 2, .base_delay = std::chrono::milliseconds(0),
                                         .max_delay = std::chrono::milliseconds(0)};

void run(const dy::Table<Thing>& table, const dy::Client& client, int operation, const std::string& body) {
    switch (operation) {
    case 0: {
        const auto item = table.get("u1", 1);
        expect_dom_agrees(body, true, item ? std::vector<Thing>{*item} : std::vector<Thing>{});
        break;
    }
    case 1: {
        // One page read whole: the body cannot have a LastEvaluatedKey (it would repeat).
        expect_dom_agrees(body, false, table.query("u1").all());
        const auto page = table.query("u1").gt(0).limit(2).page();
        if (page.next_cursor) (void)table.query("u1").gt(0).limit(2).page(page.next_cursor);
        (void)table.query("u1").count();
        (void)table.query_index<"ByKind">("k").reverse().all();
        break;
    }
    case 2: {
        expect_dom_agrees(body, false, table.scan().all());
        const auto page = table.scan().limit(3).page();
        if (page.next_cursor) (void)table.scan().limit(3).page(page.next_cursor);
        (void)table.scan().count();
        break;
    }
    case 3: {
        const std::vector<std::pair<std::string, std::int64_t>> keys{{"u1", 1}, {"u1", 2}, {"u2", 3}};
        (void)table.batch_get(keys, {}, batch_options);
        break;
    }
    case 4: {
        std::vector<Thing> items(3);
        for (std::size_t i = 0; i < items.size(); ++i) {
            items[i].pk = "u1";
            items[i].sk = static_cast<std::int64_t>(i + 1);
            items[i].kind = "k";
        }
        table.batch_save(items, batch_options);
        break;
    }
    default:
        (void)dy::transact_get(client, dy::get<Thing>("u1", 1), dy::get<Thing>("u1", 2));
        break;
    }
}

int operation_of(unsigned char selector) {
    static constexpr char letters[] = "gqsbwt";
    const char lower = static_cast<char>(selector | 0x20);
    for (int i = 0; i < 6; ++i)
        if (letters[i] == lower) return i;
    return selector % 6;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static Fixture fixture;
    fixture.transport->body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    fixture.transport->with_crc = (data[0] & 0x20) == 0;
    fixture.transport->requests = 0;
    try {
        run(fixture.table, fixture.client, operation_of(data[0]), fixture.transport->body);
    } catch (const dy::Error&) {
        // Expected: every malformed response is a dynantic::Error.
    } catch (const std::exception& e) {
        std::fprintf(stderr, "a std:: exception escaped the public API: %s\n", e.what());
        std::abort();
    }
    return 0;
}
