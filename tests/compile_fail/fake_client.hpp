// The client the compile-fail tests call methods on (never run).
#ifndef UNIAPI_TESTS_COMPILE_FAIL_FAKE_CLIENT_HPP
#define UNIAPI_TESTS_COMPILE_FAIL_FAKE_CLIENT_HPP

#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/truto/ats.hpp>

namespace ats = uniapi::truto::ats;

inline uniapi::truto::client<uniapi::testing::fake_transport> fake_client() {
  return {{.token = "t"},
          uniapi::testing::fake_transport(
              [](const uniapi::http_request&) -> uniapi::result<uniapi::http_response> {
                return uniapi::http_response{};
              })};
}

#endif
