// Compile-time benchmark, by hand: the same listing written directly on Boost.Beast, Asio's
// OpenSSL stream, Boost.URL and Boost.JSON (verified TLS, one kept-alive connection, cursor loop,
// DOM + conversion of described structs).
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <boost/url/url.hpp>

#include <cstdlib>
#include <iostream>
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

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

int main() try {
  const char* token = std::getenv("TRUTO_API_TOKEN");
  const char* account = std::getenv("TRUTO_INTEGRATED_ACCOUNT_ID");
  const std::string host = "api.truto.one";

  asio::io_context ioc;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  stream.set_verify_callback(asio::ssl::host_name_verification(host));
  if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()))
    throw beast::system_error(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  asio::ip::tcp::resolver resolver(ioc);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(stream).connect(resolver.resolve(host, "443"));
  stream.handshake(asio::ssl::stream_base::client);

  std::optional<std::string> cursor;
  do {
    boost::urls::url target("/unified/ats/attachments");
    target.params().append({"integrated_account_id", account ? account : ""});
    target.params().append({"limit", "100"});
    if (cursor) target.params().append({"next_cursor", *cursor});
    http::request<http::empty_body> req(http::verb::get, target.encoded_resource(), 11);
    req.set(http::field::host, host);
    req.set(http::field::authorization, std::string("Bearer ") + (token ? token : ""));
    req.set(http::field::accept, "application/json");
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    http::read(stream, buffer, parser);
    auto& res = parser.get();
    if (res.result() != http::status::ok) {
      std::cerr << "HTTP " << res.result_int() << '\n';
      return 1;
    }
    auto page = boost::json::value_to<app::page>(boost::json::parse(res.body()));
    for (const auto& a : page.result)
      std::cout << a.id << ' ' << a.file_name.value_or("-") << '\n';
    cursor = page.next_cursor;
  } while (cursor && !cursor->empty());
} catch (const std::exception& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
