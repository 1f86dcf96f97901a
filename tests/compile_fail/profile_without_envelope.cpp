// A provider profile that misses a requirement (here the envelope: an old-style profile with a
// hard-wired page type) fails with uniapi::provider_profile in its first error line, not deep
// inside the client.
#include <uniapi/client/basic_client.hpp>
#include <uniapi/truto/profile.hpp>

#include "fake_client.hpp"

struct old_profile {
  std::string base_url;
  template <class T>
  using page = uniapi::truto::page<T>;
  static constexpr std::string_view cursor_param = "cursor";
  void authorize(uniapi::http_request&) const {}
  uniapi::error to_error(const uniapi::http_response&, std::string_view) const { return {}; }
  std::string redact(std::string text) const { return text; }
};

int main() {
  auto ok = fake_client();  // control: the Truto profile
  (void)ok;
#ifdef UNIAPI_EXPECT_FAILURE
  uniapi::basic_client<old_profile, uniapi::testing::fake_transport> bad(
      {}, uniapi::testing::fake_transport(
              [](const uniapi::http_request&) -> uniapi::result<uniapi::http_response> {
                return uniapi::http_response{};
              }));
  (void)bad;
#endif
}
