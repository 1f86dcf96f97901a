// uniapi — the default transport: HTTP/1.1 and HTTPS over Boost.Beast.
#ifndef UNIAPI_TRANSPORT_BEAST_BEAST_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_BEAST_BEAST_TRANSPORT_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/beast/beast_transport_options.hpp>
#include <uniapi/transport/body_sink.hpp>
#include <uniapi/transport/transport.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace uniapi {

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
#include <uniapi/transport/beast/impl/beast_transport.ipp>
#endif

#endif
