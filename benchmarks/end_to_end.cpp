// End to end: listing 100,000 attachments from the local Truto-compatible server over loopback
// HTTP, in items per second, with the TCP connections each listing used: the synchronous client
// over beast_transport and the asynchronous one over beast_async_transport, each directly and
// through the type-erased transports (`erased`). The server runs in this process on its own
// thread with its records' JSON cached, so what is measured is the client: requests, HTTP
// parsing, decoding while the body arrives.
#include <uniapi/transport/beast/beast_async_transport.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/async_client.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>
#if __has_include(<uniapi/transport/any_transport.hpp>)
#include <uniapi/transport/any_transport.hpp>
#include <uniapi/transport/async/any_async_transport.hpp>
#define UNIAPI_BENCHMARK_ERASED 1
#endif

#include <benchmark/benchmark.h>
#include <boost/asio/io_context.hpp>

#include <optional>

namespace {

namespace ats = uniapi::truto::ats;
constexpr std::size_t total = 100000;

uniapi::testing::truto_server& started_server() {
  static uniapi::testing::truto_server s({.attachment_count = total, .cache_records = true});
  return s;
}

template <class Transport = uniapi::beast_transport>
uniapi::truto::client<Transport> make_client() {
  return {{.base_url = started_server().base_url(), .token = started_server().token()},
          uniapi::beast_transport()};
}

template <class Transport>
uniapi::truto::async_client<Transport> make_async_client(boost::asio::io_context& ioc) {
  return {{.base_url = started_server().base_url(), .token = started_server().token()},
          uniapi::beast_async_transport(ioc.get_executor())};
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
template <class Transport>
void list_items(benchmark::State& state) {
  auto connections = server().connections_accepted();
  auto bytes = server().body_bytes_sent();
  for (auto _ : state) {
    auto c = make_client<Transport>();
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

// Items handed over one by one while each page arrives (for_each_item).
template <class Transport>
void for_each_item(benchmark::State& state) {
  auto connections = server().connections_accepted();
  auto bytes = server().body_bytes_sent();
  for (auto _ : state) {
    auto c = make_client<Transport>();
    std::size_t with_remote_data = 0;
    auto r = c.for_each_item(ats::attachments, query(state), [&](const ats::attachment& a) {
      with_remote_data += !!a.remote_data;
    });
    if (!r) state.SkipWithError(r.error().message.c_str());
    if (r && (*r != total || with_remote_data != total)) state.SkipWithError("wrong item count");
  }
  finish(state, connections, bytes);
}

// The asynchronous client's for_each_item, one listing on one thread.
template <class Transport>
void async_for_each_item(benchmark::State& state) {
  auto connections = server().connections_accepted();
  auto bytes = server().body_bytes_sent();
  for (auto _ : state) {
    boost::asio::io_context ioc(1);
    auto c = make_async_client<Transport>(ioc);
    uniapi::stream_progress progress;
    std::size_t with_remote_data = 0;
    std::optional<uniapi::result<std::size_t>> r;
    auto q = query(state);
    c.async_for_each_item(
        ats::attachments, q, [&](const ats::attachment& a) { with_remote_data += !!a.remote_data; },
        progress, [&](uniapi::result<std::size_t> done) { r = std::move(done); });
    ioc.run();
    if (!r || !*r) state.SkipWithError(r ? r->error().message.c_str() : "not completed");
    if (r && *r && (**r != total || with_remote_data != total))
      state.SkipWithError("wrong item count");
  }
  finish(state, connections, bytes);
}

// `label`: direct (the Beast transport in the client's type) or erased (any_transport).
#define UNIAPI_LISTING(name, transport, label) \
  BENCHMARK_TEMPLATE(name, transport)          \
      ->Name(#name "/" label)                  \
      ->Arg(100)                               \
      ->Arg(1000)                              \
      ->Unit(benchmark::kMillisecond)          \
      ->UseRealTime()
UNIAPI_LISTING(list_items, uniapi::beast_transport, "direct");
UNIAPI_LISTING(for_each_item, uniapi::beast_transport, "direct");
UNIAPI_LISTING(async_for_each_item, uniapi::beast_async_transport, "direct");
#ifdef UNIAPI_BENCHMARK_ERASED
UNIAPI_LISTING(list_items, uniapi::any_transport, "erased");
UNIAPI_LISTING(for_each_item, uniapi::any_transport, "erased");
UNIAPI_LISTING(async_for_each_item, uniapi::any_async_transport, "erased");
#endif

}  // namespace

BENCHMARK_MAIN();
