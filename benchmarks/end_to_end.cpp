// End to end: listing 100,000 attachments from the local Truto-compatible server over loopback
// HTTP with beast_transport, in items per second, with the TCP connections each listing used.
// The server runs in this process on its own thread with its records' JSON cached, so what is
// measured is the client: requests, HTTP parsing, decoding while the body arrives.
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include <benchmark/benchmark.h>

namespace {

namespace ats = uniapi::truto::ats;
constexpr std::size_t total = 100000;

uniapi::testing::truto_server& started_server() {
  static uniapi::testing::truto_server s({.attachment_count = total, .cache_records = true});
  return s;
}

uniapi::truto::client<uniapi::beast_transport> make_client() {
  return {{.base_url = started_server().base_url(), .token = started_server().token()},
          uniapi::beast_transport()};
}

// The server, with every record's JSON built once (a first listing) before any measurement.
uniapi::testing::truto_server& server() {
  static const bool warm = [] {
    auto c = make_client();
    return static_cast<bool>(c.for_each_item(
        ats::attachments,
        {.integrated_account_id = uniapi::truto::account_id("acct-1"), .limit = 1000},
        [](const ats::attachment&) {}));
  }();
  if (!warm) std::abort();
  return started_server();
}

ats::attachments_resource::list_query query(benchmark::State& state) {
  return {.integrated_account_id = uniapi::truto::account_id("acct-1"), .limit = state.range(0)};
}

void finish(benchmark::State& state, std::size_t connections_before, std::uint64_t bytes_before) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * total));
  state.SetBytesProcessed(static_cast<std::int64_t>(server().body_bytes_sent() - bytes_before));
  state.counters["tcp_connections"] =
      benchmark::Counter(static_cast<double>(server().connections_accepted() - connections_before),
                         benchmark::Counter::kAvgIterations);
}

// Pages decoded whole (list_items): each page a std::vector of records.
void list_items(benchmark::State& state) {
  auto connections = server().connections_accepted();
  auto bytes = server().body_bytes_sent();
  for (auto _ : state) {
    auto c = make_client();
    std::size_t n = 0;
    for (auto& item : c.list_items(ats::attachments, query(state))) {
      if (!item) {
        state.SkipWithError(item.error().message.c_str());
        break;
      }
      ++n;
    }
    if (n != total) state.SkipWithError("wrong item count");
  }
  finish(state, connections, bytes);
}
BENCHMARK(list_items)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Items handed over one by one while each page arrives (for_each_item).
void for_each_item(benchmark::State& state) {
  auto connections = server().connections_accepted();
  auto bytes = server().body_bytes_sent();
  for (auto _ : state) {
    auto c = make_client();
    std::size_t with_remote_data = 0;
    auto r = c.for_each_item(ats::attachments, query(state), [&](const ats::attachment& a) {
      with_remote_data += !!a.remote_data;
    });
    if (!r) state.SkipWithError(r.error().message.c_str());
    if (r && (*r != total || with_remote_data != total)) state.SkipWithError("wrong item count");
  }
  finish(state, connections, bytes);
}
BENCHMARK(for_each_item)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
