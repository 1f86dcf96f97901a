// uniapi — observing what a client does, for logging and metrics.
#ifndef UNIAPI_CLIENT_CLIENT_HOOKS_HPP
#define UNIAPI_CLIENT_CLIENT_HOOKS_HPP

#include <uniapi/core/error.hpp>
#include <uniapi/core/http.hpp>

#include <chrono>
#include <functional>
#include <string_view>

namespace uniapi {

/// A request about to be sent. `path` has no query string, and no event carries request headers,
/// so credentials never reach an observer.
struct request_event {
  http_method method;
  std::string_view path;
};

/// A request finished: `status` and `headers` of the response (status 0 and `failure` set when
/// the transport failed), and the time it took.
struct response_event {
  http_method method;
  std::string_view path;
  int status = 0;
  const http_headers* headers = nullptr;  ///< the response headers (null on transport failure)
  const error* failure = nullptr;         ///< the transport error, if any
  std::chrono::nanoseconds elapsed{};
};

/// Observers a client calls; each may be left empty, and an empty one costs a branch.
/// Retries are observed through `retry_policy::on_retry`.
struct client_hooks {
  std::function<void(const request_event&)> on_request;
  std::function<void(const response_event&)> on_response;
};

}  // namespace uniapi

#endif
