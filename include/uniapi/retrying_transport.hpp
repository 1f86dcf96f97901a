// uniapi — a transport decorator that retries transient failures.
#ifndef UNIAPI_RETRYING_TRANSPORT_HPP
#define UNIAPI_RETRYING_TRANSPORT_HPP

#include <uniapi/body_sink.hpp>
#include <uniapi/retry_after.hpp>
#include <uniapi/retry_policy.hpp>
#include <uniapi/transport.hpp>

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
      auto delay = should_retry(req, attempt, r);
      if (!delay) return r;
      wait(attempt, r, *delay);
    }
  }

  /// Sends `req`, streaming the kept response's body into `sink`.
  result<http_response> send(const http_request& req, body_sink& sink) {
    for (int attempt = 1;; ++attempt) {
      guard g(*this, req, attempt, sink);
      auto r = send_streaming(inner_, req, g);
      if (g.sink_error) return *g.sink_error;
      // Bytes reached the caller: retry only if it can start over.
      if (g.delivered && !r && !sink.restartable()) return r;
      if (r && g.discarded) {
        // A retryable status whose body we kept back; `r` is its head.
        r->body = std::move(g.held_body);
      }
      auto delay = should_retry(req, attempt, r);
      if (!delay) {
        if (r && g.discarded) {
          // Not retrying after all (should not happen: same decision); hand over what we held.
          if (auto h = sink.on_head(head_of(*r)); !h) return h.error();
          if (!r->body.empty())
            if (auto d = sink.on_data(r->body); !d) return d.error();
          r->body.clear();
        }
        return r;
      }
      wait(attempt, r, *delay);
    }
  }

 private:
  // Decides, from the head, whether this attempt's body is for the caller or to be discarded.
  struct guard final : body_sink {
    retrying_transport& self;
    const http_request& req;
    int attempt;
    body_sink& out;
    bool delivered = false;
    bool discarded = false;
    std::string held_body;
    std::optional<error> sink_error;

    guard(retrying_transport& s, const http_request& r, int a, body_sink& o)
        : self(s), req(r), attempt(a), out(o) {}

    result<void> on_head(const http_response& head) override {
      result<http_response> as_result(head);
      if (self.should_retry(req, attempt, as_result)) {
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
  };

  static http_response head_of(const http_response& r) {
    return http_response{r.status, r.headers, {}};
  }

  // The wait before the next attempt, or nothing when `r` is final.
  std::optional<std::chrono::milliseconds> should_retry(const http_request& req, int attempt,
                                                        const result<http_response>& r) const {
    if (attempt >= policy_.max_attempts) return std::nullopt;
    if (!req.idempotent() && !policy_.retry_non_idempotent) return std::nullopt;
    if (!r) {
      if (!retry_policy::retryable_error(r.error())) return std::nullopt;
      return policy_.backoff(attempt);
    }
    if (!(policy_.retry_on_status ? policy_.retry_on_status(r->status)
                                  : retry_policy::retryable_status(r->status)))
      return std::nullopt;
    if (auto ra = retry_after(r->headers, policy_.now())) {
      if (*ra > policy_.max_retry_after) return std::nullopt;
      return std::chrono::duration_cast<std::chrono::milliseconds>(*ra);
    }
    return policy_.backoff(attempt);
  }

  void wait(int attempt, const result<http_response>& r, std::chrono::milliseconds delay) {
    if (policy_.on_retry) {
      retry_event ev;
      ev.attempt = attempt;
      ev.http_status = r ? r->status : 0;
      ev.reason = r ? "HTTP " + std::to_string(r->status) : r.error().to_string();
      ev.delay = delay;
      policy_.on_retry(ev);
    }
    policy_.sleep(delay);
  }

  Inner inner_;
  retry_policy policy_;
};

}  // namespace uniapi

#endif
