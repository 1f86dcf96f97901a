// truto-ats — the Truto Unified ATS API from the command line, built on uniapi.
//
//   truto-ats [--base-url URL] [--token TOKEN] [--account ID] [--ca-file PEM]
//             [--timeout SECONDS] [--retries N] COMMAND ...
//   COMMAND:  list RESOURCE [--query key=value]... [--page-size N] [--max-items N]
//             get RESOURCE ID [--query key=value]...
//             proxy list RESOURCE [--query key=value]... [--page-size N] [--max-items N]
//             proxy get RESOURCE ID [--query key=value]...
//             custom METHOD PATH [--body FILE] [--query key=value]...
//             meta RESOURCE METHOD
//             create RESOURCE --body FILE [--idempotency-key KEY]
//             download --file-url URL --output FILE
//             move-stage --body FILE | reject --body FILE   [--idempotency-key KEY]
//             resources
//             verify-webhook --secret-env VAR --signature HEADER_VALUE --body FILE [--max-age S]
//             sync RESOURCE --accounts-file FILE --output-dir DIR [--concurrency N]
//                  [--page-size N] [--query key=value]... [--shard K/N]
//
// With no token and no --base-url it serves itself from the embedded local server.
// Output: one JSON object per line. Exit codes: 0 ok, 1 API error, 2 usage, 3 transport,
// 4 decode.
#include "cli/common.hpp"
#include "cli/sync.hpp"

#include <uniapi/retrying_transport.hpp>
#include <uniapi/testing/local_server.hpp>
#include <uniapi/transport/beast_transport.hpp>
#include <uniapi/truto/async_client.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/custom_api.hpp>
#include <uniapi/truto/meta.hpp>
#include <uniapi/truto/proxy.hpp>
#include <uniapi/truto/webhook.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace ats = uniapi::truto::ats;

namespace {

using cli::fail_usage;
using cli::parse_flags;
using cli::parse_number;
using cli::report;
using cli::usage_error;
using enum cli::exit_code;

// ---- setting query members from key=value --------------------------------------------------

enum class assigned { ok, unknown_key, bad_value };

template <class T>
bool assign_scalar(T& out, const std::string& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    out = value;
    return true;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (value != "true" && value != "false") return false;
    out = value == "true";
    return true;
  } else if constexpr (std::is_integral_v<T>) {
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    return ec == std::errc{} && p == value.data() + value.size();
  } else if constexpr (requires { out.assign(std::string_view(value)); }) {
    out.assign(value);
    return true;
  } else {
    return false;
  }
}

// Sets the member named by `path` ("candidate_id", {"created_at", "gte"}) of the described `T`.
// A filter with operators (`date_filter`) takes its plain key as `eq`: `created_at=...`.
template <class T>
assigned assign_member(T& target, std::span<const std::string> path, const std::string& value) {
  if constexpr (requires {
                  target.has_value();
                  target.emplace();
                }) {
    if (!target) target.emplace();
    return assign_member(*target, path, value);
  } else if constexpr (boost::describe::has_describe_members<T>::value) {
    if (path.empty()) {
      if constexpr (requires { target.eq; }) return assign_member(target.eq, path, value);
      return assigned::unknown_key;
    }
    assigned a = assigned::unknown_key;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) {
          if (a != assigned::unknown_key || uniapi::json::wire_name<T>(d.name) != path.front())
            return;
          a = assign_member(target.*d.pointer, path.subspan(1), value);
        });
    return a;
  } else {
    if (!path.empty()) return assigned::unknown_key;
    return assign_scalar(target, value) ? assigned::ok : assigned::bad_value;
  }
}

// "a[b][c]" → {"a", "b", "c"}; "a[]" → {"a", ""}.
std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> out;
  auto b = key.find('[');
  out.push_back(key.substr(0, b));
  while (b != std::string::npos) {
    auto e = key.find(']', b);
    if (e == std::string::npos || key.find('[', b + 1) < e ||
        (e + 1 < key.size() && key[e + 1] != '['))
      fail_usage("unbalanced brackets in query key \"" + key + "\"");
    out.push_back(key.substr(b + 1, e - b - 1));
    b = key.find('[', e);
  }
  if (out.front().empty()) fail_usage("--query key \"" + key + "\" has no name");
  return out;
}

bool is_array_index(const std::string& s) {
  return s.empty() || std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Applies one --query key=value to a Truto query: Truto's common parameters by name, the
// resource's own filters by member name (`created_at[gte]`, `actor[id]`); any other key is sent
// as given (Truto and its providers take parameters no SDK models), with a note on stderr.
template <class Query>
void apply_query(Query& q, const std::string& kv) {
  // Named variables, not a structured binding: clang 14 cannot capture bindings in a lambda.
  auto pair = cli::split_pair(kv);
  std::string key = std::move(pair.first), value = std::move(pair.second);
  auto path = split_key(key);
  if (path[0] == "truto_exclude_fields" && path.size() <= 2 &&
      (path.size() == 1 || is_array_index(path[1]))) {
    q.truto_exclude_fields.push_back(value);
    return;
  }
  if (path[0] == "remote_query" && path.size() >= 2) {
    boost::json::object* o = &q.remote_query;
    for (std::size_t i = 1; i + 1 < path.size(); ++i) {
      auto& v = (*o)[path[i]];
      if (!v.is_object()) v = boost::json::object();
      o = &v.as_object();
    }
    (*o)[path.back()] = value;
    return;
  }
  if (path[0] == "integrated_account_id" || path[0] == "next_cursor" || path[0] == "limit")
    fail_usage(path[0] + " is set with --account, resumed with the cursor or --page-size");
  std::optional<bool> set;  // empty: not a parameter this tool knows
  auto known = [&](const char* name, auto& slot) {
    if (set || path.size() != 1 || path[0] != name) return;
    set = assign_scalar(slot.emplace(), value);
  };
  if constexpr (requires { q.truto_key_by; }) {
    known("truto_key_by", q.truto_key_by);
    known("truto_ignore_limit", q.truto_ignore_limit);
    known("truto_super_query", q.truto_super_query);
  }
  known("truto_ignore_remote_data", q.truto_ignore_remote_data);
  known("truto_response_format", q.truto_response_format);
  if (!set) {
    switch (assign_member(q.params, std::span<const std::string>(path), value)) {
      case assigned::ok:
        set = true;
        break;
      case assigned::bad_value:
        set = false;
        break;
      case assigned::unknown_key:
        break;
    }
  }
  if (set && !*set)
    fail_usage("malformed value for query parameter \"" + key + "\": \"" + value + "\"");
  if (!set) {
    std::cerr << "truto-ats: note: query parameter \"" << key
              << "\" is not in the model; sending it as given\n";
    q.extra_params.emplace_back(key, value);
  }
}

// ---- the commands --------------------------------------------------------------------------

using cli::transport_t;
using client_t = uniapi::truto::client<transport_t>;

template <class F>
void with_resource(const std::string& name, F&& f) {
  cli::with_resource<ats::all_resources>(name, std::forward<F>(f));
}

int list_command(client_t& c, const std::string& account, const std::vector<std::string>& args) {
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

int get_command(client_t& c, const std::string& account, const std::vector<std::string>& args) {
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

// Applies one --query key=value to a Proxy API query: Truto's common parameters as for the
// unified resources, every other key passed through to the provider as given.
template <class Query>
void apply_proxy_query(Query& q, const std::string& kv) {
  auto pair = cli::split_pair(kv);
  auto path = split_key(pair.first);
  if (path[0].rfind("truto_", 0) == 0 || path[0] == "remote_query" ||
      path[0] == "integrated_account_id" || path[0] == "next_cursor" || path[0] == "limit")
    return apply_query(q, kv);
  q.extra_params.emplace_back(std::move(pair.first), std::move(pair.second));
}

// `proxy list|get RESOURCE ...`: a provider's own resource through Truto's Proxy API
// (`/proxy/{resource}`), each record printed as the provider sent it, one JSON object per line.
int proxy_command(client_t& c, const std::string& account, const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "list" && args[0] != "get"))
    fail_usage("proxy needs list RESOURCE or get RESOURCE ID");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "list") {
    cli::list_args a = cli::parse_list_args(rest);
    uniapi::truto::list_query<> q{.integrated_account_id = uniapi::truto::account_id(account)};
    for (const auto& kv : a.queries)
      apply_proxy_query(q, kv);
    if (a.page_size) q.limit = *a.page_size;
    return cli::stream_list(c, uniapi::truto::proxy_resource(a.resource), std::move(q),
                            a.max_items);
  }
  cli::get_args a = cli::parse_get_args(rest);
  uniapi::truto::request_query<> q{.integrated_account_id = uniapi::truto::account_id(account)};
  for (const auto& kv : a.queries)
    apply_proxy_query(q, kv);
  return cli::print_record(c, uniapi::truto::proxy_resource(a.resource), a.id, std::move(q));
}

// A random UUID (version 4), sent as the Idempotency-Key of a write the caller gave none, so
// that --retries may repeat it safely.
std::string random_uuid() {
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

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_usage("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

int create_command(client_t& c, const std::string& account, const std::vector<std::string>& args) {
  if (args.empty()) fail_usage("create needs RESOURCE --body FILE");
  std::optional<std::string> body_file, key;
  parse_flags(std::vector<std::string>(args.begin() + 1, args.end()), "create",
              {{"--body", &body_file}, {"--idempotency-key", &key}});
  if (!body_file) fail_usage("create needs --body FILE");
  int rc = ok;
  with_resource(args[0], [&](auto r) {
    using R = decltype(r);
    if constexpr (!uniapi::creatable<R>) {
      fail_usage(std::string(R::name) + " has no create method");
    } else {
      typename R::create_body body{};
      if constexpr (uniapi::is_multipart_body<typename R::create_body>()) {
        // Multipart resources upload FILE itself as the `file` part.
        auto part = uniapi::file_part::from_file(*body_file);
        if (!part) fail_usage(part.error().message);
        body.file = std::move(*part);
      } else {
        auto decoded = uniapi::json::decode<typename R::create_body>(read_file(*body_file));
        if (!decoded) fail_usage("--body " + *body_file + ": " + decoded.error().message);
        body = std::move(*decoded);
      }
      auto rec = c.create(r, body, {.integrated_account_id = uniapi::truto::account_id(account)},
                          {.idempotency_key = key ? *key : random_uuid()});
      if (!rec) {
        rc = report(rec.error());
        return;
      }
      std::cout << uniapi::json::encode(*rec) << '\n';
    }
  });
  return rc;
}

int download_command(client_t& c, const std::string& account,
                     const std::vector<std::string>& args) {
  std::optional<std::string> file_url, output;
  parse_flags(args, "download", {{"--file-url", &file_url}, {"--output", &output}});
  if (!file_url || !output) fail_usage("download needs --file-url URL --output FILE");
  // Write to a temporary name and rename when complete, so a failed download leaves no
  // partial file where the caller expects a whole one.
  std::string partial = *output + ".part";
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) fail_usage("cannot write " + partial);
  auto r = c.download(ats::attachments_download, {},
                      {.integrated_account_id = uniapi::truto::account_id(account),
                       .params = {.file_url = *file_url}},
                      [&](std::string_view chunk) -> uniapi::result<void> {
                        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
                        if (!out)
                          return uniapi::make_error(uniapi::errc::sink_failed,
                                                    "cannot write " + partial);
                        return {};
                      });
  out.close();
  if (!r || !out) {
    std::filesystem::remove(partial);
    if (!r) return report(r.error());
    return report(uniapi::make_error(uniapi::errc::sink_failed, "cannot write " + *output));
  }
  std::filesystem::rename(partial, *output);
  std::cerr << "truto-ats: wrote " << r->bytes << " bytes (" << r->content_type << ") to "
            << *output << '\n';
  return ok;
}

// A JSON custom method (move-stage, reject) named `command`: body from FILE, result printed.
int custom_command(client_t& c, const std::string& account, const std::string& command,
                   const std::vector<std::string>& args) {
  std::optional<std::string> body_file, key;
  parse_flags(args, command, {{"--body", &body_file}, {"--idempotency-key", &key}});
  if (!body_file) fail_usage(command + " needs --body FILE");
  int rc = ok;
  std::apply(
      [&](auto... m) {
        auto one = [&](auto md) {
          using M = decltype(md);
          if constexpr (!std::is_same_v<typename M::response, uniapi::binary_response>) {
            if (M::name != command) return;
            auto body = uniapi::json::decode<typename M::body>(read_file(*body_file));
            if (!body) fail_usage("--body " + *body_file + ": " + body.error().message);
            auto r =
                c.call(md, *body, {.integrated_account_id = uniapi::truto::account_id(account)},
                       {.idempotency_key = key ? *key : random_uuid()});
            if (!r) {
              rc = report(r.error());
              return;
            }
            std::cout << uniapi::json::encode(*r) << '\n';
          }
        };
        (one(m), ...);
      },
      ats::all_custom_methods{});
  return rc;
}

// The names of the JSON custom methods, from the descriptors.
bool is_custom_command(const std::string& command) {
  bool found = false;
  std::apply(
      [&](auto... m) {
        ((found =
              found || (decltype(m)::name == command &&
                        !std::is_same_v<typename decltype(m)::response, uniapi::binary_response>)),
         ...);
      },
      ats::all_custom_methods{});
  return found;
}

int resources_command() {
  cli::print_resources<ats::all_resources>();
  std::apply(
      [](auto... m) {
        ((std::cout << "{\"resource\":\"" << m.resource << "\",\"custom_method\":\"" << m.name
                    << "\",\"path\":\"" << m.path << "\"}\n"),
         ...);
      },
      ats::all_custom_methods{});
  return ok;
}

// Every record of RESOURCE for every account of the accounts file, concurrently, into
// DIR/<account>.jsonl; resumable (see cli/sync.hpp). Usage errors come before any request.
int sync_command(cli::global_flags& s, std::optional<std::string> token,
                 const std::vector<std::string>& args) {
  cli::sync_args a = cli::parse_sync_args(args);
  bool listable = false;
  with_resource(a.resource, [&](auto r) { listable = uniapi::listable<decltype(r)>; });
  if (!listable) fail_usage(a.resource + " has no list method");
  auto accounts = cli::read_accounts(*a.accounts_file, a.shard, a.shards);
  std::filesystem::path dir(*a.output_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail_usage("cannot create " + dir.string() + ": " + ec.message());

  std::unique_ptr<uniapi::testing::local_server> embedded;
  if (!token && !s.base_url) {
    embedded = std::make_unique<uniapi::testing::local_server>();
    s.base_url = embedded->base_url();
    token = embedded->token();
    std::cerr << "truto-ats: no TRUTO_API_TOKEN and no --base-url: using the embedded local "
                 "server at "
              << *s.base_url << '\n';
  }
  if (!token) fail_usage("no token: pass --token or set TRUTO_API_TOKEN");
  boost::asio::io_context ioc(1);
  auto concurrency = static_cast<std::size_t>(a.concurrency);
  uniapi::truto::async_client<cli::async_transport_t> c(
      {.base_url = s.base_url.value_or("https://api.truto.one"), .token = *token},
      cli::make_async_transport(ioc, s, concurrency));
  int rc = ok;
  with_resource(a.resource, [&](auto r) {
    using R = decltype(r);
    if constexpr (uniapi::listable<R>) {
      rc = cli::run_sync(ioc, c, r, accounts, dir, concurrency, [&](const std::string& account) {
        typename R::list_query q{.integrated_account_id = uniapi::truto::account_id(account)};
        for (const auto& kv : a.queries)
          apply_query(q, kv);
        if (a.page_size) q.limit = *a.page_size;
        return q;
      });
    }
  });
  return rc;
}

// Checks a webhook delivery saved to FILE against the X-Truto-Signature value: exit 0 when it is
// Truto's signature of those bytes under the secret in $VAR, 1 when not (the reason on stderr).
// With --max-age, the event must also be a webhook event created at most S seconds ago. The
// secret is never printed.
int verify_webhook_command(const std::vector<std::string>& args) {
  std::optional<std::string> secret_env, signature, body_file, max_age;
  parse_flags(args, "verify-webhook",
              {{"--secret-env", &secret_env},
               {"--signature", &signature},
               {"--body", &body_file},
               {"--max-age", &max_age}});
  if (!secret_env || !signature || !body_file)
    fail_usage("verify-webhook needs --secret-env VAR --signature HEADER_VALUE --body FILE");
  auto secret = cli::env(secret_env->c_str());
  if (!secret) fail_usage("the environment variable " + *secret_env + " is not set or empty");
  std::string body = read_file(*body_file);
  uniapi::result<void> ok_sig;
  if (max_age) {
    uniapi::truto::webhook_verify_options o;
    o.max_age = std::chrono::seconds(parse_number("--max-age", *max_age, 1));
    auto ev = uniapi::truto::verify_webhook(*secret, *signature, body, o);
    if (!ev) ok_sig = ev.error();
  } else {
    ok_sig = uniapi::truto::verify_webhook_signature(*secret, *signature, body);
  }
  if (!ok_sig) {
    std::cerr << "truto-ats: webhook rejected: " << ok_sig.error().message << '\n';
    return api;
  }
  std::cerr << "truto-ats: valid webhook signature\n";
  return ok;
}

// `custom METHOD PATH [--body FILE] [--query key=value]...`: any request to the integration's own
// API through Truto's Custom API (`/custom/PATH`), FILE sent as it is. A JSON reply is printed as
// JSON Lines (its `result` unwrapped; an array one element per line); any other reply is written to
// stdout as the bytes it is.
int custom_api_command(client_t& c, const std::string& account,
                       const std::vector<std::string>& args) {
  if (args.size() < 2 || args[0].rfind("--", 0) == 0 || args[1].rfind("--", 0) == 0)
    fail_usage("custom needs METHOD PATH");
  std::string verb = args[0];
  std::transform(verb.begin(), verb.end(), verb.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  std::optional<uniapi::http_method> method;
  for (auto m : {uniapi::http_method::get, uniapi::http_method::post, uniapi::http_method::put,
                 uniapi::http_method::patch, uniapi::http_method::delete_})
    if (uniapi::to_string(m) == verb) method = m;
  if (!method) fail_usage("custom METHOD is one of GET, POST, PUT, PATCH, DELETE");
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
    apply_proxy_query(q, kv);
  std::string reply;
  auto info = c.send_raw(*method, uniapi::truto::custom_path(args[1]), q, std::move(body),
                         content_type, [&](std::string_view b) -> uniapi::result<void> {
                           reply.append(b);
                           return {};
                         });
  if (!info) return cli::report(info.error());
  bool json = info->content_type.find("json") != std::string::npos;
  if (!json) {
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

// `meta RESOURCE METHOD`: what METHOD of the unified RESOURCE accepts and returns for the
// account's integration (Truto's unified meta), as one JSON line.
int meta_command(client_t& c, const std::string& account, const std::vector<std::string>& args) {
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

constexpr const char* usage_text =
    "usage: truto-ats [--base-url URL] [--token TOKEN] [--account ID] [--ca-file PEM]\n"
    "                 [--timeout SECONDS] [--retries N] COMMAND\n"
    "  list RESOURCE [--query key=value]... [--page-size N] [--max-items N]\n"
    "  get RESOURCE ID [--query key=value]...\n"
    "  proxy list RESOURCE [--query key=value]... [--page-size N] [--max-items N]\n"
    "  proxy get RESOURCE ID [--query key=value]...\n"
    "  custom METHOD PATH [--body FILE] [--query key=value]...\n"
    "  meta RESOURCE METHOD\n"
    "  create RESOURCE --body FILE [--idempotency-key KEY]\n"
    "  download --file-url URL --output FILE\n"
    "  move-stage --body FILE | reject --body FILE   [--idempotency-key KEY]\n"
    "  resources\n"
    "  verify-webhook --secret-env VAR --signature HEADER_VALUE --body FILE [--max-age S]\n"
    "  sync RESOURCE --accounts-file FILE --output-dir DIR [--concurrency N] [--page-size N]\n"
    "       [--query key=value]... [--shard K/N]\n"
    "Token and account default to TRUTO_API_TOKEN and TRUTO_INTEGRATED_ACCOUNT_ID. With neither\n"
    "a token nor --base-url, an embedded local server answers.\n";

int run(int argc, char** argv) {
  std::optional<std::string> token, account;
  cli::global_flags s =
      cli::parse_global_flags(argc, argv, -1, {{"--token", &token}, {"--account", &account}});
  const std::string command = s.args[0];
  std::vector<std::string> rest(s.args.begin() + 1, s.args.end());
  // --retries defaults to 2 for sync, 0 for the one-request commands.
  if (s.retries < 0) s.retries = command == "sync" ? 2 : 0;
  if (command == "resources") return resources_command();
  if (command == "verify-webhook") return verify_webhook_command(rest);
  if (command == "sync") {
    if (!token) token = cli::env("TRUTO_API_TOKEN");
    return sync_command(s, token, rest);
  }
  if (command != "list" && command != "get" && command != "create" && command != "download" &&
      command != "proxy" && command != "custom" && command != "meta" && !is_custom_command(command))
    fail_usage("unknown command \"" + command + "\"");

  if (!token) token = cli::env("TRUTO_API_TOKEN");
  if (!account) account = cli::env("TRUTO_INTEGRATED_ACCOUNT_ID");
  std::unique_ptr<uniapi::testing::local_server> embedded;
  if (!token && !s.base_url) {
    embedded = std::make_unique<uniapi::testing::local_server>();
    s.base_url = embedded->base_url();
    token = embedded->token();
    if (!account) account = "local-demo-account";
    std::cerr << "truto-ats: no TRUTO_API_TOKEN and no --base-url: using the embedded local "
                 "server at "
              << *s.base_url << '\n';
  }
  if (!token) fail_usage("no token: pass --token or set TRUTO_API_TOKEN");
  if (!account || account->empty())
    fail_usage("no account: pass --account or set TRUTO_INTEGRATED_ACCOUNT_ID");

  client_t c({.base_url = s.base_url.value_or("https://api.truto.one"), .token = *token},
             cli::make_transport(s));

  if (command == "list") return list_command(c, *account, rest);
  if (command == "get") return get_command(c, *account, rest);
  if (command == "create") return create_command(c, *account, rest);
  if (command == "download") return download_command(c, *account, rest);
  if (command == "proxy") return proxy_command(c, *account, rest);
  if (command == "custom") return custom_api_command(c, *account, rest);
  if (command == "meta") return meta_command(c, *account, rest);
  return custom_command(c, *account, command, rest);
}

}  // namespace

int main(int argc, char** argv) {
  cli::tool_name = "truto-ats";
  return cli::guarded_main(usage_text, [&] { return run(argc, argv); });
}
