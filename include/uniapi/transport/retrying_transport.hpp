// uniapi — a transport decorator that retries transient failures.
#ifndef UNIAPI_TRANSPORT_RETRYING_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_RETRYING_TRANSPORT_HPP

#include <uniapi/transport/body_sink.hpp>
#include <uniapi/transport/detail/retry_step.hpp>
#include <uniapi/transport/retry_policy.hpp>
#include <uniapi/transport/transport.hpp>
#include <uniapi/wire/retry_after.hpp>

#include <optional>
#include <string>
#include <utility>

namespace uniapi {

/// Wraps any transport and retries what `retry_policy` says may succeed on another attempt.
///
/// Streaming sends: a retryable status is recognised from the head and its body is discarded.
/// A transfer that fails after body bytes reached the caller's sink (a connection reset or an
/// early EOF mid-body) is retried only when the sink is `restartable()` — it then receives the
/// new attempt's head and starts over without passing anything on twice; for other sinks such a
/// failure is returned, since a retry would deliver bytes twice. Errors returned by the caller's
/// sink are returned at once.
template <transport Inner>
class retrying_transport {
 public:
  retrying_transport(Inner inner, retry_policy policy = {})
      : inner_(std::move(inner)), policy_(std::move(policy)) {}

  Inner& inner() noexcept { return inner_; }
  const retry_policy& policy() const noexcept { return policy_; }

  /// Sends `req`, retrying per the policy; returns the last response or error.
  result<http_response> send(const http_request& req) {
    for (int attempt = 1;; ++attempt) {
      auto r = inner_.send(req);
      auto delay = detail::retry_delay(policy_, req, attempt, r);
      if (!delay) return r;
      detail::notify_retry(policy_, attempt, r, *delay);
      policy_.sleep(*delay);
    }
  }

  /// Sends `req`, streaming the kept response's body into `sink`.
  result<http_response> send(const http_request& req, body_sink& sink) {
    for (int attempt = 1;; ++attempt) {
      detail::retry_guard g(policy_, req, attempt, sink);
      auto r = send_streaming(inner_, req, g);
      auto delay = g.settle(r);
      if (!delay) return r;
      detail::notify_retry(policy_, attempt, r, *delay);
      policy_.sleep(*delay);
    }
  }

 private:
  Inner inner_;
  retry_policy policy_;
};

}  // namespace uniapi

#endif
