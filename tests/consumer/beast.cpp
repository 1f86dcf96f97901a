// A production program: the Beast transports and the Truto clients, no test server. Nothing
// listens on the address, so the request fails with a transport error (connection refused), from
// the synchronous client and from the asynchronous one.
#include <uniapi/transport/beast/beast_async_transport.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/async_client.hpp>
#include <uniapi/truto/ats.hpp>

#include <boost/asio/io_context.hpp>

int main() {
  const uniapi::truto::profile where{.base_url = "http://127.0.0.1:1", .token = "t"};
  uniapi::truto::client<uniapi::beast_transport> c(where, uniapi::beast_transport{});
  auto got = c.get(uniapi::truto::ats::candidates, "x",
                   {.integrated_account_id = uniapi::truto::account_id("a")});
  if (got || got.error().condition() != uniapi::errc::connection_failed) return 1;

  boost::asio::io_context ioc;
  uniapi::truto::async_client<uniapi::beast_async_transport> a(
      where, uniapi::beast_async_transport(ioc.get_executor()));
  int failed = 0;
  a.async_get(uniapi::truto::ats::candidates, "x",
              {.integrated_account_id = uniapi::truto::account_id("a")}, [&](auto r) {
                failed = !r && r.error().condition() == uniapi::errc::connection_failed;
              });
  ioc.run();
  return failed ? 0 : 1;
}
