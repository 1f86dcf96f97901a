// `truto-ats sync`: the asynchronous client, the sync run and the embedded server, in a
// translation unit of their own.
#include "sync.hpp"

#include "../cli/sync.hpp"
#include "common.hpp"

#include <uniapi/truto/async_client.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace truto_ats {

/// `sync RESOURCE ...`: every record of RESOURCE for every account of the accounts file,
/// concurrently, into DIR/<account>.jsonl; resumable (see cli/sync_files.hpp). Usage errors come
/// before any request.
int sync_command(cli::global_flags& s, std::optional<std::string> token,
                 const std::vector<std::string>& args) {
  cli::sync_args a = cli::parse_sync_args(args);
  bool listable = false;
  with_resource(a.resource, [&](auto r) { listable = uniapi::listable<decltype(r)>; });
  if (!listable) fail_usage(a.resource + " has no list method");
  auto accounts = cli::read_accounts(*a.accounts_file, a.shard, a.shards);
  std::filesystem::path dir(*a.output_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail_usage("cannot create " + dir.string() + ": " + ec.message());

  std::unique_ptr<uniapi::testing::truto_server> embedded;
  if (!token && !s.base_url) {
    embedded = std::make_unique<uniapi::testing::truto_server>();
    s.base_url = embedded->base_url();
    token = embedded->token();
    std::cerr << "truto-ats: no TRUTO_API_TOKEN and no --base-url: using the embedded local "
                 "server at "
              << *s.base_url << '\n';
  }
  if (!token) fail_usage("no token: pass --token or set TRUTO_API_TOKEN");
  boost::asio::io_context ioc(1);
  auto concurrency = static_cast<std::size_t>(a.concurrency);
  uniapi::truto::async_client<cli::async_transport_t> c(
      {.base_url = s.base_url.value_or("https://api.truto.one"), .token = *token},
      cli::make_async_transport(ioc, s, concurrency));
  int rc = ok;
  with_resource(a.resource, [&](auto r) {
    using R = decltype(r);
    if constexpr (uniapi::listable<R>) {
      rc = cli::run_sync(ioc, c, r, accounts, dir, concurrency, [&](const std::string& account) {
        typename R::list_query q{.integrated_account_id = uniapi::truto::account_id(account)};
        for (const auto& kv : a.queries)
          apply_query(q, kv);
        if (a.page_size) q.limit = *a.page_size;
        return q;
      });
    }
  });
  return rc;
}

}  // namespace truto_ats
