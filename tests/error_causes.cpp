// Errors keep their cause: for every class of transport failure, through the synchronous and the
// asynchronous Beast transports over real loopback HTTP(S), the error's code is the original
// (Asio's, Beast's, the X.509 verification result) and compares equal to its uniapi::errc
// condition; the condition maps back (error::condition()), and the message names the cause.
#include <uniapi/testing/loopback_server.hpp>
#include <uniapi/testing/test_certificates.hpp>
#include <uniapi/transport/beast/beast_async_transport.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/transport/beast/tls_error.hpp>
#include <uniapi/truto/client.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include "support.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <catch2/catch.hpp>

#include <openssl/x509_vfy.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using uniapi::errc;
using uniapi::testing::fault;
using uniapi::testing::truto_server;

// Discards a body.
struct null_sink final : uniapi::body_sink {
  uniapi::result<void> on_head(const uniapi::http_response&) override { return {}; }
  uniapi::result<void> on_data(std::string_view) override { return {}; }
};

// What the synchronous and the asynchronous transport say of one request.
struct outcomes {
  uniapi::error sync;
  uniapi::error async;
};

// Sends `url` through both transports (the buffered send when `buffered`), expecting both to fail.
outcomes fail_both(const std::string& url, uniapi::beast_transport_options o,
                   bool buffered = false) {
  uniapi::http_request req;
  req.url = url;
  req.headers.set("Authorization", "Bearer local-test-token");  // truto_server's default
  outcomes out;
  uniapi::beast_transport sync(o);
  null_sink sink;
  auto s = buffered ? sync.send(req) : sync.send(req, sink);
  REQUIRE_FALSE(s);
  out.sync = s.error();

  asio::io_context ioc;
  uniapi::beast_async_transport async(ioc.get_executor(), {.http = o});
  std::optional<uniapi::result<uniapi::http_response>> a;
  async.async_send(req, sink, [&](uniapi::result<uniapi::http_response> r) { a = std::move(r); });
  ioc.run();
  REQUIRE(a);
  REQUIRE_FALSE(*a);
  out.async = a->error();
  return out;
}

// Both ways: the code equals its condition, and the condition is what error::condition() says.
void check_class(const uniapi::error& e, errc expected) {
  INFO(e.to_string() << " [" << e.code.category().name() << ":" << e.code.value() << "]");
  CHECK(e.code == expected);
  CHECK(e.condition() == expected);
  CHECK(uniapi::classify(e.code) == expected);
  for (int other = 1; other <= static_cast<int>(errc::stale_event); ++other)
    if (other != static_cast<int>(expected)) CHECK(e.code != static_cast<errc>(other));
}

std::error_code beast_code(boost::system::error_code ec) {
  return ec;
}

uniapi::testing::loopback_server redirecting_to(std::string location) {
  return uniapi::testing::loopback_server({}, [location](const auto&, auto) {
    uniapi::testing::loopback_reply r;
    r.status = 302;
    r.headers.emplace_back("Location", location);
    return r;
  });
}

}  // namespace

TEST_CASE("error causes: a refused connection is Asio's connection_refused") {
  auto e = fail_both("http://127.0.0.1:1/x", {});
  for (auto* x : {&e.sync, &e.async}) {
    check_class(*x, errc::connection_failed);
    CHECK(x->code == std::errc::connection_refused);
    CHECK(x->code == beast_code(asio::error::connection_refused));
    CHECK(x->code != std::errc::connection_reset);
    CHECK_THAT(x->message, Catch::Contains("cannot connect to"));
    CHECK_THAT(x->to_string(), Catch::StartsWith("connection failed: "));
  }
}

TEST_CASE("error causes: a connection reset mid-body is connection_reset") {
  truto_server server;
  server.inject(fault::reset_body, 2);
  auto e = fail_both(server.base_url() + "/unified/ats/attachments?integrated_account_id=a", {});
  for (auto* x : {&e.sync, &e.async}) {
    check_class(*x, errc::connection_failed);
    CHECK(x->code == std::errc::connection_reset);
    CHECK(x->code != std::errc::connection_refused);
  }
}

TEST_CASE("error causes: timeouts are Asio's timed_out or Beast's timeout, both errc::timeout") {
  truto_server server;
  server.inject(fault::slow_body, 2);
  auto e = fail_both(server.base_url() + "/unified/ats/attachments?integrated_account_id=a",
                     {.request_timeout = std::chrono::milliseconds(200)});
  check_class(e.sync, errc::timeout);
  CHECK(e.sync.code == std::errc::timed_out);
  check_class(e.async, errc::timeout);
  CHECK(e.async.code == beast_code(boost::beast::error::timeout));
  CHECK_THAT(e.sync.to_string(), Catch::StartsWith("timed out: "));

  truto_server slow({.latency = std::chrono::seconds(2)});
  auto w = fail_both(slow.base_url() + "/unified/ats/attachments?integrated_account_id=a",
                     {.request_timeout = std::chrono::milliseconds(200)});
  check_class(w.sync, errc::timeout);
  check_class(w.async, errc::timeout);
  CHECK(w.async.code == std::errc::timed_out);  // the wait for the first byte
}

TEST_CASE("error causes: a truncated body is Beast's partial_message") {
  truto_server server;
  server.inject(fault::truncate_body, 2);
  auto e = fail_both(server.base_url() + "/unified/ats/attachments?integrated_account_id=a", {});
  for (auto* x : {&e.sync, &e.async}) {
    check_class(*x, errc::truncated_body);
    CHECK(x->code == beast_code(bhttp::error::partial_message));
    CHECK_THAT(x->message, Catch::Contains("partial message"));
  }
}

TEST_CASE("error causes: a body past the limit is Beast's body_limit") {
  truto_server server;
  auto url = server.base_url() + "/unified/ats/attachments?integrated_account_id=a";
  auto e = fail_both(url, {.max_body_size = 1000, .max_streamed_body_size = 1000}, true);
  for (auto* x : {&e.sync, &e.async}) {
    check_class(*x, errc::body_too_large);
    CHECK(x->code == beast_code(bhttp::error::body_limit));
  }
}

TEST_CASE("error causes: untrusted, expired and misnamed certificates carry the X.509 reason") {
  auto pki = uniapi::testing::test_certificates::generate();
  auto ca = uniapi_test::write_temp("uniapi-ca", pki.ca_cert);
  auto x509 = [](long v) { return std::error_code(static_cast<int>(v), uniapi::x509_category()); };
  {
    truto_server server(
        {.tls = true, .certificate = pki.server_cert, .private_key = pki.server_key});
    auto e = fail_both(server.base_url() + "/x", {.use_system_ca = false});
    for (auto* x : {&e.sync, &e.async}) {
      check_class(*x, errc::tls_failed);
      CHECK(x->code == x509(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
      CHECK_THAT(x->message,
                 Catch::Contains("certificate verify failed: unable to get local issuer"));
    }
  }
  {
    auto old = uniapi::testing::test_certificates::generate({"localhost", "IP:127.0.0.1"},
                                                            std::chrono::seconds(-60));
    auto old_ca = uniapi_test::write_temp("uniapi-old-ca", old.ca_cert);
    truto_server server(
        {.tls = true, .certificate = old.server_cert, .private_key = old.server_key});
    auto e = fail_both(server.base_url() + "/x", {.use_system_ca = false, .ca_file = old_ca});
    for (auto* x : {&e.sync, &e.async}) {
      check_class(*x, errc::tls_failed);
      CHECK(x->code == x509(X509_V_ERR_CERT_HAS_EXPIRED));
      CHECK(x->code != x509(X509_V_ERR_HOSTNAME_MISMATCH));
      CHECK_THAT(x->message, Catch::EndsWith("certificate verify failed: certificate has expired"));
    }
    std::filesystem::remove(old_ca);
  }
  {
    auto other = uniapi::testing::test_certificates::generate({"other.example"});
    auto other_ca = uniapi_test::write_temp("uniapi-other-ca", other.ca_cert);
    truto_server server(
        {.tls = true, .certificate = other.server_cert, .private_key = other.server_key});
    auto by_ip = fail_both(server.base_url() + "/x", {.use_system_ca = false, .ca_file = other_ca});
    auto port = std::to_string(server.server().port());
    auto by_name = fail_both("https://localhost:" + port + "/x",
                             {.use_system_ca = false, .ca_file = other_ca});
    for (auto* x : {&by_ip.sync, &by_ip.async}) {
      check_class(*x, errc::tls_failed);
      CHECK(x->code == x509(X509_V_ERR_IP_ADDRESS_MISMATCH));
    }
    for (auto* x : {&by_name.sync, &by_name.async}) {
      check_class(*x, errc::tls_failed);
      CHECK(x->code == x509(X509_V_ERR_HOSTNAME_MISMATCH));
      CHECK(x->code != x509(X509_V_ERR_CERT_HAS_EXPIRED));
    }
    std::filesystem::remove(other_ca);
  }
  std::filesystem::remove(ca);
}

TEST_CASE("error causes: a refused redirect is uniapi's own code") {
  auto server = redirecting_to("ftp://files.example/x");
  auto e = fail_both(server.origin() + "/x", {});
  for (auto* x : {&e.sync, &e.async}) {
    check_class(*x, errc::redirect_refused);
    CHECK(x->code == uniapi::make_error_code(errc::redirect_refused));
    CHECK(x->code.category() == uniapi::error_category());
  }
}

TEST_CASE("error causes: the client keeps the transport's code and the tool's classes") {
  truto_server server;
  server.inject(fault::truncate_body);
  uniapi::truto::client<uniapi::beast_transport> c(
      {.base_url = server.base_url(), .token = server.token()}, uniapi::beast_transport());
  auto r = c.list_page(uniapi::truto::ats::attachments,
                       {.integrated_account_id = uniapi::truto::account_id("a")}, std::nullopt);
  REQUIRE_FALSE(r);
  check_class(r.error(), errc::truncated_body);
  CHECK(r.error().code == beast_code(bhttp::error::partial_message));
  CHECK_THAT(r.error().to_string(),
             Catch::StartsWith("truncated body: GET /unified/ats/attachments: "));
  try {
    (void)r.value();
    FAIL("value() did not throw");
  } catch (const uniapi::exception& ex) {
    CHECK(ex.code() == errc::truncated_body);
    CHECK(ex.error().code == beast_code(bhttp::error::partial_message));
    CHECK(std::string(ex.what()) == r.error().to_string());
  }
}

TEST_CASE("error causes: codes nothing knows have no condition, system codes are I/O failures") {
  struct foreign final : std::error_category {
    const char* name() const noexcept override { return "foreign"; }
    std::string message(int) const override { return "foreign"; }
  };
  static const foreign category;
  uniapi::error e;
  e.code = std::error_code(7, category);
  CHECK(e.condition() == errc{});
  CHECK(e.code != errc::connection_failed);
  CHECK(std::error_code(ECONNABORTED, std::system_category()) == errc::connection_failed);
  CHECK(std::error_code(ETIMEDOUT, std::system_category()) == errc::timeout);
  CHECK(std::error_code(ECANCELED, std::system_category()) == errc::cancelled);
  CHECK(uniapi::make_error_code(errc::timeout) == errc::timeout);
  CHECK(uniapi::make_error_code(errc::timeout) != errc::cancelled);
}
