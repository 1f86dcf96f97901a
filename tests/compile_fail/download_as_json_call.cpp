// attachments/download answers with bytes: `call` (JSON) must not compile for it, `download` does.
#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/truto/ats.hpp>

namespace ats = uniapi::truto::ats;

int main() {
  uniapi::truto::client<uniapi::testing::fake_transport> c(
      {.token = "t"}, uniapi::testing::fake_transport(
                          [](const uniapi::http_request&) -> uniapi::result<uniapi::http_response> {
                            return uniapi::http_response{};
                          }));
  ats::attachments_download_method::query q{.integrated_account_id =
                                                uniapi::truto::account_id("a")};
  (void)c.download(ats::attachments_download, {}, q,
                   [](std::string_view) -> uniapi::result<void> { return {}; });  // control
#ifdef UNIAPI_EXPECT_FAILURE
  (void)c.call(ats::attachments_download, {}, q);
#endif
}
