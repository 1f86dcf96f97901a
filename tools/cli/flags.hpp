// Command-line flags: the global ones every tool takes, `--flag value` pairs, numbers, and the
// options of `list` and `get`.
#ifndef UNIAPI_TOOLS_CLI_FLAGS_HPP
#define UNIAPI_TOOLS_CLI_FLAGS_HPP

#include "errors.hpp"

#include <charconv>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli {

/// The environment variable `name`, unless unset or empty.
inline std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

/// `text` as an integer of at least `min`; a usage error naming `flag` otherwise.
inline long long parse_number(const std::string& flag, const std::string& text, long long min) {
  long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < min)
    fail_usage(flag + " needs an integer >= " + std::to_string(min) + ", got \"" + text + "\"");
  return v;
}

/// Walks `--flag value` pairs.
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

/// The options of `list RESOURCE [--query key=value]... [--page-size N] [--max-items N]`.
struct list_args {
  std::string resource;
  std::vector<std::string> queries;
  std::optional<long long> page_size, max_items;
};

/// Parses the arguments of `list`; usage error on a missing resource or an unknown flag.
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

/// Parses the arguments of `get`; usage error on a missing resource or id, or an unknown flag.
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

}  // namespace cli

#endif
