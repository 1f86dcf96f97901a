// uniapi — the receiver of a response body that is streamed rather than buffered.
#ifndef UNIAPI_TRANSPORT_BODY_SINK_HPP
#define UNIAPI_TRANSPORT_BODY_SINK_HPP

#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>

#include <string_view>

namespace uniapi {

/// Receives a response as it arrives: the head once, then the body in chunks.
///
/// A streaming transport calls `on_head` exactly once per attempt, before any `on_data`, and
/// `on_data` zero or more times with consecutive pieces of the body. An error returned from either
/// aborts the transfer and is passed back to the caller unchanged. A sink is not told when the body
/// ends: the transport's return value says whether it ended cleanly.
class body_sink {
 public:
  virtual ~body_sink() = default;
  /// Status and headers; `head.body` is empty.
  virtual result<void> on_head(const http_response& head) = 0;
  /// The next piece of the body.
  virtual result<void> on_data(std::string_view chunk) = 0;
  /// True when the sink may be given a new attempt's `on_head` after body bytes of a failed
  /// attempt: it then starts over itself and passes nothing on twice (a decoder that restarts
  /// and skips the items it already delivered). A retrying transport may then retry a transfer
  /// that failed mid-body; otherwise a failure after the first body byte is final.
  virtual bool restartable() const noexcept { return false; }
};

}  // namespace uniapi

#endif
