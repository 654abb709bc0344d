// Codec cost beside Boost.JSON's own, on the 1.1 KB item of the shared benchmark fixture
// (fixtures/item.json: S, N, BOOL, SS, L of N, two levels of M, L of M).
//
//   BM_JsonParseItem      text -> boost::json::value                 (baseline)
//   BM_CodecDecodeItem    text -> Profile (from_item_json)           budget: <= 1.5x parse
//   BM_JsonSerializeItem  boost::json::value -> text                 (baseline)
//   BM_CodecEncodeItem    Profile -> text (to_item_json)             budget: <= 2.5x serialize
//   BM_CodecEncodeItemDom Profile -> boost::json::object (to_item, the request path) -> text:
//                         the DOM write path beside the text one (docs/architecture.md)
#include <dynantic/codec/item.hpp>

#include "support/bench.hpp"

#include <benchmark/benchmark.h>
#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace dy = dynantic;
namespace json = boost::json;

// The model that mirrors the fixture item, shared with the other benchmarks.
namespace codec_bench = bench_model;

namespace {

const std::string& item_text() {
    static const std::string text = [] {
        std::ifstream in(DYNANTIC_BENCH_FIXTURES "/item.json", std::ios::binary);
        if (!in) throw std::runtime_error("cannot read " DYNANTIC_BENCH_FIXTURES "/item.json");
        std::string s{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
        return s;
    }();
    return text;
}

void BM_JsonParseItem(benchmark::State& state) {
    const std::string& text = item_text();
    for (auto _ : state) {
        json::value v = json::parse(text);
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonParseItem);

void BM_CodecDecodeItem(benchmark::State& state) {
    const std::string& text = item_text();
    for (auto _ : state) {
        codec_bench::Profile p = dy::from_item_json<codec_bench::Profile>(text);
        benchmark::DoNotOptimize(p);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CodecDecodeItem);

void BM_JsonSerializeItem(benchmark::State& state) {
    const json::value dom = json::parse(item_text());
    for (auto _ : state) {
        std::string text = json::serialize(dom);
        benchmark::DoNotOptimize(text);
    }
}
BENCHMARK(BM_JsonSerializeItem);

void BM_CodecEncodeItem(benchmark::State& state) {
    const codec_bench::Profile profile = dy::from_item_json<codec_bench::Profile>(item_text());
    for (auto _ : state) {
        std::string text = dy::to_item_json(profile);
        benchmark::DoNotOptimize(text);
    }
}
BENCHMARK(BM_CodecEncodeItem);

// The write path of requests: the item as a DOM (to_item, what op::Put::encode builds into the
// PutItem body), serialized once as the body is.
void BM_CodecEncodeItemDom(benchmark::State& state) {
    const codec_bench::Profile profile = dy::from_item_json<codec_bench::Profile>(item_text());
    for (auto _ : state) {
        std::string text = json::serialize(dy::to_item(profile));
        benchmark::DoNotOptimize(text);
    }
}
BENCHMARK(BM_CodecEncodeItemDom);

}  // namespace
