// The local Truto-compatible server as a process of its own, for measuring or trying a client
// from outside (truto-ats, or another SDK) the way a user would: one process serves, another lists.
//
//   uniapi_truto_server [--attachments N] [--records N] [--cache] [--latency MS]
//                       [--layout compact|pretty|pretty_crlf|tabs] [--inject FAULT]...
//
// FAULT: too_many_requests, internal_error, bad_gateway, drop_connection, truncate_body,
// reset_body, slow_body or wrong_type, applied to the next requests in the order given.
// Prints its base URL and token on one line, then serves until stdin closes; each line read from
// stdin is answered with the response body bytes sent so far.
#include <uniapi/truto/testing/truto_server.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using uniapi::testing::fault;
  using uniapi::testing::json_layout;
  const std::map<std::string, fault> faults = {{"too_many_requests", fault::too_many_requests},
                                               {"internal_error", fault::internal_error},
                                               {"bad_gateway", fault::bad_gateway},
                                               {"drop_connection", fault::drop_connection},
                                               {"truncate_body", fault::truncate_body},
                                               {"reset_body", fault::reset_body},
                                               {"slow_body", fault::slow_body},
                                               {"wrong_type", fault::wrong_type}};
  const std::map<std::string, json_layout> layouts = {{"compact", json_layout::compact},
                                                      {"pretty", json_layout::pretty},
                                                      {"pretty_crlf", json_layout::pretty_crlf},
                                                      {"tabs", json_layout::tabs}};
  uniapi::testing::truto_server_options o;
  std::vector<fault> inject;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string v = i + 1 < argc ? argv[i + 1] : "";
    if (a == "--attachments" && !v.empty()) {
      o.attachment_count = std::stoul(v);
      ++i;
    } else if (a == "--records" && !v.empty()) {
      o.records_per_resource = std::stoul(v);
      ++i;
    } else if (a == "--cache") {
      o.cache_records = true;
    } else if (a == "--latency" && !v.empty()) {
      o.latency = std::chrono::milliseconds(std::stoul(v));
      ++i;
    } else if (a == "--layout" && layouts.count(v)) {
      o.layout = layouts.at(v);
      ++i;
    } else if (a == "--inject" && faults.count(v)) {
      inject.push_back(faults.at(v));
      ++i;
    } else {
      std::cerr << "usage: " << argv[0]
                << " [--attachments N] [--records N] [--cache] [--latency MS]"
                   " [--layout compact|pretty|pretty_crlf|tabs] [--inject FAULT]...\n";
      return 2;
    }
  }
  uniapi::testing::truto_server server(o);
  for (fault f : inject)
    server.inject(f);
  std::cout << server.base_url() << ' ' << server.token() << std::endl;
  for (std::string line; std::getline(std::cin, line);)
    std::cout << server.body_bytes_sent() << std::endl;
  return 0;
}
