// uniapi — Truto's unified API meta: what a method accepts and returns for one integrated
// account's integration.
#ifndef UNIAPI_TRUTO_META_HPP
#define UNIAPI_TRUTO_META_HPP

#include <uniapi/wire/query_string.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace uniapi::truto {

/// The answer of `GET /unified/{model}/{resource}/meta/{method}`: the schemas of a unified
/// method as the account's integration implements it. Schemas are JSON Schema-like objects
/// (`type`, `properties`, `required` as a boolean per property); every member is optional, since
/// Truto's documentation marks some required and its skill pages list others.
struct method_meta {
  std::optional<std::string> method;
  std::optional<boost::json::value> schema;               ///< the unified resource's schema
  std::optional<boost::json::value> response_schema;      ///< what this integration fills
  std::optional<boost::json::value> query_schema;         ///< accepted query parameters
  std::optional<boost::json::value> request_body_schema;  ///< accepted body fields
  std::optional<boost::json::value> response_mapping;
  std::optional<boost::json::value> default_query;  ///< always applied (may hold JSONata)
  std::optional<boost::json::value> default_body;
  std::optional<std::string> documentation_link;
};
BOOST_DESCRIBE_STRUCT(method_meta, (),
                      (method, schema, response_schema, query_schema, request_body_schema,
                       response_mapping, default_query, default_body, documentation_link))

/// `/unified/{model}/{resource}/meta/{method}`, each part percent-encoded as one path segment.
/// Fetch it with the client's `fetch_json<method_meta>` and a `request_query<>` naming the
/// integrated account:
/// @code
/// auto m = client.fetch_json<truto::method_meta>(
///     http_method::get, truto::meta_path("ats", "attachments", "list"),
///     truto::request_query<>{.integrated_account_id = acct});
/// @endcode
inline std::string meta_path(std::string_view model, std::string_view resource,
                             std::string_view method) {
  return "/unified/" + encode_path_segment(model) + "/" + encode_path_segment(resource) + "/meta/" +
         encode_path_segment(method);
}

}  // namespace uniapi::truto

#endif
