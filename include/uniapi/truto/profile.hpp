// uniapi — how Truto speaks: base URL, bearer auth, envelope, cursor and error body.
#ifndef UNIAPI_TRUTO_PROFILE_HPP
#define UNIAPI_TRUTO_PROFILE_HPP

#include <uniapi/error.hpp>
#include <uniapi/http.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/retry_after.hpp>
#include <uniapi/truto/error_body.hpp>
#include <uniapi/truto/page.hpp>

#include <string>
#include <string_view>

namespace uniapi::truto {

/// The Truto provider profile (see `uniapi::provider_profile`).
///
/// `token` is the Truto API token, sent as `Authorization: Bearer <token>`. It is never part of
/// a URL, a log line or an error message: `redact` removes it from any text the client shows.
struct profile {
  /// Origin and optional path prefix; `/unified/ats/...` paths are appended to it.
  std::string base_url = "https://api.truto.one";
  /// The API token (secret).
  std::string token;

  template <class T>
  using page = truto::page<T>;
  template <class T>
  using streamed_page = truto::streamed_page<T>;
  static constexpr std::string_view cursor_param = "next_cursor";

  void authorize(http_request& req) const { req.headers.set("Authorization", "Bearer " + token); }

  /// `text` with every occurrence of the token replaced by `[redacted]`.
  std::string redact(std::string text) const {
    if (token.size() < 4) return text;  // a shorter "token" would redact ordinary words
    for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at))
      text.replace(at, token.size(), "[redacted]");
    return text;
  }

  /// Maps a non-2xx response and its Truto error body (`statusCode`, `error`, `message`,
  /// `truto_is_remote_error`, …) to an `errc::api_error` whose message reads
  /// "GET /unified/ats/x: Not Found: <message>" (with "(provider error)" when remote).
  error to_error(const http_response& r, std::string_view what) const {
    error e;
    e.code = make_error_code(errc::api_error);
    e.http_status = r.status;
    e.body = redact(r.body);
    e.retry_after = uniapi::retry_after(r.headers);
    std::string msg(what);
    auto body = json::decode<error_body>(r.body);
    if (body && (body->error || body->message)) {
      if (body->error && !body->error->empty()) msg += ": " + *body->error;
      if (body->message && !body->message->empty()) msg += ": " + *body->message;
      if (body->truto_is_remote_error.value_or(false)) msg += " (provider error)";
    } else if (!r.body.empty()) {
      std::string_view text(r.body);
      msg += ": ";
      for (char c : text.substr(0, 200))
        msg += (c == '\n' || c == '\r') ? ' ' : c;
    }
    e.message = redact(std::move(msg));
    return e;
  }
};

}  // namespace uniapi::truto

#endif
