#include <uniapi/merge/client.hpp>
#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/truto/ats.hpp>

#include "support.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <unistd.h>

namespace ats = uniapi::truto::ats;
using uniapi::http_request;
using uniapi::http_response;
using uniapi::testing::fake_transport;
using uniapi::truto::account_id;

namespace {
constexpr const char* token = "tok_SECRET_123456";

std::string query_of(const http_request& r) {
  auto q = r.url.find('?');
  return q == std::string::npos ? "" : r.url.substr(q + 1);
}

std::string cursor_of(const http_request& r) {
  std::string q = query_of(r);
  auto at = q.find("next_cursor=");
  if (at == std::string::npos) return "";
  auto end = q.find('&', at);
  return q.substr(at + 12, end == std::string::npos ? std::string::npos : end - at - 12);
}

std::string page_json(std::vector<std::string> ids, std::optional<std::string> next) {
  std::string s = R"({"result":[)";
  for (std::size_t i = 0; i < ids.size(); ++i)
    s += (i ? "," : "") + std::string(R"({"id":")") + ids[i] + R"("})";
  s += "]";
  if (next)
    s += R"(,"next_cursor":")" + *next + "\"";
  else
    s += R"(,"next_cursor":null)";
  return s + "}";
}

// A server of pages keyed by cursor ("" = first page).
fake_transport pages(std::map<std::string, std::string> by_cursor) {
  return fake_transport([by_cursor](const http_request& r) -> uniapi::result<http_response> {
    auto it = by_cursor.find(cursor_of(r));
    if (it == by_cursor.end()) return fake_transport::json(404, R"({"statusCode":404})");
    return fake_transport::json(200, it->second);
  });
}

uniapi::truto::client<fake_transport> client_over(fake_transport t) {
  return {{.base_url = "https://api.example.test/prefix/", .token = token}, std::move(t)};
}
}  // namespace

// Both providers' profiles satisfy the contract (checked here, not in the headers: the check
// instantiates the profiles' templates, which a file that only decodes should not pay for).
static_assert(uniapi::provider_profile<uniapi::truto::profile>);
static_assert(uniapi::provider_profile<uniapi::merge::profile>);

TEST_CASE("list query encoding: Truto's exact wire format") {
  auto t = fake_transport([](const http_request&) -> uniapi::result<http_response> {
    return fake_transport::json(200, page_json({}, std::nullopt));
  });
  auto c = client_over(t);
  boost::json::object rq;
  rq["foo"] = "bar baz";
  rq["nested"] = boost::json::object{{"a", boost::json::object{{"b", "x&y=z"}}}};
  rq["list"] = boost::json::array{1, true};
  auto r = c.list_page(ats::attachments,
                       {.integrated_account_id = account_id("acc-1"),
                        .params = {.candidate_id = "c/1?&#", .application_id = "\xc3\xa9"},
                        .limit = 25,
                        .truto_ignore_remote_data = true,
                        .truto_exclude_fields = {"remote_data", "a[b]"},
                        .remote_query = rq},
                       std::string("cur=+/"));
  REQUIRE(r);
  REQUIRE(t.requests().size() == 1);
  const auto& req = t.requests()[0];
  CHECK(req.method == uniapi::http_method::get);
  CHECK(req.url.starts_with("https://api.example.test/prefix/unified/ats/attachments?"));
  CHECK(query_of(req) ==
        "integrated_account_id=acc-1&candidate_id=c%2F1%3F%26%23&application_id=%C3%A9"
        "&truto_ignore_remote_data=true&truto_exclude_fields[]=remote_data"
        "&truto_exclude_fields[]=a%5Bb%5D&remote_query[foo]=bar%20baz"
        "&remote_query[nested][a][b]=x%26y%3Dz&remote_query[list][]=1&remote_query[list][]=true"
        "&limit=25&next_cursor=cur%3D%2B%2F");
  CHECK(req.headers.find("Authorization") == std::string("Bearer ") + token);
}

TEST_CASE("a query with an empty account id is rejected before any I/O") {
  auto t = pages({});
  auto c = client_over(t);
  auto r = c.list_page(ats::attachments, {.integrated_account_id = account_id("")}, std::nullopt);
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::invalid_argument);
  CHECK(t.requests().empty());
  auto l = c.list_page(ats::attachments, {.integrated_account_id = account_id("a"), .limit = 0},
                       std::nullopt);
  REQUIRE_FALSE(l);
  CHECK(t.requests().empty());
}

TEST_CASE("pagination follows cursors through empty pages, without changing the query") {
  auto t = pages({{"", page_json({"a", "b"}, "c1")},
                  {"c1", page_json({}, "c2")},
                  {"c2", page_json({"c"}, "c3")},
                  {"c3", page_json({"d"}, std::nullopt)}});
  auto c = client_over(t);
  ats::attachments_resource::list_query q{.integrated_account_id = account_id("acc"), .limit = 2};
  std::vector<std::string> ids;
  auto items = c.list_items(ats::attachments, q);
  for (auto& item : items)
    ids.push_back(item.value().id);
  CHECK(ids == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(items.pages().complete());
  CHECK_FALSE(items.pages().resume_cursor());
  REQUIRE(t.requests().size() == 4);
  for (const auto& r : t.requests())
    CHECK_THAT(query_of(r), Catch::StartsWith("integrated_account_id=acc&limit=2"));
  CHECK(q.limit == 2);

  std::vector<std::size_t> sizes;
  for (auto& p : c.list(ats::attachments, q))
    sizes.push_back(p.value().result.size());
  CHECK(sizes == std::vector<std::size_t>{2, 0, 1, 1});
}

TEST_CASE("pagination resumes from a saved cursor") {
  auto t = pages({{"", page_json({"a"}, "c1")}, {"c1", page_json({"b"}, std::nullopt)}});
  auto c = client_over(t);
  std::vector<std::string> ids;
  for (auto& item : c.list_items(ats::attachments, {.integrated_account_id = account_id("acc")},
                                 {.cursor = "c1"}))
    ids.push_back(item.value().id);
  CHECK(ids == std::vector<std::string>{"b"});
  REQUIRE(t.requests().size() == 1);
  CHECK(cursor_of(t.requests()[0]) == "c1");
}

TEST_CASE("a repeated cursor stops the listing with an error") {
  auto t = pages({{"", page_json({"a"}, "c1")},
                  {"c1", page_json({"b"}, "c2")},
                  {"c2", page_json({"c"}, "c1")}});
  auto c = client_over(t);
  std::vector<std::string> ids;
  std::optional<uniapi::error> err;
  auto pages_range = c.list(ats::attachments, {.integrated_account_id = account_id("acc")});
  for (auto& p : pages_range) {
    if (!p) {
      err = p.error();
      break;
    }
    for (auto& a : p->result)
      ids.push_back(a.id);
  }
  // The page that carried the repeated cursor is still delivered, then the error.
  CHECK(ids == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(err);
  CHECK(err->condition() == uniapi::errc::repeated_cursor);
  CHECK(t.requests().size() == 3);
  CHECK_FALSE(pages_range.complete());
}

TEST_CASE("an error ends iteration and says where to resume") {
  int calls = 0;
  auto t = fake_transport([&](const http_request& r) -> uniapi::result<http_response> {
    ++calls;
    if (cursor_of(r).empty()) return fake_transport::json(200, page_json({"a"}, "c1"));
    if (calls == 2)
      return fake_transport::json(
          500, R"({"statusCode":500,"error":"Internal Server Error","message":"boom"})");
    return fake_transport::json(200, page_json({"b"}, std::nullopt));
  });
  auto c = client_over(t);
  auto items = c.list_items(ats::attachments, {.integrated_account_id = account_id("acc")});
  std::vector<std::string> seen;
  std::optional<uniapi::error> err;
  for (auto& i : items) {
    if (i)
      seen.push_back(i->id);
    else
      err = i.error();
  }
  CHECK(seen == std::vector<std::string>{"a"});
  REQUIRE(err);
  CHECK(err->http_status == 500);
  CHECK(err->message == "GET /prefix/unified/ats/attachments: Internal Server Error: boom");
  REQUIRE(items.pages().resume_cursor());
  CHECK(*items.pages().resume_cursor() == "c1");
  // Resuming fetches exactly the failed page: nothing skipped, nothing repeated.
  for (auto& i : c.list_items(ats::attachments, {.integrated_account_id = account_id("acc")},
                              {.cursor = items.pages().resume_cursor()}))
    seen.push_back(i.value().id);
  CHECK(seen == std::vector<std::string>{"a", "b"});
}

TEST_CASE("Truto error bodies map to errors that never contain the token") {
  auto t = fake_transport([](const http_request& r) -> uniapi::result<http_response> {
    auto resp = fake_transport::json(
        r.url.find("a=") != std::string::npos ? 404 : 401,
        std::string(R"({"statusCode":401,"error":"Unauthorized","message":"token )") + token +
            R"( is invalid","truto_is_remote_error":true,"raw_response":{"x":1}})");
    resp.headers.set("Retry-After", "7");
    return resp;
  });
  auto c = client_over(t);
  auto r =
      c.list_page(ats::attachments, {.integrated_account_id = account_id("acc")}, std::nullopt);
  REQUIRE_FALSE(r);
  const auto& e = r.error();
  CHECK(e.condition() == uniapi::errc::api_error);
  CHECK(e.http_status == 401);
  CHECK(e.message ==
        "GET /prefix/unified/ats/attachments: Unauthorized: token [redacted] is invalid (provider "
        "error)");
  CHECK(e.body.find(token) == std::string::npos);
  CHECK(e.retry_after == std::chrono::seconds(7));
  CHECK(e.to_string().find(token) == std::string::npos);
  auto details = uniapi::truto::parse_error_body(e);
  REQUIRE(details);
  CHECK(details->truto_is_remote_error == true);
  CHECK(details->raw_response->text() == R"({"x":1})");
  try {
    (void)r.value();
    FAIL("value() did not throw");
  } catch (const uniapi::exception& ex) {
    CHECK(std::string(ex.what()).find(token) == std::string::npos);
    CHECK(ex.error().http_status == 401);
  }
}

TEST_CASE("decode errors carry the JSON path") {
  auto t = fake_transport([](const http_request&) -> uniapi::result<http_response> {
    return fake_transport::json(
        200, R"({"result":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d","candidate":{"id":4}}]})");
  });
  auto c = client_over(t);
  auto r =
      c.list_page(ats::attachments, {.integrated_account_id = account_id("acc")}, std::nullopt);
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::decode_failed);
  CHECK(r.error().message ==
        "GET /prefix/unified/ats/attachments: result[3].candidate.id: expected string, got number");
}

TEST_CASE("create sends multipart/form-data with a file part") {
  auto t = fake_transport([](const http_request&) -> uniapi::result<http_response> {
    return fake_transport::json(201, R"({"id":"new","file_name":"cv.pdf"})");
  });
  auto c = client_over(t);
  auto r = c.create(ats::attachments,
                    {.file = uniapi::file_part{.filename = "cv.pdf",
                                               .content_type = "application/pdf",
                                               .data = std::string("%PDF\0\r\n--x", 10)},
                     .remote_data = uniapi::json::raw_json(R"({"candidate_id":"c1"})")},
                    {.integrated_account_id = account_id("acc")}, {.idempotency_key = "k1"});
  REQUIRE(r);
  CHECK(r->id == "new");
  const auto& req = t.requests().at(0);
  CHECK(req.method == uniapi::http_method::post);
  auto ct = std::string(*req.headers.find("Content-Type"));
  REQUIRE(ct.starts_with("multipart/form-data; boundary="));
  std::string boundary = ct.substr(ct.find('=') + 1);
  CHECK(req.body == "--" + boundary +
                        "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\n"
                        "Content-Type: application/pdf\r\n\r\n" +
                        std::string("%PDF\0\r\n--x", 10) + "\r\n--" + boundary +
                        "\r\nContent-Disposition: form-data; name=\"remote_data\"\r\n"
                        "Content-Type: application/json\r\n\r\n{\"candidate_id\":\"c1\"}\r\n--" +
                        boundary + "--\r\n");
  CHECK(req.headers.find("Idempotency-Key") == std::string_view("k1"));
}

TEST_CASE("multipart boundaries differ at every call and never occur inside a part") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    ats::attachment_create_body body{
        .file = uniapi::file_part{.filename = "a.bin", .data = std::string(4096, 'x')}};
    auto m = uniapi::encode_multipart(body);
    std::string boundary = m.content_type.substr(m.content_type.find('=') + 1);
    CHECK(boundary.size() == 7 + 32);
    CHECK(seen.insert(boundary).second);
    // Two delimiters (the part, the end) and nothing else.
    std::size_t n = 0;
    for (auto at = m.data.find(boundary); at != std::string::npos;
         at = m.data.find(boundary, at + 1))
      ++n;
    CHECK(n == 2);
  }
}

TEST_CASE("file_part::from_file reads the bytes and names the part after the file") {
  auto path = std::filesystem::temp_directory_path() /
              ("uniapi-part-" + std::to_string(::getpid()) + ".bin");
  std::string bytes(200000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(i * 131);
  std::ofstream(path, std::ios::binary) << bytes;
  auto p = uniapi::file_part::from_file(path.string(), "application/x-test");
  std::filesystem::remove(path);
  REQUIRE(p);
  CHECK(p->filename == path.filename().string());
  CHECK(p->content_type == "application/x-test");
  CHECK(p->data == bytes);
  auto missing = uniapi::file_part::from_file("/nonexistent/uniapi.bin");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().condition() == uniapi::errc::invalid_argument);
}

TEST_CASE("download streams bytes to the sink and reads errors as errors") {
  auto t = fake_transport([](const http_request& r) -> uniapi::result<http_response> {
    if (r.url.find("file_url=missing") != std::string::npos)
      return fake_transport::json(404,
                                  R"({"statusCode":404,"error":"Not Found","message":"no file"})");
    http_response resp;
    resp.status = 200;
    resp.headers.set("Content-Type", "application/pdf");
    resp.body = "PDFBYTES";
    return resp;
  });
  auto c = client_over(t);
  std::string got;
  auto sink = [&](std::string_view s) -> uniapi::result<void> {
    got += s;
    return {};
  };
  auto r = c.download(ats::attachments_download, {},
                      {.integrated_account_id = account_id("acc"),
                       .params = {.file_url = "https://files.example/a b"}},
                      sink);
  REQUIRE(r);
  CHECK(got == "PDFBYTES");
  CHECK(r->bytes == 8);
  CHECK(r->content_type == "application/pdf");
  CHECK(query_of(t.requests()[0]) ==
        "integrated_account_id=acc&file_url=https%3A%2F%2Ffiles.example%2Fa%20b");
  got.clear();
  auto e = c.download(
      ats::attachments_download, {},
      {.integrated_account_id = account_id("acc"), .params = {.file_url = "missing"}}, sink);
  REQUIRE_FALSE(e);
  CHECK(e.error().http_status == 404);
  CHECK(got.empty());
}

TEST_CASE("rate-limit headers") {
  uniapi::http_headers h;
  CHECK_FALSE(uniapi::truto::rate_limit::from(h).limit);
  h.set("RateLimit-Limit", "110;w=10;burst=5");
  h.set("ratelimit-remaining", "7");
  h.set("ratelimit-reset", "x");
  auto r = uniapi::truto::rate_limit::from(h);
  CHECK(r.limit == 110);
  CHECK(r.window_seconds == 10);
  CHECK(r.remaining == 7);
  CHECK_FALSE(r.reset_seconds);
}

namespace {
// A streaming transport answering one JSON page in pieces of `piece` bytes, with or without a
// Content-Length header.
struct piecewise_transport {
  std::string body;
  std::size_t piece;
  bool content_length;
  uniapi::result<http_response> send(const http_request&) {
    return fake_transport::json(200, body);
  }
  uniapi::result<http_response> send(const http_request&, uniapi::body_sink& sink) {
    http_response head = fake_transport::json(200, "");
    if (content_length) head.headers.set("Content-Length", std::to_string(body.size()));
    if (auto h = sink.on_head(head); !h) return h.error();
    for (std::size_t i = 0; i < body.size(); i += piece)
      if (auto d = sink.on_data(std::string_view(body).substr(i, piece)); !d) return d.error();
    return head;
  }
};
static_assert(uniapi::streaming_transport<piecewise_transport>);
}  // namespace

TEST_CASE("a page read in pieces is sized once from its Content-Length") {
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i)
    ids.push_back("r" + std::to_string(10000 + i));
  std::string body = page_json(ids, std::nullopt);
  REQUIRE(body.size() > 3 * 9000);
  auto capacity = [&](bool content_length) {
    uniapi::truto::client<piecewise_transport> c(
        {.base_url = "https://api.example.test/", .token = token},
        piecewise_transport{body, 9000, content_length});
    ats::attachments_resource::list_query q{.integrated_account_id = account_id("acc")};
    auto page = c.list_page(ats::attachments, q, std::nullopt);
    REQUIRE(page);
    REQUIRE(page->result.size() == 2000);
    CHECK(page->result[1999].id == "r11999");
    return page->result.capacity();
  };
  // With the header, the one reservation a whole-buffer decode makes; without it, sized from
  // the first piece and then grown by doubling. Each on a fresh thread, whose pooled decoders
  // have no previous page to size it from.
  auto fresh_thread = [&](bool content_length) {
    std::size_t n = 0;
    std::thread([&] { n = capacity(content_length); }).join();
    return n;
  };
  auto whole = uniapi::json::decode<uniapi::truto::page<ats::attachment>>(body);
  REQUIRE(whole);
  CHECK(fresh_thread(true) == whole->result.capacity());
  CHECK(fresh_thread(false) != whole->result.capacity());
  CHECK(fresh_thread(false) >= 2000);
}
