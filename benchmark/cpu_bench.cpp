// CPU paths, each beside its baseline in the same run:
//   BM_SigV4SignPutItem        Signer::sign of the PutItem request (signing key cached)
//     BM_SigV4CryptoFloor      the crypto it cannot avoid: SHA-256 of the body and of the
//                              canonical request, one HMAC-SHA256 (OpenSSL, contexts reused)
//   (encode and decode of the item: codec_bench.cpp)
//   BM_CodecDecodeQueryPage    the 100-item Query response text -> 100 models (DOM: parse, then decode)
//   BM_SaxDecodeQueryPage      the same straight from the text (detail/typed_reader.hpp), as Query does
//     BM_JsonParseQueryPage    boost::json::parse of the same text
//     BM_JsonParseQueryPageArena  the same into a monotonic arena (what Query could gain)
//   BM_Crc32QueryPage          x-amz-crc32 check of the Query response (src/aws/crc32.cpp)
//     BM_Crc32QueryPageBoost   the same with boost::crc_32_type
//   BM_ExpressionCompile       typed condition built and rendered with placeholders
//     BM_ExpressionHandWritten the same text, names and values written by hand
#include "support/bench.hpp"

#include "aws/crc32.hpp"   // private: the library's x-amz-crc32 check
#include "recycled_blocks.hpp"   // private: the pager's page arenas

#include <dynantic/codec/sax_page.hpp>
#include <dynantic/detail/typed_reader.hpp>

#include <boost/crc.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/evp.h>

#include <chrono>

namespace dy = dynantic;
using bench_model::Profile;

namespace {

const dy::Table<Profile>& fixture_table() {
    static const dy::Table<Profile> table(dy::bench::in_process_client());
    return table;
}

/** The PutItem request as Client::call builds it before signing. */
dy::http::HttpRequest put_item_http_request() {
    dy::http::HttpRequest req;
    req.body = dy::bench::fixture("requests/PutItem.json");
    req.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    req.headers.emplace_back("X-Amz-Target", "DynamoDB_20120810.PutItem");
    return req;
}

void BM_SigV4SignPutItem(benchmark::State& state) {
    const dy::aws::Signer signer("us-east-1", "dynamodb");
    const dy::aws::Credentials creds{"AKIDBENCHMARK", "benchmark/secret/key/0123456789abcdefghij", {}, {}};
    const auto endpoint = dy::http::Endpoint::parse("https://dynamodb.us-east-1.amazonaws.com");
    dy::http::HttpRequest req = put_item_http_request();
    const auto now = std::chrono::system_clock::now();
    signer.sign(req, endpoint, creds, now);   // derives and caches the signing key
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        req.headers.resize(2);
        signer.sign(req, endpoint, creds, now);
        benchmark::DoNotOptimize(req.headers.back().second.data());
    }
    allocs.finish(state);
}
BENCHMARK(BM_SigV4SignPutItem);

void BM_SigV4CryptoFloor(benchmark::State& state) {
    const std::string& body = dy::bench::fixture("requests/PutItem.json");
    // The canonical request and string to sign of the signed PutItem, from the public steps.
    const dy::http::HttpRequest req = put_item_http_request();
    dy::http::Headers headers = req.headers;
    headers.emplace_back("Host", "dynamodb.us-east-1.amazonaws.com");
    headers.emplace_back("X-Amz-Date", "20240101T000000Z");
    const std::string canonical =
        dy::aws::canonical_request("POST", "/", headers, dy::aws::sha256_hex(body)).text;
    const std::string string_to_sign = dy::aws::string_to_sign(
        "20240101T000000Z", dy::aws::credential_scope("20240101", "us-east-1", "dynamodb"), canonical);
    unsigned char key[32] = {1, 2, 3};
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* mctx = EVP_MAC_CTX_new(mac);
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest_name, 0), OSSL_PARAM_construct_end()};
    EVP_MAC_CTX_set_params(mctx, params);
    unsigned char out[32];
    unsigned len = 0;
    std::size_t mlen = 0;
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        EVP_DigestInit_ex2(ctx, md, nullptr);
        EVP_DigestUpdate(ctx, body.data(), body.size());
        EVP_DigestFinal_ex(ctx, out, &len);
        EVP_DigestInit_ex2(ctx, md, nullptr);
        EVP_DigestUpdate(ctx, canonical.data(), canonical.size());
        EVP_DigestFinal_ex(ctx, out, &len);
        EVP_MAC_init(mctx, key, sizeof key, nullptr);
        EVP_MAC_update(mctx, reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size());
        EVP_MAC_final(mctx, out, &mlen, sizeof out);
        benchmark::DoNotOptimize(out[0]);
    }
    allocs.finish(state);
    EVP_MAC_CTX_free(mctx);
    EVP_MAC_free(mac);
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
}
BENCHMARK(BM_SigV4CryptoFloor);

void BM_CodecDecodeQueryPage(benchmark::State& state) {
    const std::string& text = dy::bench::fixture("responses/Query.json");
    const auto& table = fixture_table();
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        const boost::json::value v = boost::json::parse(text);
        std::vector<Profile> items;
        const auto& array = v.as_object().at("Items").as_array();
        items.reserve(array.size());
        for (const auto& item : array) items.push_back(table.decode_item(item.as_object(), dy::Operation::Query));
        benchmark::DoNotOptimize(items.data());
    }
    allocs.finish(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CodecDecodeQueryPage);

void BM_SaxDecodeQueryPage(benchmark::State& state) {
    const std::string& text = dy::bench::fixture("responses/Query.json");
    constexpr std::string_view head[] = {"Count", "ScannedCount", "LastEvaluatedKey", "ConsumedCapacity"};
    dy::detail::TypedPageSink<Profile> sink(
        dy::detail::member_bits<Profile>([](const auto& f) { dy::detail::Entity<Profile>::for_each_required(f); }));
    boost::json::monotonic_resource arena(1024, &dy::detail::recycled_blocks());   // as the pager's
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        sink.clear();
        {
            dy::detail::PageText page;
            if (!dy::detail::decode_page_text(text, "Items", head, sink, &arena, page)) state.SkipWithError("page not taken");
            benchmark::DoNotOptimize(sink.items.data());
        }
        dy::detail::restart_arena(arena, 1024);
    }
    allocs.finish(state);
    if (sink.items.size() != 100) state.SkipWithError("expected 100 items");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SaxDecodeQueryPage);

void BM_JsonParseQueryPage(benchmark::State& state) {
    const std::string& text = dy::bench::fixture("responses/Query.json");
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        const boost::json::value v = boost::json::parse(text);
        benchmark::DoNotOptimize(&v);
    }
    allocs.finish(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonParseQueryPage);

void BM_JsonParseQueryPageArena(benchmark::State& state) {
    const std::string& text = dy::bench::fixture("responses/Query.json");
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        const boost::json::value v =
            boost::json::parse(text, boost::json::make_shared_resource<boost::json::monotonic_resource>());
        benchmark::DoNotOptimize(&v);
    }
    allocs.finish(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonParseQueryPageArena);

void BM_Crc32QueryPage(benchmark::State& state) {
    const std::string& text = dy::bench::fixture("responses/Query.json");
    for (auto _ : state) benchmark::DoNotOptimize(dy::aws::detail::crc32(text));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Crc32QueryPage);

void BM_Crc32QueryPageBoost(benchmark::State& state) {
    const std::string& text = dy::bench::fixture("responses/Query.json");
    for (auto _ : state) {
        boost::crc_32_type crc;
        crc.process_bytes(text.data(), text.size());
        benchmark::DoNotOptimize(crc.checksum());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Crc32QueryPageBoost);

void BM_ExpressionCompile(benchmark::State& state) {
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        const auto condition = dy::field(&Profile::age) >= 18 && dy::field(&Profile::email).begins_with("alice") &&
                               dy::field(&Profile::address, &bench_model::Address::city) == "Springfield" &&
                               !dy::field(&Profile::active).not_exists();
        dy::ExpressionContext ctx;
        boost::json::object body;
        body["ConditionExpression"] = ctx.render(condition);
        ctx.apply(body);
        benchmark::DoNotOptimize(&body);
    }
    allocs.finish(state);
}
BENCHMARK(BM_ExpressionCompile);

void BM_ExpressionHandWritten(benchmark::State& state) {
    const dy::bench::AllocationMeter allocs;
    for (auto _ : state) {
        boost::json::object body;
        body["ConditionExpression"] =
            "#n0 >= :v0 AND begins_with(#n1, :v1) AND #n2.#n3 = :v2 AND (NOT attribute_not_exists(#n4))";
        auto& names = body["ExpressionAttributeNames"].emplace_object();
        names["#n0"] = "age";
        names["#n1"] = "email";
        names["#n2"] = "address";
        names["#n3"] = "city";
        names["#n4"] = "active";
        auto& values = body["ExpressionAttributeValues"].emplace_object();
        values[":v0"].emplace_object()["N"] = "18";
        values[":v1"].emplace_object()["S"] = "alice";
        values[":v2"].emplace_object()["S"] = "Springfield";
        benchmark::DoNotOptimize(&body);
    }
    allocs.finish(state);
}
BENCHMARK(BM_ExpressionHandWritten);

}  // namespace

