// uniapi — per-call options: extra headers, a timeout, a cursor, an idempotency key.
#ifndef UNIAPI_CLIENT_REQUEST_OPTIONS_HPP
#define UNIAPI_CLIENT_REQUEST_OPTIONS_HPP

#include <uniapi/core/http.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace uniapi {

/// Options of one call that any operation takes, so that one client can serve many linked
/// accounts (an account token per request) with per-call deadlines.
///
/// `headers` are set on every request of the call after the profile's credentials (a header of
/// the same name replaces the profile's). Their values are treated as secrets: no error message
/// shows them. `timeout` bounds each request of the call instead of the transport's own request
/// timeout (transports that have none ignore it).
struct request_options {
  http_headers headers;
  std::optional<std::chrono::milliseconds> timeout;
};

/// Options of one listing.
struct list_options {
  /// Start from this cursor (saved from `cursor_range::resume_cursor()`) instead of page one.
  std::optional<std::string> cursor;
  /// Extra headers of every request of the listing (see `request_options`).
  http_headers headers;
  /// Bound on each request of the listing (see `request_options`).
  std::optional<std::chrono::milliseconds> timeout;

  request_options request() const { return {headers, timeout}; }
};

/// Options of one write (create, update, delete or custom method).
struct call_options {
  /// Sent as `Idempotency-Key`: the server answers a repeat with the first response, which
  /// also makes the request safe to retry.
  std::optional<std::string> idempotency_key;
  /// Extra headers of the request (see `request_options`).
  http_headers headers;
  /// Bound on the request (see `request_options`).
  std::optional<std::chrono::milliseconds> timeout;

  request_options request() const { return {headers, timeout}; }
};

}  // namespace uniapi

#endif
