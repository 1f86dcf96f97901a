// uniapi — Truto's Custom API (`/custom/{path}`): any request to the integration's own API,
// with the account's credentials applied by Truto.
#ifndef UNIAPI_TRUTO_CUSTOM_API_HPP
#define UNIAPI_TRUTO_CUSTOM_API_HPP

#include <uniapi/core/result.hpp>
#include <uniapi/wire/query_string.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace uniapi::truto {

/// The request path of Truto's Custom API for the provider path `path` (`/v1/reports/monthly`
/// or `v1/reports/monthly`): `/custom/v1/reports/monthly`. Each `/`-separated segment is
/// percent-encoded as a path segment (`.` and `..` too) and empty segments are dropped, so no
/// path can reach a route outside `/custom/`. Send it with the client's `send_raw` (any verb,
/// raw body in and out, streamed) and a `request_query<>` (the account, and any parameters,
/// which Truto forwards to the provider):
/// @code
/// std::string out;
/// auto r = client.send_raw(http_method::post, truto::custom_path("/v1/reports"),
///                          truto::request_query<>{.integrated_account_id = acct},
///                          R"({"month":"2024-01"})", "application/json",
///                          [&](std::string_view b) { out += b; return result<void>{}; });
/// auto value = truto::custom_result(out);   // the JSON, `result` unwrapped
/// @endcode
inline std::string custom_path(std::string_view path) {
  std::string p = "/custom";
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (segment.empty()) continue;
    p += '/';
    p += encode_path_segment(segment);
  }
  return p;
}

/// The JSON a Custom API call answered: Truto wraps JSON results as `{"result": ...,
/// "next_cursor": ..., "prev_cursor": ...}` (its documentation does not say so everywhere; the
/// lenient reading is taken): `result` when the body is such an object, the whole body
/// otherwise. An error when `body` is not JSON (a binary reply: use the bytes as they are).
inline result<boost::json::value> custom_result(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec)
    return make_error(errc::decode_failed, "the Custom API reply is not JSON: " + ec.message());
  if (auto* o = v.if_object())
    if (auto* r = o->if_contains("result")) return std::move(*r);
  return v;
}

}  // namespace uniapi::truto

#endif
