// Compile-time benchmark, by hand: the same job with Boost.JSON's DOM and its conversion of
// described structs (what a user of Boost writes without uniapi).
#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>

#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace app {
struct record_ref {
  std::string id;
};
BOOST_DESCRIBE_STRUCT(record_ref, (), (id))
struct attachment {
  std::string id;
  std::optional<std::string> file_name;
  std::optional<std::string> file_url;
  std::optional<record_ref> candidate;
  std::optional<record_ref> application;
  std::optional<record_ref> job;
  std::optional<std::string> attachment_type;
  std::optional<std::string> created_at;
  std::optional<std::string> updated_at;
  boost::json::value remote_data;
};
BOOST_DESCRIBE_STRUCT(attachment, (),
                      (id, file_name, file_url, candidate, application, job, attachment_type,
                       created_at, updated_at, remote_data))
struct page {
  std::vector<attachment> result;
  std::optional<std::string> next_cursor;
};
BOOST_DESCRIBE_STRUCT(page, (), (result, next_cursor))
}  // namespace app

int main() try {
  std::string body(std::istreambuf_iterator<char>(std::cin), {});
  auto page = boost::json::value_to<app::page>(boost::json::parse(body));
  for (const auto& a : page.result)
    std::cout << a.id << ' ' << a.file_name.value_or("-") << '\n';
} catch (const std::exception& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
