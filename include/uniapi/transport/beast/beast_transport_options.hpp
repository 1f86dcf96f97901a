// uniapi — the settings of the Beast transports.
#ifndef UNIAPI_TRANSPORT_BEAST_BEAST_TRANSPORT_OPTIONS_HPP
#define UNIAPI_TRANSPORT_BEAST_BEAST_TRANSPORT_OPTIONS_HPP

#include <chrono>
#include <cstdint>
#include <string>

namespace uniapi {

/// Settings of `beast_transport`. Plain values with production defaults.
struct beast_transport_options {
  /// Bound on resolving and connecting (TCP), per attempt.
  std::chrono::milliseconds connect_timeout{10'000};
  /// Bound on one whole attempt: connect, TLS handshake, write and reading the entire body. A
  /// server that sends a byte now and then cannot keep an attempt alive past it. A request's own
  /// `http_request::timeout` (a per-call timeout) replaces it.
  std::chrono::milliseconds request_timeout{60'000};
  /// Largest body `send(req)` buffers; larger responses fail with `errc::body_too_large`.
  std::uint64_t max_body_size = 256ull << 20;
  /// Largest body `send(req, sink)` streams; 0 for no limit.
  std::uint64_t max_streamed_body_size = 0;
  /// Verify servers against the system's CA store.
  bool use_system_ca = true;
  /// An extra PEM file of trusted CAs (for example a private CA); empty for none. Trust (this
  /// file and the system store) is loaded when the first HTTPS connection is made, so a plain
  /// HTTP client never pays for it; an unreadable file fails that connection (`errc::tls_failed`).
  std::string ca_file;
  /// Redirects followed (301, 302, 303, 307, 308). When a redirect leaves the request's origin,
  /// every header but `Accept`, `Content-Type`, `User-Agent` and `Idempotency-Key` is dropped,
  /// so no credential (`Authorization`, `Cookie`, `X-Account-Token`, ...) follows it.
  int max_redirects = 5;
  /// Sent as `User-Agent` unless the request sets one.
  std::string user_agent = "uniapi/0.1";
};

}  // namespace uniapi

#endif
