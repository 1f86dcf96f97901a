// A production program: the Beast transport and the Truto client, no test server. Nothing listens
// on the address, so the request fails with a transport error (connection refused).
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>

int main() {
  uniapi::truto::client<uniapi::beast_transport> c({.base_url = "http://127.0.0.1:1", .token = "t"},
                                                   uniapi::beast_transport{});
  auto got = c.get(uniapi::truto::ats::candidates, "x",
                   {.integrated_account_id = uniapi::truto::account_id("a")});
  return !got && got.error().condition() == uniapi::errc::connection_failed ? 0 : 1;
}
