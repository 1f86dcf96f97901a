// uniapi — constant-time lookup of a struct member by its JSON key.
#ifndef UNIAPI_JSON_DETAIL_MEMBER_INDEX_HPP
#define UNIAPI_JSON_DETAIL_MEMBER_INDEX_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace uniapi::json::detail {

/// True when `a` and `b` hold the same bytes. Keys are short: up to 16 bytes take two pairs of
/// (possibly overlapping) 8-byte loads instead of a call to memcmp.
[[gnu::always_inline]] constexpr bool same_key(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (std::is_constant_evaluated() || n < 8) {
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  auto load = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  if (n <= 16)
    return ((load(a.data()) ^ load(b.data())) |
            (load(a.data() + n - 8) ^ load(b.data() + n - 8))) == 0;
  return std::memcmp(a.data(), b.data(), n) == 0;
}

/// A perfect hash from `N` distinct member names to their indices, found at compile time.
///
/// A key is reduced to its length and first, middle and last bytes, multiplied by a seed chosen
/// so that no two names share a bucket; `find` then costs one multiplication and at most one
/// key comparison. When no seed separates the names (names equal in all four features), the
/// table falls back to comparing every name.
template <std::size_t N>
class member_index {
 public:
  explicit constexpr member_index(const std::array<std::string_view, N>& names) : names_(names) {
    for (std::uint32_t attempt = 0; attempt < 4096; ++attempt) {
      std::uint32_t seed = 0x9E3779B1u + attempt * 0x632BE5ABu;
      seed |= 1u;
      if (try_seed(seed)) {
        seed_ = seed;
        perfect_ = true;
        return;
      }
    }
  }

  /// The index of the member named `key`, or -1.
  constexpr int find(std::string_view key) const noexcept {
    if constexpr (N == 0) {
      return -1;
    } else {
      if (perfect_) {
        if (key.empty()) return -1;
        int i = buckets_[bucket(key, seed_)];
        return i >= 0 && same_key(names_[static_cast<std::size_t>(i)], key) ? i : -1;
      }
      for (std::size_t i = 0; i < N; ++i)
        if (same_key(names_[i], key)) return static_cast<int>(i);
      return -1;
    }
  }

  /// True when lookups take one comparison.
  constexpr bool perfect() const noexcept { return perfect_; }

 private:
  static constexpr std::size_t bits = [] {
    std::size_t b = 2;
    while ((std::size_t{1} << b) < 2 * N)
      ++b;
    return b;
  }();
  static constexpr std::size_t table_size = std::size_t{1} << bits;

  static constexpr std::size_t bucket(std::string_view k, std::uint32_t seed) noexcept {
    auto byte = [&](std::size_t i) {
      return static_cast<std::uint32_t>(static_cast<unsigned char>(k[i]));
    };
    std::uint32_t x = static_cast<std::uint32_t>(k.size()) | byte(0) << 8 |
                      byte(k.size() / 2) << 16 | byte(k.size() - 1) << 24;
    return static_cast<std::size_t>((x * seed) >> (32 - bits));
  }

  constexpr bool try_seed(std::uint32_t seed) {
    for (auto& b : buckets_)
      b = -1;
    for (std::size_t i = 0; i < N; ++i) {
      if (names_[i].empty()) return false;
      auto& b = buckets_[bucket(names_[i], seed)];
      if (b >= 0) return false;
      b = static_cast<int>(i);
    }
    return true;
  }

  std::array<std::string_view, N> names_{};
  std::array<int, table_size> buckets_{};
  std::uint32_t seed_ = 0;
  bool perfect_ = false;
};

}  // namespace uniapi::json::detail

#endif
