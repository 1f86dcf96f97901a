// uniapi — removing a secret from text before it is shown.
#ifndef UNIAPI_CORE_REDACT_HPP
#define UNIAPI_CORE_REDACT_HPP

#include <string>
#include <string_view>

namespace uniapi {

/// `text` with every occurrence of `secret` replaced by `[redacted]`. A secret shorter than four
/// characters is left alone: it would redact ordinary words, and no credential is that short.
inline std::string redact_secret(std::string text, std::string_view secret) {
  if (secret.size() < 4) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
    text.replace(at, secret.size(), "[redacted]");
  return text;
}

}  // namespace uniapi

#endif
