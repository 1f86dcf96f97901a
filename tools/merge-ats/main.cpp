// merge-ats — Merge.dev's ATS API (candidates, applications, attachments, jobs) from the command
// line, built on uniapi from the same source as truto-ats (tools/cli/).
//
//   merge-ats [--base-url URL] [--api-key KEY] [--account-token TOKEN] [--ca-file PEM]
//             [--timeout SECONDS] [--retries N] COMMAND
//   COMMAND:  list RESOURCE [--query key=value]... [--page-size N] [--max-items N]
//             get RESOURCE ID [--query key=value]...
//             resources
//
// The API key and account token default to MERGE_API_KEY and MERGE_ACCOUNT_TOKEN. --base-url is
// the origin; /api/ats/v1/... is appended. With neither an API key nor --base-url it serves
// itself from the embedded Merge server. Output: one JSON object per line. Exit codes: 0 ok,
// 1 API error, 2 usage, 3 transport, 4 decode.
#include "../cli/errors.hpp"
#include "../cli/flags.hpp"
#include "../cli/output.hpp"
#include "../cli/query.hpp"
#include "../cli/records.hpp"
#include "../cli/transport.hpp"

#include <uniapi/merge/ats.hpp>
#include <uniapi/merge/testing/merge_server.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace ats = uniapi::merge::ats;
using cli::fail_usage;
using cli::parse_number;
using enum cli::exit_code;

using client_t = uniapi::merge::client<cli::transport_t>;

// `--query key=value` as in truto-ats (see cli::apply_query); the page size has a flag of its own.
template <class Query>
void apply_queries(Query& q, const std::vector<std::string>& queries) {
  for (const auto& kv : queries)
    cli::apply_query(q, kv, {{"page_size", "--page-size"}, {"cursor", "the cursor"}});
}

int list_command(client_t& c, const std::vector<std::string>& args) {
  return cli::list_command<ats::all_resources>(c, args, [](auto r, const cli::list_args& a) {
    typename decltype(r)::list_query q;
    if (a.page_size) q.page_size = *a.page_size;
    apply_queries(q, a.queries);
    return q;
  });
}

int get_command(client_t& c, const std::vector<std::string>& args) {
  return cli::get_command<ats::all_resources>(c, args, [](auto r, const cli::get_args& a) {
    typename decltype(r)::get_query q;
    apply_queries(q, a.queries);
    return q;
  });
}

constexpr const char* usage_text =
    "usage: merge-ats [--base-url URL] [--api-key KEY] [--account-token TOKEN] [--ca-file PEM]\n"
    "                 [--timeout SECONDS] [--retries N] COMMAND\n"
    "  list RESOURCE [--query key=value]... [--page-size N] [--max-items N]\n"
    "  get RESOURCE ID [--query key=value]...\n"
    "  resources\n"
    "The API key and account token default to MERGE_API_KEY and MERGE_ACCOUNT_TOKEN. --base-url\n"
    "is the origin (/api/ats/v1/... is appended). With neither an API key nor --base-url, an\n"
    "embedded local server answers.\n";

int run(int argc, char** argv) {
  std::optional<std::string> api_key, account_token;
  cli::global_flags s = cli::parse_global_flags(
      argc, argv, 2, {{"--api-key", &api_key}, {"--account-token", &account_token}});
  const std::string command = s.args[0];
  std::vector<std::string> rest(s.args.begin() + 1, s.args.end());
  if (command == "resources") {
    if (!rest.empty()) fail_usage("resources takes no arguments");
    cli::print_resources<ats::all_resources>();
    return ok;
  }
  if (command != "list" && command != "get") fail_usage("unknown command \"" + command + "\"");
  // Check the command line before any request (and before starting a server).
  if (command == "list")
    (void)cli::parse_list_args(rest);
  else
    (void)cli::parse_get_args(rest);

  if (!api_key) api_key = cli::env("MERGE_API_KEY");
  if (!account_token) account_token = cli::env("MERGE_ACCOUNT_TOKEN");
  std::unique_ptr<uniapi::testing::merge_server> embedded;
  if (!api_key && !s.base_url) {
    embedded = std::make_unique<uniapi::testing::merge_server>();
    s.base_url = embedded->base_url();
    api_key = embedded->api_key();
    account_token = embedded->account_token();
    std::cerr << "merge-ats: no MERGE_API_KEY and no --base-url: using the embedded local server "
                 "at "
              << *s.base_url << '\n';
  }
  if (!api_key || api_key->empty()) fail_usage("no API key: pass --api-key or set MERGE_API_KEY");
  if (!account_token || account_token->empty())
    fail_usage("no account token: pass --account-token or set MERGE_ACCOUNT_TOKEN");

  uniapi::retry_policy policy;
  // Merge: 429 and 503 are temporary; other 4xx and 500 are not retried.
  policy.retry_on_status = [](int status) { return status == 429 || status == 503; };
  client_t c({.base_url = s.base_url.value_or("https://api.merge.dev"),
              .api_key = *api_key,
              .account_token = *account_token},
             cli::make_transport(s, std::move(policy)));

  if (command == "list") return list_command(c, rest);
  return get_command(c, rest);
}

}  // namespace

int main(int argc, char** argv) {
  cli::tool_name = "merge-ats";
  return cli::guarded_main(usage_text, [&] { return run(argc, argv); });
}
