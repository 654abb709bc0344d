// Pages decoded straight from their text (codec/sax_page.hpp) against the DOM path: the same
// items, the same captured members, and for anything the pass does not take, a fallback to the
// DOM whose errors are exactly those of before.
#include <dynantic/codec/sax_page.hpp>
#include <dynantic/query.hpp>
#include <dynantic/table.hpp>

#include "support/animals.hpp"
#include "support/corrupt.hpp"
#include "support/mock_transport.hpp"

#include <dynantic/codec/limits.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;
using ::testing::_;
using ::testing::Invoke;

namespace saxtest {
struct Geo {
    double lat = 0;
    double lon = 0;
    bool operator==(const Geo&) const = default;
};
BOOST_DESCRIBE_STRUCT(Geo, (), (lat, lon))
struct Doc {
    std::string pk;
    std::int64_t sk = 0;
    std::string text;
    std::optional<std::string> note;
    std::uint64_t big = 0;
    double ratio = 0;
    bool flag = false;
    dy::Bytes blob;
    std::vector<std::int64_t> nums;
    std::vector<std::vector<std::string>> grid;
    std::map<std::string, Geo> places;
    std::set<std::string> tags;
    std::set<std::int64_t> ids;
    std::optional<Geo> where;
    int fallback = 7;   // absent from most items: keeps its default
    bool operator==(const Doc&) const = default;
};
BOOST_DESCRIBE_STRUCT(Doc, (), (pk, sk, text, note, big, ratio, flag, blob, nums, grid, places, tags, ids, where, fallback))
constexpr auto dynantic_schema(const Doc*) { return dy::table("docs").partition_key(&Doc::pk).sort_key(&Doc::sk); }
}  // namespace saxtest

using saxtest::Doc;
using namespace dy::test::zoo;

namespace {

/** Records what the pass hands over: each item as an object, filtered to `names`. */
class RecordingSink final : public dy::detail::ItemSink {
public:
    explicit RecordingSink(std::vector<std::string> names, std::size_t fail_at = SIZE_MAX)
        : names_(std::move(names)), fail_at_(fail_at) {}
    bool reads(std::string_view a) const noexcept override {
        return std::find(names_.begin(), names_.end(), a) != names_.end();
    }
    void decode(const json::object& item) override {
        if (items.size() == fail_at_) throw std::runtime_error("refused");
        items.emplace_back(item, json::storage_ptr());   // a copy out of the pass's arena
    }
    void clear() noexcept override { items.clear(); }
    std::vector<json::object> items;

private:
    std::vector<std::string> names_;
    std::size_t fail_at_;
};

dy::Client client_of(std::shared_ptr<dy::test::MockTransport> t) { return dy::test::mock_client(std::move(t)); }

constexpr std::array<std::string_view, 4> head_names{"Count", "ScannedCount", "LastEvaluatedKey", "ConsumedCapacity"};

/** The DOM path's view of the same text: nullopt when it is not a page the pass must take. */
struct DomPage {
    json::object head;
    std::vector<json::object> items;
    bool has_items = false;
};
std::optional<DomPage> dom_page(std::string_view text, const std::vector<std::string>& names) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec, {}, dy::detail::response_parse_options());
    if (ec || !v.is_object()) return std::nullopt;
    DomPage out;
    for (const auto& [k, val] : v.get_object()) {
        if (std::find(head_names.begin(), head_names.end(), std::string_view(k)) != head_names.end()) out.head[k] = val;
    }
    if (const auto* items = v.get_object().if_contains("Items")) {
        if (!items->is_array()) return std::nullopt;
        out.has_items = true;
        for (const auto& item : items->get_array()) {
            if (!item.is_object()) return std::nullopt;
            json::object filtered;
            for (const auto& [k, val] : item.get_object())
                if (std::find(names.begin(), names.end(), std::string_view(k)) != names.end()) filtered[k] = val;
            out.items.push_back(std::move(filtered));
        }
    }
    return out;
}

const std::vector<std::string> doc_names{"pk", "sk", "text", "note", "big", "ratio", "flag", "blob", "nums",
                                         "grid", "places", "tags", "ids", "where", "fallback"};

/** Runs the pass and the DOM on `text`; both must agree (the pass may decline only what the DOM
    cannot read as a page, or a text with a repeated "Items"). Returns whether the pass took it. */
bool agree(std::string_view text, const std::vector<std::string>& names = doc_names) {
    RecordingSink sink(names);
    dy::detail::PageText page;
    const bool took = dy::detail::decode_page_text(text, "Items", head_names, sink, {}, page);
    const auto dom = dom_page(text, names);
    if (!took) {
        if (dom) {
            // Declining a well-formed page is allowed only for a repeated item array.
            const std::string s(text);
            EXPECT_NE(s.find("\"Items\""), s.rfind("\"Items\"")) << text;
        }
        return false;
    }
    EXPECT_TRUE(dom.has_value()) << "the pass took what the DOM refuses: " << text;
    if (!dom) return true;
    EXPECT_EQ(page.has_items, dom->has_items) << text;
    EXPECT_EQ(page.items, dom->items.size()) << text;
    EXPECT_EQ(page.head, dom->head) << text;
    EXPECT_EQ(sink.items.size(), dom->items.size()) << text;
    for (std::size_t i = 0; i < std::min(sink.items.size(), dom->items.size()); ++i)
        EXPECT_EQ(sink.items[i], dom->items[i]) << "item " << i << " of " << text;
    return true;
}

std::string full_item(int i) {
    return R"({"pk":{"S":"user#)" + std::to_string(i) + R"("},"sk":{"N":")" + std::to_string(i) +
           R"("},"text":{"S":"a \"quoted\" \\ back\/slash\n\t\u00e9\u20ac\ud83d\ude00 caf)" "\xc3\xa9" R"( \u0000 end"},)"
           R"("note":{"NULL":true},"big":{"N":"18446744073709551615"},"ratio":{"N":"-1.5e-3"},"flag":{"BOOL":false},)"
           R"("blob":{"B":"AAEC/w=="},"nums":{"L":[{"N":"-9223372036854775808"},{"N":"0"},{"N":"42"}]},)"
           R"("grid":{"L":[{"L":[{"S":"a"},{"S":""}]},{"L":[]}]},)"
           R"("places":{"M":{"h\u00f6me":{"M":{"lat":{"N":"40.7128"},"lon":{"N":"-74.0060"}}},"":{"M":{}}}},)"
           R"("tags":{"SS":["x","y","z"]},"ids":{"NS":["3","1","2"]},"unknown":{"M":{"deep":{"L":[{"S":"skipped"},1,true,null]}}},)"
           R"("where":{"M":{"lat":{"N":"1"},"lon":{"N":"2.5"}}},"other":{"S":"ignored"}})";
}

std::string full_page(int n, bool more = true) {
    std::string s = R"({"ConsumedCapacity":{"TableName":"docs","CapacityUnits":2.5},"Items":[)";
    for (int i = 0; i < n; ++i) s += (i ? "," : "") + full_item(i);
    s += R"(],"Count":)" + std::to_string(n) + R"(,"ScannedCount":)" + std::to_string(n + 3);
    if (more) s += R"(,"LastEvaluatedKey":{"pk":{"S":"user#9"},"sk":{"N":"9"}})";
    s += "}";
    return s;
}

}  // namespace

TEST(SaxPage, SameItemsAndMembersAsTheDom) {
    EXPECT_TRUE(agree(full_page(0)));
    EXPECT_TRUE(agree(full_page(1)));
    EXPECT_TRUE(agree(full_page(25, false)));
    EXPECT_TRUE(agree(R"({"Count":0,"ScannedCount":0})"));   // no Items at all
    EXPECT_TRUE(agree(R"({})"));
    EXPECT_TRUE(agree(R"( {"Items":[{}],"Count":1} )"));   // whitespace around, an empty item
    // Scalars where AttributeValues belong, and odd head members, are built as the DOM has them.
    EXPECT_TRUE(agree(R"({"Items":[{"pk":"bare","sk":12,"text":null,"flag":true,"nums":[1,2.5,-3]}],"Count":"1",)"
                      R"("ScannedCount":-1,"LastEvaluatedKey":[],"ConsumedCapacity":null,"Extra":{"Items":[1]}})"));
    // Numbers of every JSON kind in the head.
    EXPECT_TRUE(agree(R"({"Count":18446744073709551615,"ScannedCount":1e300,"ConsumedCapacity":{"CapacityUnits":-0.0}})"));
}

TEST(SaxPage, UnknownAttributesAreNotBuilt) {
    // Only "pk" is read: the item handed over holds nothing else.
    RecordingSink sink({"pk"});
    dy::detail::PageText page;
    ASSERT_TRUE(dy::detail::decode_page_text(full_page(2), "Items", head_names, sink, {}, page));
    ASSERT_EQ(sink.items.size(), 2u);
    EXPECT_EQ(sink.items[1], json::parse(R"({"pk":{"S":"user#1"}})"));
    EXPECT_EQ(page.head.at("Count"), 2);
    EXPECT_EQ(page.head.at("LastEvaluatedKey"), json::parse(R"({"pk":{"S":"user#9"},"sk":{"N":"9"}})"));
}

TEST(SaxPage, DuplicateKeysResolveAsInTheDom) {
    EXPECT_TRUE(agree(R"({"Items":[{"pk":{"S":"a"},"pk":{"S":"b"},"text":{"S":"1"},"x":1,"text":{"N":"2"}}],"Count":1,"Count":2})"));
    EXPECT_TRUE(agree(R"({"Items":[{"pk":{"S":"a","S":"b"}}],"LastEvaluatedKey":{"pk":{"S":"1"}},"LastEvaluatedKey":{"pk":{"S":"2"}}})"));
    // A repeated item array is declined (the DOM path then reads it).
    EXPECT_FALSE(agree(R"({"Items":[{"pk":{"S":"a"}}],"Items":[]})"));
}

TEST(SaxPage, EscapedAndLongKeysAndStrings) {
    const std::string long_text(100000, 'x');
    const std::string long_key = "k" + std::string(5000, 'y');
    EXPECT_TRUE(agree(R"({"Items":[{"p\u006b":{"S":")" + long_text + R"("},")" + long_key + R"(":{"S":"skipped"},"te\u0078t":{"S":"\u00e9"}}],"C\u006funt":1})"));
    EXPECT_TRUE(agree(R"({"Items":[{")" + long_key + R"(":{"S":"read"}}]})", {long_key}));
}

TEST(SaxPage, ManyItemsLargerThanTheItemArena) {
    // Each item overflows the first block of the item arena (16 KiB): the arena restarts per item,
    // so the page is taken however many there are.
    std::string text = R"({"Items":[)";
    for (int i = 0; i < 80; ++i)
        text += (i ? "," : "") + std::string(R"({"pk":{"S":")") + std::to_string(i) + R"("},"text":{"S":")" +
                std::string(40000, 'a') + R"("}})";
    text += R"(],"Count":80})";
    EXPECT_TRUE(agree(text));
}

TEST(SaxPage, DeclinesWhatIsNotAPage) {
    for (const char* text : {"", "[]", "1", "\"x\"", "null", R"({"Items":{}})", R"({"Items":"x"})", R"({"Items":[1]})",
                             R"({"Items":[[]]})", R"({"Items":[null]})", R"({"Items":[{}]} x)", R"({"Items":[{}]}{})",
                             R"({"Items":[{"pk":{"S":"a"}},]})",
                             "{\"Items\":[{\"pk\":{\"S\":\"\xff\"}}]}"})
        EXPECT_FALSE(agree(text)) << text;
}

TEST(SaxPage, EveryTruncationIsDeclined) {
    const std::string text = full_page(2);
    for (std::size_t n = 0; n < text.size(); ++n) {
        // A prefix that happens to be a whole document (none here but "{}"-like ones) must agree too.
        const bool took = agree(std::string_view(text).substr(0, n));
        EXPECT_FALSE(took) << "prefix of " << n << " bytes taken";
    }
    EXPECT_TRUE(agree(text));
}

TEST(SaxPage, RandomCorruptionsAgreeWithTheDom) {
    const std::string text = full_page(3);
    std::mt19937 rng(19);
    const std::string alphabet = "{}[]:,\"\\ 0-.eEtrufalsn\x01\xc3\xa9Items";
    int taken = 0;
    for (int round = 0; round < 3000; ++round) {
        const std::string s = dy::test::corrupted(text, rng, alphabet, 3);
        taken += agree(s) ? 1 : 0;
    }
    EXPECT_GT(taken, 0);   // some corruptions stay valid JSON (inside strings): those must agree too
}

TEST(SaxPage, NestingAtAndBeyondTheLimit) {
    const std::size_t max = dy::detail::response_parse_options().max_depth;
    const auto nested = [](std::size_t depth) {   // an attribute value `depth` levels deep inside the page
        std::string open, close;
        for (std::size_t i = 0; i < depth; ++i) {
            open += R"({"L":[)";
            close += "]}";
        }
        return R"({"Items":[{"nums":)" + open + R"({"N":"1"})" + close + "}]}";
    };
    // The page, the array and the item take 3 levels, each {"L":[ two more: around the limit,
    // the pass takes exactly what the DOM takes (agree checks it), and both stop beyond it.
    const std::size_t fits = (max - 4) / 2;
    int taken = 0;
    for (std::size_t d = fits - 3; d <= fits + 3; ++d) taken += agree(nested(d)) ? 1 : 0;
    EXPECT_GT(taken, 0);
    EXPECT_LT(taken, 7);
    EXPECT_FALSE(agree(nested(fits + 3)));
    // Skipped values count against the limit too.
    std::string deep_unknown = R"({"Items":[{"zzz":)" + std::string(max, '[') + std::string(max, ']') + "}]}";
    EXPECT_FALSE(agree(deep_unknown));
}

TEST(SaxPage, AnItemTheSinkRefusesStopsThePass) {
    RecordingSink sink(doc_names, 1);
    dy::detail::PageText page;
    EXPECT_FALSE(dy::detail::decode_page_text(full_page(3), "Items", head_names, sink, {}, page));
}

TEST(SaxPage, ThePagerDecodesThroughTheSinkAndFallsBackToTheDom) {
    auto t = std::make_shared<dy::test::MockTransport>();
    std::string text = full_page(30);
    EXPECT_CALL(*t, send(_, _)).WillRepeatedly(Invoke([&](auto&&, auto&&) { return dy::test::ok_response(text); }));
    dy::detail::ReadSpec spec;
    spec.request.operation = dy::Operation::Scan;
    spec.table = "docs";
    spec.key_attributes = {{"pk", dy::AttributeType::S}, {"sk", dy::AttributeType::N}};
    spec.context = dy::ErrorInfo{"Scan", "docs", {}, {}, 0, {}};
    RecordingSink sink(doc_names);
    {
        dy::detail::Pager pager(client_of(t), spec, std::nullopt, &sink);
        ASSERT_TRUE(pager.fetch_page());
        EXPECT_TRUE(pager.typed());
        EXPECT_EQ(pager.page_item_count(), 30u);
        EXPECT_EQ(sink.items.size(), 30u);
        EXPECT_EQ(pager.scanned_count(), 33u);
        EXPECT_DOUBLE_EQ(pager.consumed_capacity(), 2.5);
        ASSERT_TRUE(pager.advance());
        ASSERT_TRUE(pager.advance());
        EXPECT_EQ(pager.raw_item(), nullptr);
        EXPECT_EQ(pager.item_index(), 1u);
        EXPECT_EQ(*pager.resume_key(), json::parse(R"({"pk":{"S":"user#1"},"sk":{"N":"1"}})"));
    }
    // An item without its sort key: the pass declines, the page is read as a DOM.
    text = R"({"Items":[{"pk":{"S":"a"},"sk":{"N":"1"}},{"pk":{"S":"b"}}],"Count":2})";
    dy::detail::Pager pager(client_of(t), spec, std::nullopt, &sink);
    ASSERT_TRUE(pager.fetch_page());
    EXPECT_FALSE(pager.typed());
    EXPECT_TRUE(sink.items.empty());
    ASSERT_TRUE(pager.advance());
    ASSERT_NE(pager.raw_item(), nullptr);
    EXPECT_EQ(pager.raw_item()->at("pk"), json::parse(R"({"S":"a"})"));
}

// ---- through Query and Scan: the typed pass against the DOM decode of the same page -------------

namespace {

std::vector<Doc> dom_decode(const std::string& text) {
    std::vector<Doc> out;
    const json::value page = json::parse(text);
    for (const auto& item : page.at("Items").as_array()) out.push_back(dy::from_item<Doc>(item.as_object()));
    return out;
}

/** The message of what `f` throws, with its type checked. */
template <class E, class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    ADD_FAILURE() << "nothing thrown";
    return {};
}
}  // namespace

TEST(SaxPage, QueryDecodesModelsAsTheDomDoes) {
    auto t = std::make_shared<dy::test::MockTransport>();
    const std::string text = full_page(30, false);
    EXPECT_CALL(*t, send(_, _)).WillRepeatedly(Invoke([&](auto&&, auto&&) { return dy::test::ok_response(text); }));
    const dy::Table<Doc> docs(client_of(t));
    const auto expected = dom_decode(text);
    ASSERT_EQ(expected.size(), 30u);
    EXPECT_EQ(expected[0].fallback, 7);
    EXPECT_EQ(expected[0].big, 18446744073709551615ull);
    EXPECT_EQ(docs.query("user#0").all(), expected);
    const auto counted = docs.query("user#0").return_consumed_capacity().all_with_counts();
    EXPECT_EQ(counted.items, expected);
    EXPECT_EQ(counted.count, 30u);
    EXPECT_EQ(counted.scanned_count, 33u);
    EXPECT_DOUBLE_EQ(*counted.consumed_capacity, 2.5);
    const auto page = docs.scan().return_consumed_capacity().page();
    EXPECT_EQ(page.items, expected);
    EXPECT_EQ(page.scanned_count, 33u);
    EXPECT_FALSE(page.next_cursor.has_value());
    std::vector<Doc> iterated;
    for (auto& d : docs.query("user#0")) iterated.push_back(d);
    EXPECT_EQ(iterated, expected);
    EXPECT_EQ(docs.query("user#0").first(), expected[0]);
}

TEST(SaxPage, ResumingInsideATypedPageUsesTheItemsKey) {
    auto t = std::make_shared<dy::test::MockTransport>();
    std::vector<json::object> sent;
    EXPECT_CALL(*t, send(_, _)).WillRepeatedly(Invoke([&](auto&&, const dy::http::HttpRequest& r) {
        sent.push_back(json::parse(r.body).as_object());
        return dy::test::ok_response(full_page(5));
    }));
    const dy::Table<Doc> docs(client_of(t));
    const auto first = docs.scan().limit(3).page_size(5).page();
    ASSERT_EQ(first.items.size(), 3u);
    ASSERT_TRUE(first.next_cursor.has_value());
    (void)docs.scan().limit(3).page_size(5).page(*first.next_cursor);
    ASSERT_EQ(sent.size(), 2u);
    // The third item's key, not the page's LastEvaluatedKey.
    EXPECT_EQ(sent[1].at("ExclusiveStartKey"), json::parse(R"({"pk":{"S":"user#2"},"sk":{"N":"2"}})"));
}

TEST(SaxPage, AMalformedItemFailsWithTheDomPathsMessage) {
    // "sk" holds an S where the model has a number: the same DecodeError as the DOM decode gives.
    std::string text = full_page(3, false);
    text.replace(text.find(R"("sk":{"N":"1"})"), 14, R"("sk":{"S":"1"})");
    auto t = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*t, send(_, _)).WillRepeatedly(Invoke([&](auto&&, auto&&) { return dy::test::ok_response(text); }));
    const dy::Table<Doc> docs(client_of(t));
    const std::string got = message_of<dy::DecodeError>([&] { (void)docs.query("user#0").all(); });
    EXPECT_NE(got.find("sk"), std::string::npos) << got;
    EXPECT_NE(got.find("expected N, found S"), std::string::npos) << got;
    // Lazily, as before: the items before the bad one are handed out first.
    const auto query = docs.query("user#0");
    auto it = query.begin();
    EXPECT_EQ(it->sk, 0);
    EXPECT_THROW(++it, dy::DecodeError);
}

TEST(SaxPage, MalformedPagesFailAsBefore) {
    const auto fails_with = [](std::string text, std::string_view expected) {
        auto t = std::make_shared<dy::test::MockTransport>();
        EXPECT_CALL(*t, send(_, _)).WillRepeatedly(Invoke([&](auto&&, auto&&) { return dy::test::ok_response(text); }));
        const dy::Table<Doc> docs(client_of(t));
        const std::string got = message_of<dy::Error>([&] { (void)docs.query("user#0").all(); });
        EXPECT_NE(got.find(expected), std::string::npos) << got;
    };
    const std::string good = full_page(2, false);
    fails_with(good.substr(0, good.size() - 7), "response body is not a JSON object");
    fails_with(R"({"Items":[{"pk":{"S":"a"},"sk":{"N":"1"}}],"Count":2})", "Count is 2 but Items holds 1 entries");
    fails_with(R"({"Items":{},"Count":0})", "Items is an object, not an array");
    fails_with(R"({"Items":[{"pk":{"S":"a"},"sk":{"N":"1"}},7],"Count":2})", "Items[1] is a number, not an object");
    fails_with(R"({"Count":3})", "Items is missing although Count is 3");
    fails_with(R"({"Items":[],"Count":0,"LastEvaluatedKey":{"pk":{"N":"1"},"sk":{"N":"1"}}})", "LastEvaluatedKey");
    fails_with(R"({"Items":[],"Count":0,"ConsumedCapacity":{"CapacityUnits":"x"}})", "ConsumedCapacity.CapacityUnits is a string");
    fails_with(R"({"Items":[{"sk":{"N":"1"}}],"Count":1})", "'pk'");   // a key attribute is missing
}

TEST(SaxPage, PolymorphicItemsWithTheDiscriminatorAnywhere) {
    const std::string text = R"({"Items":[{"name":{"S":"Rex"},"good":{"BOOL":false},"id":{"S":"d1"},"kind":{"S":"DOG"}},)"
                             R"({"kind":{"S":"CAT"},"lives":{"N":"3"},"id":{"S":"c1"},"name":{"S":"Tom"},"junk":{"L":[]}},)"
                             R"({"id":{"S":"a1"},"name":{"S":"Generic"},"kind":{"S":"ANIMAL"}}],"Count":3})";
    auto t = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*t, send(_, _)).WillRepeatedly(Invoke([&](auto&&, auto&&) { return dy::test::ok_response(text); }));
    const dy::Table<Animal> animals(client_of(t));
    const auto all = animals.scan().all();
    ASSERT_EQ(all.size(), 3u);
    ASSERT_TRUE(std::holds_alternative<Dog>(all[0]));
    EXPECT_EQ(std::get<Dog>(all[0]).name, "Rex");
    EXPECT_FALSE(std::get<Dog>(all[0]).good);
    ASSERT_TRUE(std::holds_alternative<Cat>(all[1]));
    EXPECT_EQ(std::get<Cat>(all[1]).lives, 3);
    ASSERT_TRUE(std::holds_alternative<Animal>(all[2]));
    // A subtype's table: an item of another subtype is an error, as the DOM decode makes it.
    const dy::Table<Dog> dogs(client_of(t));
    const std::string got = message_of<dy::DecodeError>([&] { (void)dogs.scan().all(); });
    EXPECT_NE(got.find("kind"), std::string::npos) << got;
    // An unknown discriminator names the values known.
    const std::string unknown = R"({"Items":[{"id":{"S":"x"},"kind":{"S":"FISH"}}],"Count":1})";
    auto t2 = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*t2, send(_, _)).WillRepeatedly(Invoke([&](auto&&, auto&&) { return dy::test::ok_response(unknown); }));
    const std::string got2 = message_of<dy::DecodeError>([&] { (void)dy::Table<Animal>(client_of(t2)).scan().all(); });
    EXPECT_NE(got2.find("unknown entity type"), std::string::npos) << got2;
    EXPECT_NE(got2.find("DOG"), std::string::npos) << got2;
}
