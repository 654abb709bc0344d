// Fault injection for pagination: a real Client (BeastTransport) against a loopback server that
// answers every Query and Scan with the LastEvaluatedKey it was just sent, or with malformed
// pages. Reading must end with an Error after a bounded number of requests.
#include <dynantic/table.hpp>

#include "support/loopback_server.hpp"

#include <boost/crc.hpp>
#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <string>

namespace dy = dynantic;
namespace json = boost::json;

namespace pagefault {
struct Event {
    std::string user;
    std::int64_t seq = 0;
};
BOOST_DESCRIBE_STRUCT(Event, (), (user, seq))
constexpr auto dynantic_schema(const Event*) { return dy::table("events").partition_key(&Event::user).sort_key(&Event::seq); }
}  // namespace pagefault

namespace {
using dy::test::LoopbackServer;
using dy::test::ServerAction;
using dy::test::ServerRequest;
using pagefault::Event;

std::string crc32_of(std::string_view body) {
    boost::crc_32_type crc;
    crc.process_bytes(body.data(), body.size());
    return std::to_string(crc.checksum());
}

ServerAction json_response(std::string body) {
    const std::string crc = crc32_of(body);
    return ServerAction::respond(200, std::move(body), {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amz-crc32", crc}});
}

dy::ClientOptions options_for(const LoopbackServer& server) {
    dy::ClientOptions o;
    o.endpoint = server.endpoint().url();
    o.region = "us-east-1";
    o.credentials = std::make_shared<dy::aws::StaticCredentialsProvider>(
        dy::aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}});
    return o;
}

/** A server that pages forward for `honest_pages` pages (one item each), then answers with the
    ExclusiveStartKey it was sent as LastEvaluatedKey, as a broken proxy or emulator might. */
class RepeatingServer {
public:
    explicit RepeatingServer(int honest_pages)
        : honest_(honest_pages), server_([this](const ServerRequest& r) { return handle(r); }) {}
    std::size_t requests() const { return server_.requests(); }
    dy::ClientOptions options() const { return options_for(server_); }

private:
    ServerAction handle(const ServerRequest& r) {
        const auto body = json::parse(r.body).as_object();
        const int n = static_cast<int>(count_++);
        json::object key;
        if (const auto* start = body.if_contains("ExclusiveStartKey"); start != nullptr && n >= honest_) {
            key = start->as_object();   // the same key again
        } else {
            key = json::parse(R"({"user":{"S":"u1"},"seq":{"N":")" + std::to_string(n) + R"("}})").as_object();
        }
        json::object page;
        const bool count_only = body.contains("Select");
        if (!count_only) {
            json::array items;
            json::object item = key;
            items.push_back(std::move(item));
            page["Items"] = std::move(items);
        }
        page["Count"] = 1;
        page["ScannedCount"] = 1;
        page["LastEvaluatedKey"] = std::move(key);
        return json_response(json::serialize(page));
    }

    int honest_;
    std::atomic<std::size_t> count_{0};
    LoopbackServer server_;
};

void expect_repeated_key(const dy::Error& e, std::string_view operation) {
    EXPECT_EQ(e.code(), dy::errc::invalid_response) << e.what();
    EXPECT_EQ(e.operation(), operation);
    EXPECT_EQ(e.table(), "events");
    EXPECT_NE(std::string(e.what()).find("LastEvaluatedKey repeats the ExclusiveStartKey just sent"), std::string::npos)
        << e.what();
}

}  // namespace

TEST(PaginationFault, RepeatedLastEvaluatedKeyStopsIteration) {
    RepeatingServer server(3);   // pages 0, 1, 2 advance; the 4th request's answer repeats its key
    const dy::Table<Event> events(dy::Client(server.options()));
    std::vector<std::int64_t> seen;
    try {
        for (const Event& e : events.query("u1")) seen.push_back(e.seq);
        FAIL() << "iteration ended without an error";
    } catch (const dy::Error& e) {
        expect_repeated_key(e, "Query");
    }
    EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2}));
    EXPECT_EQ(server.requests(), 4u);
}

TEST(PaginationFault, RepeatedLastEvaluatedKeyStopsCountAndScan) {
    {
        RepeatingServer server(5);
        const dy::Table<Event> events(dy::Client(server.options()));
        try {
            (void)events.query("u1").count();
            FAIL() << "count() ended without an error";
        } catch (const dy::Error& e) {
            expect_repeated_key(e, "Query");
        }
        EXPECT_EQ(server.requests(), 6u);
    }
    {
        RepeatingServer server(0);
        const dy::Table<Event> events(dy::Client(server.options()));
        try {
            (void)events.scan().all();
            FAIL() << "all() ended without an error";
        } catch (const dy::Error& e) {
            expect_repeated_key(e, "Scan");
        }
        EXPECT_EQ(server.requests(), 2u);
    }
}

TEST(PaginationFault, NonObjectItemOverTheWire) {
    std::atomic<int> requests{0};
    LoopbackServer server([&](const ServerRequest&) {
        ++requests;
        return json_response(
            R"({"Items":[{"user":{"S":"u1"},"seq":{"N":"1"}},7,{"user":{"S":"u1"},"seq":{"N":"3"}}],"Count":3,"ScannedCount":3,)"
            R"("LastEvaluatedKey":{"user":{"S":"u1"},"seq":{"N":"3"}}})");
    });
    const dy::Table<Event> events(dy::Client(options_for(server)));
    try {
        (void)events.query("u1").limit(5).page();
        FAIL() << "no error";
    } catch (const dy::Error& e) {
        EXPECT_EQ(e.code(), dy::errc::invalid_response);
        EXPECT_EQ(std::string(e.what()), "Query on table 'events': invalid response: Items[1] is a number, not an object");
    }
    EXPECT_EQ(requests.load(), 1);
}
