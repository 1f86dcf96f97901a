// The truto-ats tool end to end: a real process against the local server over loopback.
#include <uniapi/testing/test_certificates.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include "support.hpp"
#include "tool_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using uniapi::testing::fault;
using uniapi::testing::truto_server;

namespace {
// Runs truto-ats (see `run_tool`).
run_result tool(const std::vector<std::string>& args, const std::string& env = "",
                const std::string& wrapper = "", const std::string& out_file = "") {
  return run_tool(TRUTO_ATS_PATH, args, env, wrapper, out_file);
}

std::vector<std::string> base(const truto_server& s) {
  return {"--base-url", s.base_url(), "--token", s.token(), "--account", "acct-9"};
}

}  // namespace

TEST_CASE("truto-ats list prints every record as one JSON line") {
  truto_server server({.attachment_count = 57});
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
  truto_server server({.attachment_count = 57});
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
  auto bad = tool(base(server) + std::vector<std::string>{"list", "attachments", "--query",
                                                          "truto_ignore_limit=yes"});
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err,
             Catch::Contains("malformed value for query parameter \"truto_ignore_limit\""));
  CHECK(tool(base(server) + std::vector<std::string>{"list", "attachments", "--query", "a[b=1"})
            .code == 2);
}

TEST_CASE("truto-ats --query passes any parameter: date filters, brackets, unknown keys") {
  truto_server server({.attachment_count = 57});
  // A date filter with an offset, as Truto documents them.
  auto dated =
      tool(base(server) + std::vector<std::string>{"list", "candidates", "--query",
                                                   "created_at[gte]=2024-01-02T05:04:05+02:00",
                                                   "--query", "created_at[lt]=2025-01-01"});
  CHECK(dated.code == 0);
  auto lines = dated.lines();
  CHECK(!lines.empty());
  CHECK(lines.size() < 23u);
  for (const auto& l : lines) {
    auto c = uniapi::json::decode<uniapi::truto::ats::candidate>(l);
    REQUIRE(c);
    REQUIRE(c->created_at);
    CHECK(c->created_at->time() >= uniapi::timestamp::parse("2024-01-02T03:04:05Z")->time());
    CHECK(c->created_at->time() < uniapi::timestamp::parse("2025-01-01")->time());
  }
  CHECK_THAT(server.last_target(),
             Catch::Contains("created_at[gte]=2024-01-02T05%3A04%3A05%2B02%3A00"));

  // Keys the model does not know are sent as given, with a note; indexed arrays too.
  auto extra =
      tool(base(server) + std::vector<std::string>{"list", "attachments", "--max-items", "1",
                                                   "--query", "some_new_filter[op]=x y", "--query",
                                                   "truto_exclude_fields[0]=remote_data", "--query",
                                                   "remote_query[foo]=bar"});
  CHECK(extra.code == 0);
  REQUIRE(extra.lines().size() == 1);
  CHECK_THAT(extra.lines()[0], !Catch::Contains("remote_data"));
  CHECK_THAT(extra.err, Catch::Contains("some_new_filter[op]"));
  CHECK_THAT(server.last_target(), Catch::Contains("&some_new_filter[op]=x%20y"));
  CHECK_THAT(server.last_target(), Catch::Contains("remote_query[foo]=bar"));

  // A nested model filter is typed, not passed through.
  auto actor = tool(base(server) + std::vector<std::string>{"list", "activities", "--max-items",
                                                            "1", "--query", "actor[id]=u 1"});
  CHECK(actor.code == 0);
  CHECK_THAT(actor.err, !Catch::Contains("not in the model"));
  CHECK_THAT(server.last_target(), Catch::Contains("&actor[id]=u%201"));

  // get takes --query too.
  auto g = tool(base(server) + std::vector<std::string>{"get", "candidates", "candidates_2",
                                                        "--query", "truto_ignore_remote_data=true",
                                                        "--query", "remote_query[x]=1"});
  CHECK(g.code == 0);
  CHECK_THAT(g.out, Catch::StartsWith("{\"id\":\"candidates_2\""));
  CHECK_THAT(server.last_target(), Catch::Contains("truto_ignore_remote_data=true"));
  CHECK_THAT(server.last_target(), Catch::Contains("remote_query[x]=1"));

  // truto_key_by: one line per record, following the cursor, as a plain list.
  auto plain =
      tool(base(server) + std::vector<std::string>{"list", "candidates", "--page-size", "5"});
  auto keyed = tool(base(server) + std::vector<std::string>{"list", "candidates", "--page-size",
                                                            "5", "--query", "truto_key_by=id"});
  CHECK(keyed.code == 0);
  CHECK(keyed.lines().size() == 23);
  CHECK(keyed.out == plain.out);
}

TEST_CASE("truto-ats list: JSON Lines whatever whitespace the server sends") {
  auto layout =
      GENERATE(uniapi::testing::json_layout::pretty, uniapi::testing::json_layout::pretty_crlf,
               uniapi::testing::json_layout::tabs);
  truto_server pretty({.attachment_count = 57, .layout = layout});
  truto_server compact({.attachment_count = 57});
  auto p =
      tool(base(pretty) + std::vector<std::string>{"list", "attachments", "--page-size", "20"});
  auto c =
      tool(base(compact) + std::vector<std::string>{"list", "attachments", "--page-size", "20"});
  CHECK(p.code == 0);
  auto lines = p.lines();
  REQUIRE(lines.size() == 57);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i]);
    CHECK(lines[i].find_first_of("\r\t") == std::string::npos);
    boost::system::error_code ec;
    auto v = boost::json::parse(lines[i], ec);
    REQUIRE_FALSE(ec);
    REQUIRE(v.is_object());
    std::string remote;
    for (const auto& [k, val] : uniapi::testing::attachment_record(i))
      if (k == "remote_data") remote = val;
    CHECK(boost::json::serialize(v.at("remote_data")) ==
          boost::json::serialize(boost::json::parse(remote)));
  }
  // Only whitespace between tokens differs: the lines equal those of a compact server's.
  CHECK(p.out == c.out);
  // A record sent pretty-printed by get is one line too.
  auto g = tool(base(pretty) + std::vector<std::string>{"get", "candidates", "candidates_1"});
  CHECK(g.code == 0);
  CHECK(g.lines().size() == 1);
}

TEST_CASE("truto-ats list prints a 200 MB page item by item, in flat memory") {
  // One page of every record (`truto_ignore_limit=true`), generated while sent. Under ASan the
  // allocator's quarantine and shadow memory make RSS meaningless (and the run 10x slower): there
  // a 24 MB page checks the output only; plain builds check the 207 MB page's peak RSS too.
#ifdef UNIAPI_SANITIZED
  const std::size_t n = 40000;
  const bool check_rss = false;
#else
  const std::size_t n = 350000;
  const bool check_rss = true;
#endif
  truto_server server({.attachment_count = n});
  auto out = temp_path("big.jsonl");
  auto r = tool(base(server) + std::vector<std::string>{"--timeout", "900", "list", "attachments",
                                                        "--query", "truto_ignore_limit=true"},
                "", "/usr/bin/time -v", out);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(server.requests_served() == 1);
  CHECK(server.body_bytes_sent() > (check_rss ? 200'000'000u : 20'000'000u));
  std::ifstream in(out);
  std::size_t lines = 0;
  std::string line, last;
  while (std::getline(in, line)) {
    ++lines;
    last.swap(line);
  }
  std::filesystem::remove(out);
  CHECK(lines == n);
  char last_id[32];
  std::snprintf(last_id, sizeof last_id, "{\"id\":\"att_%05zu\"", n - 1);
  CHECK_THAT(last, Catch::StartsWith(last_id));
  auto at = r.err.find("Maximum resident set size (kbytes): ");
  REQUIRE(at != std::string::npos);
  long kb = std::stol(r.err.substr(at + 36));
  WARN("truto-ats peak RSS listing a " << server.body_bytes_sent() << "-byte page: " << kb
                                       << " kB");
  if (check_rss) CHECK(kb < 64 * 1024);
}

TEST_CASE("truto-ats --retries recovers from a reset or an early EOF mid-body, no line twice") {
  truto_server server({.attachment_count = 300});
  std::string expected;
  {
    auto clean =
        tool(base(server) + std::vector<std::string>{"list", "attachments", "--page-size", "150"});
    REQUIRE(clean.code == 0);
    expected = clean.out;
  }
  for (fault f : {fault::reset_body, fault::truncate_body}) {
    server.inject(f);  // the first page arrives half, then the connection is reset / closed
    auto r = tool(base(server) + std::vector<std::string>{"--retries", "2", "list", "attachments",
                                                          "--page-size", "150"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out == expected);
    CHECK_THAT(r.err, Catch::Contains("attempt 1 failed"));
  }
  server.inject(fault::reset_body);
  auto without =
      tool(base(server) + std::vector<std::string>{"list", "attachments", "--page-size", "150"});
  CHECK(without.code == 3);
  CHECK_THAT(without.err, Catch::Contains("resume from"));
  CHECK(expected.rfind(without.out, 0) == 0);  // what was printed is a prefix, nothing else
}

TEST_CASE("truto-ats create and custom methods send an Idempotency-Key, generated unless given") {
  truto_server server;
  auto upload = temp_path("cv.txt");
  std::ofstream(upload) << "hello";
  auto c = tool(base(server) + std::vector<std::string>{"create", "attachments", "--body", upload});
  CHECK(c.code == 0);
  std::string first = server.last_idempotency_key();
  CHECK_THAT(first,
             Catch::Matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  (void)tool(base(server) + std::vector<std::string>{"create", "attachments", "--body", upload});
  CHECK(server.last_idempotency_key() != first);
  (void)tool(base(server) + std::vector<std::string>{"create", "attachments", "--body", upload,
                                                     "--idempotency-key", "mine-1"});
  CHECK(server.last_idempotency_key() == "mine-1");
  auto body = temp_path("move.json");
  std::ofstream(body) << R"({"application_id":"applications_3","stage_id":"s"})";
  // A 502 on the first try: the POST is retried because it carries a key.
  server.inject(fault::bad_gateway);
  auto m =
      tool(base(server) + std::vector<std::string>{"--retries", "1", "move-stage", "--body", body});
  CHECK(m.code == 0);
  CHECK(server.last_idempotency_key().size() == 36);
  std::filesystem::remove(body);
  std::filesystem::remove(upload);
}

TEST_CASE("truto-ats with no token and no --base-url uses the embedded server") {
  auto r = tool({"list", "attachments"});
  CHECK(r.code == 0);
  CHECK(r.lines().size() == 57);
  CHECK_THAT(r.err, Catch::Contains("embedded local server"));
}

TEST_CASE("truto-ats reads the token and account from the environment, flags win") {
  truto_server server;
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
  truto_server server;
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
  truto_server server;
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
  truto_server server;
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
  truto_server tls({.tls = true, .certificate = pki.server_cert, .private_key = pki.server_key});
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
  truto_server server;
  server.inject(fault::wrong_type);
  auto r = tool(base(server) + std::vector<std::string>{"list", "attachments"});
  CHECK(r.code == 4);
  CHECK_THAT(r.err, Catch::Contains("result[3].candidate.id: expected string, got number"));
  // Items are printed as they are decoded: the three before the bad one, each a whole line.
  auto lines = r.lines();
  REQUIRE(lines.size() == 3);
  CHECK_THAT(lines[2], Catch::StartsWith("{\"id\":\"c\""));
  CHECK(r.out.back() == '\n');
}

TEST_CASE("truto-ats --retries honours Retry-After and recovers") {
  truto_server server;
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
  truto_server server;
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
  truto_server server;
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

// (Traced runs turn LeakSanitizer off in sanitizer builds: it stops the process's threads with
// ptrace, which strace already holds. The other tests check the tool for leaks.)
TEST_CASE("truto-ats list reads the socket in large blocks (strace: read calls per MB)") {
  truto_server server({.attachment_count = 20000, .cache_records = true});
  auto trace = temp_path("strace");
  auto r =
      tool(base(server) + std::vector<std::string>{"list", "attachments", "--page-size", "1000"},
           "ASAN_OPTIONS=detect_leaks=0",
           "strace -f -c -e trace=read,readv,recvfrom,recvmsg -o " + trace);
  CHECK(r.code == 0);
  CHECK(r.lines().size() == 20000);
  // strace -c: "% time  seconds  usecs/call  calls  [errors]  syscall" per traced call.
  std::ifstream in(trace);
  std::size_t reads = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;)
      f.push_back(w);
    if (f.size() >= 5 && (f.back() == "read" || f.back() == "readv" || f.back() == "recvfrom" ||
                          f.back() == "recvmsg"))
      reads += std::stoul(f[3]);
  }
  std::filesystem::remove(trace);
  double mb = static_cast<double>(server.body_bytes_sent()) / (1 << 20);
  REQUIRE(mb > 10);
  REQUIRE(reads > 0);
  WARN("truto-ats: " << reads << " read calls for " << mb << " MB of body: " << reads / mb
                     << " per MB");
  CHECK(reads / mb <= 32);
}

TEST_CASE("truto-ats over http:// loads no CA store (TLS trust is loaded for TLS only)") {
  truto_server server;
  auto trace = temp_path("strace-open");
  auto r = tool(base(server) + std::vector<std::string>{"list", "attachments", "--max-items", "1"},
                "ASAN_OPTIONS=detect_leaks=0", "strace -f -e trace=open,openat -o " + trace);
  CHECK(r.code == 0);
  std::string opened = slurp(trace);
  std::filesystem::remove(trace);
  CHECK_THAT(opened, Catch::Contains("openat"));  // the trace itself worked
  CHECK_THAT(opened, !Catch::Contains("/etc/ssl") && !Catch::Contains("ca-certificates"));
}

TEST_CASE("truto-ats verify-webhook: exit 0 when valid, 1 when not, the secret never printed") {
  const std::string secret = "b2c7a6f0-3c1e-4a8e-9d51-7f0e2a1c5b44";
  auto body = temp_path("webhook.json");
  {
    std::ofstream out(body, std::ios::binary);
    out << R"({"id":"evt_1","event":"record:created","payload":{"id":"c1"},"environment_id":"env_1",)"
        << R"("webhook_id":"wh_1","created_at":"2026-12-05T10:00:00.123Z"})";
  }
  const std::string hex = "80fbdf9e4130a734125fa701aa2e806155d5004886d0f27bfcc5b4d566ec8fef";
  const std::string b64 = "gPvfnkEwpzQSX6cBqi6AYVXVAEiG0PJ7/MW01Wbsj+8=";
  auto verify = [&](const std::string& env_secret, const std::string& header,
                    std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "verify-webhook", "--secret-env", "WEBHOOK_SECRET", "--signature", header, "--body", body};
    args.insert(args.end(), extra.begin(), extra.end());
    return tool(args, env_secret.empty() ? "" : "WEBHOOK_SECRET=" + env_secret);
  };
  for (const auto& h : {"format=sha256,v=" + hex, "format=sha256,v=" + b64}) {
    auto r = verify(secret, h);
    CHECK(r.code == 0);
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
  for (const auto& [s, h] : std::vector<std::pair<std::string, std::string>>{
           {"another-secret", "format=sha256,v=" + hex},
           {secret, "format=sha256,v=" + hex.substr(0, 40)},
           {secret, "format=sha256"},
           {secret, ""}}) {
    INFO(h);
    auto r = verify(s, h);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("rejected"));
    CHECK(r.err.find(secret) == std::string::npos);
  }
  auto stale = verify(secret, "format=sha256,v=" + hex, {"--max-age", "300"});  // from 2026-12-05
  CHECK(stale.code ==
        (std::chrono::system_clock::now() <
                 std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} + std::chrono::minutes(605)
             ? 0
             : 1));
  CHECK(verify("", "format=sha256,v=" + hex).code == 2);  // the variable is not set
  std::filesystem::remove(body);
}

TEST_CASE("truto-ats proxy list and get: provider records through the Proxy API") {
  truto_server server({.records_per_resource = 23});
  // Pages of 5: every record once, in order, as the provider shaped it.
  auto r = tool(base(server) +
                std::vector<std::string>{"proxy", "list", "candidates", "--page-size", "5"});
  CHECK(r.code == 0);
  auto lines = r.lines();
  REQUIRE(lines.size() == 23);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto v = boost::json::parse(lines[i]);
    CHECK(v.at("id").as_int64() == std::stoll("4100" + std::to_string(i)));
    CHECK(v == boost::json::parse(uniapi::testing::to_json(server.record("proxy/candidates", i))));
  }
  CHECK_THAT(server.last_target(), Catch::StartsWith("/proxy/candidates?"));
  CHECK_THAT(server.last_target(), Catch::Contains("integrated_account_id=acct-9"));
  CHECK_THAT(server.last_target(), Catch::Contains("limit=5"));

  // Provider parameters pass through as given, Truto's by name; --max-items stops early.
  auto jobs = tool(base(server) +
                   std::vector<std::string>{"proxy", "list", "jobs", "--query", "status=open",
                                            "--query", "department_id[]=31", "--max-items", "2"});
  CHECK(jobs.code == 0);
  CHECK(jobs.lines().size() == 2);
  CHECK_THAT(jobs.err, !Catch::Contains("not in the model"));
  CHECK_THAT(server.last_target(), Catch::Contains("status=open"));
  CHECK_THAT(server.last_target(), Catch::Contains("department_id[]=31"));

  auto one = tool(base(server) + std::vector<std::string>{"proxy", "get", "jobs", "52003"});
  CHECK(one.code == 0);
  REQUIRE(one.lines().size() == 1);
  CHECK(boost::json::parse(one.lines()[0]).at("status") == "closed");
  CHECK_THAT(server.last_target(), Catch::StartsWith("/proxy/jobs/52003?"));

  // A resource or record the provider does not have: its 404, exit 1.
  auto missing = tool(base(server) + std::vector<std::string>{"proxy", "get", "jobs", "999"});
  CHECK(missing.code == 1);
  CHECK_THAT(missing.err, Catch::Contains("HTTP 404"));
  CHECK(tool(base(server) + std::vector<std::string>{"proxy", "list", "nothing"}).code == 1);
  // A name cannot leave /proxy/: it is one path segment.
  auto sneaky =
      tool(base(server) + std::vector<std::string>{"proxy", "get", "../unified/ats/jobs", "x"});
  CHECK(sneaky.code == 1);
  CHECK_THAT(server.last_target(), Catch::StartsWith("/proxy/..%2Funified%2Fats%2Fjobs/x?"));

  // Usage errors send nothing.
  std::size_t served = server.requests_served();
  CHECK(tool(base(server) + std::vector<std::string>{"proxy"}).code == 2);
  CHECK(tool(base(server) + std::vector<std::string>{"proxy", "delete", "jobs"}).code == 2);
  CHECK(tool(base(server) + std::vector<std::string>{"proxy", "get", "jobs"}).code == 2);
  CHECK(tool(base(server) + std::vector<std::string>{"proxy", "list"}).code == 2);
  CHECK(server.requests_served() == served);
}

TEST_CASE("truto-ats proxy list candidates and jobs with no token: the embedded server") {
  for (std::string resource : {"candidates", "jobs"}) {
    auto r = tool({"proxy", "list", resource});
    CHECK(r.code == 0);
    auto lines = r.lines();
    CHECK(lines.size() == 23);
    for (const auto& l : lines)
      CHECK(boost::json::parse(l).is_object());
  }
}

TEST_CASE("truto-ats custom: any verb to /custom/PATH, JSON replies as lines, bytes as they are") {
  truto_server server;
  std::string body_file = temp_path("custom-body.json");
  { std::ofstream(body_file) << "{\"month\": \"2024-01\", \"n\": [1, 2]}"; }
  auto post =
      tool(base(server) + std::vector<std::string>{"custom", "post", "/v1/reports/monthly",
                                                   "--body", body_file, "--query", "region=eu"});
  CHECK(post.code == 0);
  REQUIRE(post.lines().size() == 1);
  auto echo = boost::json::parse(post.lines()[0]);  // `result` unwrapped
  CHECK(echo.at("method") == "POST");
  CHECK(echo.at("path") == "/v1/reports/monthly");
  CHECK(echo.at("query").at("region") == "eu");
  CHECK(echo.at("body") == boost::json::parse("{\"month\":\"2024-01\",\"n\":[1,2]}"));
  CHECK_THAT(server.last_target(), Catch::StartsWith("/custom/v1/reports/monthly?"));
  CHECK_THAT(server.last_target(), Catch::Contains("integrated_account_id=acct-9"));

  // A JSON array: one element per line.
  auto items = tool(base(server) + std::vector<std::string>{"custom", "GET", "v1/things/items"});
  CHECK(items.code == 0);
  REQUIRE(items.lines().size() == 5);
  CHECK(boost::json::parse(items.lines()[4]).at("id") == "item_4");
  for (std::string verb : {"PUT", "PATCH", "DELETE"}) {
    auto r = tool(base(server) + std::vector<std::string>{"custom", verb, "/v1/x"});
    CHECK(r.code == 0);
    REQUIRE(r.lines().size() == 1);
    CHECK(boost::json::parse(r.lines()[0]).at("method").as_string() == verb);
  }

  // Bytes: exactly what the server sent.
  std::string out = temp_path("custom-file.bin");
  auto file = tool(base(server) + std::vector<std::string>{"custom", "GET", "/files/report.pdf"},
                   "", "", out);
  CHECK(file.code == 0);
  std::ifstream in(out, std::ios::binary);
  std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string expected(4096 + std::string("/files/report.pdf").size(), '\0');
  uniapi::testing::file_bytes(uniapi::testing::file_seed("/files/report.pdf"), 0, expected.data(),
                              expected.size());
  CHECK(got == expected);

  // A path cannot climb out of /custom/.
  CHECK(
      tool(base(server) + std::vector<std::string>{"custom", "GET", "/../unified/ats/jobs"}).code ==
      0);
  CHECK_THAT(server.last_target(), Catch::StartsWith("/custom/%2E%2E/unified/ats/jobs?"));

  std::size_t served = server.requests_served();
  CHECK(tool(base(server) + std::vector<std::string>{"custom", "FETCH", "/x"}).code == 2);
  CHECK(tool(base(server) + std::vector<std::string>{"custom", "GET"}).code == 2);
  CHECK(tool(base(server) + std::vector<std::string>{"custom", "GET", "/x", "--frob", "1"}).code ==
        2);
  CHECK(server.requests_served() == served);
  // A body that is not JSON is sent as it is, as bytes.
  std::string raw = temp_path("custom-raw.xml");
  { std::ofstream(raw) << "<report month=\"2024-01\"/>"; }
  auto xml = tool(base(server) + std::vector<std::string>{"custom", "POST", "/x", "--body", raw});
  CHECK(xml.code == 0);
  REQUIRE(xml.lines().size() == 1);
  CHECK(boost::json::parse(xml.lines()[0]).at("body") == "<report month=\"2024-01\"/>");
  CHECK(server.server().last_header("Content-Type") == "application/octet-stream");
}

TEST_CASE("truto-ats meta RESOURCE METHOD: the method's schemas for the account") {
  truto_server server;
  auto r = tool(base(server) + std::vector<std::string>{"meta", "attachments", "list"});
  CHECK(r.code == 0);
  REQUIRE(r.lines().size() == 1);
  auto m = boost::json::parse(r.lines()[0]);
  CHECK(m.at("method") == "list");
  CHECK(m.at("schema").at("properties").at("file_name").at("type") == "string");
  CHECK(m.at("query_schema").at("properties").as_object().contains("limit"));
  CHECK_THAT(server.last_target(),
             Catch::StartsWith("/unified/ats/attachments/meta/list?integrated_account_id=acct-9"));
  auto create = tool(base(server) + std::vector<std::string>{"meta", "candidates", "create"});
  CHECK(create.code == 0);
  CHECK(boost::json::parse(create.lines().at(0)).at("request_body_schema").is_object());
  // A method the resource does not have: the server's 404.
  auto none = tool(base(server) + std::vector<std::string>{"meta", "attachments", "update"});
  CHECK(none.code == 1);
  CHECK_THAT(none.err, Catch::Contains("HTTP 404"));
  std::size_t served = server.requests_served();
  CHECK(tool(base(server) + std::vector<std::string>{"meta", "nothing", "list"}).code == 2);
  CHECK(tool(base(server) + std::vector<std::string>{"meta", "attachments"}).code == 2);
  CHECK(server.requests_served() == served);
  // With no token, the embedded server answers.
  CHECK(tool({"meta", "attachments", "list"}).code == 0);
}
