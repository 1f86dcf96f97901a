// The tools' synchronous transport: Beast, retried, each retry told on stderr.
#ifndef UNIAPI_TOOLS_CLI_TRANSPORT_HPP
#define UNIAPI_TOOLS_CLI_TRANSPORT_HPP

#include "errors.hpp"
#include "flags.hpp"

#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/transport/retrying_transport.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <utility>

namespace cli {

/// Beast, retried.
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

}  // namespace cli

#endif
