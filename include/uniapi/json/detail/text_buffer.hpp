// uniapi — the growable byte buffer the decoder writes captured JSON text into.
#ifndef UNIAPI_JSON_DETAIL_TEXT_BUFFER_HPP
#define UNIAPI_JSON_DETAIL_TEXT_BUFFER_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace uniapi::json::detail {

/// An append-only byte buffer that keeps its capacity across `clear()`, with unchecked writes
/// after a single capacity check (std::string checks on every `push_back`).
class text_buffer {
 public:
  void clear() noexcept { size_ = 0; }
  std::string_view view() const noexcept { return {data_.get(), size_}; }
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }

  /// Room for `n` more bytes; write through the pointer, then `commit`.
  char* prepare(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  void commit(char* end) noexcept { size_ = static_cast<std::size_t>(end - data_.get()); }

  void push_back(char c) { *prepare(1) = c, ++size_; }
  void append(std::string_view s) {
    char* p = prepare(s.size());
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    size_ += s.size();
  }

  /// The room `write_quoted` may use for `s`.
  static constexpr std::size_t quoted_size(std::string_view s) noexcept {
    return s.size() * 6 + 10;
  }

  /// Writes `s` quoted at `out` (escaping `"`, `\` and control characters only), which has
  /// `quoted_size(s)` bytes of room; returns the end.
  static char* write_quoted(char* out, std::string_view s) noexcept {
    *out++ = '"';
    const char* in = s.data();
    std::size_t left = s.size();
    // Sixteen or eight bytes at a time while none needs escaping, then byte by byte.
#if defined(__SSE2__)
    while (left >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
      __m128i special =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                       _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f)));
      if (_mm_movemask_epi8(special)) {
        out = escape_some(out, in, 16);
      } else {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
        out += 16;
      }
      in += 16;
      left -= 16;
    }
#endif
    while (left >= 8) {
      std::uint64_t w;
      std::memcpy(&w, in, 8);
      if (needs_escape(w)) {
        out = escape_some(out, in, 8);
      } else {
        std::memcpy(out, &w, 8);
        out += 8;
      }
      in += 8;
      left -= 8;
    }
    out = escape_some(out, in, left);
    *out++ = '"';
    return out;
  }

 private:
  static constexpr bool needs_escape(std::uint64_t w) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    std::uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    return (((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((slash - ones) & ~slash)) &
           highs;
  }

  static inline char* escape_some(char* out, const char* in, std::size_t n) noexcept {
    static constexpr char hex[] = "0123456789abcdef";
    for (std::size_t k = 0; k < n; ++k) {
      auto c = static_cast<unsigned char>(in[k]);
      if (c >= 0x20 && c != '"' && c != '\\') {
        *out++ = static_cast<char>(c);
        continue;
      }
      *out++ = '\\';
      switch (c) {
        case '"':
        case '\\':
          *out++ = static_cast<char>(c);
          break;
        case '\n':
          *out++ = 'n';
          break;
        case '\r':
          *out++ = 'r';
          break;
        case '\t':
          *out++ = 't';
          break;
        case '\b':
          *out++ = 'b';
          break;
        case '\f':
          *out++ = 'f';
          break;
        default:
          *out++ = 'u';
          *out++ = '0';
          *out++ = '0';
          *out++ = hex[c >> 4];
          *out++ = hex[c & 0xf];
      }
    }
    return out;
  }

  [[gnu::noinline, gnu::cold]] void grow(std::size_t n) {
    std::size_t cap = capacity_ ? capacity_ * 2 : 256;
    while (cap - size_ < n)
      cap *= 2;
    auto fresh = std::make_unique_for_overwrite<char[]>(cap);
    if (size_) std::memcpy(fresh.get(), data_.get(), size_);
    data_ = std::move(fresh);
    capacity_ = cap;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace uniapi::json::detail

#endif
