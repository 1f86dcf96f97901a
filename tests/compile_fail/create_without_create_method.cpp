// jobs declares list and get only: `create` must not compile for it.
#include "fake_client.hpp"

int main() {
  auto c = fake_client();
  (void)c.get(ats::jobs, "id",
              {.integrated_account_id = uniapi::truto::account_id("a")});  // control
#ifdef UNIAPI_EXPECT_FAILURE
  (void)c.create(ats::jobs, {}, {.integrated_account_id = uniapi::truto::account_id("a")});
#endif
}
