// uniapi — a JSON object as ordered (key, JSON text) pairs, the record form of the test servers.
#ifndef UNIAPI_TESTING_JSON_RECORD_HPP
#define UNIAPI_TESTING_JSON_RECORD_HPP

#include <string>
#include <utility>
#include <vector>

namespace uniapi::testing {

/// A JSON object as an ordered list of (key, JSON text) pairs, so a server can drop fields.
using json_record = std::vector<std::pair<std::string, std::string>>;

/// The JSON text of `r`, without the keys in `excluded`.
inline std::string to_json(const json_record& r, const std::vector<std::string>& excluded = {}) {
  std::string s = "{";
  bool first = true;
  for (const auto& [k, v] : r) {
    bool skip = false;
    for (const auto& e : excluded)
      skip = skip || e == k;
    if (skip) continue;
    if (!first) s += ',';
    first = false;
    s += '"' + k + "\":" + v;
  }
  return s + "}";
}

}  // namespace uniapi::testing

#endif
