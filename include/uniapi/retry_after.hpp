// uniapi — reading the delay a server asks for.
#ifndef UNIAPI_RETRY_AFTER_HPP
#define UNIAPI_RETRY_AFTER_HPP

#include <uniapi/http.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace uniapi {

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP-date form servers send.
inline std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) {
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string text(s.substr(0, 64));
  char wday[4] = {}, mon[4] = {}, zone[4] = {};
  int d = 0, y = 0, h = 0, mi = 0, sec = 0, n = 0;
  if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d %3s%n", wday, &d, mon, &y, &h, &mi, &sec,
                  zone, &n) != 8 ||
      static_cast<std::size_t>(n) != text.size() || std::strcmp(zone, "GMT") != 0)
    return std::nullopt;
  unsigned m = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (std::strcmp(mon, months[i]) == 0) m = i + 1;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{m}, day{unsigned(d)}};
  if (m == 0 || !ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
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
