// `proxy`: a provider's own resources through Truto's Proxy API.
#ifndef UNIAPI_TOOLS_TRUTO_ATS_PROXY_HPP
#define UNIAPI_TOOLS_TRUTO_ATS_PROXY_HPP

#include "common.hpp"

#include <uniapi/truto/proxy.hpp>

#include <string>
#include <vector>

namespace truto_ats {

/// `proxy list|get RESOURCE ...`: a provider's own resource through Truto's Proxy API
/// (`/proxy/{resource}`), each record printed as the provider sent it, one JSON object per line.
/// Truto's own parameters are read as for the unified resources; every other key is the
/// provider's and goes out as given.
inline int proxy_command(client_t& c, const std::string& account,
                         const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "list" && args[0] != "get"))
    fail_usage("proxy needs list RESOURCE or get RESOURCE ID");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "list") {
    cli::list_args a = cli::parse_list_args(rest);
    uniapi::truto::list_query<> q{.integrated_account_id = uniapi::truto::account_id(account)};
    for (const auto& kv : a.queries)
      apply_query(q, kv, cli::unknown_keys::quiet);
    if (a.page_size) q.limit = *a.page_size;
    return cli::stream_list(c, uniapi::truto::proxy_resource(a.resource), std::move(q),
                            a.max_items);
  }
  cli::get_args a = cli::parse_get_args(rest);
  uniapi::truto::request_query<> q{.integrated_account_id = uniapi::truto::account_id(account)};
  for (const auto& kv : a.queries)
    apply_query(q, kv, cli::unknown_keys::quiet);
  return cli::print_record(c, uniapi::truto::proxy_resource(a.resource), a.id, std::move(q));
}

}  // namespace truto_ats

#endif
