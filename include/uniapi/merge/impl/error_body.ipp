// uniapi — the non-template code of <uniapi/merge/error_body.hpp>: included by it (header-only) or
// compiled once through <uniapi/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_MERGE_IMPL_ERROR_BODY_IPP
#define UNIAPI_MERGE_IMPL_ERROR_BODY_IPP

#include <uniapi/merge/error_body.hpp>

namespace uniapi::merge {

UNIAPI_DECL auto parse_error_body(const uniapi::error& e) -> std::optional<error_body> {
  if (e.body.empty()) return std::nullopt;
  auto r = json::decode<error_body>(e.body);
  if (!r) return std::nullopt;
  return std::move(*r);
}

}  // namespace uniapi::merge

#endif
