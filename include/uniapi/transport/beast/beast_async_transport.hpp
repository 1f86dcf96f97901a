// uniapi — the default asynchronous transport: HTTP/1.1 and HTTPS over Boost.Beast's asynchronous
// operations, with a connection pool per origin.
#ifndef UNIAPI_TRANSPORT_BEAST_BEAST_ASYNC_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_BEAST_BEAST_ASYNC_TRANSPORT_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/async/async_transport.hpp>
#include <uniapi/transport/beast/beast_transport_options.hpp>
#include <uniapi/transport/body_sink.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

namespace uniapi {

/// Settings of `beast_async_transport`.
struct beast_async_transport_options {
  /// Timeouts, size limits, TLS trust, redirects and `User-Agent`, as for `beast_transport`
  /// (`request_timeout` and a request's own `timeout` bound each attempt, pool wait excluded).
  beast_transport_options http;
  /// Connections open at once to one origin (scheme, host, port). A request that finds them all
  /// busy waits for one, first come first served.
  std::size_t max_connections_per_origin = 16;
};

namespace detail {
class beast_async_transport_impl;
}

/// HTTP and HTTPS over Boost.Beast's asynchronous operations, for `basic_async_client`.
///
/// Same guarantees as `beast_transport` (verified TLS 1.2+, SNI, host name verification,
/// timeouts, size limits, safe redirects, header validation, error messages without headers), plus
/// a pool of kept-alive connections per origin, capped by `max_connections_per_origin`, so that
/// many requests run concurrently on one thread. The body is handed to the sink as it arrives. A
/// terminal cancellation through the completion handler's cancellation slot closes the request's
/// connection (or leaves the pool queue) and completes with `errc::cancelled`.
///
/// @par Thread Safety
/// Operations may be started from any thread; the transport's state lives on a strand of the
/// executor given at construction. Copies share the pool; in-flight operations keep it alive.
class beast_async_transport {
 public:
  using executor_type = boost::asio::any_io_executor;

  explicit beast_async_transport(executor_type ex, beast_async_transport_options options = {});

  /// The executor the transport's I/O runs on.
  executor_type get_executor() const noexcept { return executor_; }

  /// Sends `req`, streaming the body into `sink`; completes with the response head or the error.
  /// `req` and `sink` must outlive the operation.
  void async_send(const http_request& req, body_sink& sink, send_handler done);

  /// `async_send` with any completion token; the signature is `void(result<http_response>)`.
  template <class CompletionToken>
  requires(!std::is_same_v<std::decay_t<CompletionToken>, send_handler>) auto async_send(
      const http_request& req, body_sink& sink, CompletionToken&& token) {
    return uniapi::async_send(*this, req, sink, std::forward<CompletionToken>(token));
  }

  /// TCP connections opened so far.
  std::size_t connections_opened() const noexcept;
  /// TCP connections open now (busy or idle in the pool).
  std::size_t connections_open() const noexcept;

 private:
  executor_type executor_;
  std::shared_ptr<detail::beast_async_transport_impl> impl_;
};

}  // namespace uniapi

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/transport/beast/impl/beast_async_transport.ipp>
#endif

#endif
