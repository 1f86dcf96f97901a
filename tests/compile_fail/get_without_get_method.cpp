// attachments declares list and create only: `get` must not compile for it.
#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/truto/ats.hpp>

namespace ats = uniapi::truto::ats;

int main() {
  uniapi::truto::client<uniapi::testing::fake_transport> c(
      {.token = "t"}, uniapi::testing::fake_transport(
                          [](const uniapi::http_request&) -> uniapi::result<uniapi::http_response> {
                            return uniapi::http_response{};
                          }));
  auto q = ats::attachments_resource::list_query{.integrated_account_id =
                                                     uniapi::truto::account_id("a")};
  (void)c.list_page(ats::attachments, q, std::nullopt);  // control: offered
#ifdef UNIAPI_EXPECT_FAILURE
  (void)c.get(ats::attachments, "id", {.integrated_account_id = uniapi::truto::account_id("a")});
#endif
}
