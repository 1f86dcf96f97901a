// `custom` and `meta`: Truto's Custom API and unified meta.
#ifndef UNIAPI_TOOLS_TRUTO_ATS_CUSTOM_API_HPP
#define UNIAPI_TOOLS_TRUTO_ATS_CUSTOM_API_HPP

#include "common.hpp"

#include <uniapi/truto/custom_api.hpp>
#include <uniapi/truto/meta.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace truto_ats {

/// The HTTP method named `verb`, in any case; a usage error for one `custom` does not send.
inline uniapi::http_method parse_http_method(std::string verb) {
  std::transform(verb.begin(), verb.end(), verb.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  for (auto m : {uniapi::http_method::get, uniapi::http_method::post, uniapi::http_method::put,
                 uniapi::http_method::patch, uniapi::http_method::delete_})
    if (uniapi::to_string(m) == verb) return m;
  fail_usage("custom METHOD is one of GET, POST, PUT, PATCH, DELETE");
}

/// Prints a Custom API reply: JSON as JSON Lines (`result` unwrapped, an array one element per
/// line), anything else as the bytes it is.
inline int print_custom_reply(const std::string& reply, const std::string& content_type) {
  if (content_type.find("json") == std::string::npos) {
    std::fwrite(reply.data(), 1, reply.size(), stdout);
    std::fflush(stdout);
    return ok;
  }
  auto value = uniapi::truto::custom_result(reply);
  if (!value) return cli::report(value.error());
  std::string out;
  auto line = [&](const boost::json::value& v) {
    out += boost::json::serialize(v);
    out += '\n';
  };
  if (auto* a = value->if_array())
    for (const auto& v : *a)
      line(v);
  else
    line(*value);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return ok;
}

/// `custom METHOD PATH [--body FILE] [--query key=value]...`: any request to the integration's
/// own API through Truto's Custom API (`/custom/PATH`), FILE sent as it is. A JSON reply is
/// printed as JSON Lines (its `result` unwrapped; an array one element per line); any other reply
/// is written to stdout as the bytes it is.
inline int custom_api_command(client_t& c, const std::string& account,
                              const std::vector<std::string>& args) {
  if (args.size() < 2 || args[0].rfind("--", 0) == 0 || args[1].rfind("--", 0) == 0)
    fail_usage("custom needs METHOD PATH");
  auto method = parse_http_method(args[0]);
  std::optional<std::string> body_file;
  std::vector<std::string> queries;
  cli::options_parser p{std::vector<std::string>(args.begin() + 2, args.end())};
  while (!p.done()) {
    const std::string flag = p.peek();
    if (flag == "--body")
      body_file = p.value(flag);
    else if (flag == "--query")
      queries.push_back(p.value(flag));
    else
      fail_usage("unknown custom option \"" + flag + "\"");
  }
  // The body is sent as it is: as JSON when it parses as JSON, otherwise as bytes.
  std::string body, content_type = "application/json";
  if (body_file) {
    body = read_file(*body_file);
    boost::system::error_code ec;
    boost::json::parse(body, ec);
    if (ec) content_type = "application/octet-stream";
  }
  uniapi::truto::request_query<> q{.integrated_account_id = uniapi::truto::account_id(account)};
  for (const auto& kv : queries)
    apply_query(q, kv, cli::unknown_keys::quiet);
  std::string reply;
  auto info = c.send_raw(method, uniapi::truto::custom_path(args[1]), q, std::move(body),
                         content_type, [&](std::string_view b) -> uniapi::result<void> {
                           reply.append(b);
                           return {};
                         });
  if (!info) return cli::report(info.error());
  return print_custom_reply(reply, info->content_type);
}

/// `meta RESOURCE METHOD`: what METHOD of the unified RESOURCE accepts and returns for the
/// account's integration (Truto's unified meta), as one JSON line.
inline int meta_command(client_t& c, const std::string& account,
                        const std::vector<std::string>& args) {
  if (args.size() != 2 || args[0].rfind("--", 0) == 0 || args[1].rfind("--", 0) == 0)
    fail_usage("meta needs RESOURCE METHOD");
  with_resource(args[0], [](auto) {});  // a unified resource, or a usage error
  auto m = c.fetch_json<boost::json::value>(
      uniapi::http_method::get, uniapi::truto::meta_path("ats", args[0], args[1]),
      uniapi::truto::request_query<>{.integrated_account_id = uniapi::truto::account_id(account)});
  if (!m) return cli::report(m.error());
  std::string out = boost::json::serialize(*m) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return ok;
}

}  // namespace truto_ats

#endif
