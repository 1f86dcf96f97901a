// attachments/download answers with bytes: `call` (JSON) must not compile for it, `download` does.
#include "fake_client.hpp"

int main() {
  auto c = fake_client();
  ats::attachments_download_method::query q{.integrated_account_id =
                                                uniapi::truto::account_id("a")};
  (void)c.download(ats::attachments_download, {}, q,
                   [](std::string_view) -> uniapi::result<void> { return {}; });  // control
#ifdef UNIAPI_EXPECT_FAILURE
  (void)c.call(ats::attachments_download, {}, q);
#endif
}
