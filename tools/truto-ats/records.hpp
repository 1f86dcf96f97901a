// `list`, `get`: the unified resources' records as JSON Lines.
#ifndef UNIAPI_TOOLS_TRUTO_ATS_RECORDS_HPP
#define UNIAPI_TOOLS_TRUTO_ATS_RECORDS_HPP

#include "common.hpp"

#include <string>
#include <vector>

namespace truto_ats {

/// `list RESOURCE ...`: every record, one JSON object per line, streamed as it is decoded.
inline int list_command(client_t& c, const std::string& account,
                        const std::vector<std::string>& args) {
  cli::list_args a = cli::parse_list_args(args);
  int rc = ok;
  with_resource(a.resource, [&](auto r) {
    using R = decltype(r);
    if constexpr (!uniapi::listable<R>) {
      fail_usage(std::string(R::name) + " has no list method");
    } else {
      typename R::list_query q{.integrated_account_id = uniapi::truto::account_id(account)};
      for (const auto& kv : a.queries)
        apply_query(q, kv);
      if (a.page_size) q.limit = *a.page_size;
      // A page keyed by a field (`truto_key_by`) is printed the same way, one record per line.
      rc = cli::stream_list(c, r, std::move(q), a.max_items);
    }
  });
  return rc;
}

/// `get RESOURCE ID ...`: one record as one line.
inline int get_command(client_t& c, const std::string& account,
                       const std::vector<std::string>& args) {
  cli::get_args a = cli::parse_get_args(args);
  int rc = ok;
  with_resource(a.resource, [&](auto r) {
    using R = decltype(r);
    if constexpr (!uniapi::gettable<R>) {
      fail_usage(std::string(R::name) + " has no get method");
    } else {
      typename R::get_query q{.integrated_account_id = uniapi::truto::account_id(account)};
      for (const auto& kv : a.queries)
        apply_query(q, kv);
      rc = cli::print_record(c, r, a.id, std::move(q));
    }
  });
  return rc;
}

}  // namespace truto_ats

#endif
