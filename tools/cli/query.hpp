// `--query key=value`: one parameter of a provider's query, read with uniapi::read_query_parameter
// so that both tools accept the same forms.
#ifndef UNIAPI_TOOLS_CLI_QUERY_HPP
#define UNIAPI_TOOLS_CLI_QUERY_HPP

#include "errors.hpp"

#include <uniapi/wire/query_reader.hpp>

#include <initializer_list>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>

namespace cli {

/// A query parameter that one of the tool's own flags sets, and the flag to use instead.
struct reserved_parameter {
  std::string_view name, instead;
};

/// What to say of a key the query's model does not have.
enum class unknown_keys {
  noted,  ///< a note on stderr: the model may be missing it, or the key may be misspelt
  quiet   ///< nothing: the parameters are the provider's own (Truto's Proxy API)
};

/// `key=value` split at the first `=`; usage error without one or without a key.
inline std::pair<std::string, std::string> split_pair(const std::string& kv) {
  auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) fail_usage("--query needs key=value, got \"" + kv + "\"");
  return {kv.substr(0, eq), kv.substr(eq + 1)};
}

/// Applies one `--query key=value` to `q`: a member of the query or of its resource's `params` by
/// its wire name, typed (`created_after=...` is a timestamp, `include_remote_data` a bool,
/// `created_at[gte]`, `actor[id]`, `remote_query[a][b]`, `truto_exclude_fields[]` by their
/// brackets); any other key is sent as given. A malformed key or value, or a key in `reserved`, is
/// a usage error.
template <class Query>
void apply_query(Query& q, const std::string& kv,
                 std::initializer_list<reserved_parameter> reserved = {},
                 unknown_keys unknown = unknown_keys::noted) {
  auto [key, value] = split_pair(kv);
  auto name = key.substr(0, key.find('['));
  for (const auto& r : reserved)
    if (name == r.name) fail_usage(std::string(r.name) + " is set with " + std::string(r.instead));
  auto used = uniapi::read_query_parameter(q, key, value);
  if (!used) fail_usage(used.error().message);
  if (*used == uniapi::query_parameter_use::passed_through && unknown == unknown_keys::noted)
    std::cerr << tool_name << ": note: query parameter \"" << key
              << "\" is not in the model; sending it as given\n";
}

}  // namespace cli

#endif
