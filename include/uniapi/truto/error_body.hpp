// uniapi — Truto's error body.
#ifndef UNIAPI_TRUTO_ERROR_BODY_HPP
#define UNIAPI_TRUTO_ERROR_BODY_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/error.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/json/raw_json.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace uniapi::truto {

/// The JSON body Truto sends with an error status.
///
/// `truto_is_remote_error` is true when the provider behind Truto failed; `raw_response` is then
/// the provider's body. `truto_error_insight` holds hints such as
/// `missing_required_query_parameters` (`{description, value}` objects).
struct error_body {
  std::optional<std::int64_t> statusCode;
  std::optional<std::string> error;
  std::optional<std::string> message;
  std::optional<bool> truto_is_remote_error;
  std::optional<json::raw_json> raw_response;
  std::optional<json::raw_json> truto_error_insight;
  std::optional<json::raw_json> details;

  BOOST_DESCRIBE_CLASS(error_body, (),
                       (statusCode, error, message, truto_is_remote_error, raw_response,
                        truto_error_insight, details),
                       (), ())
};

/// The Truto error body of `e`, when `e` came from an API response that carried one.
UNIAPI_DECL std::optional<error_body> parse_error_body(const uniapi::error& e);
}  // namespace uniapi::truto

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/truto/impl/error_body.ipp>
#endif

#endif
