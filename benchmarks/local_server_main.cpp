// The local Truto-compatible server as a process of its own, for measuring a client from outside
// (truto-ats, or another SDK) the way a user would: one process serves, another lists.
//
//   uniapi_local_server [--attachments N] [--records N] [--cache]
//
// Prints its base URL and token on one line, then serves until stdin closes; each line read from
// stdin is answered with the response body bytes sent so far.
#include <uniapi/testing/local_server.hpp>

#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  uniapi::testing::local_server_options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--attachments" && i + 1 < argc)
      o.attachment_count = std::stoul(argv[++i]);
    else if (a == "--records" && i + 1 < argc)
      o.records_per_resource = std::stoul(argv[++i]);
    else if (a == "--cache")
      o.cache_records = true;
    else {
      std::cerr << "usage: " << argv[0] << " [--attachments N] [--records N] [--cache]\n";
      return 2;
    }
  }
  uniapi::testing::local_server server(o);
  std::cout << server.base_url() << ' ' << server.token() << std::endl;
  for (std::string line; std::getline(std::cin, line);)
    std::cout << server.body_bytes_sent() << std::endl;
  return 0;
}
