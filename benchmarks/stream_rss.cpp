// Peak memory of listing one very large Truto page (truto_ignore_limit=true) from the local
// server over loopback, item by item with for_each_item, or whole with list_page for contrast.
//
//   /usr/bin/time -v ./uniapi_stream_rss [stream|whole] [records]
//
// Prints the page's size, the items received and the process's peak RSS (VmHWM); the server
// runs in this process and generates the page while sending it, so it adds only its buffers.
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {
std::string peak_rss() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return line.substr(6);
  return "?";
}
}  // namespace

int main(int argc, char** argv) {
  namespace ats = uniapi::truto::ats;
  std::string mode = argc > 1 ? argv[1] : "stream";
  std::size_t records = argc > 2 ? std::stoul(argv[2]) : 370000;  // ~200 MB of JSON
  if (mode != "stream" && mode != "whole") {
    std::fprintf(stderr, "usage: %s [stream|whole] [records]\n", argv[0]);
    return 2;
  }
  uniapi::testing::truto_server server({.attachment_count = records});
  uniapi::truto::client<uniapi::beast_transport> client(
      {.base_url = server.base_url(), .token = server.token()},
      uniapi::beast_transport({.request_timeout = std::chrono::minutes(10)}));
  ats::attachments_resource::list_query q{.integrated_account_id = uniapi::truto::account_id("a"),
                                          .truto_ignore_limit = true};
  auto start = std::chrono::steady_clock::now();
  std::size_t items = 0, with_remote_data = 0;
  if (mode == "stream") {
    auto r = client.for_each_item(ats::attachments, q, [&](const ats::attachment& a) {
      ++items;
      with_remote_data += !!a.remote_data;
    });
    if (!r) {
      std::fprintf(stderr, "error: %s\n", r.error().message.c_str());
      return 1;
    }
  } else {
    auto r = client.list_page(ats::attachments, q, std::nullopt);
    if (!r) {
      std::fprintf(stderr, "error: %s\n", r.error().message.c_str());
      return 1;
    }
    items = r->result.size();
    for (const auto& a : r->result)
      with_remote_data += !!a.remote_data;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "mode=%s page_bytes=%llu items=%zu with_remote_data=%zu requests=%zu seconds=%.2f "
      "peak_rss=%s\n",
      mode.c_str(), static_cast<unsigned long long>(server.body_bytes_sent()), items,
      with_remote_data, server.requests_served(), secs, peak_rss().c_str());
  return items == records && with_remote_data == records ? 0 : 1;
}
