// uniapi — the default transport: HTTP/1.1 and HTTPS over Boost.Beast.
#ifndef UNIAPI_TRANSPORT_BEAST_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_BEAST_TRANSPORT_HPP

#include <uniapi/body_sink.hpp>
#include <uniapi/detail/config.hpp>
#include <uniapi/http.hpp>
#include <uniapi/result.hpp>
#include <uniapi/transport.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
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

namespace detail {
class beast_transport_impl;
}

/// HTTP and HTTPS over Boost.Beast, with keep-alive.
///
/// HTTPS uses TLS 1.2 or later, verifies the server's certificate chain (system CA store and/or
/// `ca_file`) and its host name (DNS name or IP address), and sends SNI. One connection is kept
/// open and reused while requests go to the same origin, so a whole listing runs over a single
/// connection; a kept connection the server has closed meanwhile is replaced transparently.
/// Error messages name the origin and path, never headers (where credentials travel). The socket
/// is read in blocks of up to 64 KiB and the body is handed to the sink straight from that
/// buffer, so a listing costs about 20 reads per MB of response.
///
/// @par Thread Safety
/// One request at a time: use one transport per thread.
class beast_transport {
 public:
  explicit beast_transport(beast_transport_options options = {});
  beast_transport(beast_transport&&) noexcept;
  beast_transport& operator=(beast_transport&&) noexcept;
  ~beast_transport();

  /// Sends `req` and reads the whole response.
  result<http_response> send(const http_request& req);
  /// Sends `req` and passes the body to `sink` as it arrives.
  result<http_response> send(const http_request& req, body_sink& sink);

  /// TCP connections opened so far (keep-alive reuse keeps this low).
  std::size_t connections_opened() const noexcept;

 private:
  std::unique_ptr<detail::beast_transport_impl> impl_;
};

static_assert(streaming_transport<beast_transport>);

}  // namespace uniapi

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/transport/impl/beast_transport.ipp>
#endif

#endif
