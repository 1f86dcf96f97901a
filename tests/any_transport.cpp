// The type-erased transports: one client type over the Beast transports (HTTP over loopback), a
// decorator stack over them, or a test double, chosen at run time.
#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/transport/any_transport.hpp>
#include <uniapi/transport/async/any_async_transport.hpp>
#include <uniapi/transport/async/async_retrying_transport.hpp>
#include <uniapi/transport/beast/beast_async_transport.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/transport/retrying_transport.hpp>
#include <uniapi/truto/async_client.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/client.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include "support.hpp"

#include <boost/asio/io_context.hpp>

#include <string>
#include <vector>

namespace {

namespace ats = uniapi::truto::ats;
using uniapi::any_async_transport;
using uniapi::any_transport;
using uniapi::testing::fault;
using uniapi::testing::truto_server;
using client_t = uniapi::truto::client<any_transport>;
using async_client_t = uniapi::truto::async_client<any_async_transport>;

// Code that uses a client without being a template: what the erasure is for.
std::vector<std::string> all_ids(client_t& c) {
  std::vector<std::string> ids;
  for (auto& a :
       c.list_items(ats::attachments,
                    {.integrated_account_id = uniapi::truto::account_id("acct"), .limit = 10}))
    ids.push_back(a ? a->id : "error: " + a.error().to_string());
  return ids;
}

// A transport larger than the in-place storage, to be held on the heap.
struct large_transport {
  uniapi::testing::fake_transport inner;
  char padding[256] = {};
  uniapi::result<uniapi::http_response> send(const uniapi::http_request& r) {
    return inner.send(r);
  }
};

}  // namespace

TEST_CASE("any_transport: one client type over the Beast transport and over a fake") {
  truto_server server({.attachment_count = 23});
  client_t live({.base_url = server.base_url(), .token = server.token()},
                uniapi::beast_transport());
  CHECK(all_ids(live) == uniapi_test::attachment_ids(23));
  REQUIRE(live.transport().target<uniapi::beast_transport>());
  CHECK(live.transport().target<uniapi::beast_transport>()->connections_opened() == 1);
  CHECK_FALSE(live.transport().target<uniapi::testing::fake_transport>());

  uniapi::testing::fake_transport fake([](const uniapi::http_request&) {
    return uniapi::testing::fake_transport::json(
        200, R"({"result":[{"id":"f1"},{"id":"f2"}],"next_cursor":null})");
  });
  client_t test({.base_url = "https://api.truto.one", .token = "t"}, fake);
  CHECK(all_ids(test) == std::vector<std::string>{"f1", "f2"});
  CHECK(fake.requests().size() == 1);

  // Moved, a held transport keeps working; a stack of decorators is one transport too.
  client_t moved = std::move(test);
  CHECK(all_ids(moved) == std::vector<std::string>{"f1", "f2"});
  server.inject(fault::internal_error);
  server.inject(fault::drop_connection);
  client_t retried({.base_url = server.base_url(), .token = server.token()},
                   uniapi::retrying_transport(uniapi::beast_transport(),
                                              {.initial_backoff = std::chrono::milliseconds(1)}));
  CHECK(all_ids(retried) == uniapi_test::attachment_ids(23));
  CHECK(retried.transport().target<uniapi::retrying_transport<uniapi::beast_transport>>());
}

TEST_CASE("any_transport: a transport too large to hold in place lives on the heap") {
  static_assert(!uniapi::detail::erased_object<int>::stored_inline<large_transport>);
  static_assert(uniapi::detail::erased_object<int>::stored_inline<uniapi::beast_transport>);
  large_transport big{uniapi::testing::fake_transport([](const uniapi::http_request&) {
    return uniapi::testing::fake_transport::json(200, R"({"result":[{"id":"x"}]})");
  })};
  any_transport t(big);
  any_transport moved(std::move(t));
  client_t c({.token = "t"}, std::move(moved));
  CHECK(all_ids(c) == std::vector<std::string>{"x"});
  REQUIRE(c.transport().target<large_transport>());
  CHECK(c.transport().target<large_transport>()->inner.requests().size() == 1);
}

TEST_CASE("any_async_transport: one async client type over Beast and over a retrying stack") {
  truto_server server({.attachment_count = 23});
  boost::asio::io_context ioc;
  auto list = [&](async_client_t& c) {
    std::vector<std::string> ids;
    uniapi::stream_progress progress;
    std::optional<uniapi::result<std::size_t>> done;
    auto q = ats::attachments_resource::list_query{
        .integrated_account_id = uniapi::truto::account_id("acct"), .limit = 10};
    c.async_for_each_item(
        ats::attachments, q, [&](ats::attachment& a) { ids.push_back(a.id); }, progress,
        [&](uniapi::result<std::size_t> r) { done = std::move(r); });
    ioc.run();
    ioc.restart();
    REQUIRE(done);
    CHECK(*done);
    return ids;
  };
  async_client_t plain({.base_url = server.base_url(), .token = server.token()},
                       uniapi::beast_async_transport(ioc.get_executor()));
  CHECK(plain.get_executor() == boost::asio::any_io_executor(ioc.get_executor()));
  CHECK(list(plain) == uniapi_test::attachment_ids(23));
  REQUIRE(plain.transport().target<uniapi::beast_async_transport>());

  server.inject(fault::drop_connection);
  async_client_t retried(
      {.base_url = server.base_url(), .token = server.token()},
      uniapi::async_retrying_transport(uniapi::beast_async_transport(ioc.get_executor()),
                                       {.initial_backoff = std::chrono::milliseconds(1)}));
  CHECK(list(retried) == uniapi_test::attachment_ids(23));
}
