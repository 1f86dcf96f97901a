// Injecting a transport: any type with `result<http_response> send(const http_request&)` works.
// This one logs each request (without headers: credentials live there) and delegates to Beast.
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include <iostream>

struct logging_transport {
  uniapi::beast_transport inner;
  uniapi::result<uniapi::http_response> send(const uniapi::http_request& req) {
    auto r = inner.send(req);
    std::clog << uniapi::to_string(req.method) << ' ' << req.url.substr(0, req.url.find('?'))
              << " -> " << (r ? std::to_string(r->status) : r.error().to_string()) << '\n';
    return r;
  }
};
static_assert(uniapi::transport<logging_transport>);

int main() {
  uniapi::testing::truto_server server;
  uniapi::truto::client<logging_transport> client(
      {.base_url = server.base_url(), .token = server.token()},
      logging_transport{uniapi::beast_transport{}});
  std::size_t n = 0;
  for (auto& page : client.list(uniapi::truto::ats::attachments,
                                {.integrated_account_id = uniapi::truto::account_id("demo")}))
    n += page.value().result.size();
  std::cout << n << " attachments\n";
}
