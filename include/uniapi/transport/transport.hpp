// uniapi — what the client needs from an HTTP transport.
#ifndef UNIAPI_TRANSPORT_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_TRANSPORT_HPP

#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/body_sink.hpp>

#include <concepts>

namespace uniapi {

/// A transport sends one request and returns the whole response.
///
/// Requirements on `T`:
/// @code
/// struct my_transport {
///   // Send `req` once; an HTTP error status is a successful send (the client maps it).
///   // Transport failures (connect, TLS, timeout, truncated body) return an error.
///   uniapi::result<uniapi::http_response> send(const uniapi::http_request& req);
/// };
/// @endcode
/// A transport is used from one thread at a time unless it documents otherwise.
template <class T>
concept transport = requires(T& t, const http_request& req) {
  // Buffered send: the whole body is in the returned response.
  { t.send(req) } -> std::same_as<result<http_response>>;
};

/// A transport that can also hand the body to a sink as it arrives.
///
/// Requirements on `T`, in addition to `transport`:
/// @code
///   // Calls sink.on_head once, then sink.on_data per chunk; the returned response has an
///   // empty body. A sink error aborts the transfer and is returned as is.
///   uniapi::result<uniapi::http_response> send(const uniapi::http_request& req,
///                                              uniapi::body_sink& sink);
/// @endcode
template <class T>
concept streaming_transport = transport<T> &&
    requires(T& t, const http_request& req, body_sink& sink) {
  // Streamed send: the body goes to `sink`.
  { t.send(req, sink) } -> std::same_as<result<http_response>>;
};

/// Sends `req` through the transport's buffered `send` (and its limit on a buffered body), then
/// hands the head and the whole body, as one chunk, to `sink`.
template <transport T>
result<http_response> send_buffered(T& t, const http_request& req, body_sink& sink) {
  auto r = t.send(req);
  if (!r) return r;
  http_response head{r->status, std::move(r->headers), {}};
  if (auto h = sink.on_head(head); !h) return h.error();
  if (!r->body.empty())
    if (auto d = sink.on_data(r->body); !d) return d.error();
  return head;
}

/// Sends `req` through any transport, streaming the body into `sink`. Transports that only buffer
/// deliver the whole body as one chunk.
template <transport T>
result<http_response> send_streaming(T& t, const http_request& req, body_sink& sink) {
  if constexpr (streaming_transport<T>)
    return t.send(req, sink);
  else
    return send_buffered(t, req, sink);
}

}  // namespace uniapi

#endif
