// The Truto pages the benchmarks decode, built from the deterministic test fixtures.
#ifndef UNIAPI_BENCHMARKS_PAGES_HPP
#define UNIAPI_BENCHMARKS_PAGES_HPP

#include <uniapi/testing/ats_fixtures.hpp>
#include <uniapi/testing/record_generator.hpp>
#include <uniapi/truto/ats.hpp>

#include <string>
#include <string_view>

namespace pages {

using attachments_page = uniapi::truto::page<uniapi::truto::ats::attachment>;
using candidates_page = uniapi::truto::page<uniapi::truto::ats::candidate>;

inline std::string wrap(const std::vector<std::string>& records, std::size_t n) {
  std::string s = "{\"result\":[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i) s += ',';
    s += records[i];
  }
  return s + "],\"next_cursor\":\"cursor-after-" + std::to_string(n) + "\"}";
}

/// A Truto attachments page of `n` records, with `remote_data` or as
/// `truto_ignore_remote_data=true` returns it.
inline std::string attachments(std::size_t n, bool with_remote_data) {
  std::vector<std::string> records;
  for (std::size_t i = 0; i < n; ++i) {
    auto r = uniapi::testing::attachment_record(i);
    records.push_back(with_remote_data ? uniapi::testing::to_json(r)
                                       : uniapi::testing::to_json(r, {"remote_data"}));
  }
  return wrap(records, n);
}

/// A Truto candidates page of `n` records: nested phones, emails, applications with their
/// stages and jobs, attachments, tags, and `remote_data`.
inline std::string candidates(std::size_t n) {
  std::vector<std::string> records;
  for (std::size_t i = 0; i < n; ++i)
    records.push_back(uniapi::testing::to_json(
        uniapi::testing::generate_record<uniapi::truto::ats::candidate>("cand", i)));
  return wrap(records, n);
}

}  // namespace pages

#endif
