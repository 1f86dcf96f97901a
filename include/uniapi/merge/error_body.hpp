// uniapi — Merge's error body.
#ifndef UNIAPI_MERGE_ERROR_BODY_HPP
#define UNIAPI_MERGE_ERROR_BODY_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/error.hpp>
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
UNIAPI_DECL std::optional<error_body> parse_error_body(const uniapi::error& e);
}  // namespace uniapi::merge

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/merge/impl/error_body.ipp>
#endif

#endif
