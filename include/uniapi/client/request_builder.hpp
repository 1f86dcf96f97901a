// uniapi — builds the HTTP requests of a provider's operations.
#ifndef UNIAPI_CLIENT_REQUEST_BUILDER_HPP
#define UNIAPI_CLIENT_REQUEST_BUILDER_HPP

#include <uniapi/client/request_options.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/encode.hpp>
#include <uniapi/wire/multipart.hpp>
#include <uniapi/wire/query_string.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace uniapi {

/// Builds authorised requests for a provider profile `Profile`: URL from the profile's base, a
/// path and a typed query (plus a cursor for lists), the profile's credentials, per-call headers
/// and timeout, and a JSON or multipart body.
template <class Profile>
class request_builder {
 public:
  explicit request_builder(const Profile& profile) noexcept : profile_(&profile) {}

  /// `method base_url+path?query[&cursor]`, authorised, with `options` applied. Fails when the
  /// query cannot be written (the error names the method and path).
  template <class Query>
  result<http_request> build(http_method method, std::string_view path, const Query& query,
                             const std::optional<std::string>& cursor = std::nullopt,
                             const request_options& options = {}) const {
    query_string qs;
    if constexpr (requires { query.append_to(qs); }) {
      if (auto r = query.append_to(qs); !r) {
        auto e = r.error();
        e.message = std::string(to_string(method)) + " " + std::string(path) +
                    (e.message.empty() ? "" : ": " + e.message);
        return e;
      }
    } else {
      append_query(qs, query);
    }
    if (cursor) profile_->add_cursor(qs, *cursor);
    http_request req;
    req.method = method;
    std::string_view base = profile_->base_url;
    while (!base.empty() && base.back() == '/')
      base.remove_suffix(1);
    req.url.reserve(base.size() + path.size() + qs.str().size() + 1);
    req.url.append(base).append(path);
    if (!qs.empty()) req.url.append("?").append(qs.str());
    req.headers.set("Accept", "application/json");
    profile_->authorize(req);
    for (const auto& [name, value] : options.headers)
      req.headers.set(name, value);
    req.timeout = options.timeout;
    return req;
  }

  /// `collection/{id}` with `id` percent-encoded as one path segment (`.` and `..` too).
  static std::string record_path(std::string_view collection, std::string_view id) {
    std::string p(collection);
    p += '/';
    p += encode_path_segment(id);
    return p;
  }

  /// Sets `body` as the request's body: multipart when it has a `file_part`, JSON otherwise;
  /// and the `Idempotency-Key` when one is given.
  template <class Body>
  static void set_body(http_request& req, const Body& body,
                       const std::optional<std::string>& idempotency_key) {
    if constexpr (is_multipart_body<Body>()) {
      auto mp = encode_multipart(body);
      req.headers.set("Content-Type", std::move(mp.content_type));
      req.body = std::move(mp.data);
    } else {
      req.headers.set("Content-Type", "application/json");
      req.body = json::encode(body);
    }
    if (idempotency_key) req.headers.set("Idempotency-Key", *idempotency_key);
  }

  /// Sets `body` as it is (with `content_type`; nothing when `body` is empty) for a request whose
  /// response is read as bytes (`send_raw`).
  static void set_raw_body(http_request& req, std::string body, std::string_view content_type,
                           const std::optional<std::string>& idempotency_key) {
    if (!body.empty()) {
      req.headers.set("Content-Type", std::string(content_type));
      req.body = std::move(body);
    }
    if (idempotency_key) req.headers.set("Idempotency-Key", *idempotency_key);
    req.headers.set("Accept", "*/*");
  }

 private:
  const Profile* profile_;
};

}  // namespace uniapi

#endif
