// uniapi — how a response becomes an operation's result: the body sinks (decoded JSON, bytes
// passed on, the whole response) and the typed, credential-free errors of a provider.
#ifndef UNIAPI_CLIENT_DETAIL_REPLY_HPP
#define UNIAPI_CLIENT_DETAIL_REPLY_HPP

#include <uniapi/client/download_info.hpp>
#include <uniapi/client/request_options.hpp>
#include <uniapi/core/error.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/redact.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/transport/body_sink.hpp>

#include <charconv>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace uniapi::detail {

/// The most of an error body kept for the error.
inline constexpr std::size_t max_error_body = 1 << 20;
/// The most of a body `send` keeps in memory.
inline constexpr std::size_t max_buffered_body = std::size_t(256) << 20;

/// "GET /unified/ats/attachments": method and path, never the query (it may carry ids users
/// consider private) nor the host's credentials.
inline std::string describe(const http_request& req) {
  std::string_view u = req.url;
  auto scheme = u.find("://");
  auto path_at = u.find('/', scheme == u.npos ? 0 : scheme + 3);
  std::string_view path = path_at == u.npos ? std::string_view("/") : u.substr(path_at);
  path = path.substr(0, path.find('?'));
  return std::string(to_string(req.method)) + " " + std::string(path);
}

/// The request an error is about, and what must never appear in its message: the profile's
/// credentials and the values of the call's own headers.
template <class Profile>
struct reply_context {
  const Profile* profile;
  const http_request* request;
  const request_options* options;

  std::string redact(std::string text) const {
    for (const auto& [name, value] : options->headers)
      text = redact_secret(std::move(text), value);
    return profile->redact(std::move(text));
  }

  /// `e` with "METHOD /path: " before its message and every credential removed.
  error with_context(error e) const {
    std::string what = describe(*request);
    e.message = redact(e.message.empty() ? what : what + ": " + e.message);
    if (!e.body.empty()) e.body = redact(std::move(e.body));
    return e;
  }

  /// The profile's error for a non-2xx response.
  error status_error(const http_response& head) const {
    error e = profile->to_error(head, describe(*request));
    e.message = redact(std::move(e.message));
    e.body = redact(std::move(e.body));
    return e;
  }
};

/// Keeps the head and the start of a non-2xx body, for the error.
struct error_capture {
  http_response response;
  bool ok = false;

  void head(const http_response& h) {
    ok = is_success(h.status);
    response = h;
  }
  void data(std::string_view chunk) {
    if (response.body.size() < max_error_body) response.body.append(chunk);
  }
  /// The outcome of a send whose 2xx body went elsewhere: the transport's error, the profile's
  /// error for another status, or nothing.
  template <class Profile>
  std::optional<error> failure(const result<http_response>& r, const reply_context<Profile>& ctx) {
    if (!r) return ctx.with_context(r.error());
    if (ok) return std::nullopt;
    response.status = r->status;
    return ctx.status_error(response);
  }
};

/// Decodes a 2xx body into `T` as it arrives, afresh at each attempt's head, starting from
/// `prototype` (a streamed page carries its item callback); `on_attempt`, if any, is called at
/// the head of each attempt.
template <class T>
class json_reply final : public body_sink {
 public:
  using value_type = T;
  static constexpr bool whole = false;

  explicit json_reply(const T* prototype = nullptr,
                      const std::function<void()>* on_attempt = nullptr)
      : prototype_(prototype), on_attempt_(on_attempt) {
    if (!prototype_) prototype_ = &fresh_.emplace();
  }
  json_reply(const json_reply&) = delete;
  json_reply& operator=(const json_reply&) = delete;

  result<void> on_head(const http_response& head) override {
    capture_.head(head);
    decoder_.reset();
    if (on_attempt_) (*on_attempt_)();
    decoder_.emplace(*prototype_);
    if (auto n = head.headers.find("Content-Length"); capture_.ok && n) {
      std::size_t bytes = 0;
      auto [end, ec] = std::from_chars(n->data(), n->data() + n->size(), bytes);
      if (ec == std::errc{} && end == n->data() + n->size()) decoder_->expect_size(bytes);
    }
    return {};
  }
  bool restartable() const noexcept override { return true; }
  result<void> on_data(std::string_view chunk) override {
    if (capture_.ok) return decoder_->write(chunk);
    capture_.data(chunk);
    return {};
  }

  template <class Profile>
  result<T> finish(result<http_response> r, const reply_context<Profile>& ctx) {
    // Items of a streamed page that arrived whole before a failure are still delivered.
    if (!r && capture_.ok && decoder_) (void)decoder_->flush();
    if (auto e = capture_.failure(r, ctx)) return std::move(*e);
    auto v = decoder_->finish();
    if (!v) return ctx.with_context(v.error());
    return v;
  }

 private:
  std::optional<T> fresh_;
  const T* prototype_;
  const std::function<void()>* on_attempt_;
  std::optional<json::stream_decoder<T>> decoder_;
  error_capture capture_;
};

/// Passes a 2xx body to a `byte_sink` as it arrives; other bodies are read as errors, never
/// passed on.
class bytes_reply final : public body_sink {
 public:
  using value_type = download_info;
  static constexpr bool whole = false;

  explicit bytes_reply(const byte_sink& out) : out_(out) {}

  result<void> on_head(const http_response& head) override {
    capture_.head(head);
    info_ = {};
    if (auto t = head.headers.find("Content-Type")) info_.content_type = *t;
    return {};
  }
  result<void> on_data(std::string_view chunk) override {
    if (!capture_.ok) {
      capture_.data(chunk);
      return {};
    }
    info_.bytes += chunk.size();
    return out_(chunk);
  }

  template <class Profile>
  result<download_info> finish(result<http_response> r, const reply_context<Profile>& ctx) {
    if (auto e = capture_.failure(r, ctx)) return std::move(*e);
    return info_;
  }

 private:
  const byte_sink& out_;
  download_info info_;
  error_capture capture_;
};

/// Keeps the whole response, whatever its status (up to `max_buffered_body`).
class whole_reply final : public body_sink {
 public:
  using value_type = http_response;
  static constexpr bool whole = true;

  result<void> on_head(const http_response& head) override {
    response_ = head;
    response_.body.clear();
    return {};
  }
  bool restartable() const noexcept override { return true; }
  result<void> on_data(std::string_view chunk) override {
    if (response_.body.size() + chunk.size() > max_buffered_body)
      return make_error(errc::body_too_large, "the response is larger than " +
                                                  std::to_string(max_buffered_body) + " bytes");
    response_.body.append(chunk);
    return {};
  }

  template <class Profile>
  result<http_response> finish(result<http_response> r, const reply_context<Profile>& ctx) {
    if (!r) return ctx.with_context(r.error());
    return std::move(response_);
  }

 private:
  http_response response_;
};

}  // namespace uniapi::detail

#endif
