// uniapi — what the asynchronous client needs from an HTTP transport. Includes Asio's completion
// machinery (no socket, no Beast, no OpenSSL).
#ifndef UNIAPI_TRANSPORT_ASYNC_ASYNC_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_ASYNC_ASYNC_TRANSPORT_HPP

#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/body_sink.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <concepts>
#include <utility>

namespace uniapi {

/// The completion handler an asynchronous transport receives: called once with the response head
/// (the body went to the sink) or the error. Its associated executor, allocator and cancellation
/// slot are the caller's.
using send_handler = boost::asio::any_completion_handler<void(result<http_response>)>;

/// An asynchronous transport sends one request and streams the response body into a sink.
///
/// Requirements on `T`:
/// @code
/// struct my_async_transport {
///   // The executor the transport's I/O runs on.
///   boost::asio::any_io_executor get_executor();
///   // Starts sending `req`; `sink.on_head` is called once, then `sink.on_data` per chunk of the
///   // body, then `done` with the head (empty body) or the error. `req` and `sink` outlive the
///   // operation. An HTTP error status is a successful send (the client maps it); a sink error
///   // aborts the transfer and is passed to `done` as is. A terminal cancellation requested
///   // through `done`'s cancellation slot should end the operation soon with `errc::cancelled`.
///   void async_send(const uniapi::http_request& req, uniapi::body_sink& sink,
///                   uniapi::send_handler done);
/// };
/// @endcode
/// `done` is invoked through its associated executor (`boost::asio::dispatch` or `post` to it),
/// never from inside `async_send`.
template <class T>
concept async_transport = requires(T& t, const http_request& req, body_sink& sink,
                                   send_handler done) {
  { t.get_executor() } -> std::convertible_to<boost::asio::any_io_executor>;
  t.async_send(req, sink, std::move(done));
};

/// Starts `t.async_send` with any completion token (`use_awaitable`, `deferred`, `use_future`, a
/// callback); the operation completes with `void(result<http_response>)`.
template <async_transport T, class CompletionToken>
auto async_send(T& t, const http_request& req, body_sink& sink, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(result<http_response>)>(
      [&t, &req, &sink](auto handler) {
        t.async_send(req, sink, send_handler(std::move(handler)));
      },
      token);
}

}  // namespace uniapi

#endif
