// Many integrated accounts: every attachment of each of 64 accounts (1,000 records each, pages of
// 100) from a server that waits 50 ms before each answer — sequentially with the synchronous
// client, with a thread (and a synchronous client) per account, with the asynchronous client on
// one thread, and with `truto-ats sync --concurrency 64`.
//
//   uniapi_many_accounts [--accounts N] [--records N] [--latency MS] [--page-size N]
//                        [--truto-ats PATH] [--skip-sequential]
//
// Each variant runs in a process of its own (this program re-executed), so that its peak RSS is
// its own; the server runs in this process. Prints a Markdown table: records/s, wall time, peak
// RSS, threads, and the ratios the targets are stated in.
#include <uniapi/transport/beast/beast_async_transport.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/truto/async_client.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/client.hpp>
#include <uniapi/truto/testing/truto_server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace asio = boost::asio;
namespace ats = uniapi::truto::ats;

namespace {

struct config {
  std::size_t accounts = 64, records = 1000, latency_ms = 50, page_size = 100;
  std::string url, token, variant, truto_ats;
  bool skip_sequential = false;
};

int threads_now() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  return 0;
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

std::string account(std::size_t i) {
  return "acct-" + std::to_string(i);
}

ats::attachments_resource::list_query query_for(const config& c, std::size_t i) {
  return {.integrated_account_id = uniapi::truto::account_id(account(i)),
          .limit = static_cast<std::int64_t>(c.page_size)};
}

// One account with a synchronous client; returns the records seen (0 on error).
std::size_t sync_account(const config& c, std::size_t i, std::atomic<int>* peak_threads) {
  uniapi::truto::client<uniapi::beast_transport> client({.base_url = c.url, .token = c.token},
                                                        uniapi::beast_transport{});
  std::size_t n = 0;
  auto r = client.for_each_item(ats::attachments, query_for(c, i), [&](ats::attachment&) {
    if (peak_threads && ++n == c.records / 2) {
      int t = threads_now();
      int seen = peak_threads->load();
      while (t > seen && !peak_threads->compare_exchange_weak(seen, t)) {
      }
    }
  });
  if (!r) {
    std::cerr << r.error() << '\n';
    return 0;
  }
  return *r;
}

// The child: runs one variant, prints "records threads" on stdout.
int run_variant(const config& c) {
  std::size_t records = 0;
  int threads = 1;
  if (c.variant == "sequential") {
    for (std::size_t i = 0; i < c.accounts; ++i)
      records += sync_account(c, i, nullptr);
  } else if (c.variant == "threads") {
    std::vector<std::thread> pool;
    std::vector<std::size_t> got(c.accounts);
    std::atomic<int> peak{1};
    for (std::size_t i = 0; i < c.accounts; ++i)
      pool.emplace_back([&, i] { got[i] = sync_account(c, i, &peak); });
    for (auto& t : pool)
      t.join();
    for (auto n : got)
      records += n;
    threads = peak.load();
  } else if (c.variant == "async") {
    asio::io_context ioc(1);
    using client_t = uniapi::truto::async_client<uniapi::beast_async_transport>;
    client_t client({.base_url = c.url, .token = c.token},
                    uniapi::beast_async_transport(ioc.get_executor(),
                                                  {.max_connections_per_origin = c.accounts}));
    std::vector<uniapi::stream_progress> progress(c.accounts);
    std::vector<ats::attachments_resource::list_query> queries;
    for (std::size_t i = 0; i < c.accounts; ++i)
      queries.push_back(query_for(c, i));
    std::size_t failures = 0;
    for (std::size_t i = 0; i < c.accounts; ++i)
      client.async_for_each_item(
          ats::attachments, queries[i],
          [&](ats::attachment&) {
            if (++records == c.accounts * c.records / 2) threads = threads_now();
          },
          progress[i],
          [&](uniapi::result<std::size_t> r) {
            if (!r) {
              ++failures;
              std::cerr << r.error() << '\n';
            }
          });
    ioc.run();
    if (failures) records = 0;
  } else {
    std::cerr << "unknown variant " << c.variant << '\n';
    return 2;
  }
  std::cout << records << ' ' << threads << '\n';
  return 0;
}

struct outcome {
  std::string name;
  double seconds = 0;
  std::size_t records = 0;
  long rss_kb = 0;
  int threads = 0;
};

// Runs `argv` as a child process; wall time, peak RSS (from wait4) and its stdout.
outcome spawn_and_measure(const std::string& name, std::vector<std::string> args,
                          std::string& out) {
  auto out_path = std::filesystem::temp_directory_path() /
                  ("uniapi-many-accounts-" + std::to_string(::getpid()) + "-" + name);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) {
    std::cerr << "cannot run " << args[0] << '\n';
    std::exit(1);
  }
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  rusage u{};
  ::wait4(pid, &status, 0, &u);
  outcome o;
  o.name = name;
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.rss_kb = u.ru_maxrss;
  std::ifstream in(out_path);
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  std::filesystem::remove(out_path);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << name << " failed (status " << status << ")\n";
    std::exit(1);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--accounts")
      c.accounts = std::stoul(value());
    else if (a == "--records")
      c.records = std::stoul(value());
    else if (a == "--latency")
      c.latency_ms = std::stoul(value());
    else if (a == "--page-size")
      c.page_size = std::stoul(value());
    else if (a == "--truto-ats")
      c.truto_ats = value();
    else if (a == "--skip-sequential")
      c.skip_sequential = true;
    else if (a == "--variant")
      c.variant = value();
    else if (a == "--url")
      c.url = value();
    else if (a == "--token")
      c.token = value();
    else {
      std::cerr << "usage: " << argv[0]
                << " [--accounts N] [--records N] [--latency MS] [--page-size N]"
                   " [--truto-ats PATH] [--skip-sequential]\n";
      return 2;
    }
  }
  if (!c.variant.empty()) return run_variant(c);

  uniapi::testing::truto_server server({.attachment_count = c.records,
                                        .cache_records = true,
                                        .latency = std::chrono::milliseconds(c.latency_ms)});
  c.url = server.base_url();
  c.token = server.token();
  auto self = std::filesystem::canonical("/proc/self/exe").string();
  auto child = [&](const std::string& variant) {
    return std::vector<std::string>{self,
                                    "--variant",
                                    variant,
                                    "--url",
                                    c.url,
                                    "--token",
                                    c.token,
                                    "--accounts",
                                    std::to_string(c.accounts),
                                    "--records",
                                    std::to_string(c.records),
                                    "--page-size",
                                    std::to_string(c.page_size)};
  };
  std::vector<outcome> results;
  std::vector<std::string> variants{"async", "threads"};
  if (!c.skip_sequential) variants.push_back("sequential");
  for (const auto& v : variants) {
    std::string out;
    auto o = spawn_and_measure(v, child(v), out);
    std::istringstream in(out);
    in >> o.records >> o.threads;
    if (o.records != c.accounts * c.records) {
      std::cerr << v << ": " << o.records << " records, expected " << c.accounts * c.records
                << '\n';
      return 1;
    }
    results.push_back(o);
  }
  if (!c.truto_ats.empty()) {
    auto dir = std::filesystem::temp_directory_path() /
               ("uniapi-many-accounts-sync-" + std::to_string(::getpid()));
    auto accounts_file = dir.string() + ".txt";
    {
      std::ofstream f(accounts_file);
      for (std::size_t i = 0; i < c.accounts; ++i)
        f << account(i) << '\n';
    }
    std::string out;
    auto o = spawn_and_measure(
        "truto-ats sync",
        {c.truto_ats, "--base-url", c.url, "--token", c.token, "sync", "attachments",
         "--accounts-file", accounts_file, "--output-dir", dir.string(), "--concurrency",
         std::to_string(c.accounts), "--page-size", std::to_string(c.page_size)},
        out);
    std::size_t lines = 0;
    for (std::size_t i = 0; i < c.accounts; ++i) {
      std::ifstream f(dir / (account(i) + ".jsonl"));
      for (std::string l; std::getline(f, l);)
        ++lines;
    }
    o.records = lines;
    o.threads = 1;
    std::filesystem::remove_all(dir);
    std::filesystem::remove(accounts_file);
    if (lines != c.accounts * c.records) {
      std::cerr << "truto-ats sync wrote " << lines << " records\n";
      return 1;
    }
    results.push_back(o);
  }

  std::map<std::string, outcome> by;
  for (auto& o : results)
    by[o.name] = o;
  std::printf("%zu accounts x %zu records, pages of %zu, %zu ms per answer\n\n", c.accounts,
              c.records, c.page_size, c.latency_ms);
  std::printf("| variant | records/s | wall s | peak RSS MB | threads |\n|---|---|---|---|---|\n");
  for (auto& o : results)
    std::printf("| %s | %.0f | %.2f | %.1f | %d |\n", o.name.c_str(), o.records / o.seconds,
                o.seconds, o.rss_kb / 1024.0, o.threads);
  const auto& a = by["async"];
  const auto& t = by["threads"];
  std::printf("\nasync / thread-per-account throughput: %.2fx (target >= 0.9x)\n",
              t.seconds / a.seconds);
  std::printf("async / thread-per-account peak RSS: %.2fx (target <= 0.25x)\n",
              static_cast<double>(a.rss_kb) / t.rss_kb);
  if (by.count("sequential"))
    std::printf("async / sequential throughput: %.1fx (target >= 20x)\n",
                by["sequential"].seconds / a.seconds);
  if (by.count("truto-ats sync"))
    std::printf("truto-ats sync wall / async wall: %.2fx (target <= 1.5x)\n",
                by["truto-ats sync"].seconds / a.seconds);
}
