// uniapi — how Truto speaks: base URL, bearer auth, envelope, cursor and error body.
#ifndef UNIAPI_TRUTO_PROFILE_HPP
#define UNIAPI_TRUTO_PROFILE_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/error.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/redact.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/truto/error_body.hpp>
#include <uniapi/truto/page.hpp>
#include <uniapi/wire/query_string.hpp>
#include <uniapi/wire/retry_after.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace uniapi::truto {

/// The body of a Truto DELETE response: `{"id": "..."}`.
struct deleted_record {
  std::optional<std::string> id;
  BOOST_DESCRIBE_CLASS(deleted_record, (), (id), (), ())
};

/// A Truto custom method's response wrapped as `{"result": ...}`.
struct wrapped_result {
  std::optional<json::raw_json> result;
  BOOST_DESCRIBE_CLASS(wrapped_result, (), (result), (), ())
};

/// The Truto provider profile (see `uniapi::provider_profile`).
///
/// `token` is the Truto API token, sent as `Authorization: Bearer <token>`. It is never part of
/// a URL, a log line or an error message: `redact` removes it from any text the client shows.
struct profile {
  /// Origin and optional path prefix; `/unified/ats/...` paths are appended to it.
  std::string base_url = "https://api.truto.one";
  /// The API token (secret).
  std::string token;

  /// Pages are `{"result": [...], "next_cursor": ...}` (see `truto::envelope`).
  template <class Items>
  using envelope = truto::envelope<Items>;
  template <class E>
  static auto& items(E& page) noexcept {
    return page.result;
  }
  template <class E>
  static const std::optional<std::string>& next_cursor(const E& page) noexcept {
    return page.next_cursor;
  }
  /// The cursor goes back as `next_cursor=...`.
  static void add_cursor(query_string& qs, std::string_view cursor) {
    qs.add("next_cursor", cursor);
  }

  /// Creates and updates answer with the bare record.
  template <class T>
  using write_response = T;
  template <class T>
  static result<T> unwrap_write(T&& record) {
    return std::move(record);
  }
  /// A delete answers `{"id": "..."}` (or the deleted record).
  using delete_response = truto::deleted_record;
  static std::optional<std::string> deleted_id(const delete_response& d) { return d.id; }
  /// A custom method answers with its response bare or wrapped as `{"result": ...}` (the sole
  /// key; a bare record never is just that).
  template <class T>
  static result<T> unwrap_custom(std::string_view body) {
    auto w = json::decode<wrapped_result>(body);
    if (w && w->result && !body.empty() && body.front() == '{') {
      auto only = json::decode<boost::json::value>(body);
      if (only && only->is_object() && only->as_object().size() == 1) body = w->result->text();
    }
    return json::decode<T>(body);
  }

  void authorize(http_request& req) const { req.headers.set("Authorization", "Bearer " + token); }

  /// `text` with every occurrence of the token replaced by `[redacted]`.
  std::string redact(std::string text) const { return redact_secret(std::move(text), token); }

  /// Maps a non-2xx response and its Truto error body (`statusCode`, `error`, `message`,
  /// `truto_is_remote_error`, …) to an `errc::api_error` whose message reads
  /// "GET /unified/ats/x: Not Found: <message>" (with "(provider error)" when remote).
  UNIAPI_DECL error to_error(const http_response& r, std::string_view what) const;
};

}  // namespace uniapi::truto

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/truto/impl/profile.ipp>
#endif

#endif
