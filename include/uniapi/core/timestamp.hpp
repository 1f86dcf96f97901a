// uniapi — ISO 8601 date-times as APIs send them.
#ifndef UNIAPI_CORE_TIMESTAMP_HPP
#define UNIAPI_CORE_TIMESTAMP_HPP

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace uniapi {

/// An instant parsed from an ISO 8601 date-time, with the text it came from.
///
/// Accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with `Z`, `±HH:MM`, `±HHMM` or `±HH`
/// (no zone means UTC), a `t`/space separator and any number of fraction digits. Every year from
/// 0000 to 9999 is representable (providers use 9999-12-31 for "never").
/// `time()` is the UTC instant to the microsecond; `text()` is the original text, so re-encoding is
/// lossless, finer fractions included.
class timestamp {
 public:
  using time_point = std::chrono::sys_time<std::chrono::microseconds>;

  timestamp() = default;
  /// A timestamp for `tp`, written as `format(tp)`.
  explicit timestamp(time_point tp) : time_(tp) {}

  /// Parses `text`; `std::nullopt` when it is not an ISO 8601 date or date-time.
  static std::optional<timestamp> parse(std::string_view text) {
    timestamp t;
    if (!t.assign(text)) return std::nullopt;
    return t;
  }

  /// Sets this timestamp from `text`, reusing its storage; false (and unchanged) when `text` is
  /// not an ISO 8601 date or date-time.
  bool assign(std::string_view text) {
    time_point tp;
    int offset = 0, nanos = 0;
    if (!parse_into(text, tp, offset, &nanos)) return false;
    time_ = tp;
    offset_ = offset;
    nanos_ = nanos;
    if (is_formatted(text))
      text_.clear();  // `format(time())` gives it back: no copy (nor allocation) needed
    else
      text_.assign(text);
    return true;
  }

  /// The UTC instant.
  time_point time() const noexcept { return time_; }
  /// The offset from UTC the text was written in, in minutes.
  int utc_offset_minutes() const noexcept { return offset_; }
  /// The text as received (or as formatted, for a constructed timestamp).
  std::string text() const {
    std::string out;
    append_text(out);
    return out;
  }
  /// Appends `text()` to `out`. The text never needs escaping in JSON.
  void append_text(std::string& out) const {
    if (!text_.empty()) {
      out += text_;
      return;
    }
    char buf[48];
    out.append(buf, format_to(buf, time_));
  }

  /// Equal when they denote the same instant (to the nanosecond).
  friend bool operator==(const timestamp& a, const timestamp& b) noexcept {
    return a.time_ == b.time_ && a.nanos_ == b.nanos_;
  }
  friend auto operator<=>(const timestamp& a, const timestamp& b) noexcept {
    if (auto c = a.time_ <=> b.time_; c != 0) return c;
    return a.nanos_ <=> b.nanos_;
  }

  /// Parses `text` into an instant and offset; false when malformed. `sub_micro_nanos`, when
  /// given, receives the nanoseconds below the microsecond.
  static bool parse_into(std::string_view s, time_point& out, int& offset_minutes,
                         int* sub_micro_nanos = nullptr) noexcept {
    std::size_t i = 0;
    auto digits = [&](int n, int& v) __attribute__((always_inline)) {
      if (i + static_cast<std::size_t>(n) > s.size()) return false;
      v = 0;
      for (int k = 0; k < n; ++k) {
        auto c = static_cast<unsigned>(s[i++] - '0');
        if (c > 9) return false;
        v = v * 10 + static_cast<int>(c);
      }
      return true;
    };
    auto lit = [&](char c) __attribute__((always_inline)) {
      if (i < s.size() && s[i] == c) {
        ++i;
        return true;
      }
      return false;
    };
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(4, y) || !lit('-') || !digits(2, mo) || !lit('-') || !digits(2, d)) return false;
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(mo)},
                                    std::chrono::day{unsigned(d)}};
    if (!ymd.ok()) return false;
    std::int64_t frac_ns = 0;
    int offset = 0;
    if (i < s.size()) {
      if (!(lit('T') || lit('t') || lit(' '))) return false;
      if (!digits(2, h) || !lit(':') || !digits(2, mi)) return false;
      if (lit(':')) {
        if (!digits(2, sec)) return false;
        if (lit('.') || lit(',')) {
          int n = 0;
          while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (n < 9) frac_ns = frac_ns * 10 + (s[i] - '0');
            ++n;
            ++i;
          }
          if (n == 0) return false;
          for (int k = n; k < 9; ++k)
            frac_ns *= 10;
        }
      }
      if (h > 23 || mi > 59 || sec > 60) return false;
      if (lit('Z') || lit('z')) {
      } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i++] == '-' ? -1 : 1;
        int oh, om = 0;
        if (!digits(2, oh)) return false;
        if (lit(':')) {
          if (!digits(2, om)) return false;
        } else if (i < s.size()) {
          if (!digits(2, om)) return false;
        }
        if (oh > 23 || om > 59) return false;
        offset = sign * (oh * 60 + om);
      }
      if (i != s.size()) return false;
    }
    using namespace std::chrono;
    out = time_point{sys_days{ymd}} + hours{h} + minutes{mi} + seconds{sec} +
          microseconds{frac_ns / 1000} - minutes{offset};
    offset_minutes = offset;
    if (sub_micro_nanos) *sub_micro_nanos = static_cast<int>(frac_ns % 1000);
    return true;
  }

  /// `tp` as `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, with trailing zero fraction digits dropped.
  static std::string format(time_point tp) {
    char buf[48];
    return std::string(buf, format_to(buf, tp));
  }

 private:
  static std::size_t format_to(char (&buf)[48], time_point tp) {
    using namespace std::chrono;
    auto day = floor<days>(tp);
    year_month_day ymd{day};
    hh_mm_ss<microseconds> hms{tp - day};
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                          unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                          int(hms.minutes().count()), int(hms.seconds().count()));
    auto len = static_cast<std::size_t>(n);
    if (auto us = hms.subseconds().count(); us != 0) {
      len += static_cast<std::size_t>(
          std::snprintf(buf + len, sizeof buf - len, ".%06lld", static_cast<long long>(us)));
      while (buf[len - 1] == '0')
        --len;
    }
    buf[len++] = 'Z';
    return len;
  }

  // True when `s` (which parsed) is exactly what `format` writes for its instant:
  // `YYYY-MM-DDTHH:MM:SS[.f]Z`, 1-6 fraction digits without a trailing zero, no leap second.
  static bool is_formatted(std::string_view s) noexcept {
    if (s.size() < 20 || s.size() > 27 || s[10] != 'T' || s.back() != 'Z' || s[17] > '5')
      return false;
    if (s.size() == 20) return true;
    return s.size() >= 22 && s[19] == '.' && s[s.size() - 2] != '0';
  }

  time_point time_{};
  int offset_ = 0;
  int nanos_ = 0;     // below the microsecond
  std::string text_;  // the text as received, when `format(time_)` would not give it back
};

}  // namespace uniapi

#endif
