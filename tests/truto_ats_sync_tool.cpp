// `truto-ats sync` end to end: real processes (killed with SIGKILL at arbitrary moments) against
// the local server over loopback.
#include <uniapi/truto/testing/truto_server.hpp>

#include "support.hpp"
#include "tool_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

extern char** environ;

using uniapi::testing::truto_server;
namespace fs = std::filesystem;

namespace {
run_result tool(const std::vector<std::string>& args, const std::string& env = "") {
  return run_tool(TRUTO_ATS_PATH, args, env);
}

std::vector<std::string> base(const truto_server& s) {
  return {"--base-url", s.base_url(), "--token", s.token()};
}

std::string write_accounts(const std::vector<std::string>& lines) {
  auto path = temp_path("accounts.txt");
  std::ofstream out(path);
  for (const auto& l : lines)
    out << l << '\n';
  return path;
}

std::vector<std::string> accounts(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i)
    v.push_back("acct-" + std::to_string(i));
  return v;
}

// What `truto-ats list` prints for the attachments of an account (the local server serves the
// same records to every account).
std::string expected_lines(const truto_server& s) {
  auto r = tool(base(s) + std::vector<std::string>{"--account", "acct-x", "list", "attachments"});
  REQUIRE(r.code == 0);
  return r.out;
}

std::vector<std::string> stderr_lines(const std::string& err) {
  std::vector<std::string> v;
  std::istringstream in(err);
  for (std::string l; std::getline(in, l);)
    v.push_back(l);
  return v;
}

// FNV-1a 64 written independently of the tool, for the shard checks.
std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s)
    h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// Starts truto-ats with `args` in the background (stdout and stderr to /dev/null).
pid_t spawn_tool(const std::vector<std::string>& args) {
  std::vector<std::string> all{TRUTO_ATS_PATH};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, TRUTO_ATS_PATH, &fa, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}
}  // namespace

TEST_CASE(
    "truto-ats sync writes each account's records to DIR/<account>.jsonl as list prints them") {
  truto_server server({.attachment_count = 57});
  auto dir = temp_path("sync-out");
  auto file = write_accounts({"# accounts of tenant 7", "acct-0", "", "  acct-1  ", "acct-2",
                              "acct-3", "acct-4", "acct-0"});
  auto r = tool(base(server) + std::vector<std::string>{"sync", "attachments", "--accounts-file",
                                                        file, "--output-dir", dir, "--concurrency",
                                                        "3", "--page-size", "10"});
  CHECK(r.code == 0);
  std::string want = expected_lines(server);
  for (const auto& a : accounts(5)) {
    INFO(a);
    CHECK(slurp(dir + "/" + a + ".jsonl") == want);
  }
  auto lines = stderr_lines(r.err);
  std::set<std::string> done(lines.begin(), lines.end());
  for (const auto& a : accounts(5))
    CHECK(done.count(a + ": 57 records"));
  REQUIRE_FALSE(lines.empty());
  CHECK_THAT(lines.back(), Catch::Matches("synced 285 records from 5 accounts in [0-9.]+ s"));
  CHECK(r.err.find(server.token()) == std::string::npos);
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) CHECK(slurp(e.path()).find(server.token()) == std::string::npos);

  // A completed account is not fetched again.
  auto served = server.requests_served();
  auto again =
      tool(base(server) + std::vector<std::string>{"sync", "attachments", "--accounts-file", file,
                                                   "--output-dir", dir});
  CHECK(again.code == 0);
  CHECK(server.requests_served() == served);
  CHECK_THAT(again.err, Catch::Contains("acct-3: 57 records"));
  CHECK(slurp(dir + "/acct-3.jsonl") == want);
  fs::remove_all(dir);
  fs::remove(file);
}

TEST_CASE("truto-ats sync usage errors exit 2 before any request") {
  truto_server server;
  auto dir = temp_path("sync-usage");
  auto good = write_accounts({"acct-0"});
  auto empty = write_accounts({"# nobody yet", "", "   "});
  auto bad_id = write_accounts({"acct-0", "../etc"});
  std::vector<std::vector<std::string>> cases = {
      {"sync", "attachments", "--accounts-file", temp_path("missing"), "--output-dir", dir},
      {"sync", "attachments", "--accounts-file", empty, "--output-dir", dir},
      {"sync", "attachments", "--accounts-file", bad_id, "--output-dir", dir},
      {"sync", "attachments", "--accounts-file", good},
      {"sync", "attachments", "--output-dir", dir},
      {"sync", "no-such-resource", "--accounts-file", good, "--output-dir", dir},
      {"sync", "attachments", "--accounts-file", good, "--output-dir", dir, "--shard", "3/3"},
      {"sync", "attachments", "--accounts-file", good, "--output-dir", dir, "--shard", "1"},
      {"sync", "attachments", "--accounts-file", good, "--output-dir", dir, "--concurrency", "0"},
      {"sync"},
  };
  for (const auto& c : cases) {
    std::string what;
    for (const auto& a : c)
      what += a + " ";
    INFO(what);
    auto r = tool(base(server) + c);
    CHECK(r.code == 2);
    CHECK_FALSE(r.err.empty());
  }
  CHECK(server.requests_served() == 0);
  fs::remove_all(dir);
  for (const auto& f : {good, empty, bad_id})
    fs::remove(f);
}

TEST_CASE("truto-ats sync resumes after kill -9 at any moment, with every record exactly once") {
  // 8 accounts x 12 pages, 25 ms per answer: a run takes about 0.15 s per account and two at a
  // time; kills land before, during and between pages.
  truto_server server({.attachment_count = 57, .latency = std::chrono::milliseconds(25)});
  auto dir = temp_path("sync-kill");
  auto file = write_accounts(accounts(8));
  std::vector<std::string> args =
      base(server) +
      std::vector<std::string>{
          "sync",          "attachments", "--accounts-file", file, "--output-dir", dir,
          "--concurrency", "2",           "--page-size",     "5"};
  int kills = 0;
  for (int delay_ms : {60, 130, 45, 210, 90, 170, 30, 250}) {
    pid_t pid = spawn_tool(args);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ++kills;
    }
  }
  CHECK(kills >= 4);
  auto r = tool(args);
  CHECK(r.code == 0);
  std::string want = expected_lines(server);
  for (const auto& a : accounts(8)) {
    INFO(a);
    CHECK(slurp(dir + "/" + a + ".jsonl") == want);
  }
  CHECK_THAT(r.err, Catch::Contains("synced 456 records from 8 accounts"));
  fs::remove_all(dir);
  fs::remove(file);
}

TEST_CASE(
    "truto-ats sync: a failing account exits 1 while the others complete, transport exits 3") {
  truto_server server({.attachment_count = 23, .unknown_accounts = {"acct-2"}});
  auto dir = temp_path("sync-fail");
  auto file = write_accounts(accounts(4));
  auto r = tool(base(server) + std::vector<std::string>{"sync", "attachments", "--accounts-file",
                                                        file, "--output-dir", dir});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("acct-2: failed: "));
  CHECK_THAT(r.err, Catch::Contains("404"));
  CHECK_THAT(r.err, Catch::Contains("synced 69 records from 3 accounts"));
  std::string want = expected_lines(server);
  for (const auto& a : {"acct-0", "acct-1", "acct-3"})
    CHECK(slurp(dir + "/" + a + ".jsonl") == want);

  // Nothing listens on the port of a stopped server: every account fails on transport.
  std::string url;
  {
    truto_server gone;
    url = gone.base_url();
  }
  auto t = tool({"--base-url", url, "--token", "tok_SECRET_x", "--retries", "0", "sync",
                 "attachments", "--accounts-file", file, "--output-dir", dir + "-2"});
  CHECK(t.code == 3);
  CHECK_THAT(t.err, Catch::Contains("acct-0: failed: "));
  CHECK(t.err.find("tok_SECRET_x") == std::string::npos);
  fs::remove_all(dir);
  fs::remove_all(dir + "-2");
  fs::remove(file);
}

TEST_CASE("truto-ats sync --shard K/N splits the accounts by FNV-1a 64 of the id, disjointly") {
  CHECK(fnv1a("a") == 0xaf63dc4c8601ec8cull);  // the published test vector
  truto_server server({.attachment_count = 7});
  auto dir = temp_path("sync-shard");
  auto all = accounts(12);
  auto file = write_accounts(all);
  std::map<std::string, int> seen;
  for (int k = 0; k < 3; ++k) {
    auto r = tool(base(server) + std::vector<std::string>{"sync", "attachments", "--accounts-file",
                                                          file, "--output-dir", dir, "--shard",
                                                          std::to_string(k) + "/3"});
    CHECK(r.code == 0);
    for (const auto& a : all)
      if (r.err.find(a + ": 7 records") != std::string::npos) {
        ++seen[a];
        CHECK(fnv1a(a) % 3 == static_cast<std::uint64_t>(k));
      }
  }
  for (const auto& a : all) {
    INFO(a);
    CHECK(seen[a] == 1);
    CHECK(fs::exists(dir + "/" + a + ".jsonl"));
  }
  fs::remove_all(dir);
  fs::remove(file);
}

TEST_CASE("truto-ats sync obeys per-account rate limits: 429s waited out, nothing lost") {
  // 3 requests per second per account; 6 pages per account.
  truto_server server({.attachment_count = 30, .rate_limit = 3});
  auto dir = temp_path("sync-rate");
  auto file = write_accounts(accounts(3));
  auto start = std::chrono::steady_clock::now();
  auto r =
      tool(base(server) + std::vector<std::string>{"sync", "attachments", "--accounts-file", file,
                                                   "--output-dir", dir, "--page-size", "5"});
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.code == 0);
  std::string want = expected_lines(server);
  for (const auto& a : accounts(3))
    CHECK(slurp(dir + "/" + a + ".jsonl") == want);
  // Each account waited for its own windows (6 pages at 3 per second: at least one reset), and
  // the accounts were throttled in parallel, not one after another.
  CHECK(took >= std::chrono::milliseconds(900));
  CHECK(took < std::chrono::seconds(8));
  fs::remove_all(dir);
  fs::remove(file);
}
