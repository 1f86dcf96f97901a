// uniapi — reading the delay a server asks for.
#ifndef UNIAPI_WIRE_RETRY_AFTER_HPP
#define UNIAPI_WIRE_RETRY_AFTER_HPP

#include <uniapi/core/http.hpp>

#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace uniapi {

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP-date form servers send.
/// Years outside 1900-2199 are rejected (no real Retry-After is that far).
inline std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) {
  static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  static constexpr std::string_view days = "MonTueWedThuFriSatSun";
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  auto wd = days.find(s.substr(0, 3));
  auto mon = months.find(s.substr(8, 3));
  if (wd == std::string_view::npos || wd % 3 || mon == std::string_view::npos || mon % 3)
    return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n, int& v) {
    v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    return true;
  };
  int d, y, h, mi, sec;
  if (!num(5, 2, d) || !num(12, 4, y) || !num(17, 2, h) || !num(20, 2, mi) || !num(23, 2, sec))
    return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{unsigned(mon / 3 + 1)}, day{unsigned(d)}};
  if (y < 1900 || y > 2199 || !ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
}

/// The delay asked for by `Retry-After` (delay-seconds or HTTP-date, relative to `now`), or, when
/// absent, by `ratelimit-reset` (seconds). A date in the past gives zero.
inline std::optional<std::chrono::seconds> retry_after(
    const http_headers& h,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
  auto seconds = [](std::string_view v) -> std::optional<std::chrono::seconds> {
    while (!v.empty() && v.front() == ' ')
      v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ')
      v.remove_suffix(1);
    long long n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || p != v.data() + v.size() || v.empty() || n < 0) return std::nullopt;
    return std::chrono::seconds(n);
  };
  if (auto v = h.find("Retry-After")) {
    if (auto s = seconds(*v)) return s;
    if (auto t = parse_http_date(*v)) {
      auto d = std::chrono::ceil<std::chrono::seconds>(*t - now);
      return d.count() > 0 ? d : std::chrono::seconds(0);
    }
  }
  if (auto v = h.find("ratelimit-reset")) return seconds(*v);
  return std::nullopt;
}

}  // namespace uniapi

#endif
