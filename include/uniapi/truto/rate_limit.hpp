// uniapi — Truto's normalised rate-limit headers.
#ifndef UNIAPI_TRUTO_RATE_LIMIT_HPP
#define UNIAPI_TRUTO_RATE_LIMIT_HPP

#include <uniapi/core/http.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace uniapi::truto {

/// The `ratelimit-*` headers of a response. Each is absent when the provider exposes no
/// rate-limit data.
struct rate_limit {
  std::optional<std::int64_t> limit;           ///< `ratelimit-limit`: quota per window
  std::optional<std::int64_t> window_seconds;  ///< the `;w=` suffix of `ratelimit-limit`
  std::optional<std::int64_t> remaining;       ///< `ratelimit-remaining`
  std::optional<std::int64_t> reset_seconds;   ///< `ratelimit-reset`: seconds until the reset

  /// Reads the headers; malformed values are treated as absent.
  static rate_limit from(const http_headers& h) {
    rate_limit r;
    if (auto v = h.find("ratelimit-limit")) {
      std::string_view s = *v;
      auto semi = s.find(';');
      r.limit = number(s.substr(0, semi));
      if (semi != std::string_view::npos) {
        auto w = s.find("w=", semi);
        if (w != std::string_view::npos) {
          auto end = s.find(';', w);
          r.window_seconds = number(s.substr(w + 2, end == s.npos ? s.npos : end - w - 2));
        }
      }
    }
    if (auto v = h.find("ratelimit-remaining")) r.remaining = number(*v);
    if (auto v = h.find("ratelimit-reset")) r.reset_seconds = number(*v);
    return r;
  }

 private:
  static std::optional<std::int64_t> number(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
      s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == ';'))
      s.remove_suffix(1);
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
  }
};

}  // namespace uniapi::truto

#endif
