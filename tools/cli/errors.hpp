// The tools' exit codes and how errors reach stderr: one line each, prefixed with the tool's
// name, never a secret.
#ifndef UNIAPI_TOOLS_CLI_ERRORS_HPP
#define UNIAPI_TOOLS_CLI_ERRORS_HPP

#include <uniapi/core/error.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <utility>

namespace cli {

/// The tool's name, the prefix of every line it writes to stderr.
inline std::string tool_name = "uniapi";

/// The exit codes of both tools.
enum exit_code { ok = 0, api = 1, usage = 2, transport = 3, decode = 4 };

/// A command line the tool cannot run: exit code 2, the usage text on stderr.
struct usage_error {
  std::string message;
};

/// Throws `usage_error` with `message`.
[[noreturn]] inline void fail_usage(std::string message) {
  throw usage_error{std::move(message)};
}

/// The exit code of a failed call: 1 API, 2 usage, 4 decode, 3 anything else (the transport).
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
