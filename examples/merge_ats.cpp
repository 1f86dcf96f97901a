// merge-ats — Merge.dev's ATS API (candidates, applications, attachments, jobs) from the command
// line, built on uniapi from the same source as truto-ats (cli/common.hpp).
//
//   merge-ats [--base-url URL] [--api-key KEY] [--account-token TOKEN] [--ca-file PEM]
//             [--timeout SECONDS] [--retries N] COMMAND
//   COMMAND:  list RESOURCE [--query key=value]... [--page-size N] [--max-items N]
//             get RESOURCE ID [--query key=value]...
//             resources
//
// The API key and account token default to MERGE_API_KEY and MERGE_ACCOUNT_TOKEN. --base-url is
// the origin; /api/ats/v1/... is appended. With neither an API key nor --base-url it serves
// itself from the embedded local server. Output: one JSON object per line. Exit codes: 0 ok,
// 1 API error, 2 usage, 3 transport, 4 decode.
#include "cli/common.hpp"

#include <uniapi/merge/ats.hpp>
#include <uniapi/retrying_transport.hpp>
#include <uniapi/testing/merge_server.hpp>
#include <uniapi/transport/beast_transport.hpp>

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

using transport_t = uniapi::retrying_transport<uniapi::beast_transport>;
using client_t = uniapi::merge::client<transport_t>;

struct settings {
  std::optional<std::string> base_url, api_key, account_token, ca_file;
  std::optional<long long> timeout_seconds;
  long long retries = 2;
  std::vector<std::string> args;  // the command and its arguments
};

// Every --query pair goes out verbatim (`key=value`, bracket keys kept), after the tool's own.
template <class Query>
void apply_queries(Query& q, const std::vector<std::string>& queries) {
  for (const auto& kv : queries) {
    // Named variables, not a structured binding: clang 14 cannot capture bindings in a lambda.
    auto pair = cli::split_pair(kv);
    std::string key = std::move(pair.first), value = std::move(pair.second);
    if (key.find_first_of("[]") != std::string::npos) {
      uniapi::query_string probe;
      if (!probe.add_bracketed(key, value))
        fail_usage("unbalanced brackets in query key \"" + key + "\"");
    }
    q.extra_params.emplace_back(std::move(key), std::move(value));
  }
}

int list_command(client_t& c, const std::vector<std::string>& args) {
  cli::list_args a = cli::parse_list_args(args);
  int rc = ok;
  cli::with_resource<ats::all_resources>(a.resource, [&](auto r) {
    using R = decltype(r);
    if constexpr (!uniapi::listable<R>) {
      fail_usage(std::string(R::name) + " has no list method");
    } else {
      typename R::list_query q;
      if (a.page_size) q.page_size = *a.page_size;
      apply_queries(q, a.queries);
      rc = cli::stream_list(c, r, std::move(q), a.max_items);
    }
  });
  return rc;
}

int get_command(client_t& c, const std::vector<std::string>& args) {
  cli::get_args a = cli::parse_get_args(args);
  int rc = ok;
  cli::with_resource<ats::all_resources>(a.resource, [&](auto r) {
    using R = decltype(r);
    if constexpr (!uniapi::gettable<R>) {
      fail_usage(std::string(R::name) + " has no get method");
    } else {
      typename R::get_query q;
      apply_queries(q, a.queries);
      rc = cli::print_record(c, r, a.id, std::move(q));
    }
  });
  return rc;
}

settings parse_settings(int argc, char** argv) {
  settings s;
  int i = 1;
  auto value = [&](const std::string& flag) -> std::string {
    if (i + 1 >= argc) fail_usage(flag + " needs a value");
    i += 2;
    return argv[i - 1];
  };
  while (i < argc) {
    std::string a = argv[i];
    if (a == "--base-url")
      s.base_url = value(a);
    else if (a == "--api-key")
      s.api_key = value(a);
    else if (a == "--account-token")
      s.account_token = value(a);
    else if (a == "--ca-file")
      s.ca_file = value(a);
    else if (a == "--timeout")
      s.timeout_seconds = parse_number(a, value(a), 1);
    else if (a == "--retries")
      s.retries = parse_number(a, value(a), 0);
    else if (a == "-h" || a == "--help")
      fail_usage("");
    else if (a.rfind("--", 0) == 0)
      fail_usage("unknown option \"" + a + "\"");
    else
      break;
  }
  for (; i < argc; ++i)
    s.args.emplace_back(argv[i]);
  if (s.args.empty()) fail_usage("missing command");
  return s;
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
  settings s = parse_settings(argc, argv);
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

  if (!s.api_key) s.api_key = cli::env("MERGE_API_KEY");
  if (!s.account_token) s.account_token = cli::env("MERGE_ACCOUNT_TOKEN");
  std::unique_ptr<uniapi::testing::merge_server> embedded;
  if (!s.api_key && !s.base_url) {
    embedded = std::make_unique<uniapi::testing::merge_server>();
    s.base_url = embedded->base_url();
    s.api_key = embedded->api_key();
    s.account_token = embedded->account_token();
    std::cerr << "merge-ats: no MERGE_API_KEY and no --base-url: using the embedded local server "
                 "at "
              << *s.base_url << '\n';
  }
  if (!s.api_key || s.api_key->empty())
    fail_usage("no API key: pass --api-key or set MERGE_API_KEY");
  if (!s.account_token || s.account_token->empty())
    fail_usage("no account token: pass --account-token or set MERGE_ACCOUNT_TOKEN");

  uniapi::beast_transport_options topts;
  if (s.ca_file) topts.ca_file = *s.ca_file;
  if (s.timeout_seconds) {
    topts.request_timeout = std::chrono::seconds(*s.timeout_seconds);
    topts.connect_timeout = std::min(topts.connect_timeout, topts.request_timeout);
  }
  uniapi::retry_policy policy;
  policy.max_attempts = static_cast<int>(s.retries + 1);
  // Merge: 429 and 503 are temporary; other 4xx and 500 are not retried.
  policy.retry_on_status = [](int status) { return status == 429 || status == 503; };
  policy.on_retry = [](const uniapi::retry_event& e) {
    std::cerr << "merge-ats: attempt " << e.attempt << " failed (" << e.reason << "), retrying in "
              << e.delay.count() << " ms\n";
  };
  client_t c({.base_url = s.base_url.value_or("https://api.merge.dev"),
              .api_key = *s.api_key,
              .account_token = *s.account_token},
             transport_t(uniapi::beast_transport(topts), policy));

  if (command == "list") return list_command(c, rest);
  return get_command(c, rest);
}

}  // namespace

int main(int argc, char** argv) {
  cli::tool_name = "merge-ats";
  return cli::guarded_main(usage_text, [&] { return run(argc, argv); });
}
