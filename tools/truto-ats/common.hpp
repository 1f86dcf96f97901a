// What the commands of truto-ats share: the client, resource lookup, --query, request bodies.
#ifndef UNIAPI_TOOLS_TRUTO_ATS_COMMON_HPP
#define UNIAPI_TOOLS_TRUTO_ATS_COMMON_HPP

#include "../cli/errors.hpp"
#include "../cli/flags.hpp"
#include "../cli/output.hpp"
#include "../cli/query.hpp"
#include "../cli/transport.hpp"

#include <uniapi/truto/ats.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>

namespace truto_ats {

namespace ats = uniapi::truto::ats;
using cli::fail_usage;
using cli::parse_flags;
using cli::parse_number;
using cli::report;
using enum cli::exit_code;

/// The client of every command but `sync`.
using client_t = uniapi::truto::client<cli::transport_t>;

/// Calls `f(descriptor)` for the ATS resource named `name`; usage error when there is none.
template <class F>
void with_resource(const std::string& name, F&& f) {
  cli::with_resource<ats::all_resources>(name, std::forward<F>(f));
}

/// Applies one `--query key=value` to a Truto query (see `cli::apply_query`); the account, the
/// cursor and the page size have flags of their own.
template <class Query>
void apply_query(Query& q, const std::string& kv,
                 cli::unknown_keys unknown = cli::unknown_keys::noted) {
  cli::apply_query(q, kv,
                   {{"integrated_account_id", "--account"},
                    {"next_cursor", "the cursor the listing resumes from"},
                    {"limit", "--page-size"}},
                   unknown);
}

/// A random UUID (version 4), sent as the Idempotency-Key of a write the caller gave none, so
/// that --retries may repeat it safely.
inline std::string random_uuid() {
  std::random_device rd;
  unsigned char b[16];
  for (int i = 0; i < 16; i += 4) {
    auto v = rd();
    for (int k = 0; k < 4; ++k)
      b[i + k] = static_cast<unsigned char>(v >> (8 * k));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[b[i] >> 4];
    s += hex[b[i] & 15];
  }
  return s;
}

/// The bytes of the file at `path`; a usage error when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_usage("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

}  // namespace truto_ats

#endif
