// uniapi — the non-template code of <uniapi/truto/profile.hpp>: included by it (header-only) or
// compiled once through <uniapi/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_TRUTO_IMPL_PROFILE_IPP
#define UNIAPI_TRUTO_IMPL_PROFILE_IPP

#include <uniapi/truto/profile.hpp>

namespace uniapi::truto {

UNIAPI_DECL auto profile::to_error(const http_response& r, std::string_view what) const -> error {
  error e;
  e.code = make_error_code(errc::api_error);
  e.http_status = r.status;
  e.body = redact(r.body);
  e.retry_after = uniapi::retry_after(r.headers);
  std::string msg(what);
  auto body = json::decode<error_body>(r.body);
  if (body && (body->error || body->message)) {
    if (body->error && !body->error->empty()) msg += ": " + *body->error;
    if (body->message && !body->message->empty()) msg += ": " + *body->message;
    if (body->truto_is_remote_error.value_or(false)) msg += " (provider error)";
  } else if (!r.body.empty()) {
    std::string_view text(r.body);
    msg += ": ";
    for (char c : text.substr(0, 200))
      msg += (c == '\n' || c == '\r') ? ' ' : c;
  }
  e.message = redact(std::move(msg));
  return e;
}

}  // namespace uniapi::truto

#endif
