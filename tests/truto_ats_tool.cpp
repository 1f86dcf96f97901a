// The truto-ats tool end to end: a real process against the local server over loopback.
#include <uniapi/testing/local_server.hpp>
#include <uniapi/testing/test_certificates.hpp>
#include <uniapi/truto/ats.hpp>

#include "support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using uniapi::testing::fault;
using uniapi::testing::local_server;

namespace {
struct run_result {
  int code = -1;
  std::string out, err;
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);)
      v.push_back(l);
    return v;
  }
};

std::string temp_path(const std::string& name) {
  static int n = 0;
  return (std::filesystem::temp_directory_path() /
          ("uniapi-tool-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + "-" + name))
      .string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs truto-ats with `args` and a clean environment plus `env`.
run_result tool(const std::vector<std::string>& args, const std::string& env = "") {
  std::string out = temp_path("out"), err = temp_path("err");
  std::string cmd = "env -i PATH=/usr/bin:/bin " + env + " " + quote(TRUTO_ATS_PATH);
  for (const auto& a : args)
    cmd += " " + quote(a);
  cmd += " >" + out + " 2>" + err + " </dev/null";
  int status = std::system(cmd.c_str());
  run_result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

std::vector<std::string> base(const local_server& s) {
  return {"--base-url", s.base_url(), "--token", s.token(), "--account", "acct-9"};
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
}  // namespace

TEST_CASE("truto-ats list prints every record as one JSON line") {
  local_server server({.attachment_count = 57});
  auto r =
      tool(base(server) + std::vector<std::string>{"list", "attachments", "--page-size", "10"});
  CHECK(r.code == 0);
  auto lines = r.lines();
  REQUIRE(lines.size() == 57);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto a = uniapi::json::decode<uniapi::truto::ats::attachment>(lines[i]);
    REQUIRE(a);
    char id[32];
    std::snprintf(id, sizeof id, "att_%05zu", i);
    CHECK(a->id == id);
    // remote_data exactly as the server sent it, numbers included.
    std::string remote;
    for (const auto& [k, v] : uniapi::testing::attachment_record(i))
      if (k == "remote_data") remote = v;
    CHECK(boost::json::parse(a->remote_data->text()) == boost::json::parse(remote));
    CHECK_THAT(lines[i], Catch::Contains("123456789012345678901234567890,"));
  }
  CHECK_THAT(lines[3], Catch::Contains("\"attachment_type\":\"portfolio\""));  // unknown enum kept
  CHECK(r.err.find(server.token()) == std::string::npos);
}

TEST_CASE("truto-ats list: --max-items, --query filters and common parameters") {
  local_server server({.attachment_count = 57});
  auto r = tool(base(server) + std::vector<std::string>{"list", "attachments", "--max-items", "4"});
  CHECK(r.code == 0);
  CHECK(r.lines().size() == 4);
  auto f = tool(base(server) + std::vector<std::string>{"list", "attachments", "--query",
                                                        "candidate_id=cand_2", "--query",
                                                        "truto_ignore_remote_data=true"});
  CHECK(f.code == 0);
  auto lines = f.lines();
  REQUIRE(lines.size() == 3);  // att_6, 7, 8 belong to cand_2
  for (const auto& l : lines) {
    CHECK_THAT(l, Catch::Contains("\"candidate\":{\"id\":\"cand_2\"}"));
    CHECK_THAT(l, !Catch::Contains("remote_data"));
  }
  auto bad =
      tool(base(server) + std::vector<std::string>{"list", "attachments", "--query", "nope=1"});
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("unknown or malformed query parameter \"nope\""));
}

TEST_CASE("truto-ats with no token and no --base-url uses the embedded server") {
  auto r = tool({"list", "attachments"});
  CHECK(r.code == 0);
  CHECK(r.lines().size() == 57);
  CHECK_THAT(r.err, Catch::Contains("embedded local server"));
}

TEST_CASE("truto-ats reads the token and account from the environment; flags win") {
  local_server server;
  auto r = tool({"--base-url", server.base_url(), "list", "attachments", "--max-items", "1"},
                "TRUTO_API_TOKEN=" + server.token() + " TRUTO_INTEGRATED_ACCOUNT_ID=env-acct");
  CHECK(r.code == 0);
  CHECK(r.lines().size() == 1);
  auto w =
      tool({"--base-url", server.base_url(), "--token", "flag-token-wrong", "list", "attachments"},
           "TRUTO_API_TOKEN=" + server.token() + " TRUTO_INTEGRATED_ACCOUNT_ID=env-acct");
  CHECK(w.code == 1);
}

TEST_CASE("truto-ats exit code 2: usage errors send no request") {
  local_server server;
  auto no_account =
      tool({"--base-url", server.base_url(), "--token", server.token(), "list", "attachments"});
  CHECK(no_account.code == 2);
  CHECK_THAT(no_account.err, Catch::Contains("no account"));
  auto no_token = tool({"--base-url", server.base_url(), "--account", "a", "list", "attachments"});
  CHECK(no_token.code == 2);
  CHECK_THAT(no_token.err, Catch::Contains("no token"));
  CHECK(tool(base(server) + std::vector<std::string>{"list", "nothing"}).code == 2);
  auto get = tool(base(server) + std::vector<std::string>{"get", "attachments", "x"});
  CHECK(get.code == 2);
  CHECK_THAT(get.err, Catch::Contains("attachments has no get method"));
  CHECK(tool(base(server) + std::vector<std::string>{"list"}).code == 2);
  CHECK(tool({"--timeout", "zero", "list", "attachments"}).code == 2);
  CHECK(tool({"--frobnicate", "list", "attachments"}).code == 2);
  CHECK(server.requests_served() == 0);
}

TEST_CASE("truto-ats exit code 1: API errors with status, never the token") {
  local_server server;
  const std::string secret = "very-secret-token-42";
  auto r = tool({"--base-url", server.base_url(), "--token", secret, "--account", "a", "list",
                 "attachments"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("HTTP 401"));
  CHECK(r.err.find(secret) == std::string::npos);
  CHECK(r.out.find(secret) == std::string::npos);
  auto nf =
      tool(base(server) + std::vector<std::string>{"download", "--file-url", "https://elsewhere/x",
                                                   "--output", temp_path("nf")});
  CHECK(nf.code == 1);
  CHECK_THAT(nf.err, Catch::Contains("HTTP 404"));
}

TEST_CASE("truto-ats exit code 3: transport failures, timeouts and truncated bodies") {
  auto refused = tool({"--base-url", "http://127.0.0.1:1", "--token", "t0k3n-abcdef", "--account",
                       "a", "list", "attachments"});
  CHECK(refused.code == 3);
  local_server server;
  server.inject(fault::truncate_body);
  auto truncated = tool(base(server) + std::vector<std::string>{"list", "attachments"});
  CHECK(truncated.code == 3);
  CHECK_THAT(truncated.err, Catch::Contains("truncated"));
  server.inject(fault::slow_body);
  auto start = std::chrono::steady_clock::now();
  auto slow = tool({"--base-url", server.base_url(), "--token", server.token(), "--account", "a",
                    "--timeout", "1", "list", "attachments"});
  CHECK(slow.code == 3);
  CHECK_THAT(slow.err, Catch::Contains("timed out"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  auto pki = uniapi::testing::test_certificates::generate();
  local_server tls({.tls = true, .certificate = pki.server_cert, .private_key = pki.server_key});
  auto untrusted = tool({"--base-url", tls.base_url(), "--token", tls.token(), "--account", "a",
                         "list", "attachments"});
  CHECK(untrusted.code == 3);
  CHECK_THAT(untrusted.err, Catch::Contains("certificate"));
  auto ca = temp_path("ca.pem");
  std::ofstream(ca) << pki.ca_cert;
  auto trusted = tool({"--base-url", tls.base_url(), "--token", tls.token(), "--account", "a",
                       "--ca-file", ca, "list", "attachments", "--max-items", "2"});
  CHECK(trusted.code == 0);
  CHECK(trusted.lines().size() == 2);
  std::filesystem::remove(ca);
}

TEST_CASE("truto-ats exit code 4: decode errors name the JSON path") {
  local_server server;
  server.inject(fault::wrong_type);
  auto r = tool(base(server) + std::vector<std::string>{"list", "attachments"});
  CHECK(r.code == 4);
  CHECK_THAT(r.err, Catch::Contains("result[3].candidate.id: expected string, got number"));
  CHECK(r.out.empty());  // the page is rejected whole: no partial output
}

TEST_CASE("truto-ats --retries honours Retry-After and recovers") {
  local_server server;
  server.inject(fault::too_many_requests);
  server.inject(fault::bad_gateway);
  auto without = tool(base(server) + std::vector<std::string>{"list", "attachments"});
  CHECK(without.code == 1);
  CHECK_THAT(without.err, Catch::Contains("HTTP 429"));
  server.inject(fault::too_many_requests);
  server.inject(fault::bad_gateway);
  auto with = tool({"--base-url", server.base_url(), "--token", server.token(), "--account", "a",
                    "--retries", "3", "list", "attachments"});
  CHECK(with.code == 0);
  CHECK(with.lines().size() == 57);
  CHECK_THAT(with.err, Catch::Contains("retrying in 1000 ms"));
}

TEST_CASE("truto-ats download and create") {
  local_server server;
  std::string url = "https://files.local.test/x/file.bin?size=3000000";
  auto out = temp_path("download.bin");
  auto r =
      tool(base(server) + std::vector<std::string>{"download", "--file-url", url, "--output", out});
  CHECK(r.code == 0);
  std::string got = slurp(out);
  REQUIRE(got.size() == 3000000);
  std::string expected(3000000, '\0');
  uniapi::testing::file_bytes(uniapi::testing::file_seed(url), 0, expected.data(), expected.size());
  CHECK(got == expected);
  std::filesystem::remove(out);

  server.inject(fault::truncate_body);
  auto failed_out = temp_path("failed.bin");
  auto failed = tool(base(server) + std::vector<std::string>{"download", "--file-url", url,
                                                             "--output", failed_out});
  CHECK(failed.code == 3);
  CHECK_FALSE(std::filesystem::exists(failed_out));
  CHECK_FALSE(std::filesystem::exists(failed_out + ".part"));

  auto upload = temp_path("cv.pdf");
  std::ofstream(upload, std::ios::binary) << std::string("%PDF-1.4\0\r\n--binary", 20);
  auto c = tool(base(server) + std::vector<std::string>{"create", "attachments", "--body", upload});
  CHECK(c.code == 0);
  auto rec = uniapi::json::decode<uniapi::truto::ats::attachment>(c.out);
  REQUIRE(rec);
  CHECK(rec->file_name == std::filesystem::path(upload).filename().string());
  CHECK_THAT(rec->remote_data->text(), Catch::Contains("\"size\":20"));
  std::filesystem::remove(upload);
}

TEST_CASE("truto-ats resources lists descriptors and their methods") {
  auto r = tool({"resources"});
  CHECK(r.code == 0);
  CHECK_THAT(
      r.out,
      Catch::Contains(
          R"({"resource":"attachments","path":"/unified/ats/attachments","methods":"list,create"})"));
  CHECK_THAT(
      r.out,
      Catch::Contains(
          R"({"resource":"attachments","custom_method":"download","path":"/unified/ats/attachments/download"})"));
}

TEST_CASE("truto-ats get, list, move-stage and reject for every resource that has them") {
  local_server server;
  std::apply(
      [&](auto... r) {
        auto one = [&](auto res) {
          using R = decltype(res);
          std::string name(R::name);
          auto l = tool(base(server) + std::vector<std::string>{"list", name, "--page-size", "10"});
          CHECK(l.code == 0);
          CHECK(l.lines().size() == (name == "attachments" ? 57u : 23u));
          auto g = tool(base(server) + std::vector<std::string>{"get", name, name + "_1"});
          if constexpr (uniapi::gettable<R>) {
            CHECK(g.code == 0);
            CHECK_THAT(g.out, Catch::StartsWith("{\"id\":\"" + name + "_1\""));
          } else {
            CHECK(g.code == 2);
          }
        };
        (one(r), ...);
      },
      uniapi::truto::ats::all_resources{});
  auto body = temp_path("move.json");
  std::ofstream(body) << R"({"application_id":"applications_3","stage_id":"stage_x"})";
  auto m = tool(base(server) + std::vector<std::string>{"move-stage", "--body", body});
  CHECK(m.code == 0);
  CHECK_THAT(m.out, Catch::Contains(R"("current_stage":{"id":"stage_x"})"));
  std::ofstream(body) << R"({"application_id":"applications_3","reason_id":"r1","user_id":"u"})";
  auto rj = tool(base(server) + std::vector<std::string>{"reject", "--body", body});
  CHECK(rj.code == 0);
  CHECK_THAT(rj.out, Catch::Contains(R"("reject_reason":"r1")"));
  std::ofstream(body) << R"({"application_id":"applications_999","reason_id":"r1"})";
  auto missing = tool(base(server) + std::vector<std::string>{"reject", "--body", body});
  CHECK(missing.code == 1);
  std::ofstream(body) << R"({"application_id":7})";
  auto bad = tool(base(server) + std::vector<std::string>{"reject", "--body", body});
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("application_id: expected string, got number"));
  std::filesystem::remove(body);
}
