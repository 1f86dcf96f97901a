// uniapi — when and how long to wait before trying a request again.
#ifndef UNIAPI_TRANSPORT_RETRY_POLICY_HPP
#define UNIAPI_TRANSPORT_RETRY_POLICY_HPP

#include <uniapi/core/error.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <thread>

namespace uniapi {

/// What `retrying_transport` tells an observer before it waits and tries again.
struct retry_event {
  int attempt = 0;                  ///< the attempt that failed (1 = the first)
  int http_status = 0;              ///< its status, 0 for a transport error
  std::string reason;               ///< the transport error or status, token-free
  std::chrono::milliseconds delay;  ///< the wait before the next attempt
};

/// The retry rules of `retrying_transport`: plain values with defaults, plus injectable time and
/// randomness so tests never sleep.
///
/// Retried: transport failures that may be transient (connection failed, timeout, truncated body)
/// and the statuses 408, 425, 429 and 5xx — for idempotent requests only (GET, PUT, DELETE, and
/// POST/PATCH with an `Idempotency-Key`), unless `retry_non_idempotent` is set. The wait is
/// exponential backoff with full jitter, or the server's `Retry-After` (seconds or HTTP date,
/// or Truto's `ratelimit-reset`) when it sent one. A server that asks for more than
/// `max_retry_after` gets its error returned instead of a wait.
struct retry_policy {
  int max_attempts = 4;                            ///< attempts in all, the first included
  std::chrono::milliseconds initial_backoff{250};  ///< ceiling of the first wait
  std::chrono::milliseconds max_backoff{30'000};   ///< ceiling of any backoff wait
  double multiplier = 2.0;                         ///< ceiling growth per attempt
  std::chrono::seconds max_retry_after{120};       ///< longest Retry-After honoured
  bool retry_non_idempotent = false;               ///< also retry POST/PATCH without a key

  /// Waits; defaults to `std::this_thread::sleep_for`.
  std::function<void(std::chrono::milliseconds)> sleep = [](std::chrono::milliseconds d) {
    std::this_thread::sleep_for(d);
  };
  /// The wall clock, for HTTP-date `Retry-After` values.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  /// Uniform in [0, 1): the jitter.
  std::function<double()> random = [] {
    thread_local std::mt19937_64 gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
  };
  /// The statuses retried; empty: `retryable_status` (408, 425, 429, 5xx).
  std::function<bool(int)> retry_on_status;
  /// Told about every retry before the wait (logging, metrics); may be empty.
  std::function<void(const retry_event&)> on_retry;

  /// True for statuses worth another attempt.
  static bool retryable_status(int status) noexcept {
    return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
  }
  /// True for transport errors worth another attempt.
  static bool retryable_error(const error& e) noexcept {
    switch (e.condition()) {
      case errc::connection_failed:
      case errc::timeout:
      case errc::truncated_body:
        return true;
      default:
        return false;
    }
  }
  /// The backoff wait after failed attempt number `attempt` (1-based), jitter included.
  std::chrono::milliseconds backoff(int attempt) const {
    double ceiling = static_cast<double>(initial_backoff.count()) *
                     std::pow(multiplier, static_cast<double>(std::max(0, attempt - 1)));
    ceiling = std::min(ceiling, static_cast<double>(max_backoff.count()));
    return std::chrono::milliseconds(static_cast<long long>(ceiling * random()));
  }
};

}  // namespace uniapi

#endif
