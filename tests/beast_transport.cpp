// beast_transport and the Truto client over real loopback HTTP and HTTPS.
#include <uniapi/core/detail/sha256.hpp>
#include <uniapi/testing/test_certificates.hpp>
#include <uniapi/testing/webhook_sender.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/transport/retrying_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>
#include <uniapi/truto/webhook.hpp>

#include "support.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>

namespace ats = uniapi::truto::ats;
using uniapi::beast_transport;
using uniapi::testing::fault;
using uniapi::testing::truto_server;
using uniapi::truto::account_id;

namespace {
using uniapi_test::attachment_ids;
using uniapi_test::write_temp;
using client_t = uniapi::truto::client<beast_transport>;

client_t client_for(const truto_server& s, uniapi::beast_transport_options o = {},
                    std::string token = "") {
  return client_t({.base_url = s.base_url(), .token = token.empty() ? s.token() : token},
                  beast_transport(std::move(o)));
}

ats::attachments_resource::list_query query(std::int64_t limit = 10) {
  return {.integrated_account_id = account_id("acct-1"), .limit = limit};
}

// True when every member of `a` (recursively for objects) is in `b` with the same value.
bool subset(const boost::json::value& a, const boost::json::value& b) {
  if (!a.is_object() || !b.is_object()) return a == b;
  for (const auto& kv : a.as_object()) {
    auto* other = b.as_object().if_contains(kv.key());
    if (!other || !subset(kv.value(), *other)) {
      UNSCOPED_INFO("mismatch at " << kv.key());
      return false;
    }
  }
  return true;
}

struct sha256 {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  sha256() { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
  ~sha256() { EVP_MD_CTX_free(ctx); }
  void update(std::string_view s) { EVP_DigestUpdate(ctx, s.data(), s.size()); }
  std::string hex() {
    unsigned char md[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, md, &n);
    std::string out;
    char b[3];
    for (unsigned i = 0; i < n; ++i) {
      std::snprintf(b, sizeof b, "%02x", md[i]);
      out += b;
    }
    return out;
  }
};
}  // namespace

TEST_CASE("lists every attachment over one keep-alive HTTP connection") {
  truto_server server({.attachment_count = 57});
  auto c = client_for(server);
  std::vector<std::string> ids;
  std::size_t unknown_kinds = 0;
  for (auto& item : c.list_items(ats::attachments, query(10))) {
    REQUIRE(item);
    ids.push_back(item->id);
    if (item->attachment_type && !item->attachment_type->is_known()) ++unknown_kinds;
  }
  REQUIRE(ids.size() == 57);
  CHECK(ids.front() == "att_00000");
  CHECK(ids.back() == "att_00056");
  CHECK(unknown_kinds > 0);
  CHECK(server.requests_served() == 6);
  CHECK(server.connections_accepted() == 1);
  CHECK(c.transport().connections_opened() == 1);
}

TEST_CASE("decoded records match the server's records") {
  truto_server server({.attachment_count = 12});
  auto c = client_for(server);
  std::size_t i = 0;
  for (auto& item : c.list_items(ats::attachments, query(5))) {
    REQUIRE(item);
    auto expected =
        boost::json::parse(uniapi::testing::to_json(uniapi::testing::attachment_record(i)));
    auto got = boost::json::parse(uniapi::json::encode(*item));
    auto& eo = expected.as_object();
    // Everything we decoded and re-encoded is what the server sent (the model ignores the
    // extra keys the server adds, such as job.name).
    CHECK(subset(got, expected));
    // Modelled fields absent from the encoding are absent or null on the server.
    for (const auto& kv : eo)
      if (!got.as_object().contains(kv.key()) && kv.key() != "x_provider_field" &&
          kv.key() != "job")
        CHECK(kv.value().is_null());
    // remote_data is byte-exact, big integers included.
    std::string remote;
    for (const auto& [k, v] : uniapi::testing::attachment_record(i))
      if (k == "remote_data") remote = v;
    CHECK_THAT(item->remote_data->text(), Catch::Contains("123456789012345678901234567890"));
    CHECK(boost::json::parse(item->remote_data->text()) == boost::json::parse(remote));
    ++i;
  }
  CHECK(i == 12);
}

TEST_CASE("empty pages with a cursor and a repeated cursor over the wire") {
  {
    truto_server server({.attachment_count = 9, .empty_pages = true});
    auto c = client_for(server);
    std::size_t n = 0, pages = 0;
    for (auto& p : c.list(ats::attachments, query(4))) {
      REQUIRE(p);
      n += p->result.size();
      ++pages;
    }
    CHECK(n == 9);
    CHECK(pages == 6);
  }
  {
    truto_server server({.attachment_count = 100, .repeat_cursor_after = 3});
    auto c = client_for(server);
    std::size_t n = 0;
    std::optional<uniapi::error> err;
    for (auto& item : c.list_items(ats::attachments, query(10))) {
      if (item)
        ++n;
      else
        err = item.error();
    }
    CHECK(n == 30);
    REQUIRE(err);
    CHECK(err->condition() == uniapi::errc::repeated_cursor);
  }
}

TEST_CASE("truto_ignore_remote_data and truto_exclude_fields reach the server") {
  truto_server server({.attachment_count = 3});
  auto c = client_for(server);
  auto q = query();
  q.truto_ignore_remote_data = true;
  q.truto_exclude_fields = {"file_url"};
  auto page = c.list_page(ats::attachments, q, std::nullopt);
  REQUIRE(page);
  REQUIRE(page->result.size() == 3);
  for (auto& a : page->result) {
    CHECK_FALSE(a.remote_data);
    CHECK_FALSE(a.file_url);
  }
  CHECK(page->result_count == 3);
}

TEST_CASE("401 and 404 become API errors that never contain the token") {
  truto_server server;
  const std::string wrong = "wrong-token-0123456789";
  auto c = client_for(server, {}, wrong);
  auto r = c.list_page(ats::attachments, query(), std::nullopt);
  REQUIRE_FALSE(r);
  CHECK(r.error().http_status == 401);
  CHECK(r.error().message == "GET /unified/ats/attachments: Unauthorized: Invalid API token");
  CHECK(r.error().to_string().find(wrong) == std::string::npos);
  CHECK(r.error().body.find(wrong) == std::string::npos);

  uniapi::http_request req;
  req.url = server.base_url() + "/unified/ats/nothing?integrated_account_id=a";
  auto good = client_for(server);
  auto nf = good.send(req);
  REQUIRE(nf);
  CHECK(nf->status == 404);
  CHECK(nf->body == R"({"statusCode":404,"error":"Not Found","message":"Not Found"})");

  auto missing =
      good.list_page(ats::attachments, {.integrated_account_id = account_id(" ")}, std::nullopt);
  CHECK(missing);  // a non-empty id is sent as is
}

TEST_CASE("HTTPS: trusted generated CA works, untrusted and wrong host names fail") {
  auto pki = uniapi::testing::test_certificates::generate();
  truto_server server({.tls = true,
                       .certificate = pki.server_cert,
                       .private_key = pki.server_key,
                       .attachment_count = 30});
  auto ca = write_temp("uniapi-ca", pki.ca_cert);
  {
    auto c = client_for(server, {.use_system_ca = false, .ca_file = ca});
    std::size_t n = 0;
    for (auto& item : c.list_items(ats::attachments, query(7)))
      n += item.has_value();
    CHECK(n == 30);
    CHECK(c.transport().connections_opened() == 1);
  }
  {
    auto c = client_for(server);  // system CAs only
    auto r = c.list_page(ats::attachments, query(), std::nullopt);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::tls_failed);
    CHECK_THAT(r.error().message, Catch::Contains("certificate"));
  }
  {
    auto other = uniapi::testing::test_certificates::generate({"other.example"});
    truto_server wrong_name(
        {.tls = true, .certificate = other.server_cert, .private_key = other.server_key});
    auto ca2 = write_temp("uniapi-ca2", other.ca_cert);
    auto c = client_for(wrong_name, {.use_system_ca = false, .ca_file = ca2});
    auto r = c.list_page(ats::attachments, query(), std::nullopt);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::tls_failed);
    CHECK_THAT(r.error().message, Catch::Contains("certificate"));
    std::filesystem::remove(ca2);
  }
  {
    auto c = client_for(server, {.use_system_ca = false, .ca_file = "/nonexistent/ca.pem"});
    auto r = c.list_page(ats::attachments, query(), std::nullopt);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::tls_failed);
  }
  std::filesystem::remove(ca);
}

TEST_CASE("download streams tens of MB to the sink, in bounded chunks, hash-exact") {
  truto_server server;
  auto c = client_for(server);
  const std::uint64_t size = 40'000'000;
  std::string url = "https://files.local.test/big/file.bin?size=" + std::to_string(size);
  sha256 got, expected;
  std::size_t largest_chunk = 0;
  auto r = c.download(ats::attachments_download, {},
                      {.integrated_account_id = account_id("a"), .params = {.file_url = url}},
                      [&](std::string_view chunk) -> uniapi::result<void> {
                        largest_chunk = std::max(largest_chunk, chunk.size());
                        got.update(chunk);
                        return {};
                      });
  REQUIRE(r);
  CHECK(r->bytes == size);
  CHECK(r->content_type == "application/octet-stream");
  CHECK(largest_chunk <= 64 * 1024);
  std::vector<char> buf(1 << 20);
  for (std::uint64_t off = 0; off < size; off += buf.size()) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size - off));
    uniapi::testing::file_bytes(uniapi::testing::file_seed(url), off, buf.data(), n);
    expected.update(std::string_view(buf.data(), n));
  }
  CHECK(got.hex() == expected.hex());
}

TEST_CASE("transport failures: truncated body, dropped connection, slow body, size limit") {
  truto_server server;
  {
    server.inject(fault::truncate_body);
    auto c = client_for(server);
    auto r = c.list_page(ats::attachments, query(), std::nullopt);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::truncated_body);
  }
  {
    server.inject(fault::drop_connection);
    auto c = client_for(server);
    auto r = c.list_page(ats::attachments, query(), std::nullopt);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::connection_failed);
    CHECK(c.list_page(ats::attachments, query(), std::nullopt));  // and recovers
  }
  {
    server.inject(fault::slow_body);
    auto c = client_for(server, {.request_timeout = std::chrono::milliseconds(300)});
    auto start = std::chrono::steady_clock::now();
    auto r = c.list_page(ats::attachments, query(), std::nullopt);
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::timeout);
    CHECK(took < std::chrono::seconds(3));
  }
  {
    auto c = client_for(server, {.max_body_size = 1000});
    uniapi::http_request req;
    req.url = server.base_url() + "/unified/ats/attachments?integrated_account_id=a";
    auto r = c.send(req);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::body_too_large);
  }
  {
    beast_transport t;
    uniapi::http_request req;
    req.url = "http://127.0.0.1:1/x";  // nothing listens on port 1
    auto r = t.send(req);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::connection_failed);
  }
}

TEST_CASE("a header field with CR or LF is refused before anything is sent") {
  truto_server server;
  beast_transport t;
  for (auto [name, value] : {std::pair<std::string, std::string>{"X-Note", "a\r\nX-Injected: 1"},
                             {"X-Note", std::string("a\nb")},
                             {"X-Note", std::string("a\0b", 3)},
                             {"Bad Name", "v"},
                             {"", "v"}}) {
    uniapi::http_request req;
    req.url = server.base_url() + "/unified/ats/attachments?integrated_account_id=a";
    req.headers.set("Authorization", "Bearer " + server.token());
    req.headers.add(name, value);
    auto r = t.send(req);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::invalid_argument);
  }
  CHECK(server.requests_served() == 0);
}

TEST_CASE("a server that accepts but never answers the TLS handshake: timeout") {
  // A listening socket nobody accepts from: the kernel completes the TCP handshake, no byte of
  // TLS ever comes back.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 4) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  beast_transport t({.request_timeout = std::chrono::milliseconds(300)});
  uniapi::http_request req;
  req.url = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x";
  auto start = std::chrono::steady_clock::now();
  auto r = t.send(req);
  auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::timeout);
  CHECK(took >= std::chrono::milliseconds(250));
  CHECK(took < std::chrono::seconds(3));
}

TEST_CASE("retrying_transport over beast_transport recovers from 429, 5xx and drops") {
  truto_server server({.attachment_count = 30});
  server.inject(fault::drop_connection);  // first request, fresh connection: a transport error
  server.inject(fault::too_many_requests);
  server.inject(fault::internal_error);
  std::vector<std::chrono::milliseconds> waits;
  uniapi::retry_policy policy;
  policy.max_attempts = 5;
  policy.sleep = [&](std::chrono::milliseconds d) { waits.push_back(d); };
  uniapi::truto::client<uniapi::retrying_transport<beast_transport>> c(
      {.base_url = server.base_url(), .token = server.token()},
      uniapi::retrying_transport<beast_transport>(beast_transport{}, policy));
  std::size_t n = 0;
  for (auto& item : c.list_items(ats::attachments, query(10)))
    n += item.value().id.empty() ? 0 : 1;
  CHECK(n == 30);
  REQUIRE(waits.size() == 3);
  CHECK(waits[1] == std::chrono::seconds(1));  // Retry-After: 1
}

TEST_CASE("redirects: followed, and Authorization never crosses origins") {
  truto_server a, b;
  beast_transport t;
  uniapi::http_request req;
  std::string target = b.base_url() + "/unified/ats/attachments?integrated_account_id=x";
  req.url = a.base_url() + "/redirect?to=" + uniapi::percent_encode(target);
  req.headers.set("Authorization", "Bearer " + a.token());
  auto r = t.send(req);
  REQUIRE(r);
  CHECK(r->status == 401);  // b saw no credentials
  CHECK(b.last_authorization().empty());
  // Same origin keeps them.
  req.url = a.base_url() + "/redirect?to=" +
            uniapi::percent_encode("/unified/ats/attachments?integrated_account_id=x");
  auto same = t.send(req);
  REQUIRE(same);
  CHECK(same->status == 200);
}

TEST_CASE("hooks observe every page with its rate-limit headers, and no credentials") {
  truto_server server({.attachment_count = 25});
  std::vector<std::string> seen;
  std::vector<uniapi::truto::rate_limit> limits;
  uniapi::client_hooks hooks;
  hooks.on_request = [&](const uniapi::request_event& e) {
    seen.push_back("> " + std::string(e.path));
  };
  hooks.on_response = [&](const uniapi::response_event& e) {
    seen.push_back("< " + std::to_string(e.status));
    REQUIRE(e.headers);
    limits.push_back(uniapi::truto::rate_limit::from(*e.headers));
  };
  client_t c({.base_url = server.base_url(), .token = server.token()}, beast_transport{}, hooks);
  for (auto& p : c.list(ats::attachments, query(10)))
    REQUIRE(p);
  CHECK(seen == std::vector<std::string>{"> /unified/ats/attachments", "< 200",
                                         "> /unified/ats/attachments", "< 200",
                                         "> /unified/ats/attachments", "< 200"});
  REQUIRE(limits.size() == 3);
  CHECK(limits[0].limit == 500);
  CHECK(limits[0].window_seconds == 10);
  CHECK(limits[0].remaining == 499);
  CHECK(limits[0].reset_seconds == 10);
}

TEST_CASE("for_each_item streams every item once, and resumes after a stop or a failure") {
  truto_server server;
  auto c = client_for(server);
  std::vector<std::string> ids;
  auto collect = [&](ats::attachment& a) { ids.push_back(a.id); };
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < 57; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "att_%05zu", i);
    expected.push_back(id);
  }
  SECTION("in one go, over one connection") {
    auto n = c.for_each_item(ats::attachments, query(10), collect);
    REQUIRE(n);
    CHECK(*n == 57);
    CHECK(ids == expected);
    CHECK(server.connections_accepted() == 1);
  }
  SECTION("stopped by the callback, then failed mid-page, then resumed: no gap, no repeat") {
    uniapi::stream_progress progress;
    auto r = c.for_each_item(
        ats::attachments, query(20),
        [&](ats::attachment& a) {
          ids.push_back(a.id);
          return ids.size() < 25;
        },
        progress);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::stopped);
    CHECK(progress.delivered == 25);
    CHECK(progress.delivered_on_page == 5);
    REQUIRE(progress.cursor);

    server.inject(fault::truncate_body);  // the page at the cursor arrives half, then the close
    r = c.for_each_item(ats::attachments, query(20), collect, progress);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::truncated_body);
    CHECK(progress.delivered_on_page > 5);  // items of the half page were delivered
    CHECK(progress.delivered_on_page < 20);

    r = c.for_each_item(ats::attachments, query(20), collect, progress);
    REQUIRE(r);
    CHECK(progress.delivered == 57);
    CHECK_FALSE(progress.cursor);
    CHECK(ids == expected);
  }
}

TEST_CASE("for_each_item over one very large page generated while it is sent") {
  bool cache = GENERATE(false, true);  // records built per request, or once and cached
  truto_server server({.attachment_count = 6000, .cache_records = cache});
  auto c = client_for(server);
  auto q = query(10);
  q.truto_ignore_limit = true;
  for (int listing = 0; listing < 2; ++listing) {
    std::size_t n = 0;
    bool in_order = true;
    auto r = c.for_each_item(ats::attachments, q, [&](const ats::attachment& a) {
      char id[32];
      std::snprintf(id, sizeof id, "att_%05zu", n++);
      in_order = in_order && a.id == id && a.remote_data;
    });
    REQUIRE(r);
    CHECK(*r == 6000);
    CHECK(in_order);
  }
  CHECK(server.requests_served() == 2);
}

namespace {
using retrying_client_t = uniapi::truto::client<uniapi::retrying_transport<beast_transport>>;

retrying_client_t retrying_client(const truto_server& s, int attempts) {
  uniapi::retry_policy policy;
  policy.max_attempts = attempts;
  policy.sleep = [](std::chrono::milliseconds) {};
  return retrying_client_t({.base_url = s.base_url(), .token = s.token()},
                           uniapi::retrying_transport<beast_transport>(beast_transport{}, policy));
}
}  // namespace

TEST_CASE("a reset or an early EOF mid-body is retried: streamed items resume, none repeated") {
  fault f = GENERATE(fault::reset_body, fault::truncate_body);
  CAPTURE(static_cast<int>(f));
  truto_server server({.attachment_count = 300});
  auto c = retrying_client(server, 3);
  const auto expected = attachment_ids(300);
  SECTION("for_each_item: items of the cut page already delivered are skipped on the retry") {
    std::vector<std::string> ids;
    server.inject(f);  // the first page (all 300 records) arrives half, then the cut
    uniapi::stream_progress progress;
    auto r = c.for_each_item(
        ats::attachments, query(300), [&](ats::attachment& a) { ids.push_back(a.id); }, progress);
    REQUIRE(r);
    CHECK(*r == 300);
    CHECK(ids == expected);
    CHECK(server.requests_served() == 2);
    CHECK(server.connections_accepted() == 2);
  }
  SECTION("list_items: the cut page is decoded again from the start") {
    server.inject(f);
    std::vector<std::string> ids;
    for (auto& item : c.list_items(ats::attachments, query(120)))
      ids.push_back(item.value().id);
    CHECK(ids == expected);
    CHECK(server.requests_served() == 4);
  }
  SECTION("without retries the cut is an error that says where to resume") {
    auto once = retrying_client(server, 1);
    server.inject(f);
    uniapi::stream_progress progress;
    std::vector<std::string> ids;
    auto r = once.for_each_item(
        ats::attachments, query(300), [&](ats::attachment& a) { ids.push_back(a.id); }, progress);
    REQUIRE_FALSE(r);
    CHECK((r.error().condition() == uniapi::errc::truncated_body ||
           r.error().condition() == uniapi::errc::connection_failed));
    CHECK(progress.delivered_on_page == ids.size());
    r = once.for_each_item(
        ats::attachments, query(300), [&](ats::attachment& a) { ids.push_back(a.id); }, progress);
    REQUIRE(r);
    CHECK(ids == expected);
  }
}

TEST_CASE("a download cut mid-body is not retried: its bytes already reached the sink") {
  truto_server server;
  auto c = retrying_client(server, 3);
  server.inject(fault::truncate_body);
  std::uint64_t bytes = 0;
  auto r = c.download(ats::attachments_download, {},
                      {.integrated_account_id = account_id("a"),
                       .params = {.file_url = "https://files.local.test/x/file.bin?size=1000000"}},
                      [&](std::string_view chunk) -> uniapi::result<void> {
                        bytes += chunk.size();
                        return {};
                      });
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::truncated_body);
  CHECK(bytes > 0);
  CHECK(bytes < 1000000);
  CHECK(server.requests_served() == 1);
}

TEST_CASE("local server: what Truto's official SDKs send") {
  truto_server server({.attachment_count = 57});
  auto c = client_for(server);
  auto get = [&](const std::string& path_and_query) {
    uniapi::http_request req;
    req.url = server.base_url() + path_and_query;
    auto r = c.send(req);
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
    return boost::json::parse(r->body).as_object();
  };
  auto ids = [](const boost::json::object& page) {
    std::vector<std::string> v;
    for (const auto& rec : page.at("result").as_array())
      v.emplace_back(rec.at("id").as_string());
    return v;
  };
  auto first = attachment_ids(57);
  first.resize(5);

  // The SDK sends an empty cursor on the first page.
  auto page = get("/unified/ats/attachments?integrated_account_id=a&limit=5&next_cursor=");
  CHECK(ids(page) == first);

  // Arrays: `k[]=`, `k[0]=` (in index order), repeated keys and comma lists are all lists.
  for (std::string q : {"truto_exclude_fields[]=remote_data&truto_exclude_fields[]=file_url",
                        "truto_exclude_fields[1]=file_url&truto_exclude_fields[0]=remote_data",
                        "truto_exclude_fields=remote_data&truto_exclude_fields=file_url",
                        "truto_exclude_fields=remote_data,file_url"}) {
    INFO(q);
    auto p = get("/unified/ats/attachments?integrated_account_id=a&limit=5&" + q);
    REQUIRE(p.at("result").as_array().size() == 5);
    for (const auto& rec : p.at("result").as_array()) {
      CHECK_FALSE(rec.as_object().contains("remote_data"));
      CHECK_FALSE(rec.as_object().contains("file_url"));
      CHECK(rec.as_object().contains("id"));
    }
  }

  // Date filters with operators and offsets: created_at >= 2024-01-02T03:04:05Z.
  auto dated =
      get("/unified/ats/attachments?integrated_account_id=a&limit=100&"
          "created_at[gte]=2024-01-02T05:04:05%2B02:00");
  std::vector<std::string> want;
  for (std::size_t i = 0; i < 57; ++i)
    if (i % 4 != 2) want.push_back(attachment_ids(57)[i]);
  CHECK(ids(dated) == want);
  auto nested =
      get("/unified/ats/attachments?integrated_account_id=a&limit=100&created_at[lt]=2024-01-02"
          "&remote_query[a][b]=c");
  CHECK(nested.at("result").as_array().size() == 14);  // i % 4 == 2: 2023-12-31
}

TEST_CASE("local server: multipart file names as browsers, Node and RFC 7578 write them") {
  truto_server server;
  auto c = client_for(server);
  auto upload = [&](const std::string& disposition_name) {
    uniapi::http_request req;
    req.method = uniapi::http_method::post;
    req.url = server.base_url() + "/unified/ats/attachments?integrated_account_id=a";
    req.headers.set("Content-Type", "multipart/form-data; boundary=XyZ");
    req.body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=" + disposition_name +
        "\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n";
    auto r = c.send(req);
    REQUIRE(r);
    REQUIRE(r->status == 201);
    return std::string(boost::json::parse(r->body).at("file_name").as_string());
  };
  CHECK(upload(R"("cv %22final%22.pdf")") == R"(cv "final".pdf)");         // browsers, FormData
  CHECK(upload(R"("cv \"final\" \\ x.pdf")") == R"(cv "final" \ x.pdf)");  // quoted-pair
  CHECK(upload(R"("a%0Ab.txt")") == "a\nb.txt");
  CHECK(upload("plain.txt") == "plain.txt");   // a token, unquoted
  CHECK(upload(R"("50%.txt")") == "50%.txt");  // other percent signs stay
}

TEST_CASE("uniapi's HMAC-SHA256 (webhooks) equals OpenSSL's on random keys and messages") {
  std::mt19937 gen(12345);
  for (int round = 0; round < 300; ++round) {
    std::string key(gen() % 150, '\0'), msg(gen() % 3000, '\0');
    for (auto& c : key)
      c = static_cast<char>(gen());
    for (auto& c : msg)
      c = static_cast<char>(gen());
    unsigned char want[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), want, &len);
    auto got = uniapi::detail::hmac_sha256(key, msg);
    REQUIRE(len == got.size());
    CHECK(std::equal(got.begin(), got.end(), want));
  }
}

TEST_CASE("webhook_sender signs deliveries that verify_webhook accepts over loopback") {
  const std::string secret = "whsec_local_0123456789";
  std::vector<std::string> accepted;
  std::mutex m;
  // The receiver: a plain HTTP server that verifies each delivery as an application would.
  uniapi::testing::loopback_server receiver({}, [&](const uniapi::testing::loopback_request& req,
                                                    std::optional<uniapi::testing::fault>) {
    uniapi::testing::loopback_reply r;
    auto ev = uniapi::truto::verify_webhook(secret, std::string(req.header("X-Truto-Signature")),
                                            req.body, {.max_age = std::chrono::seconds(0)});
    if (!ev) {
      r.status = 401;
      r.body = "{}";
      return r;
    }
    std::lock_guard lock(m);
    accepted.push_back(ev->id);
    r.status = 204;
    r.body.clear();
    return r;
  });
  std::string url = receiver.origin() + "/hooks/truto";
  auto body = uniapi::testing::webhook_event_body(
      "evt_1", "record:created", boost::json::object{{"id", "cand_1"}}, "2026-12-05T10:00:00Z");
  for (auto enc :
       {uniapi::testing::signature_encoding::hex, uniapi::testing::signature_encoding::base64}) {
    uniapi::testing::webhook_sender sender(url, secret, enc);
    auto ok = sender.deliver(body);
    REQUIRE(ok);
    CHECK(*ok == 204);
  }
  // A wrong secret, a modified body, a truncated header: refused.
  uniapi::testing::webhook_sender wrong(url, "not-the-secret");
  CHECK(*wrong.deliver(body) == 401);
  uniapi::testing::webhook_sender sender(url, secret);
  std::string sig = uniapi::testing::webhook_signature(secret, body);
  CHECK(*sender.send(body + " ", sig) == 401);
  CHECK(*sender.send(body, sig.substr(0, sig.size() - 3)) == 401);
  CHECK(accepted == std::vector<std::string>{"evt_1", "evt_1"});
}

TEST_CASE("for_each_page hands each page once, resumes at the failed page, and can stop") {
  truto_server server({.attachment_count = 57});
  auto c = client_for(server);
  uniapi::stream_progress progress;
  std::vector<std::string> ids;
  std::size_t calls = 0;
  server.inject(fault::drop_connection);  // the first page fails once: nothing delivered
  auto on_page = [&](client_t::page_type<ats::attachment>& p) {
    ++calls;
    for (auto& a : p.result)
      ids.push_back(a.id);
  };
  auto failed = c.for_each_page(ats::attachments, query(10), on_page, progress);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().condition() == uniapi::errc::connection_failed);
  CHECK(calls == 0);
  CHECK_FALSE(progress.cursor);
  auto pages = c.for_each_page(ats::attachments, query(10), on_page, progress);
  REQUIRE(pages);
  CHECK(*pages == 6);
  CHECK(progress.pages == 6);
  CHECK(progress.delivered == 57);
  CHECK(ids == attachment_ids(57));

  uniapi::stream_progress stopped_at;
  std::size_t seen = 0;
  auto stopped = c.for_each_page(
      ats::attachments, query(10),
      [&](client_t::page_type<ats::attachment>&) { return ++seen < 2; }, stopped_at);
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().condition() == uniapi::errc::stopped);
  CHECK(seen == 2);
  CHECK(stopped_at.pages == 2);
  CHECK(stopped_at.cursor);  // where the listing would go on
}

TEST_CASE("hooks see every request of a client, send() included") {
  truto_server server;
  std::vector<std::string> seen;
  std::vector<int> statuses;
  client_t c(
      {.base_url = server.base_url(), .token = server.token()}, beast_transport(),
      {.on_request = [&](const uniapi::request_event& e) { seen.emplace_back(e.path); },
       .on_response = [&](const uniapi::response_event& e) { statuses.push_back(e.status); }});
  uniapi::http_request req;
  req.url = server.base_url() + "/unified/ats/attachments?integrated_account_id=a";
  auto r = c.send(req);
  REQUIRE(r);
  CHECK(r->status == 200);
  auto page = c.list_page(ats::attachments, query(), std::nullopt);
  REQUIRE(page);
  CHECK(seen == std::vector<std::string>{"/unified/ats/attachments", "/unified/ats/attachments"});
  CHECK(statuses == std::vector<int>{200, 200});
}

TEST_CASE("after stop(), a kept-alive client's next request fails at once") {
  truto_server server;
  auto c = client_for(server, {.request_timeout = std::chrono::seconds(30)});
  REQUIRE(c.list_page(ats::attachments, query(), std::nullopt));
  CHECK(c.transport().connections_opened() == 1);
  server.server().stop();
  auto start = std::chrono::steady_clock::now();
  auto r = c.list_page(ats::attachments, query(), std::nullopt);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::connection_failed);
  CHECK(r.error().code == std::errc::connection_refused);  // the retry on a fresh connection
}
