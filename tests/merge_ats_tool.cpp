// The merge-ats tool end to end: a real process against the Merge emulation over loopback.
#include <uniapi/merge/ats.hpp>
#include <uniapi/merge/testing/merge_server.hpp>
#include <uniapi/testing/test_certificates.hpp>

#include "support.hpp"
#include "tool_runner.hpp"

#include <boost/json/parse.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

using uniapi::testing::fault;
using uniapi::testing::merge_server;

namespace {
// Runs merge-ats (see `run_tool`).
run_result tool(const std::vector<std::string>& args, const std::string& env = "",
                const std::string& wrapper = "", const std::string& out_file = "") {
  return run_tool(MERGE_ATS_PATH, args, env, wrapper, out_file);
}

std::vector<std::string> base(const merge_server& s) {
  return {"--base-url", s.base_url(),      "--api-key",
          s.api_key(),  "--account-token", s.account_token()};
}

// Every secret of `s` is absent from both outputs of `r`.
void check_no_secret(const merge_server& s, const run_result& r) {
  for (const auto& secret : {s.api_key(), s.account_token()}) {
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
}

std::string id_of(const uniapi::testing::json_record& rec) {
  for (const auto& [k, v] : rec)
    if (k == "id") return std::string(boost::json::parse(v).as_string());
  return {};
}
}  // namespace

TEST_CASE("merge-ats list: every record once, in order, every modelled field as sent") {
  merge_server server({.records_per_resource = 57});
  for (std::string resource : {"candidates", "applications", "attachments", "jobs"}) {
    CAPTURE(resource);
    auto r = tool(base(server) + std::vector<std::string>{"list", resource, "--page-size", "10",
                                                          "--query", "include_remote_data=true"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto lines = r.lines();
    REQUIRE(lines.size() == 57);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto got = boost::json::parse(lines[i]).as_object();
      auto sent =
          boost::json::parse(uniapi::testing::to_json(server.record(resource, i))).as_object();
      std::string path;  // enums, remote_data, big integers: exact
      bool same = uniapi_test::modelled_subset(got, sent, path);
      INFO(path);
      REQUIRE(same);
      for (const auto& kv : sent)
        if (!kv.value().is_null() && kv.key() != "x_provider_field")
          REQUIRE(got.contains(kv.key()));
    }
    CHECK_THAT(server.last_target(), Catch::Contains("page_size=10") &&
                                         Catch::Contains("cursor=") &&
                                         Catch::Contains("include_remote_data=true"));
    check_no_secret(server, r);
  }
}

TEST_CASE("merge-ats list: --max-items, --query filters, remote_data off by default") {
  merge_server server;
  auto r = tool(base(server) + std::vector<std::string>{"list", "candidates", "--max-items", "4"});
  CHECK(r.code == 0);
  auto lines = r.lines();
  REQUIRE(lines.size() == 4);
  for (const auto& l : lines)
    CHECK(l.find("\"remote_data\"") == std::string::npos);
  // created_after is strict and compares instants: 05:04:05+02:00 is 03:04:05Z, so a record
  // created at exactly 03:04:05Z is left out, one at 03:04:05.123Z is in.
  auto after = tool(base(server) +
                    std::vector<std::string>{"list", "attachments", "--page-size", "100", "--query",
                                             "created_after=2024-01-02T05:04:05+02:00", "--query",
                                             "unknown_param=x y"});
  CHECK(after.code == 0);
  CHECK_THAT(server.last_target(),
             Catch::Contains("created_after=2024-01-02T05%3A04%3A05%2B02%3A00") &&
                 Catch::Contains("unknown_param=x%20y"));
  std::size_t expected = 0;
  for (std::size_t i = 0; i < 45; ++i) {
    auto rec = boost::json::parse(uniapi::testing::to_json(server.record("attachments", i)));
    auto* c = rec.as_object().if_contains("created_at");
    if (!c || !c->is_string()) continue;
    auto t = uniapi::timestamp::parse(std::string(c->as_string()));
    auto bound = uniapi::timestamp::parse("2024-01-02T03:04:05Z");
    if (t->time() > bound->time()) ++expected;
  }
  CHECK(expected > 0);
  CHECK(expected < 45);
  CHECK(after.lines().size() == expected);
  for (const auto& l : after.lines()) {
    auto record = boost::json::parse(l);
    auto* created = record.as_object().if_contains("created_at");
    REQUIRE(created);
    CHECK(std::string(created->as_string()) != "2024-01-02T03:04:05Z");
  }
}

TEST_CASE("merge-ats get and resources") {
  merge_server server;
  auto id = id_of(server.record("jobs", 7));
  auto r = tool(base(server) +
                std::vector<std::string>{"get", "jobs", id, "--query", "include_remote_data=true"});
  CHECK(r.code == 0);
  REQUIRE(r.lines().size() == 1);
  CHECK_THAT(r.out, Catch::StartsWith("{\"id\":\"" + id + "\""));
  auto res = tool({"resources"});
  CHECK(res.code == 0);
  REQUIRE(res.lines().size() == 4);
  CHECK(res.lines()[0] ==
        R"({"resource":"applications","path":"/api/ats/v1/applications","methods":"list,get"})");
}

TEST_CASE("merge-ats reads the key and token from the environment (flags win), else embedded") {
  merge_server server;
  std::string env =
      "MERGE_API_KEY=" + server.api_key() + " MERGE_ACCOUNT_TOKEN=" + server.account_token();
  auto r = tool({"--base-url", server.base_url(), "list", "jobs", "--max-items", "2"}, env);
  CHECK(r.code == 0);
  CHECK(r.lines().size() == 2);
  CHECK(server.last_header("X-Account-Token") == server.account_token());
  auto flag_wins = tool(
      {"--base-url", server.base_url(), "--account-token", "flag-token-xyz", "list", "jobs"}, env);
  CHECK(flag_wins.code == 1);
  CHECK(server.last_header("X-Account-Token") == "flag-token-xyz");
  CHECK(flag_wins.err.find("flag-token-xyz") == std::string::npos);
  auto embedded = tool({"list", "candidates", "--max-items", "3"});
  CHECK(embedded.code == 0);
  CHECK(embedded.lines().size() == 3);
  CHECK_THAT(embedded.err, Catch::Contains("embedded local server"));
}

TEST_CASE("merge-ats exit code 2: usage errors send no request") {
  merge_server server;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"list"},
                                             {"list", "offers"},
                                             {"list", "jobs", "--page-size", "0"},
                                             {"list", "jobs", "--page-size", "ten"},
                                             {"list", "jobs", "--query", "novalue"},
                                             {"list", "jobs", "--query", "a[b=c"},
                                             {"get", "jobs"},
                                             {"frobnicate"},
                                             {"list", "jobs", "--bogus", "1"}}) {
    CAPTURE(args);
    auto r = tool(base(server) + args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
  }
  auto no_token =
      tool({"--base-url", server.base_url(), "--api-key", server.api_key(), "list", "jobs"});
  CHECK(no_token.code == 2);
  CHECK(server.requests_served() == 0);
}

TEST_CASE("merge-ats exit code 1: API errors name the status and Merge's detail, no secret") {
  merge_server server;
  auto missing = tool(base(server) + std::vector<std::string>{"get", "jobs", "nope"});
  CHECK(missing.code == 1);
  CHECK_THAT(missing.err, Catch::Contains("404") && Catch::Contains("Not found."));
  auto bad_key = tool({"--base-url", server.base_url(), "--api-key", "wrong-key-123456",
                       "--account-token", server.account_token(), "list", "jobs"});
  CHECK(bad_key.code == 1);
  CHECK_THAT(bad_key.err, Catch::Contains("401") && Catch::Contains("Invalid token."));
  CHECK(bad_key.err.find("wrong-key-123456") == std::string::npos);
  server.inject(fault::internal_error);
  auto failed = tool(base(server) + std::vector<std::string>{"list", "jobs"});
  CHECK(failed.code == 1);  // 500 is not retried
  CHECK_THAT(failed.err, Catch::Contains("500"));
  CHECK(server.requests_served() == 3);
  check_no_secret(server, failed);
}

TEST_CASE("merge-ats retries 429 and 503 after Retry-After, and dropped connections") {
  merge_server server;
  server.inject(fault::too_many_requests);
  auto start = std::chrono::steady_clock::now();
  auto r = tool(base(server) + std::vector<std::string>{"list", "jobs", "--page-size", "50"});
  CHECK(r.code == 0);
  CHECK(r.lines().size() == 45);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(900));
  CHECK_THAT(r.err, Catch::Contains("retrying"));
  server.inject(fault::reset_body);
  auto reset = tool(base(server) + std::vector<std::string>{"list", "jobs", "--page-size", "50"});
  CHECK(reset.code == 0);
  CHECK(reset.lines().size() == 45);  // none twice
  server.inject(fault::too_many_requests, 5);
  auto exhausted = tool(base(server) + std::vector<std::string>{"--retries", "1", "list", "jobs"});
  CHECK(exhausted.code == 1);
  CHECK_THAT(exhausted.err, Catch::Contains("429"));
}

TEST_CASE("merge-ats exit codes 3 and 4: transport and decode failures") {
  auto refused = tool({"--base-url", "http://127.0.0.1:1", "--api-key", "k3y-abcdef",
                       "--account-token", "t0k-abcdef", "--retries", "0", "list", "jobs"});
  CHECK(refused.code == 3);
  merge_server server;
  server.inject(fault::truncate_body, 3);
  auto truncated = tool(base(server) + std::vector<std::string>{"list", "jobs"});
  CHECK(truncated.code == 3);
  server.inject(fault::slow_body);
  auto slow = tool(base(server) +
                   std::vector<std::string>{"--timeout", "1", "--retries", "0", "list", "jobs"});
  CHECK(slow.code == 3);
  CHECK_THAT(slow.err, Catch::Contains("timed out"));
  server.inject(fault::wrong_type);
  auto wrong = tool(base(server) + std::vector<std::string>{"list", "candidates"});
  CHECK(wrong.code == 4);
  CHECK_THAT(wrong.err, Catch::Contains("results[3].first_name"));
  CHECK(wrong.lines().size() == 3);
  auto pki = uniapi::testing::test_certificates::generate();
  merge_server tls({.tls = true, .certificate = pki.server_cert, .private_key = pki.server_key});
  auto untrusted = tool(base(tls) + std::vector<std::string>{"list", "jobs"});
  CHECK(untrusted.code == 3);
  auto ca = temp_path("ca.pem");
  std::ofstream(ca) << pki.ca_cert;
  auto trusted = tool(base(tls) + std::vector<std::string>{"--ca-file", ca, "list", "jobs"});
  CHECK(trusted.code == 0);
  CHECK(trusted.lines().size() == 45);
  std::filesystem::remove(ca);
}

TEST_CASE("merge-ats never follows a redirect to another origin with credentials") {
  merge_server server;
  std::string seen_auth, seen_account;
  uniapi::testing::loopback_server other(
      {}, [&](const uniapi::testing::loopback_server::request& req, auto) {
        seen_auth = std::string(req.header("Authorization"));
        seen_account = std::string(req.header("X-Account-Token"));
        uniapi::testing::loopback_reply r;
        r.body = R"({"next":null,"previous":null,"results":[]})";
        return r;
      });
  uniapi::testing::loopback_server redirector(
      {}, [&](const uniapi::testing::loopback_server::request& req, auto) {
        uniapi::testing::loopback_reply r;
        r.status = 307;
        r.headers.emplace_back("Location", other.origin() + std::string(req.target));
        return r;
      });
  auto r = tool({"--base-url", redirector.origin(), "--api-key", server.api_key(),
                 "--account-token", server.account_token(), "list", "jobs"});
  CHECK(other.requests_served() == 1);
  CHECK(seen_auth.empty());
  CHECK(seen_account.empty());
  check_no_secret(server, r);
}

TEST_CASE("merge-ats list prints a 200 MB page item by item, in flat memory") {
#ifdef UNIAPI_SANITIZED
  const std::size_t n = 20000;
  const bool check_rss = false;
#else
  const std::size_t n = 150000;
  const bool check_rss = true;
#endif
  merge_server server({.records_per_resource = n, .max_page_size = n});
  auto out = temp_path("big.jsonl");
  auto r = tool(base(server) + std::vector<std::string>{"--timeout", "900", "list", "candidates",
                                                        "--page-size", std::to_string(n), "--query",
                                                        "include_remote_data=true"},
                "", "/usr/bin/time -v", out);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(server.requests_served() == 1);
  CHECK(server.body_bytes_sent() > (check_rss ? 200'000'000u : 20'000'000u));
  std::ifstream in(out);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);)
    ++lines;
  std::filesystem::remove(out);
  CHECK(lines == n);
  auto at = r.err.find("Maximum resident set size (kbytes): ");
  REQUIRE(at != std::string::npos);
  long kb = std::stol(r.err.substr(at + 36));
  WARN("merge-ats peak RSS listing a " << server.body_bytes_sent() << "-byte page: " << kb
                                       << " kB");
  if (check_rss) CHECK(kb < 64 * 1024);
}

TEST_CASE("merge-ats list: JSON Lines whatever whitespace the server sends") {
  using uniapi::testing::json_layout;
  for (auto layout : {json_layout::pretty, json_layout::pretty_crlf, json_layout::tabs}) {
    merge_server server({.records_per_resource = 12, .layout = layout});
    auto r = tool(base(server) + std::vector<std::string>{"list", "candidates", "--page-size", "5",
                                                          "--query", "include_remote_data=true"});
    CHECK(r.code == 0);
    auto lines = r.lines();
    REQUIRE(lines.size() == 12);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto got = boost::json::parse(lines[i]);  // one whole object per line
      auto sent = boost::json::parse(uniapi::testing::to_json(server.record("candidates", i)));
      std::string path;
      bool same = uniapi_test::modelled_subset(got, sent, path);
      INFO(path);
      CHECK(same);
    }
  }
}
