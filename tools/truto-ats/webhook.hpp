// `verify-webhook`: Truto's webhook signatures, checked offline.
#ifndef UNIAPI_TOOLS_TRUTO_ATS_WEBHOOK_HPP
#define UNIAPI_TOOLS_TRUTO_ATS_WEBHOOK_HPP

#include "common.hpp"

#include <uniapi/truto/webhook.hpp>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace truto_ats {

/// `verify-webhook`: checks a webhook delivery saved to FILE against the X-Truto-Signature value:
/// exit 0 when it is Truto's signature of those bytes under the secret in $VAR, 1 when not (the
/// reason on stderr). With --max-age, the event must also be a webhook event created at most S
/// seconds ago. The secret is never printed.
inline int verify_webhook_command(const std::vector<std::string>& args) {
  std::optional<std::string> secret_env, signature, body_file, max_age;
  parse_flags(args, "verify-webhook",
              {{"--secret-env", &secret_env},
               {"--signature", &signature},
               {"--body", &body_file},
               {"--max-age", &max_age}});
  if (!secret_env || !signature || !body_file)
    fail_usage("verify-webhook needs --secret-env VAR --signature HEADER_VALUE --body FILE");
  auto secret = cli::env(secret_env->c_str());
  if (!secret) fail_usage("the environment variable " + *secret_env + " is not set or empty");
  std::string body = read_file(*body_file);
  uniapi::result<void> ok_sig;
  if (max_age) {
    uniapi::truto::webhook_verify_options o;
    o.max_age = std::chrono::seconds(parse_number("--max-age", *max_age, 1));
    auto ev = uniapi::truto::verify_webhook(*secret, *signature, body, o);
    if (!ev) ok_sig = ev.error();
  } else {
    ok_sig = uniapi::truto::verify_webhook_signature(*secret, *signature, body);
  }
  if (!ok_sig) {
    std::cerr << "truto-ats: webhook rejected: " << ok_sig.error().message << '\n';
    return api;
  }
  std::cerr << "truto-ats: valid webhook signature\n";
  return ok;
}

}  // namespace truto_ats

#endif
