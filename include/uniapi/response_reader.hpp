// uniapi — sends a request and reads its response: decoded JSON, bytes, or a typed error.
#ifndef UNIAPI_RESPONSE_READER_HPP
#define UNIAPI_RESPONSE_READER_HPP

#include <uniapi/body_sink.hpp>
#include <uniapi/client_hooks.hpp>
#include <uniapi/http.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/redact.hpp>
#include <uniapi/request_options.hpp>
#include <uniapi/result.hpp>
#include <uniapi/transport.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace uniapi {

/// Receives downloaded bytes in order; an error aborts the download.
using byte_sink = std::function<result<void>(std::string_view)>;

/// What a download delivered.
struct download_info {
  std::string content_type;  ///< the response's Content-Type
  std::uint64_t bytes = 0;   ///< bytes passed to the sink
};

/// Sends requests through a transport (telling the hooks) and reads the responses for a provider
/// profile: a 2xx body decoded while it arrives or passed on as bytes, any other status mapped
/// to an error by the profile. Every error message starts with "METHOD /path" and holds no
/// credential (the profile's, and the values of the call's own headers).
template <class Profile, class Transport>
class response_reader {
 public:
  response_reader(const Profile& profile, Transport& transport, const client_hooks& hooks) noexcept
      : profile_(&profile), transport_(&transport), hooks_(&hooks) {}

  /// Decodes a 2xx body into `T` while it arrives. `prototype` is the value decoding starts from
  /// (a streamed page carries its item callback); `on_attempt`, if any, is called at the head of
  /// each attempt. Every attempt decodes afresh, so a retrying transport may retry a transfer
  /// that failed mid-body.
  template <class T>
  result<T> read_json(const http_request& req, const request_options& options,
                      const T& prototype = T{},
                      const std::function<void()>* on_attempt = nullptr) const;

  /// Passes a 2xx body to `sink` as it arrives; error responses are read as errors, never
  /// passed to the sink.
  result<download_info> read_bytes(const http_request& req, const request_options& options,
                                   const byte_sink& sink) const;

  /// Sends `req` and returns the whole response, whatever its status.
  result<http_response> send(const http_request& req, const request_options& options) const;

  /// `e` with "METHOD /path: " before its message and every credential removed.
  error with_context(error e, const http_request& req, const request_options& options) const;

  /// `text` without the profile's credentials or the values of the call's headers.
  std::string redact(std::string text, const request_options& options) const;

  /// "GET /unified/ats/attachments": method and path, never the query (it may carry ids users
  /// consider private) nor the host's credentials.
  static std::string describe(const http_request& req);

 private:
  static constexpr std::size_t max_error_body = 1 << 20;

  error status_error(http_response& head, const http_request& req,
                     const request_options& options) const;
  result<http_response> observed_send(const http_request& req, body_sink& sink) const;

  const Profile* profile_;
  Transport* transport_;
  const client_hooks* hooks_;
};

}  // namespace uniapi

#include <uniapi/impl/response_reader.hpp>

#endif
