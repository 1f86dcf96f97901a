// uniapi — finds where a JSON object or array ends without decoding it, so that the decoder can
// step over values it does not model (`remote_data`, unknown members) instead of having Boost.JSON
// tokenize them.
#ifndef UNIAPI_JSON_DETAIL_VALUE_SCANNER_HPP
#define UNIAPI_JSON_DETAIL_VALUE_SCANNER_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace uniapi::json::detail {

namespace scan {

constexpr bool is_ws(char c) noexcept {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

inline const char* skip_ws(const char* p, const char* e) noexcept {
  while (p != e && is_ws(*p))
    ++p;
  return p;
}

// The first byte in [p, e) that is a quote, a backslash, a control character or not ASCII.
inline const char* plain_run(const char* p, const char* e) noexcept {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed comparison: bytes 0x80-0xFF are negative, so "< 0x20" also flags non-ASCII.
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                               _mm_cmplt_epi8(v, space));
    if (int m = _mm_movemask_epi8(hit)) return p + __builtin_ctz(static_cast<unsigned>(m));
    p += 16;
  }
#endif
  for (; p != e; ++p) {
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return p;
  }
  return p;
}

constexpr int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline int hex4(const char* p) noexcept {
  int a = hex_digit(p[0]), b = hex_digit(p[1]), c = hex_digit(p[2]), d = hex_digit(p[3]);
  if ((a | b | c | d) < 0) return -1;
  return a << 12 | b << 8 | c << 4 | d;
}

// `p` is at a backslash: past the escape, or null. A `\u` escape of a UTF-16 surrogate must be
// a leading one followed by a trailing one, as Boost.JSON requires.
inline const char* escape_end(const char* p, const char* e) noexcept {
  if (e - p < 2) return nullptr;
  switch (p[1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
      return p + 2;
    case 'u':
      break;
    default:
      return nullptr;
  }
  if (e - p < 6) return nullptr;
  int u = hex4(p + 2);
  if (u < 0) return nullptr;
  if (u < 0xD800 || u > 0xDFFF) return p + 6;
  if (u > 0xDBFF || e - p < 12 || p[6] != '\\' || p[7] != 'u') return nullptr;
  int low = hex4(p + 8);
  if (low < 0xDC00 || low > 0xDFFF) return nullptr;
  return p + 12;
}

// `p` is at a byte of 0x80 or more: past one well-formed UTF-8 sequence (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or null.
inline const char* utf8_end(const char* p, const char* e) noexcept {
  auto byte = [&](std::ptrdiff_t i) { return static_cast<unsigned char>(p[i]); };
  auto cont = [&](std::ptrdiff_t i) { return (byte(i) & 0xC0) == 0x80; };
  unsigned char c = byte(0);
  if (c < 0xC2) return nullptr;
  if (c < 0xE0) return e - p >= 2 && cont(1) ? p + 2 : nullptr;
  if (c < 0xF0) {
    if (e - p < 3) return nullptr;
    unsigned char b = byte(1);
    bool ok = c == 0xE0 ? b >= 0xA0 && b <= 0xBF : c == 0xED ? b >= 0x80 && b <= 0x9F : cont(1);
    return ok && cont(2) ? p + 3 : nullptr;
  }
  if (c < 0xF5) {
    if (e - p < 4) return nullptr;
    unsigned char b = byte(1);
    bool ok = c == 0xF0 ? b >= 0x90 && b <= 0xBF : c == 0xF4 ? b >= 0x80 && b <= 0x8F : cont(1);
    return ok && cont(2) && cont(3) ? p + 4 : nullptr;
  }
  return nullptr;
}

// `p` is just past an opening quote: past the closing quote, or null.
[[gnu::always_inline]] inline const char* string_end(const char* p, const char* e) noexcept {
  for (;;) {
    p = plain_run(p, e);
    if (p == e) return nullptr;
    char c = *p;
    if (c == '"') return p + 1;
    if (c == '\\')
      p = escape_end(p, e);
    else if (static_cast<unsigned char>(c) < 0x20)
      return nullptr;
    else
      p = utf8_end(p, e);
    if (!p) return nullptr;
  }
}

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Numbers longer than this, or with exponents of more than 8 digits, are left to the parser
// (which rejects exponents that overflow its counters).
inline constexpr std::ptrdiff_t max_number = 4096;

// `p` is at `-` or a digit: past the number (RFC 8259 grammar), or null. The byte after it must
// be in view, or the number may go on in the next chunk.
inline const char* number_end(const char* p, const char* e) noexcept {
  const char* start = p;
  if (*p == '-' && ++p == e) return nullptr;
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    while (++p != e && is_digit(*p)) {
    }
  } else {
    return nullptr;
  }
  if (p != e && *p == '.') {
    if (++p == e || !is_digit(*p)) return nullptr;
    while (++p != e && is_digit(*p)) {
    }
  }
  if (p != e && (*p == 'e' || *p == 'E')) {
    if (++p != e && (*p == '+' || *p == '-')) ++p;
    if (p == e || !is_digit(*p)) return nullptr;
    const char* digits = p;
    while (++p != e && is_digit(*p)) {
    }
    if (p - digits > 8) return nullptr;
  }
  if (p == e || p - start > max_number) return nullptr;
  return p;
}

inline const char* literal_end(const char* p, const char* e, const char* word,
                               std::size_t n) noexcept {
  if (static_cast<std::size_t>(e - p) < n || std::memcmp(p, word, n) != 0) return nullptr;
  return p + n;
}

}  // namespace scan

/// The first occurrence of `needle` (at least 3 bytes) in [p, e), or null. Candidates are the
/// positions where the needle's first, second and second-to-last bytes all match, 16 at a time.
inline const char* find_needle(const char* p, const char* e, std::string_view needle) noexcept {
  const std::size_t n = needle.size();
  if (n < 3 || static_cast<std::size_t>(e - p) < n) return nullptr;
  const char* last = e - n;  // the last position a match can start at
#if defined(__SSE2__)
  const __m128i b0 = _mm_set1_epi8(needle[0]);
  const __m128i b1 = _mm_set1_epi8(needle[1]);
  const __m128i b2 = _mm_set1_epi8(needle[n - 2]);
  while (last - p >= 15) {  // loads reach p + n + 13 < e
    __m128i x0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    __m128i x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 2));
    __m128i hit = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(x0, b0), _mm_cmpeq_epi8(x1, b1)),
                                _mm_cmpeq_epi8(x2, b2));
    for (auto m = static_cast<unsigned>(_mm_movemask_epi8(hit)); m; m &= m - 1) {
      const char* at = p + __builtin_ctz(m);
      if (std::memcmp(at, needle.data(), n) == 0) return at;
    }
    p += 16;
  }
#endif
  for (; p <= last; ++p)
    if (p[1] == needle[1] && std::memcmp(p, needle.data(), n) == 0) return p;
  return nullptr;
}

/// Deepest nesting `scan_container` follows; deeper values are left to the parser.
inline constexpr int scan_max_depth = 64;

namespace scan {

// The null a failed scan returns; with `Track`, `where` is kept in `*at`.
template <bool Track>
[[gnu::always_inline]] inline const char* stop_at(const char** at, const char* where) noexcept {
  if constexpr (Track) *at = where;
  return nullptr;
}

/// `scan_container`; with `Track`, `*at` tells where it stopped when it returns null: the start
/// of the string, number or literal it could not accept, or the byte it could not go past.
/// Flattened (every helper inlined): 11% fewer instructions on `remote_data` than the
/// compiler's own inlining, which also changes with what else the including file holds.
template <bool Track>
[[gnu::flatten]] inline const char* container_end(const char* p, const char* e,
                                                  const char** at) noexcept {
#define UNIAPI_SCAN_FAIL(where) return stop_at<Track>(at, where)
  std::uint64_t objects = 0;  // bit 0: the innermost open container is an object
  int depth = 0;
  char c = *p;
  for (;;) {
    // `c` (at `p`) opens a container.
    if (depth == scan_max_depth) UNIAPI_SCAN_FAIL(p);
    objects = objects << 1 | (c == '{' ? 1u : 0u);
    ++depth;
    p = skip_ws(p + 1, e);
    if (p == e) UNIAPI_SCAN_FAIL(e);
    bool closed = *p == ((objects & 1) ? '}' : ']');
    bool opened = false;
    while (!opened) {
      if (!closed) {
        // A member (key, colon) or an element starts at `p`.
        if (objects & 1) {
          const char* key = p;
          if (*p != '"' || !(p = string_end(p + 1, e))) UNIAPI_SCAN_FAIL(key);
          p = skip_ws(p, e);
          if (p == e || *p != ':') UNIAPI_SCAN_FAIL(p);
          p = skip_ws(p + 1, e);
          if (p == e) UNIAPI_SCAN_FAIL(e);
        }
        const char* value = p;
        switch (c = *p) {
          case '{':
          case '[':
            opened = true;
            continue;
          case '"':
            p = string_end(p + 1, e);
            break;
          case 't':
            p = literal_end(p, e, "true", 4);
            break;
          case 'f':
            p = literal_end(p, e, "false", 5);
            break;
          case 'n':
            p = literal_end(p, e, "null", 4);
            break;
          default:
            p = c == '-' || is_digit(c) ? number_end(p, e) : nullptr;
            break;
        }
        if (!p) UNIAPI_SCAN_FAIL(value);
      }
      // After a value, or at the bracket that closes the current container.
      for (;;) {
        if (!closed) {
          p = skip_ws(p, e);
          if (p == e) UNIAPI_SCAN_FAIL(e);
          if (*p == ',') {
            p = skip_ws(p + 1, e);
            if (p == e) UNIAPI_SCAN_FAIL(e);
            break;
          }
          if (*p != ((objects & 1) ? '}' : ']')) UNIAPI_SCAN_FAIL(p);
        }
        ++p;
        objects >>= 1;
        if (--depth == 0) return p;
        closed = false;
      }
    }
  }
}
#undef UNIAPI_SCAN_FAIL

// `p` is just past an opening quote: whether the string is valid up to `e` and not closed
// before it.
inline bool string_open_at_end(const char* p, const char* e) noexcept {
  for (;;) {
    p = plain_run(p, e);
    if (p == e) return true;
    const char c = *p;
    if (c == '"' || static_cast<unsigned char>(c) < 0x20) return false;
    const char* q = c == '\\' ? escape_end(p, e) : utf8_end(p, e);
    if (!q) return e - p < 12;  // an escape or a UTF-8 sequence cut by `e`
    p = q;
  }
}

}  // namespace scan

/// The end of the JSON object or array that starts at `p` (`*p` is `{` or `[`), or null.
///
/// Null means "leave this value to the parser": it does not end before `e`, it is not valid
/// JSON (RFC 8259 grammar, well-formed UTF-8, paired `\u` surrogates, no control characters in
/// strings), it nests deeper than `scan_max_depth`, or it holds a number the parser might reject
/// for its size. A value this accepts is one Boost.JSON's parser accepts too. Reads only
/// [p, e).
inline const char* scan_container(const char* p, const char* e) noexcept {
  return scan::container_end<false>(p, e, nullptr);
}

/// After `scan_container(p, e)` returned null: whether that can be because the input stops at
/// `e` — the value is valid as far as it goes, or goes wrong only within a few bytes of `e` — so
/// that with more input it may be found whole. False when it went wrong well before `e`
/// (invalid, or too deep or too long for the scanner whatever follows).
[[gnu::cold, gnu::noinline]] inline bool scan_may_continue(const char* p, const char* e) noexcept {
  using namespace scan;
  const char* at = p;
  if (container_end<true>(p, e, &at)) return false;
  if (e - at <= 16) return true;
  if (*at == '"') return string_open_at_end(at + 1, e);
  if (*at == '-' || is_digit(*at)) {
    const char* q = at;
    while (q != e &&
           (is_digit(*q) || *q == '-' || *q == '+' || *q == '.' || *q == 'e' || *q == 'E'))
      ++q;
    return q == e && q - at <= max_number;
  }
  return false;
}

}  // namespace uniapi::json::detail

#endif
