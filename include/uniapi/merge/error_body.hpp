// uniapi — Merge's error body.
#ifndef UNIAPI_MERGE_ERROR_BODY_HPP
#define UNIAPI_MERGE_ERROR_BODY_HPP

#include <uniapi/error.hpp>
#include <uniapi/json/decode.hpp>

#include <boost/describe/class.hpp>

#include <optional>
#include <string>

namespace uniapi::merge {

/// The JSON body Merge sends with an error status: `{"detail": "..."}`. Validation errors
/// (400) may instead map parameter names to lists of messages; `detail` is then absent.
struct error_body {
  std::optional<std::string> detail;

  BOOST_DESCRIBE_CLASS(error_body, (), (detail), (), ())
};

/// The Merge error body of `e`, when `e` came from an API response that carried one.
inline std::optional<error_body> parse_error_body(const uniapi::error& e) {
  if (e.body.empty()) return std::nullopt;
  auto r = json::decode<error_body>(e.body);
  if (!r) return std::nullopt;
  return std::move(*r);
}

}  // namespace uniapi::merge

#endif
