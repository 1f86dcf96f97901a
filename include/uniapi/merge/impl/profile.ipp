// uniapi — the non-template code of <uniapi/merge/profile.hpp>: included by it (header-only) or
// compiled once through <uniapi/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_MERGE_IMPL_PROFILE_IPP
#define UNIAPI_MERGE_IMPL_PROFILE_IPP

#include <uniapi/merge/profile.hpp>

namespace uniapi::merge {

UNIAPI_DECL auto profile::to_error(const http_response& r, std::string_view what) const -> error {
  error e;
  e.code = make_error_code(errc::api_error);
  e.http_status = r.status;
  e.body = redact(r.body);
  e.retry_after = uniapi::retry_after(r.headers);
  std::string msg(what);
  msg += ": HTTP " + std::to_string(r.status);
  auto body = json::decode<error_body>(r.body);
  if (body && body->detail && !body->detail->empty()) {
    msg += ": " + *body->detail;
  } else if (!r.body.empty()) {
    msg += ": ";
    for (char c : std::string_view(r.body).substr(0, 200))
      msg += (c == '\n' || c == '\r') ? ' ' : c;
  }
  e.message = redact(std::move(msg));
  return e;
}

}  // namespace uniapi::merge

#endif
