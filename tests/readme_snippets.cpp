// The code shown in README.md, compiled (and where it can run offline, run) so the docs cannot rot.
#include <uniapi/merge/ats.hpp>
#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/testing/loopback_server.hpp>
#include <uniapi/testing/record_generator.hpp>
#include <uniapi/transport/any_transport.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/transport/retrying_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/proxy.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include "support.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace ats = uniapi::truto::ats;

namespace readme {

void print_attachments(const std::string& token, const std::string& account) {
  uniapi::truto::client<uniapi::beast_transport> client({.token = token},
                                                        uniapi::beast_transport{});
  for (auto& item : client.list_items(ats::attachments,
                                      {.integrated_account_id = uniapi::truto::account_id(account),
                                      .params = {.candidate_id = "cand_1"},
                                      .limit = 100})) {
    if (!item) {  // an error ends the listing; nothing is skipped or repeated
      std::cerr << item.error() << '\n';
      return;
    }
    std::cout << item->id << ' ' << item->file_name.value_or("-") << '\n';
  }
}

struct my_transport {
  uniapi::result<uniapi::http_response> send(const uniapi::http_request& req);
};
static_assert(uniapi::transport<my_transport>);

void construct_clients(const std::string& token) {
  uniapi::truto::client<my_transport> client({.token = "..."}, my_transport{});
  (void)client;
  uniapi::retry_policy policy;
  policy.max_attempts = 5;
  uniapi::truto::client<uniapi::retrying_transport<uniapi::beast_transport>> retrying(
      {.token = token}, {uniapi::beast_transport{}, policy});
  (void)retrying;
}

using ats_client = uniapi::truto::client<uniapi::any_transport>;
std::size_t count_attachments(ats_client& client, const std::string& account) {
  std::size_t n = 0;
  for (auto& item : client.list_items(
           ats::attachments, {.integrated_account_id = uniapi::truto::account_id(account)}))
    n += item.has_value();
  return n;
}

void erased_clients(const std::string& token, uniapi::testing::fake_transport::handler answer) {
  ats_client live({.token = token}, uniapi::beast_transport{});
  ats_client test({.token = "t"}, uniapi::testing::fake_transport(answer));
  (void)live;
  CHECK(count_attachments(test, "acct") == 2);
}

template <class Client>
void download(Client& client, const std::string& account, const ats::attachment& attachment) {
  std::ofstream out("cv.pdf", std::ios::binary);
  auto info = client.download(ats::attachments_download, {},
                              {.integrated_account_id = uniapi::truto::account_id(account),
                               .params = {.file_url = attachment.file_url.value()}},
                              [&](std::string_view bytes) -> uniapi::result<void> {
                                out.write(bytes.data(), bytes.size());
                                return {};
                              });
  (void)info;
}

template <class Client>
void move_stage(Client& client, const std::string& account) {
  auto app = client.call(ats::applications_move_stage, {.application_id = "123", .stage_id = "456"},
                         {.integrated_account_id = uniapi::truto::account_id(account)},
                         {.idempotency_key = "move-123-456"});  // safe to retry
  (void)app;
}

template <class Client, class Index>
std::size_t stream_all(Client& client, const std::string& account, Index& index) {
  uniapi::stream_progress progress;  // pass it again to resume after an error, without repeats
  auto n = client.for_each_item(
      ats::attachments,
      {.integrated_account_id = uniapi::truto::account_id(account), .truto_ignore_limit = true},
      [&](ats::attachment& a) { index.add(std::move(a)); }, progress);
  return n.value();
}

// "Merge.dev ATS: the second provider"
void merge_per_call(const std::string& key, const std::string& account_token) {
  uniapi::merge::client<uniapi::beast_transport> merge({.api_key = key}, uniapi::beast_transport{});
  uniapi::request_options account;
  account.headers.set("X-Account-Token", account_token);  // never shown in an error
  auto page =
      merge.list_page(uniapi::merge::ats::candidates,
                      {.page_size = 100, .include_remote_data = true}, std::nullopt, account);
  (void)page;
}

// "Writing a provider profile"
template <class Items>
struct acme_data {
  Items items;
  BOOST_DESCRIBE_CLASS(acme_data, (), (items), (), ())
};
struct acme_meta {
  std::optional<std::string> next;
  BOOST_DESCRIBE_CLASS(acme_meta, (), (next), (), ())
};
template <class Items>  // the envelope is a template over the items container
struct acme_page {
  acme_data<Items> data;
  acme_meta meta;
  BOOST_DESCRIBE_CLASS(acme_page, (), (data, meta), (), ())
};

struct acme_profile {
  std::string base_url = "https://api.acme.example";
  std::string key;  // secret

  // Pages: page<T> is envelope<std::vector<T>>; for_each_item decodes
  // envelope<json::item_stream<T>>, so streaming needs no declaration of its own.
  template <class Items>
  using envelope = acme_page<Items>;
  template <class E>
  static auto& items(E& page) noexcept {
    return page.data.items;
  }
  template <class E>
  static std::optional<std::string> next_cursor(const E& page) {
    return page.meta.next;
  }
  static void add_cursor(uniapi::query_string& qs, std::string_view c) { qs.add("page_token", c); }

  // Writes answer with the bare record; deletes with nothing to read; custom methods bare.
  template <class T>
  using write_response = T;
  template <class T>
  static uniapi::result<T> unwrap_write(T&& record) {
    return std::move(record);
  }
  using delete_response = uniapi::json::raw_json;
  static std::optional<std::string> deleted_id(const delete_response&) { return std::nullopt; }
  template <class T>
  static uniapi::result<T> unwrap_custom(std::string_view body) {
    return uniapi::json::decode<T>(body);
  }

  void authorize(uniapi::http_request& req) const { req.headers.set("X-Acme-Key", key); }
  std::string redact(std::string text) const { return uniapi::redact_secret(std::move(text), key); }
  uniapi::error to_error(const uniapi::http_response& r, std::string_view what) const {
    uniapi::error e;
    e.code = make_error_code(uniapi::errc::api_error);
    e.http_status = r.status;
    e.body = redact(r.body);
    e.message = redact(std::string(what) + ": HTTP " + std::to_string(r.status));
    return e;
  }
};

// "Adding a resource"
struct widget {
  std::string id;
  std::optional<std::string> name;
  std::optional<uniapi::json::raw_json> remote_data;  // kept as received
  BOOST_DESCRIBE_CLASS(widget, (), (id, name, remote_data), (), ())
};
struct widget_list_query {
  std::optional<std::int64_t> page_size;
  std::optional<std::string> owner_id;
  BOOST_DESCRIBE_CLASS(widget_list_query, (), (page_size, owner_id), (), ())
};
struct widget_get_query {
  BOOST_DESCRIBE_CLASS(widget_get_query, (), (), (), ())
};
struct widgets_resource {
  static constexpr std::string_view name = "widgets";
  static constexpr std::string_view path = "/v2/widgets";
  using model = widget;
  using list_query = widget_list_query;  // declares list (GET path)
  using get_query = widget_get_query;    // declares get (GET path/{id})
};
inline constexpr widgets_resource widgets{};

std::size_t count_widgets(const std::string& key) {
  uniapi::basic_client<acme_profile, uniapi::beast_transport> acme({.key = key},
                                                                   uniapi::beast_transport{});
  std::size_t n = 0;
  auto r = acme.for_each_item(widgets, {.page_size = 100}, [&](widget&) { ++n; });
  return r ? n : 0;
}

struct gh_candidate {
  std::int64_t id;
  std::string first_name;
};
BOOST_DESCRIBE_STRUCT(gh_candidate, (), (id, first_name))

// "Truto beyond the unified models": the Proxy API snippet.
template <class Client>
std::string proxy_snippet(Client& client, const uniapi::truto::account_id& acct) {
  std::ostringstream out;
  auto candidates = uniapi::truto::proxy_resource("candidates");  // Greenhouse's own candidates
  for (auto& c : client.list_items(candidates, {.integrated_account_id = acct, .limit = 100}))
    if (c) out << c->at("first_name") << '\n';
  auto one = client.get(uniapi::truto::proxy_resource<gh_candidate>("candidates"), "41000",
                        {.integrated_account_id = acct});
  if (one) out << one->id << '\n';
  return out.str();
}

}  // namespace readme

TEST_CASE("README snippets compile and the download one runs") {
  (void)&readme::print_attachments;
  (void)&readme::construct_clients;
  uniapi::testing::truto_server server;
  uniapi::truto::client<uniapi::beast_transport> c(
      {.base_url = server.base_url(), .token = server.token()}, uniapi::beast_transport{});
  auto first = c.list_page(ats::attachments,
                           {.integrated_account_id = uniapi::truto::account_id("a")}, std::nullopt);
  REQUIRE(first);
  auto dir =
      std::filesystem::temp_directory_path() / ("uniapi-readme-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  readme::download(c, "a", first->result.at(0));
  readme::move_stage(c, "a");
  struct {
    std::vector<ats::attachment> all;
    void add(ats::attachment&& a) { all.push_back(std::move(a)); }
  } index;
  CHECK(readme::stream_all(c, "a", index) == 57);
  CHECK(index.all.size() == 57);
  CHECK(index.all.back().id == "att_00056");
  std::filesystem::current_path(cwd);
  CHECK(std::filesystem::file_size(dir / "cv.pdf") == uniapi::testing::attachment_file_size(0));
  std::filesystem::remove_all(dir);
  readme::erased_clients("token", [](const uniapi::http_request&) {
    return uniapi::testing::fake_transport::json(200, R"({"result":[{"id":"1"},{"id":"2"}]})");
  });
}

TEST_CASE("README: the profile and resource of the provider guide work against a server") {
  // The Acme API served on the generic loopback server: nested pages, a `page_token` cursor.
  const std::string key = "acme-readme-key";
  std::size_t total = 23;
  uniapi::testing::loopback_server acme(
      {}, [&](const uniapi::testing::loopback_server::request& req, auto) {
        uniapi::testing::loopback_reply r;
        if (req.header("X-Acme-Key") != key) {
          r.status = 401;
          return r;
        }
        auto t = uniapi::testing::loopback_server::parse_target(req.target);
        auto q = t->second;
        std::size_t size =
            std::stoul(uniapi::testing::loopback_server::param(q, "page_size").value_or("10"));
        std::size_t from =
            std::stoul(uniapi::testing::loopback_server::param(q, "page_token").value_or("0"));
        std::size_t to = std::min(total, from + size);
        r.body = "{\"meta\":{\"next\":" +
                 (to < total ? "\"" + std::to_string(to) + "\"" : std::string("null")) +
                 "},\"data\":{\"items\":[";
        for (std::size_t i = from; i < to; ++i)
          r.body += (i > from ? "," : "") +
                    uniapi::testing::to_json(
                        uniapi::testing::generate_record<readme::widget>("widgets", i));
        r.body += "]}}";
        return r;
      });
  static_assert(uniapi::provider_profile<readme::acme_profile>);
  uniapi::basic_client<readme::acme_profile, uniapi::beast_transport> c(
      {.base_url = acme.origin(), .key = key}, uniapi::beast_transport{});
  std::vector<std::string> ids;
  auto n = c.for_each_item(readme::widgets, {.page_size = 5},
                           [&](readme::widget& w) { ids.push_back(w.id); });
  REQUIRE(n);
  CHECK(*n == 23);
  CHECK(ids.front() == "widgets_0");
  CHECK(ids.back() == "widgets_22");
  std::size_t items = 0;
  for (auto& w : c.list_items(readme::widgets, {.page_size = 4})) {
    REQUIRE(w);
    ++items;
  }
  CHECK(items == 23);
  (void)&readme::count_widgets;  // compiled; it would call api.acme.example
  (void)&readme::merge_per_call;
}

TEST_CASE("README: the Proxy API snippet lists and gets provider records") {
  uniapi::testing::truto_server server({.records_per_resource = 3});
  uniapi::truto::client<uniapi::beast_transport> client(
      {.base_url = server.base_url(), .token = server.token()}, uniapi::beast_transport{});
  CHECK(readme::proxy_snippet(client, uniapi::truto::account_id("acct")) ==
        "\"José\"\n\"Ada\"\n\"Ada\"\n41000\n");
}
