// Decode throughput of Truto pages: uniapi next to Boost.JSON (DOM + walk), nlohmann::json,
// RapidJSON and simdjson On-Demand decoding the same pages into the same structs
// (peer_equality.cpp checks they agree), plus the parse floor of Boost.JSON's basic_parser.
#include "machine.hpp"
#include "pages.hpp"
#include "peers/boost_dom.hpp"
#include "peers/nlohmann.hpp"
#include "peers/rapidjson.hpp"
#include "peers/simdjson.hpp"

#include <string>

#include <uniapi/json/decode.hpp>

#include <benchmark/benchmark.h>
#include <boost/json/basic_parser_impl.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

// Every heap allocation in the program is counted, so each benchmark can report allocations per
// item (the decoders differ most in how many they make).
namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p =
          std::aligned_alloc(static_cast<std::size_t>(a), (n + static_cast<std::size_t>(a) - 1) &
                                                              ~(static_cast<std::size_t>(a) - 1)))
    return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return operator new(n, a);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}

namespace {

struct page_case {
  const char* name;
  std::string text;
  std::size_t items;
};

const page_case& attachments_rd() {
  static const page_case c{"attachments+remote_data", pages::attachments(1000, true), 1000};
  return c;
}
const page_case& attachments_plain() {
  static const page_case c{"attachments", pages::attachments(1000, false), 1000};
  return c;
}
const page_case& candidates() {
  static const page_case c{"candidates", pages::candidates(1000), 1000};
  return c;
}

// Counts the allocations made while a benchmark's loop runs.
struct allocation_meter {
  std::uint64_t start = allocations.load();
};

void account(benchmark::State& state, const page_case& c, const allocation_meter& m) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.items));
  state.counters["allocs_per_item"] = static_cast<double>(allocations.load() - m.start) /
                                      static_cast<double>(state.iterations() * c.items);
}

template <class Page>
void uniapi_fresh(benchmark::State& state, const page_case& c) {
  allocation_meter meter;
  for (auto _ : state) {
    auto r = uniapi::json::decode<Page>(c.text);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  account(state, c, meter);
}

template <class Page>
void uniapi_into(benchmark::State& state, const page_case& c) {
  Page p;
  allocation_meter meter;
  for (auto _ : state) {
    auto r = uniapi::json::decode_into(p, c.text);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(p);
  }
  account(state, c, meter);
}

// The page in chunks of `state.range(0)` bytes through `stream_decoder`, as a transport gives it.
template <class Page>
void chunked(benchmark::State& state, const page_case& c, bool sized) {
  const auto chunk = static_cast<std::size_t>(state.range(0));
  std::string_view text = c.text;
  allocation_meter meter;
  for (auto _ : state) {
    uniapi::json::stream_decoder<Page> d;
    if (sized) d.expect_size(text.size());
    for (std::size_t i = 0; i < text.size(); i += chunk)
      if (!d.write(text.substr(i, chunk))) break;
    auto r = d.finish();
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  account(state, c, meter);
}

template <class Page>
void uniapi_chunked(benchmark::State& state, const page_case& c) {
  chunked<Page>(state, c, false);
}

// The same with the document's size given beforehand, as an HTTP Content-Length gives it.
template <class Page>
void uniapi_chunked_sized(benchmark::State& state, const page_case& c) {
  chunked<Page>(state, c, true);
}

// A DOM library's parse and walk (peers/*.hpp), from the text as it is.
template <class Page, Page (*Decode)(std::string_view)>
void dom_peer(benchmark::State& state, const page_case& c) {
  allocation_meter meter;
  for (auto _ : state)
    benchmark::DoNotOptimize(Decode(c.text));
  account(state, c, meter);
}

// The parser is reused and the input is padded beforehand, as simdjson's documentation advises.
template <class Page>
void simdjson_ondemand(benchmark::State& state, const page_case& c) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(c.text);
  allocation_meter meter;
  for (auto _ : state)
    benchmark::DoNotOptimize(peers::simdjson_ondemand::decode<Page>(parser, padded));
  account(state, c, meter);
}

// Boost.JSON's basic_parser with a handler that does nothing: the floor under any decoder built
// on it.
struct null_handler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  using ec = boost::system::error_code;
  bool on_document_begin(ec&) { return true; }
  bool on_document_end(ec&) { return true; }
  bool on_object_begin(ec&) { return true; }
  bool on_object_end(std::size_t, ec&) { return true; }
  bool on_array_begin(ec&) { return true; }
  bool on_array_end(std::size_t, ec&) { return true; }
  bool on_key_part(std::string_view, std::size_t, ec&) { return true; }
  bool on_key(std::string_view, std::size_t, ec&) { return true; }
  bool on_string_part(std::string_view, std::size_t, ec&) { return true; }
  bool on_string(std::string_view, std::size_t, ec&) { return true; }
  bool on_number_part(std::string_view, ec&) { return true; }
  bool on_int64(std::int64_t, std::string_view, ec&) { return true; }
  bool on_uint64(std::uint64_t, std::string_view, ec&) { return true; }
  bool on_double(double, std::string_view, ec&) { return true; }
  bool on_bool(bool, ec&) { return true; }
  bool on_null(ec&) { return true; }
  bool on_comment_part(std::string_view, ec&) { return true; }
  bool on_comment(std::string_view, ec&) { return true; }
};

void boost_parse_floor(benchmark::State& state, const page_case& c) {
  boost::json::basic_parser<null_handler> p(boost::json::parse_options{});
  allocation_meter meter;
  for (auto _ : state) {
    p.reset();
    boost::system::error_code ec;
    p.write_some(false, c.text.data(), c.text.size(), ec);
    if (ec) state.SkipWithError(ec.message().c_str());
  }
  account(state, c, meter);
}

template <class Page>
void register_page(const page_case& (*page)()) {
  std::string n = page().name;
  auto reg = [&](const char* what, void (*fn)(benchmark::State&, const page_case&)) {
    return benchmark::RegisterBenchmark((n + "/" + what).c_str(),
                                        [fn, page](benchmark::State& s) { fn(s, page()); });
  };
  reg("uniapi_decode", &uniapi_fresh<Page>);
  reg("uniapi_decode_into", &uniapi_into<Page>);
  reg("uniapi_chunked", &uniapi_chunked<Page>)->Arg(1024)->Arg(4096)->Arg(16384)->Arg(65536);
  reg("uniapi_chunked_sized", &uniapi_chunked_sized<Page>)
      ->Arg(1024)
      ->Arg(4096)
      ->Arg(16384)
      ->Arg(65536);
  reg("boost_json_dom", &dom_peer<Page, &peers::boost_dom::decode<Page>>);
  reg("nlohmann", &dom_peer<Page, &peers::nlohmann_dom::decode<Page>>);
  reg("rapidjson", &dom_peer<Page, &peers::rapidjson_dom::decode<Page>>);
  reg("simdjson_ondemand", &simdjson_ondemand<Page>);
  reg("boost_parse_floor", &boost_parse_floor);
}

}  // namespace

int main(int argc, char** argv) {
  for (const auto& [key, value] : machine_context())
    benchmark::AddCustomContext(key, value);
  register_page<pages::attachments_page>(&attachments_rd);
  register_page<pages::attachments_page>(&attachments_plain);
  register_page<pages::candidates_page>(&candidates);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
