// `list`, `get`: the unified resources' records as JSON Lines.
#ifndef UNIAPI_TOOLS_TRUTO_ATS_RECORDS_HPP
#define UNIAPI_TOOLS_TRUTO_ATS_RECORDS_HPP

#include "../cli/records.hpp"
#include "common.hpp"

#include <string>
#include <vector>

namespace truto_ats {

/// `list RESOURCE ...`: every record, one JSON object per line, streamed as it is decoded (a
/// page keyed by a field, `truto_key_by`, too).
inline int list_command(client_t& c, const std::string& account,
                        const std::vector<std::string>& args) {
  return cli::list_command<ats::all_resources>(c, args, [&](auto r, const cli::list_args& a) {
    typename decltype(r)::list_query q{.integrated_account_id = uniapi::truto::account_id(account)};
    for (const auto& kv : a.queries)
      apply_query(q, kv);
    if (a.page_size) q.limit = *a.page_size;
    return q;
  });
}

/// `get RESOURCE ID ...`: one record as one line.
inline int get_command(client_t& c, const std::string& account,
                       const std::vector<std::string>& args) {
  return cli::get_command<ats::all_resources>(c, args, [&](auto r, const cli::get_args& a) {
    typename decltype(r)::get_query q{.integrated_account_id = uniapi::truto::account_id(account)};
    for (const auto& kv : a.queries)
      apply_query(q, kv);
    return q;
  });
}

}  // namespace truto_ats

#endif
