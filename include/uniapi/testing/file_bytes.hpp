// uniapi — deterministic file contents, so a test can check every byte of a download.
#ifndef UNIAPI_TESTING_FILE_BYTES_HPP
#define UNIAPI_TESTING_FILE_BYTES_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace uniapi::testing {

/// Byte `offset` of the deterministic file content of `seed` (an xorshift stream per 8 bytes).
inline void file_bytes(std::uint64_t seed, std::uint64_t offset, char* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    std::uint64_t pos = offset + k;
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + (pos / 8) + 1;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    out[k] = static_cast<char>((x >> ((pos % 8) * 8)) & 0xff);
  }
}

/// A seed for the file behind `file_url` (FNV-1a of the URL).
inline std::uint64_t file_seed(std::string_view file_url) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : file_url) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace uniapi::testing

#endif
