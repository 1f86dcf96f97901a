// Compile-time benchmark, uniapi side: list every attachment of an account over HTTPS.
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>

#include <cstdlib>
#include <iostream>

namespace ats = uniapi::truto::ats;

int main() {
  uniapi::truto::profile profile;
  if (const char* token = std::getenv("TRUTO_API_TOKEN")) profile.token = token;
  const char* account = std::getenv("TRUTO_INTEGRATED_ACCOUNT_ID");
  uniapi::truto::client<uniapi::beast_transport> client(profile, uniapi::beast_transport{});
  for (auto& item : client.list_items(
           ats::attachments,
           {.integrated_account_id = uniapi::truto::account_id(account ? account : ""),
           .limit = 100})) {
    if (!item) {
      std::cerr << item.error() << '\n';
      return 1;
    }
    std::cout << item->id << ' ' << item->file_name.value_or("-") << '\n';
  }
}
