// Test support shared by the test files.
#ifndef UNIAPI_TESTS_SUPPORT_HPP
#define UNIAPI_TESTS_SUPPORT_HPP

#include <uniapi/result.hpp>

#include <boost/json/value.hpp>

#include <catch2/catch.hpp>

#include <string>

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
