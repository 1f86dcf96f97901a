// Every Truto query needs integrated_account_id: leaving it out must not compile.
#include <uniapi/truto/ats.hpp>

namespace ats = uniapi::truto::ats;

int main() {
  ats::attachments_resource::list_query ok{.integrated_account_id = uniapi::truto::account_id("a"),
                                           .limit = 10};  // control
  (void)ok;
#ifdef UNIAPI_EXPECT_FAILURE
  ats::attachments_resource::list_query missing{.limit = 10};
  (void)missing;
#endif
}
