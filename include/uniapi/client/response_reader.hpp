// uniapi — sends a request and reads its response: decoded JSON, bytes, or a typed error.
#ifndef UNIAPI_CLIENT_RESPONSE_READER_HPP
#define UNIAPI_CLIENT_RESPONSE_READER_HPP

#include <uniapi/client/client_hooks.hpp>
#include <uniapi/client/request_options.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/redact.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/transport/body_sink.hpp>
#include <uniapi/transport/transport.hpp>

#include <charconv>
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
  /// The most of an error body kept for the error.
  static constexpr std::size_t max_error_body = 1 << 20;

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

  /// The sink `read_json` sends through: decodes a 2xx body into `T` as it arrives (afresh at
  /// each attempt's head), keeps the start of any other body for the error.
  template <class T>
  struct json_sink final : body_sink {
    json_sink(const T& p, const std::function<void()>* a) : prototype(p), on_attempt(a) {}
    const T& prototype;
    const std::function<void()>* on_attempt;
    std::optional<json::stream_decoder<T>> decoder;
    http_response error_response;
    bool ok = false;
    result<void> on_head(const http_response& head) override {
      ok = is_success(head.status);
      decoder.reset();
      if (on_attempt) (*on_attempt)();
      decoder.emplace(prototype);
      if (auto n = head.headers.find("Content-Length"); ok && n) {
        std::size_t bytes = 0;
        auto [end, ec] = std::from_chars(n->data(), n->data() + n->size(), bytes);
        if (ec == std::errc{} && end == n->data() + n->size()) decoder->expect_size(bytes);
      }
      error_response = head;
      return {};
    }
    bool restartable() const noexcept override { return true; }
    result<void> on_data(std::string_view chunk) override {
      if (ok) return decoder->write(chunk);
      if (error_response.body.size() < max_error_body) error_response.body.append(chunk);
      return {};
    }
  };

  /// The outcome of a send through a `json_sink`: the decoded value or the typed error.
  template <class T>
  result<T> finish(json_sink<T>& sink, result<http_response> r, const http_request& req,
                   const request_options& options) const;

  /// Passes a 2xx body to `sink` as it arrives; error responses are read as errors, never
  /// passed to the sink.
  result<download_info> read_bytes(const http_request& req, const request_options& options,
                                   const byte_sink& sink) const;

  /// The sink `read_bytes` sends through.
  struct bytes_sink final : body_sink {
    const byte_sink& out;
    download_info info;
    http_response error_response;
    bool ok = false;
    explicit bytes_sink(const byte_sink& s) : out(s) {}
    result<void> on_head(const http_response& head) override {
      ok = is_success(head.status);
      info = {};
      error_response = head;
      if (auto t = head.headers.find("Content-Type")) info.content_type = *t;
      return {};
    }
    result<void> on_data(std::string_view chunk) override {
      if (!ok) {
        if (error_response.body.size() < max_error_body) error_response.body.append(chunk);
        return {};
      }
      info.bytes += chunk.size();
      return out(chunk);
    }
  };

  /// The outcome of a send through a `bytes_sink`.
  result<download_info> finish(bytes_sink& s, result<http_response> r, const http_request& req,
                               const request_options& options) const;

  /// What the hooks were told of a request, for `observe_response`.
  struct observation {
    std::string what;  ///< "METHOD /path", when a hook is set
    std::chrono::steady_clock::time_point start;
    std::string_view path() const { return std::string_view(what).substr(what.find(' ') + 1); }
  };
  /// Tells the hooks a request is being sent (nothing when no hook is set).
  observation observe_request(const http_request& req) const;
  /// Tells the hooks how the request `o` ended.
  void observe_response(const http_request& req, const observation& o,
                        const result<http_response>& r) const;

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
  error status_error(http_response& head, const http_request& req,
                     const request_options& options) const;
  result<http_response> observed_send(const http_request& req, body_sink& sink) const;

  const Profile* profile_;
  Transport* transport_;
  const client_hooks* hooks_;
};

}  // namespace uniapi

#include <uniapi/client/impl/response_reader.hpp>

#endif
