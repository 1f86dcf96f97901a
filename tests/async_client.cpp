// The asynchronous client over beast_async_transport, against the local server over real loopback
// HTTP and HTTPS.
//
// Queries are named variables, never braced temporaries inside a co_await expression: GCC 12
// destroys such an aggregate temporary twice (a compiler bug; see README, "Asynchronous use").
#include <uniapi/merge/async_client.hpp>
#include <uniapi/merge/ats.hpp>
#include <uniapi/merge/testing/merge_server.hpp>
#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/testing/test_certificates.hpp>
#include <uniapi/transport/async/async_retrying_transport.hpp>
#include <uniapi/transport/async/rate_limited_transport.hpp>
#include <uniapi/transport/beast/beast_async_transport.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/async_client.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/client.hpp>
#include <uniapi/truto/custom_api.hpp>
#include <uniapi/truto/meta.hpp>
#include <uniapi/truto/proxy.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include "support.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>

namespace asio = boost::asio;
namespace ats = uniapi::truto::ats;
using uniapi::beast_async_transport;
using uniapi::stream_progress;
using uniapi::testing::fault;
using uniapi::testing::truto_server;
using uniapi::truto::account_id;

namespace {
using uniapi_test::attachment_ids;
using uniapi_test::write_temp;
using async_client_t = uniapi::truto::async_client<beast_async_transport>;
using list_query = ats::attachments_resource::list_query;
using page_t = async_client_t::page_type<ats::attachment>;

async_client_t client_for(asio::io_context& ioc, const truto_server& s,
                          uniapi::beast_async_transport_options o = {}) {
  return async_client_t({.base_url = s.base_url(), .token = s.token()},
                        beast_async_transport(ioc.get_executor(), std::move(o)));
}

list_query query(std::string account = "acct-1", std::int64_t limit = 10) {
  return {.integrated_account_id = account_id(std::move(account)), .limit = limit};
}

// Runs `f()` (a coroutine) on `ioc` to completion; rethrows what it threw.
template <class F>
void run(asio::io_context& ioc, F f) {
  std::exception_ptr failure;
  asio::co_spawn(ioc, f(), [&](std::exception_ptr e) { failure = e; });
  ioc.run();
  ioc.restart();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

TEST_CASE("async: pages and streamed items match the synchronous client") {
  truto_server server({.attachment_count = 57});
  asio::io_context ioc;
  auto c = client_for(ioc, server);
  std::vector<std::string> pages_ids, items_ids;
  std::size_t pages = 0;
  run(ioc, [&]() -> asio::awaitable<void> {
    auto q = query();
    std::optional<std::string> cursor;
    for (;;) {
      auto p = co_await c.async_list_page(ats::attachments, q, cursor, asio::use_awaitable);
      REQUIRE(p);
      ++pages;
      for (auto& a : p->result)
        pages_ids.push_back(a.id);
      if (!p->next_cursor) break;
      cursor = p->next_cursor;
    }
    stream_progress progress;
    auto on_item = [&](ats::attachment& a) { items_ids.push_back(a.id); };
    auto n =
        co_await c.async_for_each_item(ats::attachments, q, on_item, progress, asio::use_awaitable);
    REQUIRE(n);
    CHECK(*n == 57);
    CHECK(progress.pages == 6);
    CHECK_FALSE(progress.cursor);
  });
  CHECK(pages == 6);
  CHECK(pages_ids == attachment_ids(57));
  CHECK(items_ids == attachment_ids(57));
  CHECK(c.transport().connections_opened() == 1);  // keep-alive across every page

  uniapi::truto::client<uniapi::beast_transport> sync(
      {.base_url = server.base_url(), .token = server.token()}, uniapi::beast_transport{});
  std::vector<std::string> sync_ids;
  for (auto& item : sync.list_items(ats::attachments, query()))
    sync_ids.push_back(item.value().id);
  CHECK(sync_ids == items_ids);
}

TEST_CASE("async: forty listings run concurrently on one thread within the connection cap") {
  truto_server server({.attachment_count = 120});
  asio::io_context ioc;
  auto c = client_for(ioc, server, {.max_connections_per_origin = 6});
  constexpr int accounts = 40;
  std::vector<std::vector<std::string>> got(accounts);
  std::vector<stream_progress> progress(accounts);
  std::vector<std::optional<uniapi::result<std::size_t>>> results(accounts);
  std::vector<list_query> queries;
  for (int i = 0; i < accounts; ++i)
    queries.push_back(query("acct-" + std::to_string(i), 25));
  std::size_t peak_open = 0;
  for (int i = 0; i < accounts; ++i)
    c.async_for_each_item(
        ats::attachments, queries[i],
        [&, i](ats::attachment& a) {
          got[i].push_back(a.id);
          peak_open = std::max(peak_open, c.transport().connections_open());
        },
        progress[i], [&, i](uniapi::result<std::size_t> r) { results[i] = std::move(r); });
  auto thread = std::this_thread::get_id();
  ioc.run();
  CHECK(std::this_thread::get_id() == thread);
  for (int i = 0; i < accounts; ++i) {
    INFO("account " << i);
    REQUIRE(results[i]);
    REQUIRE(*results[i]);
    CHECK(**results[i] == 120);
    CHECK(got[i] == attachment_ids(120));
  }
  CHECK(peak_open <= 6);
  CHECK(c.transport().connections_opened() == 6);  // every connection reused, none beyond the cap
  CHECK(server.requests_served() == accounts * 5);
}

TEST_CASE("async: a cancelled listing says where to resume, and resuming delivers each item once") {
  truto_server server({.attachment_count = 57});
  asio::io_context ioc;
  auto c = client_for(ioc, server);
  std::vector<std::string> got;
  stream_progress progress;
  asio::cancellation_signal stop;
  auto q = query();
  std::optional<uniapi::result<std::size_t>> first;
  c.async_for_each_item(
      ats::attachments, q,
      [&](ats::attachment& a) {
        got.push_back(a.id);
        if (got.size() == 23) stop.emit(asio::cancellation_type::terminal);
      },
      progress, asio::bind_cancellation_slot(stop.slot(), [&](uniapi::result<std::size_t> r) {
        first = std::move(r);
      }));
  ioc.run();
  ioc.restart();
  REQUIRE(first);
  REQUIRE_FALSE(*first);
  CHECK(first->error().condition() == uniapi::errc::cancelled);
  CHECK_THAT(first->error().message, Catch::Contains("GET /unified/ats/attachments"));
  // Where to resume: the page being read when the cancellation came (items of its chunk
  // already decoded were delivered, and are counted), or the next one.
  CHECK(progress.cursor);
  CHECK(progress.delivered == got.size());
  CHECK(got.size() >= 23);
  CHECK(got.size() < 57);

  std::optional<uniapi::result<std::size_t>> rest;
  c.async_for_each_item(
      ats::attachments, q, [&](ats::attachment& a) { got.push_back(a.id); }, progress,
      [&](uniapi::result<std::size_t> r) { rest = std::move(r); });
  ioc.run();
  REQUIRE(rest);
  REQUIRE(*rest);
  CHECK(got == attachment_ids(57));
  CHECK(progress.delivered == 57);
}

TEST_CASE("async: a cancelled wait for a pooled connection ends at once and frees nothing twice") {
  // Each answer takes 600 ms: the first request holds the only connection that long.
  truto_server server({.attachment_count = 10, .latency = std::chrono::milliseconds(600)});
  asio::io_context ioc;
  auto c = client_for(ioc, server, {.max_connections_per_origin = 1});
  auto q = query("acct-1", 10);
  std::optional<uniapi::result<page_t>> slow, waiting;
  std::optional<std::string> none;
  c.async_list_page(ats::attachments, q, none,
                    [&](uniapi::result<page_t> r) { slow = std::move(r); });
  asio::cancellation_signal stop;
  c.async_list_page(ats::attachments, q, none,
                    asio::bind_cancellation_slot(
                        stop.slot(), [&](uniapi::result<page_t> r) { waiting = std::move(r); }));
  asio::steady_timer t(ioc, std::chrono::milliseconds(100));
  t.async_wait([&](auto) { stop.emit(asio::cancellation_type::terminal); });
  auto start = std::chrono::steady_clock::now();
  while (!waiting)
    ioc.run_one();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE_FALSE(*waiting);
  CHECK(waiting->error().condition() == uniapi::errc::cancelled);
  ioc.run();
  REQUIRE(slow);
  CHECK(*slow);  // the slow one completes normally
}

TEST_CASE("async: per-request timeout, error mapping without the token, completion tokens") {
  truto_server server({.attachment_count = 30});
  asio::io_context ioc;
  auto c = client_for(ioc, server);
  auto q = query();
  std::optional<std::string> none;

  server.inject(fault::slow_body, 1);
  std::optional<uniapi::result<page_t>> timed;
  c.async_list_page(ats::attachments, q, none, {.timeout = std::chrono::milliseconds(300)},
                    [&](uniapi::result<page_t> r) { timed = std::move(r); });
  ioc.run();
  ioc.restart();
  REQUIRE(timed);
  REQUIRE_FALSE(*timed);
  CHECK(timed->error().condition() == uniapi::errc::timeout);

  const std::string secret = "tok_WRONG_SECRET_42";
  async_client_t bad({.base_url = server.base_url(), .token = secret},
                     beast_async_transport(ioc.get_executor()));
  std::optional<uniapi::result<page_t>> denied;
  bad.async_list_page(ats::attachments, q, none,
                      [&](uniapi::result<page_t> r) { denied = std::move(r); });
  ioc.run();
  ioc.restart();
  REQUIRE(denied);
  REQUIRE_FALSE(*denied);
  CHECK(denied->error().condition() == uniapi::errc::api_error);
  CHECK(denied->error().http_status == 401);
  CHECK(denied->error().to_string().find(secret) == std::string::npos);

  // use_future: the I/O runs on another thread while this one waits.
  std::thread io([&] {
    auto guard = asio::make_work_guard(ioc);
    ioc.run_for(std::chrono::seconds(10));
  });
  auto fut = c.async_list_page(ats::attachments, q, none, asio::use_future);
  auto page = fut.get();
  REQUIRE(page);
  CHECK(page->result.size() == 10);
  ats::candidates_resource::get_query gq{.integrated_account_id = account_id("acct-1")};
  std::string want;
  for (const auto& [k, v] : server.record("candidates", 3))
    if (k == "id") want = boost::json::parse(v).as_string().c_str();
  auto rec = c.async_get(ats::candidates, want, gq, asio::use_future).get();
  REQUIRE(rec);
  CHECK(rec->id == want);
  ioc.stop();
  io.join();
  ioc.restart();

  // deferred: nothing is sent until the operation is launched.
  auto served = server.requests_served();
  auto op = c.async_list_page(ats::attachments, q, none, asio::deferred);
  ioc.run();
  ioc.restart();
  CHECK(server.requests_served() == served);
  std::optional<uniapi::result<page_t>> later;
  std::move(op)([&](uniapi::result<page_t> r) { later = std::move(r); });
  ioc.run();
  REQUIRE(later);
  CHECK(*later);
}

TEST_CASE("async: HTTPS with a generated CA works, an untrusted server fails verification") {
  auto pki = uniapi::testing::test_certificates::generate();
  truto_server server({.tls = true,
                       .certificate = pki.server_cert,
                       .private_key = pki.server_key,
                       .attachment_count = 30});
  auto ca = write_temp("uniapi-async-ca", pki.ca_cert);
  asio::io_context ioc;
  auto good = client_for(ioc, server, {.http = {.use_system_ca = false, .ca_file = ca}});
  auto untrusted = client_for(ioc, server);
  std::size_t n = 0;
  run(ioc, [&]() -> asio::awaitable<void> {
    auto q = query("acct-1", 7);
    stream_progress progress;
    auto count = [&](ats::attachment&) { ++n; };
    auto r = co_await good.async_for_each_item(ats::attachments, q, count, progress,
                                               asio::use_awaitable);
    REQUIRE(r);
    std::optional<std::string> none;
    auto bad = co_await untrusted.async_list_page(ats::attachments, q, none, asio::use_awaitable);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().condition() == uniapi::errc::tls_failed);
    CHECK_THAT(bad.error().message, Catch::Contains("certificate"));
  });
  CHECK(n == 30);
  CHECK(good.transport().connections_opened() == 1);
  std::filesystem::remove(ca);
}

TEST_CASE(
    "async: a connection the server closed mid-body is an error, and the next request works") {
  truto_server server({.attachment_count = 30});
  asio::io_context ioc;
  auto c = client_for(ioc, server);
  run(ioc, [&]() -> asio::awaitable<void> {
    auto q = query();
    std::optional<std::string> none;
    server.inject(fault::truncate_body, 1);
    auto cut = co_await c.async_list_page(ats::attachments, q, none, asio::use_awaitable);
    REQUIRE_FALSE(cut);
    CHECK(cut.error().condition() == uniapi::errc::truncated_body);
    server.inject(fault::drop_connection, 1);
    auto dropped = co_await c.async_list_page(ats::attachments, q, none, asio::use_awaitable);
    REQUIRE_FALSE(dropped);
    CHECK(dropped.error().condition() == uniapi::errc::connection_failed);
    auto ok = co_await c.async_list_page(ats::attachments, q, none, asio::use_awaitable);
    CHECK(ok);
  });
}

namespace readme_async {
// The README's "Asynchronous use" snippet, compiled and run.
using client_t = uniapi::truto::async_client<uniapi::beast_async_transport>;
std::map<std::string, std::vector<std::string>> stored;
std::vector<std::string> logged;
void store(const std::string& account, const ats::attachment& a) {
  stored[account].push_back(a.id);
}
void log(const uniapi::error& e, const std::optional<std::string>&) {
  logged.push_back(e.to_string());
}

asio::awaitable<void> sync_account(client_t& client, std::string account) {
  ats::attachments_resource::list_query q{.integrated_account_id =
                                              uniapi::truto::account_id(account)};
  uniapi::stream_progress progress;  // where to resume after an error or a cancellation
  auto on_item = [&](ats::attachment& a) { store(account, a); };
  auto n = co_await client.async_for_each_item(ats::attachments, q, on_item, progress,
                                               asio::use_awaitable);
  if (!n) log(n.error(), progress.cursor);
}
}  // namespace readme_async

TEST_CASE("async: the README snippet syncs three accounts concurrently") {
  truto_server server({.attachment_count = 40});
  asio::io_context ioc;
  readme_async::client_t client({.base_url = server.base_url(), .token = server.token()},
                                beast_async_transport(ioc.get_executor()));
  for (std::string account : {"a1", "a2", "a3"})
    asio::co_spawn(ioc, readme_async::sync_account(client, account), asio::detached);
  ioc.run();
  CHECK(readme_async::logged.empty());
  for (std::string account : {"a1", "a2", "a3"})
    CHECK(readme_async::stored[account] == attachment_ids(40));
}

TEST_CASE("async: a server that does not answer in time is a timeout, and holds no read buffer") {
  truto_server server({.attachment_count = 5, .latency = std::chrono::seconds(3)});
  asio::io_context ioc;
  auto c = client_for(ioc, server);
  auto q = query();
  std::optional<std::string> none;
  uniapi::request_options quick{.timeout = std::chrono::milliseconds(300)};
  std::optional<uniapi::result<page_t>> r;
  auto start = std::chrono::steady_clock::now();
  c.async_list_page(ats::attachments, q, none, quick,
                    [&](uniapi::result<page_t> p) { r = std::move(p); });
  ioc.run();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE(r);
  REQUIRE_FALSE(*r);
  CHECK(r->error().condition() == uniapi::errc::timeout);
  CHECK_THAT(r->error().message, Catch::Contains("no response from"));
}

namespace {
// A user's own asynchronous transport, in a few lines: answers come from a function after a delay
// on an Asio timer; every send is logged with its time.
struct scripted_async_transport {
  using clock = std::chrono::steady_clock;
  struct sent {
    std::string url;
    clock::time_point at;
  };
  asio::any_io_executor ex;
  std::function<uniapi::result<uniapi::http_response>(const uniapi::http_request&)> respond;
  std::chrono::milliseconds delay{0};
  std::shared_ptr<std::vector<sent>> log = std::make_shared<std::vector<sent>>();
  std::shared_ptr<int> in_flight = std::make_shared<int>(0), peak = std::make_shared<int>(0);

  asio::any_io_executor get_executor() { return ex; }
  void async_send(const uniapi::http_request& req, uniapi::body_sink& sink,
                  uniapi::send_handler done) {
    log->push_back({req.url, clock::now()});
    *peak = std::max(*peak, ++*in_flight);
    auto timer = std::make_shared<asio::steady_timer>(ex, delay);
    timer->async_wait([timer, &req, &sink, respond = respond, in_flight = in_flight,
                       done = std::move(done)](boost::system::error_code) mutable {
      --*in_flight;
      auto r = respond(req);
      if (r) {
        if (auto h = sink.on_head({r->status, r->headers, {}}); !h) r = h.error();
        if (r && !r->body.empty())
          if (auto d = sink.on_data(r->body); !d) r = d.error();
        if (r) r->body.clear();
      }
      std::move(done)(std::move(r));
    });
  }
};
static_assert(uniapi::async_transport<scripted_async_transport>);

uniapi::http_response page_response(std::string account, std::optional<std::string> next = {}) {
  auto r = uniapi::testing::fake_transport::json(
      200, R"({"result":[{"id":")" + account + R"("}],"next_cursor":)" +
               (next ? "\"" + *next + "\"" : std::string("null")) + "}");
  return r;
}

std::string account_in(const std::string& url) {
  return uniapi::rate_limited_transport<scripted_async_transport>::account_of(url);
}
}  // namespace

TEST_CASE("async: a user's own transport plugs in, and retries wait on timers, not the thread") {
  asio::io_context ioc;
  int calls = 0;
  scripted_async_transport t{
      ioc.get_executor(), [&](const uniapi::http_request& req) {
        if (account_in(req.url) == "slow" && ++calls <= 2) {
          auto r = uniapi::testing::fake_transport::json(calls == 1 ? 500 : 429,
                                                         R"({"message":"busy"})");
          if (calls == 2) r.headers.set("Retry-After", "1");
          return uniapi::result<uniapi::http_response>(r);
        }
        return uniapi::result<uniapi::http_response>(page_response(account_in(req.url)));
      }};
  auto log = t.log;
  uniapi::retry_policy policy;
  policy.initial_backoff = std::chrono::milliseconds(10);
  using retrying = uniapi::async_retrying_transport<scripted_async_transport>;
  uniapi::truto::async_client<retrying> c({.base_url = "https://api.example.test", .token = "tok"},
                                          retrying(t, policy));
  auto slow = query("slow"), fast = query("fast");
  std::optional<std::string> none;
  using clock = std::chrono::steady_clock;
  std::optional<clock::time_point> slow_done, fast_done;
  std::optional<uniapi::result<page_t>> slow_page;
  auto start = clock::now();
  c.async_list_page(ats::attachments, slow, none, [&](uniapi::result<page_t> r) {
    slow_page = std::move(r);
    slow_done = clock::now();
  });
  c.async_list_page(ats::attachments, fast, none,
                    [&](uniapi::result<page_t>) { fast_done = clock::now(); });
  ioc.run();
  REQUIRE(slow_page);
  REQUIRE(*slow_page);
  CHECK((*slow_page)->result.at(0).id == "slow");
  CHECK(calls == 3);                                            // 500, 429, then the page
  CHECK(*slow_done - start >= std::chrono::milliseconds(990));  // Retry-After: 1 obeyed
  CHECK(*fast_done - start < std::chrono::milliseconds(500));   // meanwhile the thread worked
  CHECK(log->size() == 4);
}

TEST_CASE("rate_limited_transport: a throttled account waits alone, caps and pacing hold") {
  using clock = std::chrono::steady_clock;
  asio::io_context ioc;
  // Account "a" is told it has no requests left for 1 s; "b" never is.
  scripted_async_transport t{ioc.get_executor(), [](const uniapi::http_request& req) {
                               auto r = page_response(account_in(req.url));
                               if (account_in(req.url) == "a") {
                                 r.headers.set("ratelimit-limit", "1;w=1");
                                 r.headers.set("ratelimit-remaining", "0");
                                 r.headers.set("ratelimit-reset", "1");
                               }
                               return uniapi::result<uniapi::http_response>(r);
                             }};
  t.delay = std::chrono::milliseconds(20);
  auto log = t.log;
  auto peak = t.peak;
  using limited = uniapi::rate_limited_transport<scripted_async_transport>;
  uniapi::truto::async_client<limited> c({.base_url = "https://api.example.test", .token = "tok"},
                                         limited(t, {.max_concurrent_per_key = 2}));
  auto qa = query("a"), qb = query("b");
  std::optional<std::string> none;
  int done = 0;
  auto start = clock::now();
  for (int i = 0; i < 2; ++i)
    c.async_list_page(ats::attachments, qa, none, [&](uniapi::result<page_t> r) {
      CHECK(r);
      ++done;
    });
  for (int i = 0; i < 6; ++i)
    c.async_list_page(ats::attachments, qb, none, [&](uniapi::result<page_t> r) {
      CHECK(r);
      ++done;
    });
  ioc.run();
  CHECK(done == 8);
  std::vector<clock::duration> a_at, b_at;
  for (const auto& s : *log)
    (account_in(s.url) == "a" ? a_at : b_at).push_back(s.at - start);
  REQUIRE(a_at.size() == 2);
  REQUIRE(b_at.size() == 6);
  // Both of a's first requests started at once (cap 2); none of a's waited on b or b on a.
  CHECK(a_at[1] < std::chrono::milliseconds(200));
  CHECK(b_at.back() < std::chrono::milliseconds(300));  // 3 rounds of 2 at 20 ms
  CHECK(*peak <= 4);                                    // 2 per key

  // After "remaining 0, reset 1 s", a's next request waits about a second; b's does not.
  auto again = clock::now();
  std::optional<clock::time_point> a_next, b_next;
  c.async_list_page(ats::attachments, qa, none,
                    [&](uniapi::result<page_t>) { a_next = clock::now(); });
  c.async_list_page(ats::attachments, qb, none,
                    [&](uniapi::result<page_t>) { b_next = clock::now(); });
  ioc.restart();
  ioc.run();
  REQUIRE(a_next);
  REQUIRE(b_next);
  CHECK(*b_next - again < std::chrono::milliseconds(300));
  CHECK(*a_next - again >= std::chrono::milliseconds(700));

  // Pacing: 10 requests per second for one key.
  scripted_async_transport t2{
      ioc.get_executor(), [](const uniapi::http_request& req) {
        return uniapi::result<uniapi::http_response>(page_response(account_in(req.url)));
      }};
  auto log2 = t2.log;
  uniapi::truto::async_client<limited> paced(
      {.base_url = "https://api.example.test", .token = "tok"},
      limited(t2, {.requests_per_second = 10}));
  for (int i = 0; i < 5; ++i)
    paced.async_list_page(ats::attachments, qb, none, [](uniapi::result<page_t>) {});
  ioc.restart();
  ioc.run();
  REQUIRE(log2->size() == 5);
  CHECK((*log2)[4].at - (*log2)[0].at >= std::chrono::milliseconds(380));
}

TEST_CASE("async: the Merge client runs on the same asynchronous machinery") {
  uniapi::testing::merge_server server({.records_per_resource = 30});
  asio::io_context ioc;
  uniapi::merge::async_client<beast_async_transport> c({.base_url = server.base_url(),
                                                        .api_key = server.api_key(),
                                                        .account_token = server.account_token()},
                                                       beast_async_transport(ioc.get_executor()));
  std::size_t n = 0;
  run(ioc, [&]() -> asio::awaitable<void> {
    uniapi::merge::ats::attachments_resource::list_query q{.page_size = 7};
    stream_progress progress;
    auto count = [&](uniapi::merge::ats::attachment&) { ++n; };
    auto r = co_await c.async_for_each_item(uniapi::merge::ats::attachments, q, count, progress,
                                            asio::use_awaitable);
    REQUIRE(r);
  });
  CHECK(n == 30);
}

TEST_CASE("async: Proxy API resources, named at run time, list, stream and get") {
  truto_server server({.records_per_resource = 23});
  asio::io_context ioc;
  auto c = client_for(ioc, server);
  auto jobs = uniapi::truto::proxy_resource("jobs");
  std::vector<std::int64_t> paged, streamed;
  run(ioc, [&]() -> asio::awaitable<void> {
    uniapi::truto::list_query<> q{.integrated_account_id = uniapi::truto::account_id("acct"),
                                  .limit = 6};
    std::optional<std::string> cursor;
    for (;;) {
      auto p = co_await c.async_list_page(jobs, q, cursor, asio::use_awaitable);
      REQUIRE(p);
      for (auto& j : p->result)
        paged.push_back(j.at("id").as_int64());
      if (!p->next_cursor) break;
      cursor = p->next_cursor;
    }
    stream_progress progress;
    auto on_item = [&](boost::json::value& j) { streamed.push_back(j.at("id").as_int64()); };
    auto n = co_await c.async_for_each_item(jobs, q, on_item, progress, asio::use_awaitable);
    REQUIRE(n);
    CHECK(*n == 23);
    uniapi::truto::request_query<> one{.integrated_account_id = uniapi::truto::account_id("acct")};
    auto j = co_await c.async_get(jobs, "52004", one, asio::use_awaitable);
    REQUIRE(j);
    CHECK(j->at("requisition_id") == "REQ-4");
  });
  REQUIRE(paged.size() == 23);
  CHECK(paged == streamed);

  // The Custom API and unified meta, asynchronously.
  std::string reply;
  uniapi::byte_sink sink = [&](std::string_view b) -> uniapi::result<void> {
    reply.append(b);
    return {};
  };
  std::optional<uniapi::truto::method_meta> meta;
  run(ioc, [&]() -> asio::awaitable<void> {
    uniapi::truto::request_query<> q{.integrated_account_id = uniapi::truto::account_id("acct")};
    uniapi::call_options co{.idempotency_key = "k-7"};
    auto sent = co_await c.async_send_raw(
        uniapi::http_method::post, uniapi::truto::custom_path("/v1/reports"), q, R"({"a":1})",
        "application/json", sink, co, asio::use_awaitable);
    REQUIRE(sent);
    auto m = co_await c.async_fetch_json<uniapi::truto::method_meta>(
        uniapi::http_method::get, uniapi::truto::meta_path("ats", "jobs", "get"), q,
        uniapi::request_options{}, asio::use_awaitable);
    REQUIRE(m);
    meta = std::move(*m);
  });
  auto echoed = uniapi::truto::custom_result(reply);
  REQUIRE(echoed);
  CHECK(echoed->at("method") == "POST");
  CHECK(echoed->at("body").at("a") == 1);
  REQUIRE(meta);
  CHECK(meta->method == "get");
  CHECK(paged.front() == 52000);
  CHECK(paged.back() == 520022);
}

TEST_CASE("async: for_each_page hands each page once and resumes at the failed page") {
  truto_server server({.attachment_count = 57});
  asio::io_context ioc;
  auto c = client_for(ioc, server);
  stream_progress progress;
  std::vector<std::string> ids;
  server.inject(fault::drop_connection);
  auto on_page = [&](page_t& p) {
    for (auto& a : p.result)
      ids.push_back(a.id);
  };
  auto q = query("acct-1", 10);
  std::optional<uniapi::result<std::size_t>> first, second;
  c.async_for_each_page(ats::attachments, q, on_page, progress, {},
                        [&](uniapi::result<std::size_t> r) { first = std::move(r); });
  ioc.run();
  ioc.restart();
  REQUIRE(first);
  REQUIRE_FALSE(*first);
  CHECK(ids.empty());
  c.async_for_each_page(ats::attachments, q, on_page, progress, {},
                        [&](uniapi::result<std::size_t> r) { second = std::move(r); });
  ioc.run();
  REQUIRE(second);
  REQUIRE(*second);
  CHECK(**second == 6);
  CHECK(progress.delivered == 57);
  CHECK(ids == attachment_ids(57));
}

TEST_CASE("async: an operation cancelled before its first request sends nothing") {
  truto_server server;
  asio::io_context ioc;
  auto c = client_for(ioc, server);
  auto q = query();
  std::optional<uniapi::result<page_t>> r;
  std::optional<std::string> none;
  asio::cancellation_signal stop;
  c.async_list_page(ats::attachments, q, none,
                    asio::bind_cancellation_slot(
                        stop.slot(), [&](uniapi::result<page_t> p) { r = std::move(p); }));
  stop.emit(asio::cancellation_type::terminal);  // before the coroutine has run at all
  ioc.run();
  REQUIRE(r);
  REQUIRE_FALSE(*r);
  CHECK(r->error().condition() == uniapi::errc::cancelled);
  CHECK_THAT(r->error().message, Catch::StartsWith("GET /unified/ats/attachments: cancelled"));
  CHECK(server.server().requests_served() == 0);
}
