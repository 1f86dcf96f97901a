// jobs declares list and get only: `create` must not compile for it.
#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/truto/ats.hpp>

namespace ats = uniapi::truto::ats;

int main() {
  uniapi::truto::client<uniapi::testing::fake_transport> c(
      {.token = "t"}, uniapi::testing::fake_transport(
                          [](const uniapi::http_request&) -> uniapi::result<uniapi::http_response> {
                            return uniapi::http_response{};
                          }));
  (void)c.get(ats::jobs, "id",
              {.integrated_account_id = uniapi::truto::account_id("a")});  // control
#ifdef UNIAPI_EXPECT_FAILURE
  (void)c.create(ats::jobs, {}, {.integrated_account_id = uniapi::truto::account_id("a")});
#endif
}
