// Counts the attachments of several integrated accounts at once, on one thread, with the
// asynchronous client: one coroutine per account, each request paced per account and retried.
//
//   async_accounts [ACCOUNT...]                           (embedded local server)
//   TRUTO_API_TOKEN=... async_accounts ACCOUNT...         (api.truto.one)
#include <uniapi/transport/async/async_retrying_transport.hpp>
#include <uniapi/transport/async/rate_limited_transport.hpp>
#include <uniapi/transport/beast/beast_async_transport.hpp>
#include <uniapi/truto/async_client.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace ats = uniapi::truto::ats;

using transport_t =
    uniapi::async_retrying_transport<uniapi::rate_limited_transport<uniapi::beast_async_transport>>;
using client_t = uniapi::truto::async_client<transport_t>;

asio::awaitable<void> count_attachments(client_t& client, std::string account, int& failures) {
  // A named query, not a braced temporary in the co_await expression (GCC 12: see README).
  ats::attachments_resource::list_query q{.integrated_account_id =
                                              uniapi::truto::account_id(account)};
  uniapi::stream_progress progress;
  std::size_t n = 0;
  auto on_item = [&](ats::attachment&) { ++n; };
  auto r = co_await client.async_for_each_item(ats::attachments, q, on_item, progress,
                                               asio::use_awaitable);
  if (!r) {
    ++failures;
    std::cerr << account << ": " << r.error() << " (resume at "
              << progress.cursor.value_or("the first page") << ")\n";
    co_return;
  }
  std::cout << account << ": " << n << " attachments in " << progress.pages << " pages\n";
}

int main(int argc, char** argv) {
  std::vector<std::string> accounts(argv + 1, argv + argc);
  if (accounts.empty()) accounts = {"demo-1", "demo-2", "demo-3"};
  std::unique_ptr<uniapi::testing::truto_server> local;
  uniapi::truto::profile profile;
  if (const char* token = std::getenv("TRUTO_API_TOKEN")) {
    profile.token = token;
  } else {
    local = std::make_unique<uniapi::testing::truto_server>();
    profile.base_url = local->base_url();
    profile.token = local->token();
  }

  asio::io_context ioc(1);
  client_t client(
      profile,
      transport_t(uniapi::rate_limited_transport<uniapi::beast_async_transport>(
          uniapi::beast_async_transport(ioc.get_executor()), {.max_concurrent_per_key = 1})));
  int failures = 0;
  for (const auto& account : accounts)
    asio::co_spawn(ioc, count_attachments(client, account, failures), asio::detached);
  ioc.run();
  return failures ? 1 : 0;
}
