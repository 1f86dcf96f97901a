// uniapi — how Merge speaks: base URL, two credentials, envelope, cursor and error body.
#ifndef UNIAPI_MERGE_PROFILE_HPP
#define UNIAPI_MERGE_PROFILE_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/error.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/redact.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/merge/error_body.hpp>
#include <uniapi/merge/page.hpp>
#include <uniapi/wire/query_string.hpp>
#include <uniapi/wire/retry_after.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace uniapi::merge {

/// The Merge provider profile (see `uniapi::provider_profile`).
///
/// Every request carries `Authorization: Bearer <api_key>` and `X-Account-Token:
/// <account_token>` (the linked account). Leave `account_token` empty to pass the token per call
/// instead (`request_options::headers`), so one client serves many linked accounts. Neither
/// secret is ever part of a URL, a log line or an error message: `redact` removes both.
struct profile {
  /// Origin, e.g. `https://api.merge.dev` (EU: `https://api-eu.merge.dev`, APAC:
  /// `https://api-ap.merge.dev`); resource paths (`/api/ats/v1/...`) are appended.
  std::string base_url = "https://api.merge.dev";
  /// The production or test API key (secret).
  std::string api_key;
  /// The linked account's token (secret); empty: none sent by the profile.
  std::string account_token;

  /// Pages are `{"next": ..., "previous": ..., "results": [...]}` (see `merge::envelope`).
  template <class Items>
  using envelope = merge::envelope<Items>;
  template <class E>
  static auto& items(E& page) noexcept {
    return page.results;
  }
  template <class E>
  static const std::optional<std::string>& next_cursor(const E& page) noexcept {
    return page.next;
  }
  /// The cursor goes back as `cursor=...`.
  static void add_cursor(query_string& qs, std::string_view cursor) { qs.add("cursor", cursor); }

  /// Writes answer `{"model": ..., "warnings": [...], "errors": [...]}`.
  template <class T>
  using write_response = merge::write_response<T>;
  template <class T>
  static result<T> unwrap_write(write_response<T>&& w) {
    if (!w.model) return make_error(errc::decode_failed, "model: the write response has no model");
    return std::move(*w.model);
  }
  /// Deletes (where Merge offers them) answer with no id of their own.
  using delete_response = json::raw_json;
  static std::optional<std::string> deleted_id(const delete_response&) { return std::nullopt; }
  /// Custom responses come bare.
  template <class T>
  static result<T> unwrap_custom(std::string_view body) {
    return json::decode<T>(body);
  }

  void authorize(http_request& req) const {
    req.headers.set("Authorization", "Bearer " + api_key);
    if (!account_token.empty()) req.headers.set("X-Account-Token", account_token);
  }

  /// `text` with every occurrence of the API key and the account token replaced by `[redacted]`.
  std::string redact(std::string text) const {
    return redact_secret(redact_secret(std::move(text), api_key), account_token);
  }

  /// Maps a non-2xx response and its Merge error body to an `errc::api_error` whose message reads
  /// "GET /api/ats/v1/x: HTTP 404: Not found." (the body's `detail`, or the start of the body).
  UNIAPI_DECL error to_error(const http_response& r, std::string_view what) const;
};

}  // namespace uniapi::merge

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/merge/impl/profile.ipp>
#endif

#endif
