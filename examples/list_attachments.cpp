// Lists attachments with the typed API: the short tour of uniapi.
//
//   list_attachments                 (embedded local server)
//   TRUTO_API_TOKEN=... TRUTO_INTEGRATED_ACCOUNT_ID=... list_attachments   (api.truto.one)
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace ats = uniapi::truto::ats;

int main() {
  const char* token = std::getenv("TRUTO_API_TOKEN");
  const char* account = std::getenv("TRUTO_INTEGRATED_ACCOUNT_ID");
  std::unique_ptr<uniapi::testing::truto_server> local;
  uniapi::truto::profile profile;
  if (token) {
    profile.token = token;
  } else {
    local = std::make_unique<uniapi::testing::truto_server>();
    profile.base_url = local->base_url();
    profile.token = local->token();
  }

  uniapi::truto::client<uniapi::beast_transport> client(profile, uniapi::beast_transport{});
  auto items = client.list_items(
      ats::attachments,
      {.integrated_account_id = uniapi::truto::account_id(account ? account : "demo"),
       .limit = 50});
  for (auto& item : items) {
    if (!item) {
      std::cerr << item.error() << '\n';
      return 1;
    }
    const ats::attachment& a = *item;
    std::cout << a.id << "  " << a.file_name.value_or("(no name)") << "  "
              << (a.attachment_type ? a.attachment_type->str() : "-") << '\n';
  }
}
