// attachments declares list and create only: `get` must not compile for it.
#include "fake_client.hpp"

int main() {
  auto c = fake_client();
  auto q = ats::attachments_resource::list_query{.integrated_account_id =
                                                     uniapi::truto::account_id("a")};
  (void)c.list_page(ats::attachments, q, std::nullopt);  // control: offered
#ifdef UNIAPI_EXPECT_FAILURE
  (void)c.get(ats::attachments, "id", {.integrated_account_id = uniapi::truto::account_id("a")});
#endif
}
