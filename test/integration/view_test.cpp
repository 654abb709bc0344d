// Projections and views against DynamoDB Local: every read path (get, query, scan, batch_get,
// transact_get) into a view sends the view's ProjectionExpression and DynamoDB returns exactly
// those attributes; KEYS_ONLY and INCLUDE indexes read into their views; UpdateResult::as.
// Requests and responses are recorded by a transport that forwards to the real Beast transport.
#include <dynantic/view.hpp>

#include <dynantic/index_projection.hpp>
#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace dy = dynantic;
namespace json = boost::json;

namespace viewit {
struct Product {
    std::string shop;
    std::string sku;
    std::string kind;          // ByKind partition key (KEYS_ONLY)
    std::string status;        // ByStatus partition key (INCLUDE name, title); a reserved word
    std::string name;          // a reserved word
    std::string title;         // stored as "Title"
    std::int64_t price = 0;
    std::string description;   // in no view
};
BOOST_DESCRIBE_STRUCT(Product, (), (shop, sku, kind, status, name, title, price, description))
constexpr auto dynantic_attribute_names(const Product*) { return dy::attribute_names(dy::rename(&Product::title, "Title")); }

/** The default view of the KEYS_ONLY index: the table's keys and the index's key. */
struct KindKeys {
    std::string shop;
    std::string sku;
    std::string kind;
};
BOOST_DESCRIBE_STRUCT(KindKeys, (), (shop, sku, kind))
/** The default view of the INCLUDE index. */
struct StatusCard {
    std::string sku;
    std::string status;
    std::string name;
    std::string title;
};
BOOST_DESCRIBE_STRUCT(StatusCard, (), (sku, status, name, title))

constexpr auto dynantic_schema(const Product*) {
    return dy::table("products")
        .partition_key(&Product::shop)
        .sort_key(&Product::sku)
        .global_index("ByKind", &Product::kind, dy::keys_only<KindKeys>())
        .global_index("ByStatus", &Product::status, dy::include<StatusCard>(&Product::name, &Product::title));
}

/** A view of the table: no keys, a reserved word, a rename, another integer type. */
struct Summary {
    std::string name;
    std::string title;
    std::optional<int> price;
};
BOOST_DESCRIBE_STRUCT(Summary, (), (name, title, price))

/** A narrower view of the INCLUDE index. */
struct Named {
    std::string name;
};
BOOST_DESCRIBE_STRUCT(Named, (), (name))

/** What an update returned. */
struct Changed {
    std::optional<std::int64_t> price;
    std::optional<std::string> status;
    std::optional<std::string> description;
};
BOOST_DESCRIBE_STRUCT(Changed, (), (price, status, description))
}  // namespace viewit

using viewit::Changed;
using viewit::KindKeys;
using viewit::Product;
using viewit::StatusCard;
using viewit::Summary;

namespace {

/** Forwards to the Beast transport and records each request and response body. */
class Recorder : public dy::http::Transport {
public:
    struct Exchange {
        std::string operation;
        json::object request;
        json::object response;
    };
    dy::http::HttpResponse send(const dy::http::Endpoint& endpoint, const dy::http::HttpRequest& request) override {
        dy::http::HttpResponse response = inner_.send(endpoint, request);
        const std::string_view target = dy::http::find_header(request.headers, "X-Amz-Target");
        Exchange e{std::string(target.substr(target.find('.') + 1)), json::parse(request.body).as_object(), {}};
        if (auto parsed = json::parse(response.body); parsed.is_object()) e.response = std::move(parsed.as_object());
        const std::lock_guard lock(mutex_);
        exchanges_.push_back(std::move(e));
        return response;
    }
    /** The last exchange of `operation`. */
    Exchange last(std::string_view operation) const {
        const std::lock_guard lock(mutex_);
        for (auto it = exchanges_.rbegin(); it != exchanges_.rend(); ++it)
            if (it->operation == operation) return *it;
        ADD_FAILURE() << "no " << operation << " recorded";
        return {};
    }

private:
    dy::http::BeastTransport inner_;
    mutable std::mutex mutex_;
    std::vector<Exchange> exchanges_;
};

/** The attribute names a ProjectionExpression names, placeholders resolved. */
std::set<std::string> projected(const json::object& body) {
    std::set<std::string> out;
    const std::string text(body.at("ProjectionExpression").as_string());
    const auto& names = body.at("ExpressionAttributeNames").as_object();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '#') continue;
        std::size_t j = i + 1;
        while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j]))) ++j;
        out.insert(std::string(names.at(text.substr(i, j - i)).as_string()));
        i = j;
    }
    return out;
}

std::set<std::string> attributes_of(const json::value& item) {
    std::set<std::string> out;
    for (const auto& kv : item.as_object()) out.insert(std::string(kv.key()));
    return out;
}

class Views : public dy::test::DynamoDBTest {
protected:
    void SetUp() override {
        DynamoDBTest::SetUp();
        if (IsSkipped()) return;
        dy::ClientOptions options;
        options.table_prefix = client().table_name("");
        options.transport = recorder_;
        recorded_ = dy::test::integration_client(std::move(options));
        table_.emplace(client());
        products_ = dy::Table<Product>(*recorded_);
        for (const Product& p : {Product{"s1", "a1", "book", "active", "Dune", "Dune (1965)", 12, "long text"},
                                 Product{"s1", "a2", "film", "active", "Alien", "Alien (1979)", 9, "long text"},
                                 Product{"s1", "a3", "book", "retired", "Emma", "Emma (1815)", 5, "long text"},
                                 Product{"s2", "b1", "book", "active", "Ulysses", "Ulysses (1922)", 20, "long text"}})
            products_.save(p);
    }

    std::shared_ptr<Recorder> recorder_ = std::make_shared<Recorder>();
    std::optional<dy::Client> recorded_;
    std::optional<dy::test::ScopedTable<Product>> table_;
    dy::Table<Product> products_;
};

const std::set<std::string> summary_attributes{"name", "Title", "price", "shop", "sku"};

TEST_F(Views, GetIntoAViewProjectsAndDecodes) {
    const std::optional<Summary> s = products_.get<Summary>("s1", "a1");
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->name, "Dune");
    EXPECT_EQ(s->title, "Dune (1965)");
    EXPECT_EQ(s->price, 12);
    const auto e = recorder_->last("GetItem");
    EXPECT_EQ(projected(e.request), summary_attributes);
    EXPECT_EQ(attributes_of(e.response.at("Item")), summary_attributes);   // no kind, status, description
    EXPECT_FALSE(products_.get<Summary>("s1", "nope").has_value());
}

TEST_F(Views, QueryAndScanIntoAViewProjectAndPage) {
    const std::vector<Summary> all = products_.query<Summary>("s1").all();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].name, "Dune");
    EXPECT_EQ(all[2].price, 5);
    auto e = recorder_->last("Query");
    EXPECT_EQ(projected(e.request), summary_attributes);
    for (const auto& item : e.response.at("Items").as_array()) EXPECT_EQ(attributes_of(item), summary_attributes);

    // A page cut by limit resumes from a cursor made of the projected keys.
    const auto first = products_.query<Summary>("s1").limit(2).page();
    ASSERT_EQ(first.items.size(), 2u);
    ASSERT_TRUE(first.next_cursor.has_value());
    const auto rest = products_.query<Summary>("s1").limit(2).page(first.next_cursor);
    ASSERT_EQ(rest.items.size(), 1u);
    EXPECT_EQ(rest.items[0].name, "Emma");

    // A filter on an attribute outside the view, beside the projection's placeholders.
    const auto cheap = products_.scan<Summary>().filter(dy::field(&Product::description) == "long text" &&
                                                        dy::field(&Product::price) < 10).all();
    EXPECT_EQ(cheap.size(), 2u);
    e = recorder_->last("Scan");
    EXPECT_EQ(projected(e.request), summary_attributes);
    for (const auto& item : e.response.at("Items").as_array()) EXPECT_EQ(attributes_of(item), summary_attributes);
    EXPECT_EQ(products_.query<Summary>("s1").count(), 3u);
}

TEST_F(Views, BatchGetAndTransactGetIntoViews) {
    const std::vector<std::pair<std::string, std::string>> keys{{"s2", "b1"}, {"s1", "a2"}, {"s1", "zz"}};
    const std::vector<Summary> got = products_.batch_get<Summary>(keys);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].name, "Ulysses");
    EXPECT_EQ(got[1].name, "Alien");
    auto e = recorder_->last("BatchGetItem");
    const std::string table = recorded_->table_name("products");
    EXPECT_EQ(projected(e.request.at("RequestItems").at(table).as_object()), summary_attributes);
    for (const auto& item : e.response.at("Responses").at(table).as_array()) EXPECT_EQ(attributes_of(item), summary_attributes);

    const auto [summary, keys_only, missing] =
        dy::transact_get(*recorded_, dy::get<Product, Summary>("s1", "a3"), dy::get<Product, KindKeys>("s2", "b1"),
                         dy::get<Product, Summary>("s9", "x"));
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->title, "Emma (1815)");
    ASSERT_TRUE(keys_only.has_value());
    EXPECT_EQ(keys_only->kind, "book");
    EXPECT_FALSE(missing.has_value());
    e = recorder_->last("TransactGetItems");
    const auto& gets = e.request.at("TransactItems").as_array();
    EXPECT_EQ(projected(gets[0].at("Get").as_object()), summary_attributes);
    EXPECT_EQ(projected(gets[1].at("Get").as_object()), (std::set<std::string>{"shop", "sku", "kind"}));
    const auto& responses = e.response.at("Responses").as_array();
    EXPECT_EQ(attributes_of(responses[0].at("Item")), summary_attributes);
    EXPECT_EQ(attributes_of(responses[1].at("Item")), (std::set<std::string>{"shop", "sku", "kind"}));
}

TEST_F(Views, KeysOnlyIndexReadsIntoItsDefaultView) {
    // The index really is KEYS_ONLY, as the schema declares.
    const auto described = recorded_->call("DescribeTable", json::object{{"TableName", recorded_->table_name("products")}});
    const auto& indexes = described.at("Table").at("GlobalSecondaryIndexes").as_array();
    for (const auto& index : indexes) {
        if (index.at("IndexName") == "ByKind") EXPECT_EQ(index.at("Projection").at("ProjectionType"), "KEYS_ONLY");
        else {
            EXPECT_EQ(index.at("Projection").at("ProjectionType"), "INCLUDE");
            std::set<std::string> non_key;
            for (const auto& n : index.at("Projection").at("NonKeyAttributes").as_array()) non_key.insert(std::string(n.as_string()));
            EXPECT_EQ(non_key, (std::set<std::string>{"name", "Title"}));
        }
    }

    std::vector<KindKeys> books = products_.query_index<"ByKind">("book").all();   // KindKeys: the default view
    std::sort(books.begin(), books.end(), [](const KindKeys& a, const KindKeys& b) { return a.sku < b.sku; });
    ASSERT_EQ(books.size(), 3u);
    EXPECT_EQ(books[0].sku, "a1");
    EXPECT_EQ(books[1].sku, "a3");
    EXPECT_EQ(books[2].shop, "s2");
    const auto e = recorder_->last("Query");
    EXPECT_EQ(e.request.at("IndexName"), "ByKind");
    EXPECT_EQ(projected(e.request), (std::set<std::string>{"shop", "sku", "kind"}));
    for (const auto& item : e.response.at("Items").as_array())
        EXPECT_EQ(attributes_of(item), (std::set<std::string>{"shop", "sku", "kind"}));
    EXPECT_EQ(products_.scan_index<"ByKind">().all().size(), 4u);
}

TEST_F(Views, IncludeIndexReadsIntoItsDefaultViewAndNarrowerViews) {
    std::vector<StatusCard> active = products_.query_index<"ByStatus">("active").all();
    std::sort(active.begin(), active.end(), [](const StatusCard& a, const StatusCard& b) { return a.sku < b.sku; });
    ASSERT_EQ(active.size(), 3u);
    EXPECT_EQ(active[0].name, "Dune");
    EXPECT_EQ(active[0].title, "Dune (1965)");
    EXPECT_EQ(active[2].sku, "b1");
    auto e = recorder_->last("Query");
    const std::set<std::string> card{"shop", "sku", "status", "name", "Title"};
    EXPECT_EQ(projected(e.request), card);
    for (const auto& item : e.response.at("Items").as_array()) EXPECT_EQ(attributes_of(item), card);

    // Another view of what the index holds (here: an included attribute and a key).
    const std::vector<viewit::Named> retired = products_.query_index<"ByStatus", viewit::Named>("retired").all();
    ASSERT_EQ(retired.size(), 1u);
    EXPECT_EQ(retired[0].name, "Emma");
    e = recorder_->last("Query");
    EXPECT_EQ(projected(e.request), (std::set<std::string>{"shop", "sku", "status", "name"}));
    for (const auto& item : e.response.at("Items").as_array())
        EXPECT_EQ(attributes_of(item), (std::set<std::string>{"shop", "sku", "status", "name"}));
}

TEST_F(Views, UpdateResultAsAView) {
    auto r = products_.update("s1", "a1")
                 .set(&Product::price, std::int64_t{15})
                 .set(&Product::status, std::string("retired"))
                 .returning(dy::ReturnValues::updated_new)
                 .execute();
    Changed c = r.as<Changed>();
    EXPECT_EQ(c.price, 15);
    EXPECT_EQ(c.status, "retired");
    EXPECT_FALSE(c.description.has_value());   // not updated, not returned
    EXPECT_EQ(attributes_of(r.attributes), (std::set<std::string>{"price", "status"}));   // the raw form stays

    r = products_.update("s1", "a1").set(&Product::price, std::int64_t{16}).returning(dy::ReturnValues::updated_old).execute();
    c = r.as<Changed>();
    EXPECT_EQ(c.price, 15);
    EXPECT_FALSE(c.status.has_value());

    r = products_.update("s1", "a1").set(&Product::price, std::int64_t{17}).returning(dy::ReturnValues::all_old).execute();
    c = r.as<Changed>();
    EXPECT_EQ(c.price, 16);
    EXPECT_EQ(c.status, "retired");
    EXPECT_EQ(c.description, "long text");
    ASSERT_TRUE(r.item.has_value());
    EXPECT_EQ(r.item->price, 16);
}

}  // namespace
