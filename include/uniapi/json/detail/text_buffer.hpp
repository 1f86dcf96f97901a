// uniapi — the growable byte buffer the decoder writes captured JSON text into.
#ifndef UNIAPI_JSON_DETAIL_TEXT_BUFFER_HPP
#define UNIAPI_JSON_DETAIL_TEXT_BUFFER_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace uniapi::json::detail {

/// An append-only byte buffer that keeps its capacity across `clear()`, with unchecked writes
/// after a single capacity check (std::string checks on every `push_back`).
class text_buffer {
 public:
  void clear() noexcept { size_ = 0; }
  std::string_view view() const noexcept { return {data_.get(), size_}; }
  std::size_t size() const noexcept { return size_; }

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

  /// Appends `s` as a quoted JSON string, escaping `"`, `\` and control characters only.
  void append_quoted(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    char* out = prepare(s.size() * 6 + 2);
    *out++ = '"';
    const char* in = s.data();
    const char* end = in + s.size();
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (in != end) {
      // Eight bytes at a time while none needs escaping.
      while (end - in >= 8) {
        std::uint64_t w;
        std::memcpy(&w, in, 8);
        std::uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
        std::uint64_t special =
            ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((slash - ones) & ~slash);
        if (special & highs) break;
        std::memcpy(out, in, 8);
        in += 8;
        out += 8;
      }
      std::size_t n = std::min<std::ptrdiff_t>(end - in, 8);
      for (std::size_t k = 0; k < n; ++k) {
        auto c = static_cast<unsigned char>(*in++);
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
    }
    *out++ = '"';
    commit(out);
  }

 private:
  void grow(std::size_t n) {
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
