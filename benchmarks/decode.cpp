// Decode throughput of a Truto attachments page (1000 records with remote_data).
// A first measurement; the peer comparison (nlohmann, RapidJSON, simdjson) is issue 4's.
#include <uniapi/testing/ats_fixtures.hpp>
#include <uniapi/truto/ats.hpp>

#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>

namespace {
std::string make_page(std::size_t n) {
  std::string s = "{\"result\":[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s += ',';
    s += uniapi::testing::to_json(uniapi::testing::attachment_record(i));
  }
  return s + "],\"next_cursor\":\"p.1000.1\"}";
}

const std::string& page() {
  static const std::string p = make_page(1000);
  return p;
}

using page_t = uniapi::truto::page<uniapi::truto::ats::attachment>;

void uniapi_decode_fresh(benchmark::State& state) {
  for (auto _ : state) {
    auto r = uniapi::json::decode<page_t>(page());
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page().size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 1000));
}
BENCHMARK(uniapi_decode_fresh);

void uniapi_decode_into(benchmark::State& state) {
  page_t p;
  for (auto _ : state) {
    auto r = uniapi::json::decode_into(p, page());
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(p);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page().size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 1000));
}
BENCHMARK(uniapi_decode_into);

// Boost.JSON building its DOM only (no conversion to structs): a lower bound of the DOM path.
void boost_json_parse_dom_only(benchmark::State& state) {
  for (auto _ : state) {
    auto v = boost::json::parse(page());
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page().size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 1000));
}
BENCHMARK(boost_json_parse_dom_only);
}  // namespace

BENCHMARK_MAIN();
