// A test of a user's: the Truto server from uniapi::testing, listed through the Beast transport.
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

int main() {
  uniapi::testing::truto_server server({.attachment_count = 3});
  uniapi::truto::client<uniapi::beast_transport> c(
      {.base_url = server.base_url(), .token = server.token()}, uniapi::beast_transport{});
  int n = 0;
  for (auto& a : c.list_items(uniapi::truto::ats::attachments,
                              {.integrated_account_id = uniapi::truto::account_id("a")}))
    n += a.has_value();
  return n == 3 ? 0 : 1;
}
