// Test support shared by the test files.
#ifndef UNIAPI_TESTS_SUPPORT_HPP
#define UNIAPI_TESTS_SUPPORT_HPP

#include <uniapi/result.hpp>

#include <catch2/catch.hpp>

namespace Catch {
// Shows a result's error in failed assertions instead of requiring operator<< for T.
template <class T>
struct StringMaker<boost::system::result<T, uniapi::error>> {
  static std::string convert(const boost::system::result<T, uniapi::error>& r) {
    return r ? std::string("{value}") : "{error: " + r.error().to_string() + "}";
  }
};
}  // namespace Catch

#endif
