// One conformance suite, run for every provider: Truto, Merge, and a third profile written here,
// outside the library, whose pages nest their items and cursor (`{"data": {"items": [...]},
// "meta": {"next": ...}}`) and which is served by the generic loopback server.
#include <uniapi/merge/ats.hpp>
#include <uniapi/merge/testing/merge_server.hpp>
#include <uniapi/testing/loopback_server.hpp>
#include <uniapi/testing/record_generator.hpp>
#include <uniapi/testing/test_certificates.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/transport/retrying_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include "support.hpp"

#include <boost/json/parse.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using uniapi::beast_transport;
using uniapi::errc;
using uniapi::testing::fault;

namespace {

struct pki {
  uniapi::testing::test_certificates certs = uniapi::testing::test_certificates::generate();
  std::string ca_file;
  pki() {
    ca_file = (std::filesystem::temp_directory_path() /
               ("uniapi-conformance-ca-" + std::to_string(::getpid()) + ".pem"))
                  .string();
    std::ofstream(ca_file) << certs.ca_cert;
  }
  ~pki() { std::filesystem::remove(ca_file); }
  const std::string& certificate_pem = certs.server_cert;
  const std::string& private_key_pem = certs.server_key;
};

const pki& certificates() {
  static const pki p;
  return p;
}

// The id of a server record (its "id" member, a JSON string).
std::string record_id(const uniapi::testing::json_record& rec) {
  for (const auto& [k, v] : rec)
    if (k == "id") return std::string(boost::json::parse(v).as_string());
  return {};
}

// ---- a third provider, defined by a user --------------------------------------------------

// "Acme" pages: {"data": {"items": [...]}, "meta": {"next": "...", "total": N}}; the cursor goes
// back as `page_token`; records come bare from writes; errors are {"error": {"message": ...}}.
namespace acme {

template <class Items>
struct data_part {
  Items items;
  BOOST_DESCRIBE_CLASS(data_part, (), (items), (), ())
};
struct meta_part {
  std::optional<std::string> next;
  std::optional<std::int64_t> total;
  BOOST_DESCRIBE_CLASS(meta_part, (), (next, total), (), ())
};
template <class Items>
struct envelope {
  data_part<Items> data;
  meta_part meta;
  BOOST_DESCRIBE_CLASS(envelope, (), (data, meta), (), ())
};
struct deleted_reply {
  bool deleted = false;
  BOOST_DESCRIBE_CLASS(deleted_reply, (), (deleted), (), ())
};

struct profile {
  std::string base_url;
  std::string key;

  template <class Items>
  using envelope = acme::envelope<Items>;
  template <class E>
  static auto& items(E& page) noexcept {
    return page.data.items;
  }
  template <class E>
  static std::optional<std::string> next_cursor(const E& page) {
    return page.meta.next;
  }
  static void add_cursor(uniapi::query_string& qs, std::string_view c) { qs.add("page_token", c); }
  template <class T>
  using write_response = T;
  template <class T>
  static uniapi::result<T> unwrap_write(T&& t) {
    return std::move(t);
  }
  using delete_response = deleted_reply;
  static std::optional<std::string> deleted_id(const deleted_reply&) { return std::nullopt; }
  template <class T>
  static uniapi::result<T> unwrap_custom(std::string_view body) {
    return uniapi::json::decode<T>(body);
  }
  void authorize(uniapi::http_request& req) const { req.headers.set("X-Acme-Key", key); }
  uniapi::error to_error(const uniapi::http_response& r, std::string_view what) const {
    uniapi::error e;
    e.code = make_error_code(errc::api_error);
    e.http_status = r.status;
    e.body = redact(r.body);
    e.message = redact(std::string(what) + ": HTTP " + std::to_string(r.status));
    return e;
  }
  std::string redact(std::string text) const { return uniapi::redact_secret(std::move(text), key); }
};

struct widget {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::int64_t> size;
  std::optional<uniapi::json::raw_json> remote_data;
  BOOST_DESCRIBE_CLASS(widget, (), (id, name, size, remote_data), (), ())
};
struct no_query {
  BOOST_DESCRIBE_CLASS(no_query, (), (), (), ())
};
struct list_query {
  std::optional<std::int64_t> page_size;
  BOOST_DESCRIBE_CLASS(list_query, (), (page_size), (), ())
};
struct widgets_resource {
  static constexpr std::string_view name = "widgets";
  static constexpr std::string_view path = "/v2/widgets";
  using model = widget;
  using list_query = acme::list_query;
  using get_query = no_query;
};
inline constexpr widgets_resource widgets{};

// Acme emulated on the generic loopback server: a handler, no library change.
class emulation {
 public:
  emulation(std::size_t count, bool tls)
      : count_(count),
        server_({.tls = tls,
                 .certificate = tls ? certificates().certificate_pem : "",
                 .private_key = tls ? certificates().private_key_pem : ""},
                [this](const auto& req, std::optional<fault> f) { return handle(req, f); }) {}
  ~emulation() { server_.stop(); }

  std::string base_url() const { return server_.origin(); }
  const std::string& key() const { return key_; }
  uniapi::testing::json_record record(std::size_t i) const {
    return uniapi::testing::generate_record<widget>("widgets", i);
  }
  std::size_t count() const { return count_; }
  uniapi::testing::loopback_server& server() { return server_; }

 private:
  uniapi::testing::loopback_reply handle(const uniapi::testing::loopback_server::request& req,
                                         std::optional<fault> f) {
    using uniapi::testing::loopback_server;
    uniapi::testing::loopback_reply r;
    if (f == fault::too_many_requests) {
      r.status = 429;
      r.headers.emplace_back("Retry-After", "1");
      r.body = R"({"error":{"message":"slow down"}})";
      return r;
    }
    if (f == fault::internal_error) {
      r.status = 500;
      r.body = R"({"error":{"message":"boom"}})";
      return r;
    }
    if (f == fault::wrong_type) {
      r.body = R"({"meta":{"next":null},"data":{"items":[{"id":"a"},{"id":"b"},{"id":"c"},)"
               R"({"id":"d","size":"big"}]}})";
      return r;
    }
    if (req.header("X-Acme-Key") != key_) {
      r.status = 401;
      r.body = R"({"error":{"message":"bad key"}})";
      return r;
    }
    auto target = loopback_server::parse_target(req.target);
    std::string_view path = target->first;
    const auto& q = target->second;
    if (path.starts_with("/v2/widgets/")) {
      auto id = path.substr(12);
      for (std::size_t i = 0; i < count_; ++i)
        if (record_id(record(i)) == id) {
          r.body = uniapi::testing::to_json(record(i));
          return r;
        }
      r.status = 404;
      r.body = R"({"error":{"message":"no such widget"}})";
      return r;
    }
    std::size_t size = std::stoul(loopback_server::param(q, "page_size").value_or("10"));
    std::size_t from = std::stoul(loopback_server::param(q, "page_token").value_or("0"));
    std::size_t to = std::min(count_, from + size);
    // The cursor comes first and the items last, nested: key order carries no meaning.
    r.body = "{\"meta\":{\"total\":" + std::to_string(count_) +
             ",\"next\":" + (to < count_ ? "\"" + std::to_string(to) + "\"" : std::string("null")) +
             "},\"data\":{\"items\":[";
    for (std::size_t i = from; i < to; ++i)
      r.body += (i > from ? "," : "") + uniapi::testing::to_json(record(i));
    r.body += "]}}";
    return r;
  }

  std::size_t count_;
  std::string key_ = "acme-secret-key-123";
  uniapi::testing::loopback_server server_;
};

}  // namespace acme

// ---- the providers under test ---------------------------------------------------------------

struct truto_provider {
  using server_t = uniapi::testing::truto_server;
  template <class T>
  using client_t = uniapi::truto::client<T>;
  static constexpr auto resource = uniapi::truto::ats::attachments;
  static constexpr std::string_view items_key = "result";

  static std::unique_ptr<server_t> make_server(std::size_t count, bool tls) {
    uniapi::testing::truto_server_options o{.attachment_count = count};
    if (tls) {
      o.tls = true;
      o.certificate = certificates().certificate_pem;
      o.private_key = certificates().private_key_pem;
    }
    return std::make_unique<server_t>(std::move(o));
  }
  static uniapi::truto::profile profile(const server_t& s) {
    return {.base_url = s.base_url(), .token = s.token()};
  }
  static uniapi::truto::profile wrong_profile(const server_t& s) {
    return {.base_url = s.base_url(), .token = "wrong-token-987654"};
  }
  static std::vector<std::string> secrets(const server_t& s) { return {s.token()}; }
  static auto query(std::int64_t page) {
    return uniapi::truto::ats::attachments_resource::list_query{
        .integrated_account_id = uniapi::truto::account_id("acct-1"), .limit = page};
  }
  static constexpr auto get_resource = uniapi::truto::ats::candidates;
  static auto get_query() {
    return uniapi::truto::ats::candidates_resource::get_query{
        .integrated_account_id = uniapi::truto::account_id("acct-1")};
  }
  static std::string expected_get_id(const server_t& s, std::size_t i) {
    return record_id(s.record("candidates", i));
  }
  static std::string expected_id(const server_t& s, std::size_t i) {
    return record_id(s.record("attachments", i));
  }
};

struct merge_provider {
  using server_t = uniapi::testing::merge_server;
  template <class T>
  using client_t = uniapi::merge::client<T>;
  static constexpr auto resource = uniapi::merge::ats::attachments;
  static constexpr std::string_view items_key = "results";

  static std::unique_ptr<server_t> make_server(std::size_t count, bool tls) {
    uniapi::testing::merge_server_options o{.records_per_resource = count};
    if (tls) {
      o.tls = true;
      o.certificate = certificates().certificate_pem;
      o.private_key = certificates().private_key_pem;
    }
    return std::make_unique<server_t>(std::move(o));
  }
  static uniapi::merge::profile profile(const server_t& s) {
    return {.base_url = s.base_url(), .api_key = s.api_key(), .account_token = s.account_token()};
  }
  static uniapi::merge::profile wrong_profile(const server_t& s) {
    return {.base_url = s.base_url(), .api_key = s.api_key(), .account_token = "wrong-acct-12345"};
  }
  static std::vector<std::string> secrets(const server_t& s) {
    return {s.api_key(), s.account_token()};
  }
  static auto query(std::int64_t page) {
    return uniapi::merge::ats::attachments_resource::list_query{.page_size = page,
                                                                .include_remote_data = true};
  }
  static constexpr auto get_resource = uniapi::merge::ats::attachments;
  static auto get_query() {
    return uniapi::merge::ats::attachments_resource::get_query{.include_remote_data = true};
  }
  static std::string expected_get_id(const server_t& s, std::size_t i) {
    return record_id(s.record("attachments", i));
  }
  static std::string expected_id(const server_t& s, std::size_t i) {
    return record_id(s.record("attachments", i));
  }
};

struct acme_provider {
  using server_t = acme::emulation;
  template <class T>
  using client_t = uniapi::basic_client<acme::profile, T>;
  static constexpr auto resource = acme::widgets;
  static constexpr std::string_view items_key = "data.items";

  static std::unique_ptr<server_t> make_server(std::size_t count, bool tls) {
    return std::make_unique<server_t>(count, tls);
  }
  static acme::profile profile(const server_t& s) { return {s.base_url(), s.key()}; }
  static acme::profile wrong_profile(const server_t& s) { return {s.base_url(), "not-the-key-42"}; }
  static std::vector<std::string> secrets(const server_t& s) { return {s.key()}; }
  static auto query(std::int64_t page) { return acme::list_query{.page_size = page}; }
  static constexpr auto get_resource = acme::widgets;
  static auto get_query() { return acme::no_query{}; }
  static std::string expected_get_id(const server_t& s, std::size_t i) {
    return record_id(s.record(i));
  }
  static std::string expected_id(const server_t& s, std::size_t i) {
    return record_id(s.record(i));
  }
};

// The generic server under each emulation (faults, counters, what the client sent).
template <class S>
uniapi::testing::loopback_server& raw_server(S& s) {
  return s.server();
}

template <class P>
std::string id_of(const typename decltype(P::resource)::model& m) {
  if constexpr (requires { m.id.value(); })
    return m.id.value_or("");
  else
    return m.id;
}

template <class P>
typename P::template client_t<beast_transport> plain_client(
    const typename P::server_t& s, uniapi::beast_transport_options o = {}) {
  o.ca_file = certificates().ca_file;
  return {P::profile(s), beast_transport(std::move(o))};
}

using retrying = uniapi::retrying_transport<beast_transport>;

}  // namespace

TEMPLATE_TEST_CASE("conformance: pages and items in order over one keep-alive connection", "",
                   truto_provider, merge_provider, acme_provider) {
  using P = TestType;
  for (bool tls : {false, true}) {
    CAPTURE(tls);
    auto server = P::make_server(57, tls);
    auto c = plain_client<P>(*server);
    std::vector<std::string> ids;
    std::size_t pages = 0;
    auto range = c.list(P::resource, P::query(10));
    for (auto& page : range) {
      REQUIRE(page);
      ++pages;
      for (auto& item : c.profile().items(*page))
        ids.push_back(id_of<P>(item));
    }
    CHECK(range.complete());
    CHECK(pages == 6);
    REQUIRE(ids.size() == 57);
    for (std::size_t i = 0; i < ids.size(); ++i)
      REQUIRE(ids[i] == P::expected_id(*server, i));
    std::size_t items = 0;
    for (auto& item : c.list_items(P::resource, P::query(7))) {
      REQUIRE(item);
      REQUIRE(id_of<P>(*item) == P::expected_id(*server, items++));
    }
    CHECK(items == 57);
    CHECK(raw_server(*server).connections_accepted() == 1);
  }
}

TEMPLATE_TEST_CASE("conformance: streaming resumes after a failure with no repeat and no gap", "",
                   truto_provider, merge_provider, acme_provider) {
  using P = TestType;
  auto server = P::make_server(45, false);
  auto c = plain_client<P>(*server);
  std::vector<std::string> ids;
  uniapi::stream_progress progress;
  // While the first page is read, a reset is armed for the next request: the second page's
  // connection breaks mid-body. The call fails having delivered what arrived whole; the same
  // progress resumes it.
  int failures = 0;
  for (int round = 0; round < 10; ++round) {
    auto n = c.for_each_item(
        P::resource, P::query(10),
        [&](auto& item) {
          ids.push_back(id_of<P>(item));
          if (ids.size() == 5) raw_server(*server).inject(fault::reset_body);
        },
        progress);
    if (n) break;
    ++failures;
    CHECK((n.error().condition() == errc::connection_failed ||
           n.error().condition() == errc::truncated_body));
  }
  CHECK(failures == 1);
  REQUIRE(ids.size() == 45);
  for (std::size_t i = 0; i < ids.size(); ++i)
    REQUIRE(ids[i] == P::expected_id(*server, i));
  CHECK(progress.delivered == 45);
  CHECK(!progress.cursor);

  // Mid-body resets retried by the retrying transport: every item once.
  ids.clear();
  uniapi::retry_policy policy;
  policy.sleep = [](auto) {};
  typename P::template client_t<retrying> rc(
      P::profile(*server), retrying(beast_transport({.ca_file = certificates().ca_file}), policy));
  raw_server(*server).inject(fault::reset_body);
  auto n = rc.for_each_item(P::resource, P::query(45),
                            [&](auto& item) { ids.push_back(id_of<P>(item)); });
  REQUIRE(n);
  REQUIRE(ids.size() == 45);
  for (std::size_t i = 0; i < ids.size(); ++i)
    REQUIRE(ids[i] == P::expected_id(*server, i));
}

TEMPLATE_TEST_CASE("conformance: get a record, and an unknown id is an API error", "",
                   truto_provider, merge_provider, acme_provider) {
  using P = TestType;
  auto server = P::make_server(20, false);
  auto c = plain_client<P>(*server);
  auto rec = c.get(P::get_resource, P::expected_get_id(*server, 5), P::get_query());
  REQUIRE(rec);
  CHECK(rec->id == P::expected_get_id(*server, 5));
  auto missing = c.get(P::get_resource, "no-such-id", P::get_query());
  REQUIRE(!missing);
  CHECK(missing.error().condition() == errc::api_error);
  CHECK(missing.error().http_status == 404);
  CHECK(missing.error().message.find("/no-such-id") != std::string::npos);
}

TEMPLATE_TEST_CASE("conformance: a wrong type is a decode error naming its JSON path", "",
                   truto_provider, merge_provider, acme_provider) {
  using P = TestType;
  auto server = P::make_server(20, false);
  auto c = plain_client<P>(*server);
  raw_server(*server).inject(fault::wrong_type);
  std::size_t delivered = 0;
  auto n = c.for_each_item(P::resource, P::query(10), [&](auto&) { ++delivered; });
  REQUIRE(!n);
  CHECK(n.error().condition() == errc::decode_failed);
  CHECK_THAT(n.error().message, Catch::Contains(std::string(P::items_key) + "[3]"));
  CHECK(delivered == 3);
}

TEMPLATE_TEST_CASE("conformance: 429 retried after Retry-After, 4xx not retried", "",
                   truto_provider, merge_provider, acme_provider) {
  using P = TestType;
  auto server = P::make_server(20, false);
  std::vector<std::chrono::milliseconds> waits;
  uniapi::retry_policy policy;
  policy.sleep = [&](std::chrono::milliseconds d) { waits.push_back(d); };
  typename P::template client_t<retrying> c(
      P::profile(*server), retrying(beast_transport({.ca_file = certificates().ca_file}), policy));
  raw_server(*server).inject(fault::too_many_requests);
  auto page = c.list_page(P::resource, P::query(5), std::nullopt);
  REQUIRE(page);
  REQUIRE(waits.size() == 1);
  CHECK(waits[0] == std::chrono::seconds(1));

  waits.clear();
  typename P::template client_t<retrying> wrong(
      P::wrong_profile(*server),
      retrying(beast_transport({.ca_file = certificates().ca_file}), policy));
  auto denied = wrong.list_page(P::resource, P::query(5), std::nullopt);
  REQUIRE(!denied);
  CHECK(denied.error().http_status == 401);
  CHECK(waits.empty());
}

TEMPLATE_TEST_CASE("conformance: no secret in any error, per-call headers included", "",
                   truto_provider, merge_provider, acme_provider) {
  using P = TestType;
  auto server = P::make_server(20, false);
  std::vector<std::string> secrets = P::secrets(*server);
  const std::string per_call = "per-call-secret-value-777";
  secrets.push_back(per_call);
  auto check = [&](const uniapi::error& e) {
    std::string all = e.to_string() + "\n" + e.message + "\n" + e.body;
    for (const auto& s : secrets)
      CHECK(all.find(s) == std::string::npos);
  };
  // An error body that echoes the request's credentials: the reader redacts them.
  auto echo = std::make_unique<uniapi::testing::loopback_server>(
      uniapi::testing::loopback_server_options{},
      [&](const uniapi::testing::loopback_server::request& req, auto) {
        uniapi::testing::loopback_reply r;
        r.status = 400;
        for (const auto& [name, value] : req.headers)
          r.body += name + ": " + value + "\n";
        return r;
      });
  auto profile = P::profile(*server);
  profile.base_url = echo->origin();
  typename P::template client_t<beast_transport> c(profile, beast_transport{});
  uniapi::list_options o;
  o.headers.set("X-Per-Call", per_call);
  auto range = c.list(P::resource, P::query(5), o);
  auto it = range.begin();
  REQUIRE(!*it);
  CHECK(it->error().http_status == 400);
  CHECK_THAT(it->error().body, Catch::Contains("[redacted]"));
  check(it->error());
  CHECK_THAT(echo->last_header("X-Per-Call"), Catch::Equals(per_call));
  // A transport failure (the server is gone) says where, never who.
  echo.reset();
  auto failed = c.list_page(P::resource, P::query(5), std::nullopt, o.request());
  REQUIRE(!failed);
  CHECK(failed.error().condition() == errc::connection_failed);
  check(failed.error());
}

TEMPLATE_TEST_CASE("conformance: a per-call timeout bounds the request", "", truto_provider,
                   merge_provider, acme_provider) {
  using P = TestType;
  auto server = P::make_server(20, false);
  auto c = plain_client<P>(*server);
  raw_server(*server).inject(fault::slow_body);
  auto start = std::chrono::steady_clock::now();
  auto page = c.list_page(P::resource, P::query(20), std::nullopt,
                          {.timeout = std::chrono::milliseconds(300)});
  REQUIRE(!page);
  CHECK(page.error().condition() == errc::timeout);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("merge: one client serves many linked accounts with a per-call account token") {
  uniapi::testing::merge_server server;
  uniapi::merge::client<beast_transport> c(
      {.base_url = server.base_url(), .api_key = server.api_key()}, beast_transport{});
  auto none = c.list_page(uniapi::merge::ats::candidates, {}, std::nullopt);
  REQUIRE(!none);
  CHECK(none.error().http_status == 401);
  CHECK_THAT(none.error().message, Catch::Contains("X-Account-Token"));
  uniapi::request_options o;
  o.headers.set("X-Account-Token", server.account_token());
  auto page = c.list_page(uniapi::merge::ats::candidates, {.page_size = 3}, std::nullopt, o);
  REQUIRE(page);
  CHECK(page->results.size() == 3);
  CHECK(page->next);
  CHECK(server.last_header("X-Account-Token") == server.account_token());
  CHECK(server.last_header("Authorization") == "Bearer " + server.api_key());
  // The cursor is sent back percent-encoded as `cursor` (base64 carries '=').
  auto second = c.list_page(uniapi::merge::ats::candidates, {.page_size = 3}, page->next, o);
  REQUIRE(second);
  CHECK_THAT(server.last_target(), Catch::Contains("cursor=") && Catch::Contains("%3D"));
  CHECK(second->results.at(0).id == record_id(server.record("candidates", 3)));
}

TEST_CASE("merge: models keep unknown enum values, remote_data and expandable fields as sent") {
  uniapi::testing::merge_server server;
  uniapi::merge::client<beast_transport> c({.base_url = server.base_url(),
                                            .api_key = server.api_key(),
                                            .account_token = server.account_token()},
                                           beast_transport{});
  std::size_t checked = 0;
  auto n = c.for_each_item(
      uniapi::merge::ats::jobs, {.page_size = 100, .include_remote_data = true}, [&](auto& job) {
        auto sent = boost::json::parse(uniapi::testing::to_json(server.record("jobs", checked)))
                        .as_object();
        auto got = boost::json::parse(uniapi::json::encode(job)).as_object();
        std::string path;
        bool same = uniapi_test::modelled_subset(got, sent, path);
        INFO(path);
        REQUIRE(same);
        for (const auto& kv : sent)
          if (!kv.value().is_null() && kv.key() != "x_provider_field") {
            CAPTURE(kv.key());
            REQUIRE(got.contains(kv.key()));
          }
        ++checked;
      });
  REQUIRE(n);
  CHECK(checked == 45);
}
