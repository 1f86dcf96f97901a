// The command-line machinery truto-ats and merge-ats share: exit codes, error reports, flag
// parsing, and the listing, get and resources commands over any provider's client.
#ifndef UNIAPI_EXAMPLES_CLI_COMMON_HPP
#define UNIAPI_EXAMPLES_CLI_COMMON_HPP

#include <uniapi/json/encode.hpp>
#include <uniapi/pager.hpp>
#include <uniapi/resource.hpp>
#include <uniapi/retrying_transport.hpp>
#include <uniapi/transport/beast_transport.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace cli {

/// The tool's name, the prefix of every line it writes to stderr.
inline std::string tool_name = "uniapi";

enum exit_code { ok = 0, api = 1, usage = 2, transport = 3, decode = 4 };

struct usage_error {
  std::string message;
};

[[noreturn]] inline void fail_usage(std::string message) {
  throw usage_error{std::move(message)};
}

inline int exit_code_of(const uniapi::error& e) {
  switch (e.condition()) {
    case uniapi::errc::api_error:
    case uniapi::errc::repeated_cursor:
      return api;
    case uniapi::errc::invalid_argument:
      return usage;
    case uniapi::errc::decode_failed:
      return decode;
    default:
      return transport;
  }
}

/// Writes the error (already free of secrets: the client redacts them) and returns its exit code.
inline int report(const uniapi::error& e) {
  std::cerr << tool_name << ": " << e.to_string() << '\n';
  return exit_code_of(e);
}

inline std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

inline long long parse_number(const std::string& flag, const std::string& text, long long min) {
  long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < min)
    fail_usage(flag + " needs an integer >= " + std::to_string(min) + ", got \"" + text + "\"");
  return v;
}

struct options_parser {
  std::vector<std::string> args;
  std::size_t i = 0;
  bool done() const { return i >= args.size(); }
  const std::string& peek() const { return args[i]; }
  std::string value(const std::string& flag) {
    if (i + 1 >= args.size()) fail_usage(flag + " needs a value");
    i += 2;
    return args[i - 1];
  }
};

/// Parses `--flag value` pairs of `command` into their slots; any other flag is a usage error.
inline void parse_flags(
    const std::vector<std::string>& args, const std::string& command,
    std::initializer_list<std::pair<std::string_view, std::optional<std::string>*>> flags) {
  options_parser p{args};
  while (!p.done()) {
    const std::string flag = p.peek();
    std::optional<std::string>* slot = nullptr;
    for (const auto& [name, s] : flags)
      if (name == flag) slot = s;
    if (!slot) fail_usage("unknown " + command + " option \"" + flag + "\"");
    *slot = p.value(flag);
  }
}

inline std::string methods_text(unsigned m) {
  std::string s;
  auto add = [&](uniapi::method f, const char* name) {
    if (m & unsigned(f)) s += (s.empty() ? "" : ",") + std::string(name);
  };
  add(uniapi::method::list, "list");
  add(uniapi::method::get, "get");
  add(uniapi::method::create, "create");
  add(uniapi::method::update, "update");
  add(uniapi::method::remove, "delete");
  return s;
}

/// Calls `f(descriptor)` for the resource of `Resources` (a tuple) named `name`; usage error when
/// there is none.
template <class Resources, class F>
void with_resource(const std::string& name, F&& f) {
  bool found = false;
  std::apply([&](auto... r) { ((!found && r.name == name ? (found = true, f(r), 0) : 0), ...); },
             Resources{});
  if (!found) fail_usage("unknown resource \"" + name + "\" (see: " + tool_name + " resources)");
}

/// One line per resource of `Resources`: `{"resource":..., "path":..., "methods":"list,get"}`.
template <class Resources>
void print_resources() {
  std::apply(
      [](auto... r) {
        ((std::cout << "{\"resource\":\"" << r.name << "\",\"path\":\"" << r.path
                    << "\",\"methods\":\"" << methods_text(uniapi::methods_of<decltype(r)>())
                    << "\"}\n"),
         ...);
      },
      Resources{});
}

/// The flags before the command that every tool takes, and the command line after them.
struct global_flags {
  std::optional<std::string> base_url, ca_file;
  std::optional<long long> timeout_seconds;
  long long retries = 0;
  std::vector<std::string> args;  // the command and its arguments
};

/// Parses `--base-url`, `--ca-file`, `--timeout`, `--retries` and the tool's own valued flags
/// (`own`, e.g. `--token`) up to the command; any other flag is a usage error, and so is a
/// missing command.
inline global_flags parse_global_flags(
    int argc, char** argv, long long default_retries,
    std::initializer_list<std::pair<std::string_view, std::optional<std::string>*>> own) {
  global_flags s;
  s.retries = default_retries;
  int i = 1;
  auto value = [&](const std::string& flag) -> std::string {
    if (i + 1 >= argc) fail_usage(flag + " needs a value");
    i += 2;
    return argv[i - 1];
  };
  while (i < argc) {
    std::string a = argv[i];
    std::optional<std::string>* slot = nullptr;
    for (const auto& [name, target] : own)
      if (name == a) slot = target;
    if (slot)
      *slot = value(a);
    else if (a == "--base-url")
      s.base_url = value(a);
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

using transport_t = uniapi::retrying_transport<uniapi::beast_transport>;

/// The tools' transport: Beast with `--ca-file` and `--timeout` (a bound on each attempt, body
/// included), retried `--retries` times as `policy` says, each retry told on stderr.
inline transport_t make_transport(const global_flags& s, uniapi::retry_policy policy = {}) {
  uniapi::beast_transport_options topts;
  if (s.ca_file) topts.ca_file = *s.ca_file;
  if (s.timeout_seconds) {
    topts.request_timeout = std::chrono::seconds(*s.timeout_seconds);
    topts.connect_timeout = std::min(topts.connect_timeout, topts.request_timeout);
  }
  policy.max_attempts = static_cast<int>(s.retries + 1);
  policy.on_retry = [](const uniapi::retry_event& e) {
    std::cerr << tool_name << ": attempt " << e.attempt << " failed (" << e.reason
              << "), retrying in " << e.delay.count() << " ms\n";
  };
  return transport_t(uniapi::beast_transport(topts), std::move(policy));
}

/// The options of `list RESOURCE [--query key=value]... [--page-size N] [--max-items N]`.
struct list_args {
  std::string resource;
  std::vector<std::string> queries;
  std::optional<long long> page_size, max_items;
};

inline list_args parse_list_args(const std::vector<std::string>& args) {
  if (args.empty() || args[0].rfind("--", 0) == 0) fail_usage("list needs a RESOURCE");
  list_args out{args[0], {}, {}, {}};
  options_parser p{std::vector<std::string>(args.begin() + 1, args.end())};
  while (!p.done()) {
    const std::string flag = p.peek();
    if (flag == "--query")
      out.queries.push_back(p.value(flag));
    else if (flag == "--page-size")
      out.page_size = parse_number(flag, p.value(flag), 1);
    else if (flag == "--max-items")
      out.max_items = parse_number(flag, p.value(flag), 0);
    else
      fail_usage("unknown list option \"" + flag + "\"");
  }
  return out;
}

/// The options of `get RESOURCE ID [--query key=value]...`.
struct get_args {
  std::string resource, id;
  std::vector<std::string> queries;
};

inline get_args parse_get_args(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[0].rfind("--", 0) == 0 || args[1].rfind("--", 0) == 0)
    fail_usage("get needs RESOURCE ID");
  get_args out{args[0], args[1], {}};
  options_parser p{std::vector<std::string>(args.begin() + 2, args.end())};
  while (!p.done()) {
    const std::string flag = p.peek();
    if (flag != "--query") fail_usage("unknown get option \"" + flag + "\"");
    out.queries.push_back(p.value(flag));
  }
  return out;
}

/// `key=value` split at the first `=`; usage error without one or without a key.
inline std::pair<std::string, std::string> split_pair(const std::string& kv) {
  auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) fail_usage("--query needs key=value, got \"" + kv + "\"");
  return {kv.substr(0, eq), kv.substr(eq + 1)};
}

/// Streams every item of `r` to stdout, one compact JSON object per line, as each is decoded
/// (memory stays at one record however large a page is), stopping after `max_items`. On failure
/// reports the error and where to resume; returns the exit code.
template <class Client, class R, class Query>
int stream_list(Client& c, R r, Query q, std::optional<long long> max_items) {
  if (max_items && *max_items == 0) return ok;
  long long emitted = 0;
  std::string line;
  uniapi::stream_progress progress;
  auto n = c.for_each_item(
      r, std::move(q),
      [&](typename R::model& item) {
        line.clear();
        uniapi::json::encode_to(line, item);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stdout);
        return !max_items || ++emitted < *max_items;
      },
      progress);
  std::fflush(stdout);
  if (!n &&
      !(n.error().condition() == uniapi::errc::stopped && max_items && emitted >= *max_items)) {
    int rc = report(n.error());
    if (progress.cursor || progress.delivered)
      std::cerr << tool_name << ": " << progress.delivered << " records printed; resume from "
                << (progress.cursor ? "cursor " + *progress.cursor : "the first page")
                << " after its first " << progress.delivered_on_page << " records\n";
    return rc;
  }
  return ok;
}

/// Gets record `id` of `r` and prints it as one line.
template <class Client, class R, class Query>
int print_record(Client& c, R r, const std::string& id, Query q) {
  auto rec = c.get(r, id, std::move(q));
  if (!rec) return report(rec.error());
  std::string line = uniapi::json::encode(*rec);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  return ok;
}

/// Runs `body`, mapping a usage error to exit code 2 (with `usage_text` on stderr) and any other
/// exception to 3.
template <class F>
int guarded_main(const char* usage_text, F&& body) {
  std::ios::sync_with_stdio(false);
  try {
    return body();
  } catch (const usage_error& e) {
    if (!e.message.empty()) std::cerr << tool_name << ": " << e.message << '\n';
    std::cerr << usage_text;
    return usage;
  } catch (const std::exception& e) {
    std::cerr << tool_name << ": " << e.what() << '\n';
    return transport;
  }
}

}  // namespace cli

#endif
