// truto-ats — the Truto Unified ATS API from the command line, built on uniapi.
//
//   truto-ats [--base-url URL] [--token TOKEN] [--account ID] [--ca-file PEM]
//             [--timeout SECONDS] [--retries N] COMMAND ...
//   COMMAND:  list RESOURCE [--query key=value]... [--page-size N] [--max-items N]
//             get RESOURCE ID [--query key=value]...
//             proxy list RESOURCE [--query key=value]... [--page-size N] [--max-items N]
//             proxy get RESOURCE ID [--query key=value]...
//             custom METHOD PATH [--body FILE] [--query key=value]...
//             meta RESOURCE METHOD
//             create RESOURCE --body FILE [--idempotency-key KEY]
//             download --file-url URL --output FILE
//             move-stage --body FILE | reject --body FILE   [--idempotency-key KEY]
//             resources
//             verify-webhook --secret-env VAR --signature HEADER_VALUE --body FILE [--max-age S]
//             sync RESOURCE --accounts-file FILE --output-dir DIR [--concurrency N]
//                  [--page-size N] [--query key=value]... [--shard K/N]
//
// With no token and no --base-url it serves itself from the embedded Truto server. One header per
// command group: records.hpp, writes.hpp, proxy.hpp, custom_api.hpp, webhook.hpp, and sync.cpp
// (the asynchronous client, compiled apart).
// Output: one JSON object per line. Exit codes: 0 ok, 1 API error, 2 usage, 3 transport,
// 4 decode.
#include "common.hpp"
#include "custom_api.hpp"
#include "proxy.hpp"
#include "records.hpp"
#include "sync.hpp"
#include "webhook.hpp"
#include "writes.hpp"

#include <uniapi/truto/testing/truto_server.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace truto_ats {
namespace {

constexpr const char* usage_text =
    "usage: truto-ats [--base-url URL] [--token TOKEN] [--account ID] [--ca-file PEM]\n"
    "                 [--timeout SECONDS] [--retries N] COMMAND\n"
    "  list RESOURCE [--query key=value]... [--page-size N] [--max-items N]\n"
    "  get RESOURCE ID [--query key=value]...\n"
    "  proxy list RESOURCE [--query key=value]... [--page-size N] [--max-items N]\n"
    "  proxy get RESOURCE ID [--query key=value]...\n"
    "  custom METHOD PATH [--body FILE] [--query key=value]...\n"
    "  meta RESOURCE METHOD\n"
    "  create RESOURCE --body FILE [--idempotency-key KEY]\n"
    "  download --file-url URL --output FILE\n"
    "  move-stage --body FILE | reject --body FILE   [--idempotency-key KEY]\n"
    "  resources\n"
    "  verify-webhook --secret-env VAR --signature HEADER_VALUE --body FILE [--max-age S]\n"
    "  sync RESOURCE --accounts-file FILE --output-dir DIR [--concurrency N] [--page-size N]\n"
    "       [--query key=value]... [--shard K/N]\n"
    "Token and account default to TRUTO_API_TOKEN and TRUTO_INTEGRATED_ACCOUNT_ID. With neither\n"
    "a token nor --base-url, an embedded local server answers.\n";

int run(int argc, char** argv) {
  std::optional<std::string> token, account;
  cli::global_flags s =
      cli::parse_global_flags(argc, argv, -1, {{"--token", &token}, {"--account", &account}});
  const std::string command = s.args[0];
  std::vector<std::string> rest(s.args.begin() + 1, s.args.end());
  // --retries defaults to 2 for sync, 0 for the one-request commands.
  if (s.retries < 0) s.retries = command == "sync" ? 2 : 0;
  if (command == "resources") return resources_command();
  if (command == "verify-webhook") return verify_webhook_command(rest);
  if (command == "sync") {
    if (!token) token = cli::env("TRUTO_API_TOKEN");
    return sync_command(s, token, rest);
  }
  if (command != "list" && command != "get" && command != "create" && command != "download" &&
      command != "proxy" && command != "custom" && command != "meta" && !is_custom_method(command))
    fail_usage("unknown command \"" + command + "\"");

  if (!token) token = cli::env("TRUTO_API_TOKEN");
  if (!account) account = cli::env("TRUTO_INTEGRATED_ACCOUNT_ID");
  std::unique_ptr<uniapi::testing::truto_server> embedded;
  if (!token && !s.base_url) {
    embedded = std::make_unique<uniapi::testing::truto_server>();
    s.base_url = embedded->base_url();
    token = embedded->token();
    if (!account) account = "local-demo-account";
    std::cerr << "truto-ats: no TRUTO_API_TOKEN and no --base-url: using the embedded local "
                 "server at "
              << *s.base_url << '\n';
  }
  if (!token) fail_usage("no token: pass --token or set TRUTO_API_TOKEN");
  if (!account || account->empty())
    fail_usage("no account: pass --account or set TRUTO_INTEGRATED_ACCOUNT_ID");

  client_t c({.base_url = s.base_url.value_or("https://api.truto.one"), .token = *token},
             cli::make_transport(s));

  if (command == "list") return list_command(c, *account, rest);
  if (command == "get") return get_command(c, *account, rest);
  if (command == "create") return create_command(c, *account, rest);
  if (command == "download") return download_command(c, *account, rest);
  if (command == "proxy") return proxy_command(c, *account, rest);
  if (command == "custom") return custom_api_command(c, *account, rest);
  if (command == "meta") return meta_command(c, *account, rest);
  return custom_method_command(c, *account, command, rest);
}

}  // namespace
}  // namespace truto_ats

int main(int argc, char** argv) {
  cli::tool_name = "truto-ats";
  return cli::guarded_main(truto_ats::usage_text, [&] { return truto_ats::run(argc, argv); });
}
