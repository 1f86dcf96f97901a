// Compile-time benchmark, uniapi side: decode one page of attachments read from stdin.
#include <uniapi/truto/ats.hpp>

#include <iostream>
#include <iterator>
#include <string>

int main() {
  std::string body(std::istreambuf_iterator<char>(std::cin), {});
  auto page = uniapi::json::decode<uniapi::truto::page<uniapi::truto::ats::attachment>>(body);
  if (!page) {
    std::cerr << page.error() << '\n';
    return 1;
  }
  for (const auto& a : page->result)
    std::cout << a.id << ' ' << a.file_name.value_or("-") << '\n';
}
