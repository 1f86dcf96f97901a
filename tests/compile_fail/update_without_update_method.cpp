// No ATS resource offers update: `update` must not compile for candidates.
#include "fake_client.hpp"

int main() {
  auto c = fake_client();
  (void)c.get(ats::jobs, "id",
              {.integrated_account_id = uniapi::truto::account_id("a")});  // control
#ifdef UNIAPI_EXPECT_FAILURE
  (void)c.update(ats::candidates, "id", {},
                 {.integrated_account_id = uniapi::truto::account_id("a")});
#endif
}
