// Every ATS resource and method, and CRM contacts, through the typed API over loopback HTTP.
// Driven from the descriptors: adding a resource to all_resources adds it to these tests.
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/batch.hpp>
#include <uniapi/truto/crm.hpp>
#include <uniapi/truto/custom_api.hpp>
#include <uniapi/truto/meta.hpp>
#include <uniapi/truto/proxy.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include "support.hpp"

#include <boost/json/parse.hpp>

namespace proxy_test {
struct email {
  std::string value;
  std::optional<std::string> type;
};
BOOST_DESCRIBE_STRUCT(email, (), (value, type))
// The fields of a Greenhouse candidate a caller needs; the provider's others are ignored.
struct gh_candidate {
  std::int64_t id = 0;
  std::string first_name;
  std::optional<std::string> company;
  std::vector<email> email_addresses;
};
BOOST_DESCRIBE_STRUCT(gh_candidate, (), (id, first_name, company, email_addresses))
}  // namespace proxy_test

namespace ats = uniapi::truto::ats;
namespace crm = uniapi::truto::crm;
using uniapi::testing::truto_server;
using uniapi::truto::account_id;

namespace {
using client_t = uniapi::truto::client<uniapi::beast_transport>;

// Every descriptor satisfies its concept (checked here rather than in the generated headers,
// where every file that includes the models would pay for the checks).
template <class... R>
constexpr bool all_are_resources(std::tuple<R...>) {
  return (uniapi::resource<R> && ...);
}
template <class... M>
constexpr bool all_are_custom_methods(std::tuple<M...>) {
  return (uniapi::custom_method<M> && ...);
}
static_assert(all_are_resources(std::tuple_cat(ats::all_resources{}, crm::all_resources{})));
static_assert(all_are_custom_methods(ats::all_custom_methods{}));
static_assert(std::tuple_size_v<ats::all_resources> == 17);

client_t truto_client_for(const truto_server& s) {
  return client_t({.base_url = s.base_url(), .token = s.token()}, uniapi::beast_transport{});
}

// Semantic equality of a re-encoded record with the server's: every member we encoded has the
// server's value (objects recursively; unknown server keys are ignored), and every modelled
// member we left out was absent or null on the server. remote_data-like values compare as JSON.
bool same_record(const boost::json::value& got, const boost::json::value& sent, std::string path,
                 std::string& why) {
  if (got.is_object() && sent.is_object()) {
    for (const auto& kv : got.as_object()) {
      auto* other = sent.as_object().if_contains(kv.key());
      if (!other) {
        why = path + "." + std::string(kv.key()) + " not sent";
        return false;
      }
      if (!same_record(kv.value(), *other, path + "." + std::string(kv.key()), why)) return false;
    }
    return true;
  }
  if (got.is_array() && sent.is_array()) {
    if (got.as_array().size() != sent.as_array().size()) {
      why = path + ": array sizes differ";
      return false;
    }
    for (std::size_t i = 0; i < got.as_array().size(); ++i)
      if (!same_record(got.as_array()[i], sent.as_array()[i], path + "[" + std::to_string(i) + "]",
                       why))
        return false;
    return true;
  }
  if (got.is_number() && sent.is_number()) {
    boost::system::error_code ec1, ec2;
    if (got.to_number<double>(ec1) == sent.to_number<double>(ec2)) return true;
  }
  if (got == sent) return true;
  why = path + ": " + boost::json::serialize(got) + " != " + boost::json::serialize(sent);
  return false;
}

template <class Model>
void check_record(const Model& m, const uniapi::testing::json_record& sent_record) {
  auto got = boost::json::parse(uniapi::json::encode(m));
  auto sent = boost::json::parse(uniapi::testing::to_json(sent_record));
  std::string why;
  INFO(uniapi::testing::to_json(sent_record));
  CHECK(same_record(got, sent, "", why));
  if (!why.empty()) FAIL_CHECK(why);
  // Members the model has but the encoding omits were absent or null on the server.
  boost::mp11::mp_for_each<boost::describe::describe_members<Model, boost::describe::mod_public>>(
      [&](auto d) {
        auto key = uniapi::wire_name<Model>(d.name);
        if (!got.as_object().contains(key) && sent.as_object().contains(key))
          CHECK(sent.as_object().at(key).is_null());
      });
  // remote_data survives byte for byte in its numbers.
  for (const auto& [k, v] : sent_record)
    if (k == "remote_data" && v != "null" && v.find("123456789012345678901234567890") != v.npos)
      CHECK_THAT(uniapi::json::encode(m), Catch::Contains("123456789012345678901234567890"));
}

template <class R>
std::size_t expected_count(const truto_server& s, R) {
  return R::name == std::string_view("attachments") ? 57 : 23;
  (void)s;
}

template <class R>
void list_and_compare(client_t& c, const truto_server& server, R r) {
  if constexpr (uniapi::listable<R>) {
    SECTION(std::string("list ") + std::string(R::path)) {
      std::size_t i = 0;
      for (auto& item :
           c.list_items(r, {.integrated_account_id = account_id("acct"), .limit = 7})) {
        REQUIRE(item);
        check_record(*item, server.record(R::name, i));
        ++i;
      }
      CHECK(i == expected_count(server, r));
    }
  }
}

template <class R>
void get_and_compare(client_t& c, const truto_server& server, R r) {
  if constexpr (uniapi::gettable<R>) {
    SECTION(std::string("get ") + std::string(R::path)) {
      std::string id = std::string(R::name) + "_3";
      auto rec = c.get(r, id, {.integrated_account_id = account_id("acct")});
      REQUIRE(rec);
      check_record(*rec, server.record(R::name, 3));
      // Ids are one path segment: nothing in them can reach another route.
      for (const std::string& bad :
           std::vector<std::string>{"nope", "../" + id, id + "/x", "..", "a?b#c", "%2e%2e"}) {
        auto miss = c.get(r, bad, {.integrated_account_id = account_id("acct")});
        REQUIRE_FALSE(miss);
        CHECK(miss.error().http_status == 404);
      }
    }
  }
}

template <class R>
void create_and_check(client_t& c, R r) {
  if constexpr (uniapi::creatable<R>) {
    SECTION(std::string("create ") + std::string(R::path)) {
      typename R::create_body body{};
      if constexpr (uniapi::is_multipart_body<typename R::create_body>())
        body.file = uniapi::file_part{.filename = "cv.pdf", .data = "%PDF"};
      auto rec = c.create(r, body, {.integrated_account_id = account_id("acct")});
      REQUIRE(rec);
      CHECK_FALSE(rec->id.empty());
    }
  }
}
}  // namespace

TEST_CASE("every resource and method over loopback, compared with the server's records") {
  truto_server server;
  auto c = truto_client_for(server);
  std::apply([&](auto... r) { (list_and_compare(c, server, r), ...); },
             std::tuple_cat(ats::all_resources{}, crm::all_resources{}));
  std::apply([&](auto... r) { (get_and_compare(c, server, r), ...); },
             std::tuple_cat(ats::all_resources{}, crm::all_resources{}));
  std::apply([&](auto... r) { (create_and_check(c, r), ...); },
             std::tuple_cat(ats::all_resources{}, crm::all_resources{}));
}

TEST_CASE("the spec's 17 resources and 33 methods are all declared") {
  std::size_t resources = 0, lists = 0, gets = 0, creates = 0;
  std::apply(
      [&](auto... r) {
        ((++resources, lists += uniapi::listable<decltype(r)>,
          gets += uniapi::gettable<decltype(r)>, creates += uniapi::creatable<decltype(r)>),
         ...);
      },
      ats::all_resources{});
  CHECK(resources == 17);
  CHECK(lists == 17);
  CHECK(gets == 10);
  CHECK(creates == 3);
  CHECK(std::tuple_size_v<ats::all_custom_methods> == 3);
}

TEST_CASE("custom methods: move-stage and reject, bare and wrapped in {result}") {
  for (bool wrap : {false, true}) {
    truto_server server({.wrap_custom_responses = wrap});
    auto c = truto_client_for(server);
    auto moved = c.call(ats::applications_move_stage,
                        {.application_id = "applications_2", .stage_id = "stage_9"},
                        {.integrated_account_id = account_id("acct")});
    REQUIRE(moved);
    CHECK(moved->id == "applications_2");
    REQUIRE(moved->current_stage);
    CHECK(moved->current_stage->id == "stage_9");
    auto rejected =
        c.call(ats::applications_reject, {.application_id = "applications_4", .reason_id = "rr_1"},
               {.integrated_account_id = account_id("acct")}, {.idempotency_key = "reject-4"});
    REQUIRE(rejected);
    CHECK(rejected->reject_reason == "rr_1");
    REQUIRE(rejected->rejected_at);
    CHECK(rejected->rejected_at->text() == "2024-06-01T00:00:00Z");
    auto missing = c.call(ats::applications_reject, {.application_id = "applications_4"},
                          {.integrated_account_id = account_id("acct")});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().http_status == 400);
    auto details = uniapi::truto::parse_error_body(missing.error());
    REQUIRE(details);
    CHECK_THAT(details->truto_error_insight->text(), Catch::Contains("reason_id"));
  }
}

TEST_CASE("CRM contacts: the verbs ATS lacks, on the same core") {
  truto_server server;
  auto c = truto_client_for(server);
  auto updated = c.update(crm::contacts, "contacts_5", {.title = "CTO"},
                          {.integrated_account_id = account_id("acct")});
  REQUIRE(updated);
  CHECK(updated->id == "contacts_5");
  CHECK(updated->title == "CTO");
  auto removed =
      c.remove(crm::contacts, "contacts_5", {.integrated_account_id = account_id("acct")});
  REQUIRE(removed);
  CHECK(*removed == "contacts_5");
  auto gone =
      c.remove(crm::contacts, "contacts_999", {.integrated_account_id = account_id("acct")});
  REQUIRE_FALSE(gone);
  CHECK(gone.error().http_status == 404);
  auto merged = c.call(crm::contacts_merge, {.id = "contacts_1"},
                       {.integrated_account_id = account_id("acct")});
  REQUIRE(merged);
  CHECK(merged->id == "contacts_1");
}

TEST_CASE("query encoding of every filter shape") {
  uniapi::query_string q;
  ats::activity_list_params p{
      .candidate_id = "c 1",
      .actor = ats::activity_actor{.id = "u1", .type = ats::actor_kind::user},
      .created_at =
          uniapi::truto::date_filter{
              .eq = "2024-01-01", .gte = "2024-01-01T00:00:00Z", .lt = "2024-02-01T00:00:00+01:00"},
      .activity_type = uniapi::open_enum<ats::activity_kind>::from_string("sms"),
      .candidate = ats::record_ref{.id = "c2"}};
  uniapi::append_query(q, p);
  CHECK(q.str() ==
        "candidate_id=c%201&actor[id]=u1&actor[type]=user&created_at=2024-01-01"
        "&created_at[gte]=2024-01-01T00%3A00%3A00Z&created_at[lt]=2024-02-01T00%3A00%3A00%2B01%3A00"
        "&activity_type=sms&candidate[id]=c2");
  uniapi::query_string a;
  uniapi::append_query(a, ats::application_list_params{.jobs = ats::record_ref{.id = "j1"}});
  CHECK(a.str() == "jobs[id]=j1");
  uniapi::query_string u;
  uniapi::append_query(u, ats::user_list_params{.access_role = ats::user_access_role::no_access,
                                                .emails = std::vector<std::string>{"a@x", "b@y"}});
  CHECK(u.str() == "access_role=no_access&emails[]=a%40x&emails[]=b%40y");
}

TEST_CASE("response formats: raw and normalized as JSON values, truto_key_by as a map, stream") {
  truto_server server;
  auto c = truto_client_for(server);
  auto remote_of = [&](std::size_t i) {
    for (const auto& [k, v] : server.record("tags", i))
      if (k == "remote_data") return boost::json::parse(v);
    return boost::json::value();
  };
  {
    ats::tags_resource::list_query q{.integrated_account_id = account_id("a"), .limit = 5};
    q.truto_response_format = uniapi::truto::response_format::raw;
    std::size_t i = 0;
    for (auto& item : c.list_items_as<boost::json::value>(ats::tags, q)) {
      REQUIRE(item);
      CHECK(*item == remote_of(i));
      ++i;
    }
    CHECK(i == 23);
  }
  {
    ats::tags_resource::list_query q{.integrated_account_id = account_id("a"), .limit = 10};
    q.truto_response_format = uniapi::truto::response_format::normalized;
    std::size_t i = 0;
    for (auto& item : c.list_items_as<boost::json::value>(ats::tags, q)) {
      REQUIRE(item);
      CHECK(item->as_object().at("id") == ("tags_" + std::to_string(i++)).c_str());
    }
    CHECK(i == 23);
  }
  {
    ats::tags_resource::list_query q{
        .integrated_account_id = account_id("a"), .limit = 10, .truto_key_by = "id"};
    std::size_t n = 0;
    for (auto& page : c.list_pages_as<uniapi::truto::keyed_page<ats::tag>>(ats::tags, q)) {
      REQUIRE(page);
      for (const auto& [key, tag] : page->result) {
        CHECK(key == tag.id);
        check_record(tag, server.record("tags", std::stoul(key.substr(5))));
        ++n;
      }
    }
    CHECK(n == 23);
  }
  {
    ats::tags_resource::list_query q{.integrated_account_id = account_id("a"), .limit = 30};
    q.truto_response_format = uniapi::truto::response_format::stream;
    std::string bytes;
    std::size_t chunks = 0;
    auto info = c.list_page_bytes(ats::tags, q, std::nullopt,
                                  [&](std::string_view b) -> uniapi::result<void> {
                                    bytes += b;
                                    ++chunks;
                                    return {};
                                  });
    REQUIRE(info);
    CHECK(info->bytes == bytes.size());
    auto page = uniapi::json::decode<uniapi::truto::page<ats::tag>>(bytes);
    REQUIRE(page);
    CHECK(page->result.size() == 23);
  }
}

TEST_CASE("Proxy API: provider resources named at run time, as JSON or as a caller's struct") {
  truto_server server({.records_per_resource = 23});
  auto c = truto_client_for(server);
  auto candidates = uniapi::truto::proxy_resource("candidates");
  static_assert(uniapi::listable<decltype(candidates)> && uniapi::deletable<decltype(candidates)>);
  CHECK(candidates.path == "/proxy/candidates");
  CHECK(uniapi::truto::proxy_resource("a b/c").path == "/proxy/a%20b%2Fc");
  CHECK(uniapi::truto::proxy_resource("..").path == "/proxy/%2E%2E");

  // Lists: pages of 4 through the same cursor range as unified resources.
  std::vector<boost::json::value> seen;
  for (auto& item : c.list_items(candidates, {.integrated_account_id = account_id("acct"),
                                             .limit = 4,
                                             .extra_params = {{"created_after", "2024-01-01"}}})) {
    REQUIRE(item);
    seen.push_back(*item);
  }
  REQUIRE(seen.size() == 23);
  for (std::size_t i = 0; i < seen.size(); ++i)
    CHECK(seen[i] ==
          boost::json::parse(uniapi::testing::to_json(server.record("proxy/candidates", i))));
  CHECK_THAT(server.last_target(), Catch::Contains("created_after=2024-01-01"));

  // Streamed, into the caller's struct.
  auto typed = uniapi::truto::proxy_resource<proxy_test::gh_candidate>("candidates");
  std::vector<proxy_test::gh_candidate> got;
  auto n = c.for_each_item(typed, {.integrated_account_id = account_id("acct"), .limit = 10},
                           [&](proxy_test::gh_candidate& x) { got.push_back(std::move(x)); });
  REQUIRE(n);
  CHECK(*n == 23);
  REQUIRE(got.size() == 23);
  CHECK(got[3].id == 41003);
  CHECK(got[3].first_name == "José");
  CHECK_FALSE(got[4].company.has_value());
  CHECK(got[5].email_addresses.at(0).value == "ada5@example.com");

  // Get, create, update, delete.
  auto job = c.get(uniapi::truto::proxy_resource("jobs"), "52002",
                   {.integrated_account_id = account_id("acct")});
  REQUIRE(job);
  CHECK(job->at("name") == "Platform Engineer 2");
  auto missing = c.get(uniapi::truto::proxy_resource("jobs"), "99",
                       {.integrated_account_id = account_id("acct")});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().http_status == 404);
  auto created = c.create(candidates, boost::json::object{{"first_name", "Grace"}},
                          {.integrated_account_id = account_id("acct")});
  REQUIRE(created);
  CHECK(created->at("first_name") == "Grace");
  auto updated = c.update(typed, "41007", boost::json::object{{"company", "Navy"}},
                          {.integrated_account_id = account_id("acct")});
  REQUIRE(updated);
  CHECK(updated->id == 41007);
  CHECK(updated->company == "Navy");
  auto removed = c.remove(candidates, "41007", {.integrated_account_id = account_id("acct")});
  REQUIRE(removed);
  CHECK(*removed == "41007");

  // A custom method of the proxy resource.
  CHECK(uniapi::truto::proxy_method_path(candidates, "merge") == "/proxy/candidates/merge");
  std::string reply;
  auto called =
      c.send_raw(uniapi::http_method::post, uniapi::truto::proxy_method_path(candidates, "merge"),
                 uniapi::truto::request_query<>{.integrated_account_id = account_id("a")},
                 R"({"ids":[41001,41002]})", "application/json",
                 [&](std::string_view b) -> uniapi::result<void> {
                   reply.append(b);
                   return {};
                 });
  REQUIRE(called);
  auto echoed = boost::json::parse(reply);
  CHECK(echoed.at("resource") == "candidates");
  CHECK(echoed.at("method") == "merge");
  CHECK(echoed.at("body").at("ids").as_array().size() == 2);
}

TEST_CASE("Custom API: any verb, raw body in, streamed body out, result unwrapped") {
  truto_server server;
  auto c = truto_client_for(server);
  CHECK(uniapi::truto::custom_path("/v1/reports/monthly") == "/custom/v1/reports/monthly");
  CHECK(uniapi::truto::custom_path("v1//a b/../x") == "/custom/v1/a%20b/%2E%2E/x");
  uniapi::truto::request_query<> q{.integrated_account_id = account_id("acct"),
                                   .extra_params = {{"region", "eu"}}};
  std::string out;
  std::size_t pieces = 0;
  auto sink = [&](std::string_view b) -> uniapi::result<void> {
    out.append(b);
    ++pieces;
    return {};
  };
  auto info = c.send_raw(uniapi::http_method::patch, uniapi::truto::custom_path("/v1/things/7"), q,
                         R"({"name":"x"})", "application/json", sink, {.idempotency_key = "key-1"});
  REQUIRE(info);
  CHECK_THAT(info->content_type, Catch::Contains("application/json"));
  CHECK(info->bytes == out.size());
  CHECK(server.last_idempotency_key() == "key-1");
  auto v = uniapi::truto::custom_result(out);
  REQUIRE(v);
  CHECK(v->at("method") == "PATCH");
  CHECK(v->at("path") == "/v1/things/7");
  CHECK(v->at("query").at("region") == "eu");
  CHECK(v->at("body").at("name") == "x");
  // Not wrapped: kept whole. Not JSON: an error (the bytes are the caller's).
  CHECK(*uniapi::truto::custom_result("[1,2]") == boost::json::parse("[1,2]"));
  CHECK_FALSE(uniapi::truto::custom_result("%PDF-1.7"));

  // A binary reply arrives through the sink as sent.
  out.clear();
  info = c.send_raw(uniapi::http_method::get, uniapi::truto::custom_path("/files/big.bin"), q, "",
                    "", sink);
  REQUIRE(info);
  CHECK(info->content_type == "application/octet-stream");
  std::string expected(4096 + std::string("/files/big.bin").size(), '\0');
  uniapi::testing::file_bytes(uniapi::testing::file_seed("/files/big.bin"), 0, expected.data(),
                              expected.size());
  CHECK(out == expected);

  // Errors are errors, not bytes.
  out.clear();
  auto denied = uniapi::truto::client<uniapi::beast_transport>(
                    {.base_url = server.base_url(), .token = "wrong"}, uniapi::beast_transport{})
                    .send_raw(uniapi::http_method::get, "/custom/x", q, "", "", sink);
  REQUIRE_FALSE(denied);
  CHECK(denied.error().http_status == 401);
  CHECK(out.empty());
}

TEST_CASE("unified meta: a method's schemas for an account, decoded") {
  truto_server server;
  auto c = truto_client_for(server);
  CHECK(uniapi::truto::meta_path("ats", "attachments", "move stage") ==
        "/unified/ats/attachments/meta/move%20stage");
  uniapi::truto::request_query<> q{.integrated_account_id = account_id("acct")};
  auto m = c.fetch_json<uniapi::truto::method_meta>(
      uniapi::http_method::get, uniapi::truto::meta_path("ats", "candidates", "create"), q);
  REQUIRE(m);
  CHECK(m->method == "create");
  REQUIRE(m->schema);
  CHECK(m->schema->at("properties").as_object().contains("first_name"));
  REQUIRE(m->request_body_schema);
  CHECK(m->request_body_schema->is_object());
  CHECK(m->documentation_link.has_value());
  auto missing = c.fetch_json<uniapi::truto::method_meta>(
      uniapi::http_method::get, uniapi::truto::meta_path("ats", "attachments", "update"), q);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().http_status == 404);
  auto no_account = c.fetch_json<uniapi::truto::method_meta>(
      uniapi::http_method::get, uniapi::truto::meta_path("ats", "attachments", "list"),
      uniapi::truto::request_query<>{.integrated_account_id = account_id("")});
  REQUIRE_FALSE(no_account);  // refused before any I/O
}

TEST_CASE("batch requests: a typed builder, one POST, typed records per node") {
  truto_server server({.records_per_resource = 7});
  auto c = truto_client_for(server);
  auto batch = uniapi::truto::batch_builder(account_id("acct"))
                   .arg("who", "candidates_3")
                   .list(ats::jobs, "all_jobs")
                   .get(ats::candidates, "one", "{{args.who}}")
                   .list(uniapi::truto::proxy_resource("candidates"), "gh", {}, true)
                   .list(uniapi::truto::proxy_resource("jobs"), "gh_jobs")  // not persisted
                   .add({.resource = "ats/nothing", .method = "list", .name = "bad"})
                   .request();
  CHECK(batch.resources.at(0).resource == "ats/jobs");
  CHECK(batch.resources.at(2).resource == "candidates");
  auto answer = uniapi::truto::send_batch(c, batch, {.idempotency_key = "batch-1"});
  REQUIRE(answer);
  CHECK(server.last_target() == "/batch-request");
  CHECK(server.last_idempotency_key() == "batch-1");

  auto jobs = answer->records<ats::job>("all_jobs");
  REQUIRE(jobs);
  REQUIRE(jobs->size() == 7);
  CHECK((*jobs)[4].id == "jobs_4");
  auto one = answer->records<ats::candidate>("one");
  REQUIRE(one);
  REQUIRE(one->size() == 1);
  CHECK(one->front().id == "candidates_3");
  auto gh = answer->records<boost::json::value>("gh");
  REQUIRE(gh);
  CHECK(gh->size() == 7);
  CHECK(gh->at(2).at("id") == 41002);
  CHECK_FALSE(answer->records<boost::json::value>("gh_jobs"));  // proxy, not persisted
  CHECK(answer->failed("bad"));
  CHECK_FALSE(answer->failed("all_jobs"));
  // A record that does not fit the type names the node and the path.
  auto wrong = answer->records<ats::job>("gh");
  REQUIRE_FALSE(wrong);
  CHECK_THAT(wrong.error().message, Catch::Contains("batch node \"gh\""));

  CHECK_FALSE(uniapi::truto::send_batch(c, uniapi::truto::batch_request{}));  // no account
}
