// Test support shared by the test files.
#ifndef UNIAPI_TESTS_SUPPORT_HPP
#define UNIAPI_TESTS_SUPPORT_HPP

#include <uniapi/core/result.hpp>

#include <boost/json/value.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace Catch {
// Shows a result's error in failed assertions instead of requiring operator<< for T.
template <class T>
struct StringMaker<boost::system::result<T, uniapi::error>> {
  static std::string convert(const boost::system::result<T, uniapi::error>& r) {
    return r ? std::string("{value}") : "{error: " + r.error().to_string() + "}";
  }
};
}  // namespace Catch

namespace uniapi_test {
// The ids the local server gives its first `n` attachments.
inline std::vector<std::string> attachment_ids(std::size_t n) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < n; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "att_%05zu", i);
    v.push_back(id);
  }
  return v;
}

// Writes `content` to a new file in the temporary directory; returns its path.
inline std::string write_temp(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() /
              (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

// True when `got` (a record re-encoded from a model) holds only what `sent` held: every member of
// every object in `got` is in `sent` with the same value (recursively, arrays element by
// element), a member `got` lacks was null or unknown to the model in `sent`. `path` names the
// first difference.
inline bool modelled_subset(const boost::json::value& got, const boost::json::value& sent,
                            std::string& path) {
  if (got.is_object() && sent.is_object()) {
    for (const auto& kv : got.as_object()) {
      const auto* other = sent.as_object().if_contains(kv.key());
      std::string p = path + "." + std::string(kv.key());
      if (!other || !modelled_subset(kv.value(), *other, p)) {
        path = p;
        return false;
      }
    }
    return true;
  }
  if (got.is_array() && sent.is_array()) {
    const auto &a = got.as_array(), &b = sent.as_array();
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string p = path + "[" + std::to_string(i) + "]";
      if (!modelled_subset(a[i], b[i], p)) {
        path = p;
        return false;
      }
    }
    return true;
  }
  return got == sent;
}
}  // namespace uniapi_test

#endif
