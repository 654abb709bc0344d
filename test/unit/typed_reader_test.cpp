// Items decoded into models straight from the page text (detail/typed_reader.hpp) against the DOM
// path (`Entity<Model>::decode` of the parsed item): whatever the typed pass takes, it decodes to
// exactly the model the DOM path makes; whatever the DOM path refuses, the typed pass declines (so
// the page falls back to the DOM and its error); well-formed items are taken.
#include <dynantic/detail/typed_reader.hpp>
#include <dynantic/query.hpp>
#include <dynantic/table.hpp>

#include "support/corrupt.hpp"
#include "support/mock_transport.hpp"

#include <dynantic/codec/limits.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;

namespace typedtest {
enum class Color { red, green };
BOOST_DESCRIBE_ENUM(Color, red, green)

struct Inner {
    std::string name = "dflt";
    int n = 3;
    std::optional<double> x;
    bool operator==(const Inner&) const = default;
};
BOOST_DESCRIBE_STRUCT(Inner, (), (name, n, x))

/** A user mapping: read whole, through its own traits. */
struct Cents {
    std::int64_t value = 0;
    bool operator==(const Cents&) const = default;
};

struct Wide {
    std::string pk;
    std::int64_t sk = 0;
    std::int8_t small = 0;
    std::uint16_t u16 = 0;
    float f = 0;
    double d = 0;
    bool b = false;
    dy::Decimal dec;
    std::optional<int> oi = 5;
    std::optional<std::string> os = "preset";
    std::vector<Inner> inners;
    std::deque<std::string> dq;
    std::list<int> li;
    std::set<double> sd;
    std::unordered_set<std::int32_t> us;
    std::set<std::string> ss;
    std::map<std::string, std::vector<int>> mv;
    std::unordered_map<std::string, Inner> um;
    Inner inner{"parent", 9, 1.5};   // differs from Inner{}: a read inner starts from Inner{}
    std::optional<Inner> oinner;
    Color color = Color::red;
    dy::Bytes blob;
    std::chrono::sys_seconds when{};
    std::vector<std::optional<std::string>> vos;
    Cents cents;
    std::optional<Cents> ocents;
    std::string renamed;
    std::vector<bool> bits;           // read whole: its elements have no address
    std::deque<bool> flags;
    bool operator==(const Wide&) const = default;
};
BOOST_DESCRIBE_STRUCT(Wide, (), (pk, sk, small, u16, f, d, b, dec, oi, os, inners, dq, li, sd, us, ss, mv, um, inner,
                                 oinner, color, blob, when, vos, cents, ocents, renamed, bits, flags))
constexpr auto dynantic_attribute_names(const Wide*) { return dy::attribute_names(dy::rename(&Wide::renamed, "Re")); }
constexpr auto dynantic_schema(const Wide*) {
    return dy::table("wide").partition_key(&Wide::pk).sort_key(&Wide::sk).required(&Wide::d);
}
}  // namespace typedtest

template <>
struct dynantic::attribute_traits<typedtest::Cents> {
    static constexpr AttributeType type = AttributeType::N;
    static void to_attribute(const typedtest::Cents& v, boost::json::value& out) {
        dynantic::to_attribute(v.value, out);
    }
    static typedtest::Cents from_attribute(const boost::json::value& av) {
        return typedtest::Cents{dynantic::from_attribute<std::int64_t>(av) * 100};
    }
};

using typedtest::Wide;

namespace {

constexpr std::string_view head_names[] = {"Count", "ScannedCount", "LastEvaluatedKey", "ConsumedCapacity"};

/** The typed pass over a page holding `item`: the model, or nullopt when it declines. */
std::optional<Wide> typed(const std::string& item) {
    using E = dy::detail::Entity<Wide>;
    dy::detail::TypedPageSink<Wide> sink(dy::detail::member_bits<Wide>([](const auto& f) { E::for_each_required(f); }));
    dy::detail::PageText page;
    const std::string text = R"({"Items":[)" + item + R"(],"Count":1})";
    if (!dy::detail::decode_page_text(text, "Items", head_names, sink, {}, page)) return std::nullopt;
    EXPECT_EQ(sink.items.size(), 1u);
    if (sink.items.size() != 1) return std::nullopt;
    return std::move(sink.items[0]);
}

/** The DOM path: the model, or the message of its error. */
std::variant<Wide, std::string> dom(const std::string& item) {
    boost::system::error_code ec;
    const json::value v = json::parse(item, ec, {}, dy::detail::response_parse_options());
    if (ec || !v.is_object()) return std::string("not an object");
    try {
        return dy::detail::Entity<Wide>::decode(v.get_object(), dy::ErrorInfo{});
    } catch (const dy::Error& e) {
        return std::string(e.what());
    }
}

/** Both paths on `item`: they must agree. Returns whether the typed pass took it. */
bool agree(const std::string& item) {
    const auto t = typed(item);
    const auto d = dom(item);
    if (t) {
        EXPECT_TRUE(std::holds_alternative<Wide>(d)) << "taken, but the DOM path says: " << std::get<std::string>(d)
                                                     << "\n" << item;
        if (std::holds_alternative<Wide>(d)) {
            EXPECT_TRUE(*t == std::get<Wide>(d)) << item;
        }
    }
    return t.has_value();
}

const std::string full =
    R"({"pk":{"S":"p\"1\u00e9"},"sk":{"N":"1E+2"},"small":{"N":"-128"},"u16":{"N":"65535"},"f":{"N":"0.1"},)"
    R"("d":{"N":"-2.5e-3"},"b":{"BOOL":true},"dec":{"N":"-74.0060"},"oi":{"NULL":true},"os":{"S":""},)"
    R"("inners":{"L":[{"M":{"name":{"S":"a"},"x":{"N":"2"}}},{"M":{}},{"M":{"n":{"N":"100.0"},"zz":{"L":[1,null,{"q":[]}]}}}]},)"
    R"("dq":{"L":[{"S":"x"},{"S":"y"}]},"li":{"L":[]},"sd":{"NS":["1.5","-0","1e3"]},"us":{"NS":["7","-7"]},)"
    R"("ss":{"SS":["b","a","b"]},"mv":{"M":{"k":{"L":[{"N":"1"}]},"":{"L":[]}}},)"
    R"("um":{"M":{"u":{"M":{"name":{"S":"n"}}}}},"inner":{"M":{"n":{"N":"4"}}},"oinner":{"M":{"x":{"NULL":true}}},)"
    R"("color":{"S":"green"},"blob":{"B":"AAEC/w=="},"when":{"S":"2024-05-01T12:34:56Z"},)"
    R"("vos":{"L":[{"NULL":true},{"S":"v"}]},"cents":{"N":"12"},"ocents":{"N":"3"},"Re":{"S":"renamed"},)"
    R"("bits":{"L":[{"BOOL":true},{"BOOL":false}]},"flags":{"L":[{"BOOL":false}]},)"
    R"("unknown":{"M":{"deep":{"L":[{"S":"skipped"}]}}},"renamed":{"S":"not this one"}})";

}  // namespace

TEST(TypedReader, DecodesEveryKindAsTheDomDoes) {
    ASSERT_TRUE(std::holds_alternative<Wide>(dom(full))) << std::get<std::string>(dom(full));
    ASSERT_TRUE(agree(full));
    const Wide w = *typed(full);
    EXPECT_EQ(w.pk, "p\"1\u00e9");
    EXPECT_EQ(w.sk, 100);
    EXPECT_EQ(w.inner, (typedtest::Inner{"dflt", 4, std::nullopt}));   // from Inner{}, not the parent's initializer
    EXPECT_EQ(w.oi, std::nullopt);
    EXPECT_EQ(w.inners.size(), 3u);
    EXPECT_EQ(w.ss, (std::set<std::string>{"a", "b"}));
    EXPECT_EQ(w.cents.value, 1200);
    EXPECT_EQ(w.renamed, "renamed");
    EXPECT_EQ(w.color, typedtest::Color::green);
    EXPECT_EQ(w.bits, (std::vector<bool>{true, false}));
    EXPECT_EQ(w.flags, (std::deque<bool>{false}));
}

TEST(TypedReader, MissingAttributesKeepTheirDefaults) {
    EXPECT_TRUE(agree(R"({"pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"1"}})"));
    const Wide w = *typed(R"({"pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"1"}})");
    EXPECT_EQ(w.os, "preset");
    EXPECT_EQ(w.oi, 5);
    EXPECT_EQ(w.inner, (typedtest::Inner{"parent", 9, 1.5}));
}

TEST(TypedReader, DeclinesWhatTheDomPathRefuses) {
    const std::string keys = R"("pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"1"})";
    for (const std::string& bad : {
             std::string(R"({"pk":{"S":"p"},"sk":{"N":"1"}})"),               // a required member missing
             std::string(R"({"sk":{"N":"1"},"d":{"N":"1"}})"),                // the partition key missing
             "{" + keys + R"(,"small":{"N":"128"}})",                         // out of range
             "{" + keys + R"(,"small":{"N":"1.5"}})",                         // a fraction
             "{" + keys + R"(,"b":{"S":"true"}})",                            // a wrong type
             "{" + keys + R"(,"b":{"BOOL":"true"}})",                         // a malformed BOOL
             "{" + keys + R"(,"dec":{"N":"x"}})",                             // not a number
             "{" + keys + R"(,"os":{"S":"a","N":"1"}})",                      // two type keys
             "{" + keys + R"(,"os":{}})",                                     // none
             "{" + keys + R"(,"os":{"X":"a"}})",                              // an unknown type
             "{" + keys + R"(,"os":"bare"})",                                 // not an AttributeValue
             "{" + keys + R"(,"inners":{"L":[{"S":"a"}]}})",                  // an element of the wrong type
             "{" + keys + R"(,"inners":{"L":{"M":{}}}})",                     // L not an array
             "{" + keys + R"(,"ss":{"SS":["a",1]}})",                         // a set element not a string
             "{" + keys + R"(,"ss":{"NS":["1"]}})",                           // the wrong set type
             "{" + keys + R"(,"us":{"NS":["2147483648"]}})",                  // out of range in a set
             "{" + keys + R"(,"mv":{"M":{"k":{"S":"x"}}}})",                  // a map value of the wrong type
             "{" + keys + R"(,"color":{"S":"blue"}})",                        // not an enumerator (read whole)
             "{" + keys + R"(,"when":{"S":"yesterday"}})",                    // not a time (read whole)
             "{" + keys + R"(,"cents":{"S":"1"}})",                           // a user mapping refuses it
             "{" + keys + R"(,"vos":{"L":[{"N":"1"}]}})",
             "{" + keys + R"(,"inner":{"M":{"n":{"N":"1"},"n":{"N":"2"}}}})",  // a repeated member
             "{" + keys + R"(,"mv":{"M":{"k":{"L":[]},"k":{"L":[]}}}})",     // a repeated map key
             "{" + keys + R"(,"d":{"N":"2"}})",                               // a repeated attribute
         }) {
        EXPECT_FALSE(typed(bad).has_value()) << bad;
        agree(bad);
    }
}

TEST(TypedReader, NullableMembersReadNull) {
    const std::string keys = R"("pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"1"})";
    for (const std::string& item : {"{" + keys + R"(,"os":{"NULL":true},"ss":{"NULL":true},"oinner":{"NULL":true}})",
                                    "{" + keys + R"(,"ocents":{"NULL":true},"sd":{"NULL":true}})"})
        EXPECT_TRUE(agree(item)) << item;
}

TEST(TypedReader, RandomCorruptionsAgreeWithTheDom) {
    std::mt19937 rng(7);
    const std::string alphabet = "{}[]:,\"\\ 0-.eENSLMBOULtrufalsn1";
    int taken = 0;
    for (int round = 0; round < 4000; ++round) {
        const std::string s = dy::test::corrupted(full, rng, alphabet, 2);
        taken += agree(s) ? 1 : 0;
    }
    EXPECT_GT(taken, 100);   // many corruptions stay readable (inside strings, numbers): those must agree
}

TEST(TypedReader, QueriesOfAPlainModelReadThePageFromItsText) {
    auto t = std::make_shared<dy::test::MockTransport>();
    const std::string page = R"({"Items":[)" + full + "," + full + R"(],"Count":2,"ScannedCount":2})";
    EXPECT_CALL(*t, send(::testing::_, ::testing::_)).WillRepeatedly(::testing::Invoke([&](auto&&, auto&&) {
        return dy::test::ok_response(page);
    }));
    const dy::Table<Wide> table(dy::test::mock_client(t));
    const auto all = table.query("p").all();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_TRUE(all[1] == std::get<Wide>(dom(full)));
    // A malformed item fails with the DOM path's message.
    const std::string bad = R"({"Items":[{"pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"1"},"small":{"N":"999"}}],"Count":1})";
    EXPECT_CALL(*t, send(::testing::_, ::testing::_)).WillRepeatedly(::testing::Invoke([&](auto&&, auto&&) {
        return dy::test::ok_response(bad);
    }));
    try {
        (void)table.query("p").all();
        ADD_FAILURE() << "no error";
    } catch (const dy::DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find("small"), std::string::npos) << e.what();
    }
}

namespace {
/** What `get` returns for a GetItem response `body`, or the message of what it throws. */
std::variant<std::optional<Wide>, std::string> get_with(const std::string& body, dy::ConsumedCapacity* capacity = nullptr) {
    auto t = std::make_shared<dy::test::MockTransport>();
    EXPECT_CALL(*t, send(::testing::_, ::testing::_)).WillRepeatedly(::testing::Invoke([&](auto&&, auto&&) {
        return dy::test::ok_response(body);
    }));
    const dy::Table<Wide> table(dy::test::mock_client(t));
    try {
        return table.get("p", 1, dy::GetOptions{.consumed_capacity = capacity});
    } catch (const dy::Error& e) {
        return std::string(e.what());
    }
}
}  // namespace

TEST(TypedReader, GetItemDecodesTheItemFromTheTextAsTheDomDoes) {
    const auto got = get_with(R"({"Item":)" + full + R"(,"ConsumedCapacity":{"TableName":"wide","CapacityUnits":0.5}})");
    ASSERT_TRUE(std::holds_alternative<std::optional<Wide>>(got)) << std::get<std::string>(got);
    ASSERT_TRUE(std::get<std::optional<Wide>>(got).has_value());
    EXPECT_TRUE(*std::get<std::optional<Wide>>(got) == std::get<Wide>(dom(full)));

    dy::ConsumedCapacity capacity;
    const auto none = get_with(R"({"ConsumedCapacity":{"TableName":"wide","CapacityUnits":0.5}})", &capacity);
    ASSERT_TRUE(std::holds_alternative<std::optional<Wide>>(none));
    EXPECT_FALSE(std::get<std::optional<Wide>>(none).has_value());
    EXPECT_DOUBLE_EQ(capacity.capacity_units, 0.5);
    (void)get_with(R"({"Item":)" + full + R"(,"ConsumedCapacity":{"TableName":"wide","CapacityUnits":1}})", &capacity);
    EXPECT_DOUBLE_EQ(capacity.capacity_units, 1.5);
    EXPECT_FALSE(std::get<std::optional<Wide>>(get_with("{}")).has_value());
}

TEST(TypedReader, GetItemFallsBackToTheDomWithItsErrors) {
    // Each of these is declined by the typed pass; `get` then says what it always said.
    const auto message = [](const std::string& body) {
        const auto got = get_with(body);
        return std::holds_alternative<std::string>(got) ? std::get<std::string>(got) : std::string("no error");
    };
    EXPECT_NE(message(R"({"Item":[]})").find("Item is an array, not an object"), std::string::npos) << message(R"({"Item":[]})");
    EXPECT_NE(message(R"({"Item":"x"})").find("not an object"), std::string::npos);
    EXPECT_NE(message(R"({"Item":{"pk":{"S":"p"},"sk":{"N":"1"}}})").find("'d'"), std::string::npos)
        << message(R"({"Item":{"pk":{"S":"p"},"sk":{"N":"1"}}})");
    EXPECT_NE(message(R"({"Item":{"pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"1"},"small":{"N":"300"}}})").find("small"),
              std::string::npos);
    EXPECT_NE(message("not json").find("not a JSON object"), std::string::npos) << message("not json");
    // A repeated Item: the DOM keeps one of them, as before.
    const auto twice = get_with(R"({"Item":{"pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"1"}},"Item":)" + full + "}");
    ASSERT_TRUE(std::holds_alternative<std::optional<Wide>>(twice));
    const auto dom_twice = json::parse(R"({"Item":{"pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"1"}},"Item":)" + full + "}");
    EXPECT_TRUE(*std::get<std::optional<Wide>>(twice) ==
                dy::detail::Entity<Wide>::decode(dom_twice.at("Item").as_object(), dy::ErrorInfo{}));
}

TEST(TypedReader, APageReadFromTheTextDecodesAsItsDom) {
    const dy::Table<Wide> table(dy::test::mock_client(std::make_shared<dy::test::MockTransport>()));
    const auto op = table.query("p").operation();
    const auto both = [&](const std::string& body) {
        // The typed reading (as the asynchronous reader does) and the DOM's: the same page, or
        // the same message.
        const auto typed = [&]() -> std::variant<dy::op::Page<Wide>, std::string> {
            dy::detail::TypedPageSink<Wide> sink(dy::detail::required_members<Wide>());
            dy::detail::ResponseText text;
            if (!dy::detail::read_page_text(body, sink, {}, text)) return std::string("not an object");
            try {
                return decltype(op)::decode(text, sink.items, "wide", op.request());
            } catch (const dy::Error& e) {
                return std::string(e.what());
            }
        }();
        const auto dom = [&]() -> std::variant<dy::op::Page<Wide>, std::string> {
            try {
                return op.decode(json::parse(body).as_object(), "wide");
            } catch (const dy::Error& e) {
                return std::string(e.what());
            }
        }();
        ASSERT_EQ(typed.index(), dom.index()) << body;
        if (typed.index() == 1) {
            EXPECT_EQ(std::get<1>(typed), std::get<1>(dom));
            return;
        }
        const auto& t = std::get<0>(typed);
        const auto& d = std::get<0>(dom);
        EXPECT_TRUE(t.items == d.items) << body;
        EXPECT_EQ(t.count, d.count);
        EXPECT_EQ(t.scanned_count, d.scanned_count);
        EXPECT_EQ(t.last_evaluated_key, d.last_evaluated_key);
    };
    both(R"({"Items":[)" + full + "," + full + R"(],"Count":2,"ScannedCount":5,"LastEvaluatedKey":{"pk":{"S":"p"},"sk":{"N":"1"}}})");
    both(R"({"Items":[],"Count":0,"ScannedCount":0})");
    both(R"({"Items":[)" + full + R"(],"Count":2})");                           // Count does not match
    both(R"({"Count":1})");                                                     // Items missing
    both(R"({"Items":[)" + full + R"(],"LastEvaluatedKey":{"pk":{"N":"1"}}})");  // a malformed key
    both(R"({"Items":[{"pk":{"S":"p"},"sk":{"N":"1"},"d":{"N":"x"}}]})");       // an item that does not fit
}
