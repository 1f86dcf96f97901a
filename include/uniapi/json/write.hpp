// uniapi — JSON text output: strings, numbers and compacted text appended to a buffer.
#ifndef UNIAPI_JSON_WRITE_HPP
#define UNIAPI_JSON_WRITE_HPP

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace uniapi::json {

namespace detail {

/// The first byte in `[p, e)` that a JSON string must escape (`"`, `\\`, below 0x20), or `e`.
inline const char* find_escaped(const char* p, const char* e) noexcept {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
                control = _mm_set1_epi8(0x1f);
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));
    if (auto m = static_cast<unsigned>(_mm_movemask_epi8(special))) return p + std::countr_zero(m);
    p += 16;
  }
#endif
  for (; p < e; ++p) {
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == '"' || c == '\\') return p;
  }
  return e;
}

/// The first `"` or `\\` in `[p, e)`, or `e`.
inline const char* find_quote_or_backslash(const char* p, const char* e) noexcept {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    auto m = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
    if (m) return p + std::countr_zero(m);
    p += 16;
  }
#endif
  while (p < e && *p != '"' && *p != '\\')
    ++p;
  return p;
}

/// True for the four bytes JSON allows between tokens.
constexpr bool is_json_whitespace(char c) noexcept {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

}  // namespace detail

/// Appends `s` as a quoted JSON string. `s` is UTF-8; only `"`, `\` and control characters
/// are escaped. Runs without such bytes are copied whole.
inline void write_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  const char* p = s.data();
  const char* const e = p + s.size();
  for (;;) {
    const char* q = detail::find_escaped(p, e);
    out.append(p, static_cast<std::size_t>(q - p));
    if (q == e) break;
    auto c = static_cast<unsigned char>(*q);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default: {
        const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
        out.append(u, 6);
      }
    }
    p = q + 1;
  }
  out.push_back('"');
}

/// Appends an integer.
template <class I>
void write_integer(std::string& out, I v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// Appends a double in its shortest round-trip form; non-finite values become `null`.
inline void write_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  if (d == 0 && std::signbit(d)) {
    out += "-0.0";  // "-0" would read back as the integer 0
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

/// Appends the JSON text `s` without its insignificant whitespace: spaces, tabs, CR and LF
/// between tokens are dropped, every other byte is kept as is (strings with their escapes and
/// inner spaces, numbers' digits, key order, duplicate keys). Text without such whitespace is
/// appended in one copy. `s` is expected to be valid JSON; an unterminated string is copied
/// through to the end.
inline void write_compact(std::string& out, std::string_view s) {
  const char* p = s.data();
  const char* const e = p + s.size();
  const char* run = p;  // start of the bytes not yet appended
  while (p < e) {
    char c = *p;
    if (c == '"') {
      for (++p;;) {
        p = detail::find_quote_or_backslash(p, e);
        if (p == e) break;
        if (*p == '"') {
          ++p;
          break;
        }
        p += e - p >= 2 ? 2 : 1;  // the escape and the byte it escapes
      }
    } else if (detail::is_json_whitespace(c)) {
      out.append(run, static_cast<std::size_t>(p - run));
      do
        ++p;
      while (p < e && detail::is_json_whitespace(*p));
      run = p;
    } else {
      ++p;
    }
  }
  out.append(run, static_cast<std::size_t>(e - run));
}

}  // namespace uniapi::json

#endif
