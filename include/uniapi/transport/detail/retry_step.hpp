// uniapi — the retry decisions both retrying transports share: whether an attempt's outcome is
// retried and after how long, and the sink that holds a retried attempt's body back.
#ifndef UNIAPI_TRANSPORT_DETAIL_RETRY_STEP_HPP
#define UNIAPI_TRANSPORT_DETAIL_RETRY_STEP_HPP

#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/body_sink.hpp>
#include <uniapi/transport/retry_policy.hpp>
#include <uniapi/wire/retry_after.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace uniapi::detail {

/// The wait before the next attempt under `policy`, or nothing when `r` (the outcome of attempt
/// number `attempt`) is final.
inline std::optional<std::chrono::milliseconds> retry_delay(const retry_policy& policy,
                                                            const http_request& req, int attempt,
                                                            const result<http_response>& r) {
  if (attempt >= policy.max_attempts) return std::nullopt;
  if (!req.idempotent() && !policy.retry_non_idempotent) return std::nullopt;
  if (!r) {
    if (!retry_policy::retryable_error(r.error())) return std::nullopt;
    return policy.backoff(attempt);
  }
  if (!(policy.retry_on_status ? policy.retry_on_status(r->status)
                               : retry_policy::retryable_status(r->status)))
    return std::nullopt;
  if (auto ra = retry_after(r->headers, policy.now())) {
    if (*ra > policy.max_retry_after) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(*ra);
  }
  return policy.backoff(attempt);
}

/// Tells `policy.on_retry` that attempt `attempt` ended with `r` and the next follows `delay`.
inline void notify_retry(const retry_policy& policy, int attempt, const result<http_response>& r,
                         std::chrono::milliseconds delay) {
  if (!policy.on_retry) return;
  retry_event ev;
  ev.attempt = attempt;
  ev.http_status = r ? r->status : 0;
  ev.reason = r ? "HTTP " + std::to_string(r->status) : r.error().to_string();
  ev.delay = delay;
  policy.on_retry(ev);
}

/// The sink of one streamed attempt: decides from the head whether the body is the caller's
/// (passed on) or the attempt will be retried (held back, up to 1 MiB, for the last error).
struct retry_guard final : body_sink {
  const retry_policy& policy;
  const http_request& req;
  int attempt;
  body_sink& out;
  bool delivered = false;
  bool discarded = false;
  std::string held_body;
  std::optional<error> sink_error;

  retry_guard(const retry_policy& p, const http_request& r, int a, body_sink& o)
      : policy(p), req(r), attempt(a), out(o) {}

  result<void> on_head(const http_response& head) override {
    result<http_response> as_result(head);
    if (retry_delay(policy, req, attempt, as_result)) {
      discarded = true;
      return {};
    }
    delivered = true;
    auto r = out.on_head(head);
    if (!r) sink_error = r.error();
    return r;
  }
  result<void> on_data(std::string_view chunk) override {
    if (discarded) {
      if (held_body.size() < (1u << 20)) held_body.append(chunk);
      return {};
    }
    auto r = out.on_data(chunk);
    if (!r) sink_error = r.error();
    return r;
  }

  /// The outcome of the attempt for the retry loop: `r` as the caller sees it, or the final
  /// result when the attempt must not be retried (a sink error, or bytes delivered to a sink
  /// that cannot start over). Returns the delay when the attempt is to be retried.
  std::optional<std::chrono::milliseconds> settle(result<http_response>& r) {
    if (sink_error) {
      r = *sink_error;
      return std::nullopt;
    }
    if (delivered && !r && !out.restartable()) return std::nullopt;
    if (r && discarded) r->body = std::move(held_body);
    auto delay = retry_delay(policy, req, attempt, r);
    if (!delay && r && discarded) {
      // Not retrying after all: hand over what was held back.
      http_response head{r->status, r->headers, {}};
      if (auto h = out.on_head(head); !h) {
        r = h.error();
        return std::nullopt;
      }
      if (!r->body.empty())
        if (auto d = out.on_data(r->body); !d) {
          r = d.error();
          return std::nullopt;
        }
      r->body.clear();
    }
    return delay;
  }
};

}  // namespace uniapi::detail

#endif
